"""Plans kept whole as JSON documents, one per organization and key; the latest read back.

Route plans (key ``plan_id``) and relief plans (key ``event_id``) are kept this way, each with
the day it is for (the routes' day, the event's first day): storing under a key that is taken
replaces that plan. Plans are read as
``greenlane.store.policy.owned_rows`` says.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller, now
from greenlane.store.policy import owned_rows
from greenlane.store.unit import Bind, writing

Days = tuple[date | None, date | None]  # first and last day, either open


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
    engine: sa.Engine, table: sa.Table, key: str, caller: Caller, days: Days = (None, None)
) -> dict[str, Any] | None:
    """The plan the caller may read for the latest day within ``days`` (either end open).

    Of plans for the same day, the most recently stored one.
    """
    first, last = days
    query = (
        sa.select(table.c.plan)
        .where(owned_rows(caller, table.c.organization_id))
        .where(table.c.day >= first if first else sa.true())
        .where(table.c.day <= last if last else sa.true())
        .order_by(table.c.day.desc(), table.c.created_at.desc(), table.c[key])
        .limit(1)
    )
    with engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return dict(found) if found is not None else None
