"""Relief plans kept per organization, and the public, donor-facing view of their consignments.

Plans are read as ``greenlane.store.policy.owned_rows`` says. The
donor view shows what went where and when, by consignment; a plan holds no personal data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller
from greenlane.store.documents import Days, latest_document, replace_document
from greenlane.store.tables import relief_plans
from greenlane.store.unit import Bind

DONOR_FIELDS = ("consignment_id", "hub_id", "area_id", "mode", "kit_id", "units", "trace")


def store_relief_plan(bind: Bind, caller: Caller, day: date, record: dict[str, Any]) -> None:
    """Keep the plan of an event starting on ``day``, replacing the one stored for the event."""
    totals = record["totals"]
    row = {"event_id": record["event_id"], "day": day, "share_met": totals["share_met"],
           "co2e_wtw_kg": totals["co2e_wtw_kg"], "plan": record}  # fmt: skip
    replace_document(bind, relief_plans, "event_id", caller, row)


def latest_relief_plan(
    engine: sa.Engine, caller: Caller, days: Days = (None, None)
) -> dict[str, Any] | None:
    """The caller's plan of the latest event starting within ``days``, if any."""
    return latest_document(engine, relief_plans, "event_id", caller, days)


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
