"""Plans kept whole as JSON documents, one per organization and key; the latest read back.

Route plans (key ``plan_id``) and relief plans (key ``event_id``) are kept this way: storing
under a key that is taken replaces that plan. Plans are read as
``greenlane.store.policy.owned_rows`` says.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller, now
from greenlane.store.policy import owned_rows
from greenlane.store.unit import Bind, writing


def replace_document(
    bind: Bind, table: sa.Table, key: str, caller: Caller, row: dict[str, Any]
) -> None:
    """Keep ``row`` (its ``key`` and ``plan`` included) for the caller, replacing the same key."""
    org = caller.organization_id
    taken = sa.and_(table.c.organization_id == org, table.c[key] == row[key])
    with writing(bind) as conn:
        conn.execute(table.delete().where(taken))
        conn.execute(table.insert(), [row | {"organization_id": org, "created_at": now()}])


def latest_document(
    engine: sa.Engine, table: sa.Table, key: str, caller: Caller
) -> dict[str, Any] | None:
    """The most recently stored plan the caller may read, if any."""
    query = (
        sa.select(table.c.plan)
        .where(owned_rows(caller, table.c.organization_id))
        .order_by(table.c.created_at.desc(), table.c[key])
        .limit(1)
    )
    with engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return dict(found) if found is not None else None
