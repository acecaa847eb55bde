"""Organizations and their API keys: issued once, stored hashed, revocable, expiring.

Keys are 256-bit random secrets, so a SHA-256 digest is enough to store them safely (a slow
password hash protects guessable secrets; these are not guessable) and keeps each request's
check to microseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from greenlane.errors import ConflictError, InputError, NotFoundError, Problem
from greenlane.store.tables import ROLES, Role, api_keys, organizations, sessions

if TYPE_CHECKING:
    from greenlane.store.key_cache import KeyCache

ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
KEY = re.compile(r"^gl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the organization behind the key, its role, and the key's id."""

    organization_id: str
    role: Role
    key_id: str
    factors_version: int = 0


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def create_organization(engine: sa.Engine, org_id: str, name: str, role: str) -> None:
    """Register an organization; its id is lowercase letters, digits, '.', '_' or '-'."""
    if not ORG_ID.match(org_id):
        reason = f"use 1-64 of a-z 0-9 . _ - (got {org_id!r})"
        raise InputError([Problem("organization", None, "id", reason)])
    if role not in ROLES:
        reason = f"must be one of {[r.value for r in ROLES]} (got {role!r})"
        raise InputError([Problem("organization", None, "role", reason)])
    with engine.begin() as conn:
        if conn.execute(sa.select(organizations.c.id).where(organizations.c.id == org_id)).first():
            raise ConflictError(f"organization {org_id!r} exists already")
        conn.execute(
            organizations.insert().values(id=org_id, name=name, role=role, created_at=now())
        )


def list_organizations(engine: sa.Engine) -> list[dict[str, Any]]:
    """Every organization's row."""
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(organizations.select())]


def organization(engine: sa.Engine, org_id: str) -> dict[str, Any] | None:
    """The organization's row, or None."""
    with engine.connect() as conn:
        row = conn.execute(organizations.select().where(organizations.c.id == org_id)).first()
    return dict(row._mapping) if row else None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(
    engine: sa.Engine, org_id: str, label: str = "", valid_for: timedelta | None = None
) -> tuple[str, str]:
    """A new key for ``org_id``: (key id, the key itself). The key is shown once, never stored."""
    if organization(engine, org_id) is None:
        raise NotFoundError(f"no organization {org_id!r}")
    key_id = secrets.token_hex(8)
    key = f"gl_{key_id}_{secrets.token_urlsafe(32)}"
    created = now()
    with engine.begin() as conn:
        conn.execute(
            api_keys.insert().values(
                id=key_id,
                organization_id=org_id,
                label=label,
                secret_sha256=_digest(key),
                created_at=created,
                expires_at=created + valid_for if valid_for else None,
            )
        )
    return key_id, key


def authenticate(engine: sa.Engine, key: str, cache: KeyCache | None = None) -> Caller | None:
    """The caller a key belongs to, or None if it is malformed, unknown, revoked or expired.

    With a ``cache`` (``greenlane.store.key_cache``), a key verified a moment ago is not
    looked up again.
    """
    match = KEY.match(key)
    if not match:
        return None
    key_id, digest = match.group(1), _digest(key)
    if cache is not None and (known := cache.get(key_id, digest)) is not None:
        return known
    query = (
        sa.select(api_keys, organizations.c.role, organizations.c.factors_version)
        .join(organizations, organizations.c.id == api_keys.c.organization_id)
        .where(api_keys.c.id == key_id)
    )
    # autocommit: one round trip on PostgreSQL instead of BEGIN, SELECT and ROLLBACK
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        row = conn.execute(query).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, digest):
        return None
    expires = aware(row.expires_at) if row.expires_at is not None else None
    if row.revoked_at is not None or (expires is not None and expires <= now()):
        return None
    caller = Caller(row.organization_id, Role(row.role), row.id, row.factors_version)
    if cache is not None:
        cache.put(key_id, digest, caller, expires)
    return caller


def aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def revoke_key(engine: sa.Engine, key_id: str) -> bool:
    """Revoke a key and end its dashboard sessions; False if no such key or revoked already."""
    with engine.begin() as conn:
        done = conn.execute(
            api_keys.update()
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now())
        )
        conn.execute(sessions.delete().where(sessions.c.key_id == key_id))
    return done.rowcount == 1


def list_keys(engine: sa.Engine) -> list[dict[str, Any]]:
    """Every key's id, organization, label and dates (never a secret or its digest)."""
    columns = [c for c in api_keys.c if c.name != "secret_sha256"]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*columns).order_by(api_keys.c.created_at)).all()
    dates = ("created_at", "expires_at", "revoked_at")
    return [
        {k: aware(v) if k in dates and v is not None else v for k, v in r._mapping.items()}
        for r in rows
    ]
