"""Relief plans kept per organization, and the public, donor-facing view of their consignments.

Plans are read as ``greenlane.store.policy.owned_rows`` says. The
donor view shows what went where and when, by consignment; a plan holds no personal data.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller, now
from greenlane.store.policy import owned_rows
from greenlane.store.tables import relief_plans
from greenlane.store.unit import Bind, writing

DONOR_FIELDS = ("consignment_id", "hub_id", "area_id", "mode", "kit_id", "units", "trace")


def store_relief_plan(bind: Bind, caller: Caller, record: dict[str, Any]) -> None:
    """Keep a plan for the caller, replacing the one stored for the same event."""
    org, event_id = caller.organization_id, record["event_id"]
    key = sa.and_(relief_plans.c.organization_id == org, relief_plans.c.event_id == event_id)
    row = {
        "organization_id": org,
        "event_id": event_id,
        "created_at": now(),
        "share_met": record["totals"]["share_met"],
        "co2e_wtw_kg": record["totals"]["co2e_wtw_kg"],
        "plan": record,
    }
    with writing(bind) as conn:
        conn.execute(relief_plans.delete().where(key))
        conn.execute(relief_plans.insert(), [row])


def latest_relief_plan(engine: sa.Engine, caller: Caller) -> dict[str, Any] | None:
    """The caller's most recently stored relief plan, if any."""
    c = relief_plans.c
    query = (
        sa.select(c.plan)
        .where(owned_rows(caller, c.organization_id))
        .order_by(c.created_at.desc(), c.event_id)
        .limit(1)
    )
    with engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return dict(found) if found is not None else None


def donor_view(engine: sa.Engine, organization_id: str, event_id: str) -> dict[str, Any] | None:
    """Every consignment of a stored plan: what, from where, to where, when; nothing else."""
    c = relief_plans.c
    query = sa.select(c.plan).where(c.organization_id == organization_id, c.event_id == event_id)
    with engine.connect() as conn:
        plan = conn.execute(query).scalar_one_or_none()
    if plan is None:
        return None
    return {
        "event_id": event_id,
        "consignments": [{f: c[f] for f in DONOR_FIELDS} for c in plan["consignments"]],
    }
