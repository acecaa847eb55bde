"""Dashboard sessions kept in the store: the browser holds only a random id.

The cookie carries a 256-bit random token; the store keeps its SHA-256 (a stolen database
holds no usable cookie), the key it signed in with, a CSRF token made at sign-in, and an
expiry. Signing out deletes the row, so a copied cookie stops working at once; revoking the
key deletes its sessions too, and a session is honoured only while its key is.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from greenlane.store.access import Caller, aware, now
from greenlane.store.tables import Role, api_keys, organizations, sessions

LIFETIME = timedelta(hours=12)  # a working day; then sign in again


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser: who, and the token its forms must carry."""

    caller: Caller
    csrf: str


def open_session(engine: sa.Engine, caller: Caller) -> tuple[str, Session]:
    """A new session for the caller's key: (the cookie's token, the session)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    created = now()
    with engine.begin() as conn:
        conn.execute(
            sessions.insert().values(
                id_sha256=_digest(token),
                key_id=caller.key_id,
                csrf=csrf,
                created_at=created,
                expires_at=created + LIFETIME,
            )
        )
    return token, Session(caller, csrf)


def session_of(engine: sa.Engine, token: str) -> Session | None:
    """The live session behind a cookie's token; None if unknown, expired or its key is not."""
    k, o = api_keys.c, organizations.c
    query = (
        sa.select(sessions.c.csrf, sessions.c.expires_at.label("ends"), k.expires_at, k.revoked_at)
        .add_columns(k.id, k.organization_id, o.role, o.factors_version)
        .join(api_keys, k.id == sessions.c.key_id)
        .join(organizations, o.id == k.organization_id)
        .where(sessions.c.id_sha256 == _digest(token))
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    moment = now()
    if row is None or row.revoked_at is not None or aware(row.ends) <= moment:
        return None
    if row.expires_at is not None and aware(row.expires_at) <= moment:
        return None
    caller = Caller(row.organization_id, Role(row.role), row.id, row.factors_version)
    return Session(caller, row.csrf)


def close_session(engine: sa.Engine, token: str) -> None:
    """End a session (sign-out): its cookie is worthless from now on."""
    with engine.begin() as conn:
        conn.execute(sessions.delete().where(sessions.c.id_sha256 == _digest(token)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
