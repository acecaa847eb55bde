"""Route plans kept per organization (the plan record with its places' coordinates).

Plans are read as ``greenlane.store.policy.owned_rows`` says.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller, now
from greenlane.store.policy import owned_rows
from greenlane.store.tables import route_plans
from greenlane.store.unit import Bind, writing


def store_route_plan(bind: Bind, caller: Caller, plan_id: str, record: dict[str, Any]) -> None:
    """Keep a plan for the caller, replacing the one stored under the same id."""
    org = caller.organization_id
    key = sa.and_(route_plans.c.organization_id == org, route_plans.c.plan_id == plan_id)
    row = {
        "organization_id": org,
        "plan_id": plan_id,
        "created_at": now(),
        "co2e_wtw_kg": record["totals"]["co2e_wtw_kg"],
        "km": record["totals"]["km"],
        "plan": record,
    }
    with writing(bind) as conn:
        conn.execute(route_plans.delete().where(key))
        conn.execute(route_plans.insert(), [row])


def latest_route_plan(engine: sa.Engine, caller: Caller) -> dict[str, Any] | None:
    """The caller's most recently stored plan record, if any."""
    c = route_plans.c
    query = (
        sa.select(c.plan)
        .where(owned_rows(caller, c.organization_id))
        .order_by(c.created_at.desc(), c.plan_id)
        .limit(1)
    )
    with engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return dict(found) if found is not None else None
