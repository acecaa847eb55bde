"""Route plans kept per organization (the plan record with its places' coordinates)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller
from greenlane.store.documents import latest_document, replace_document
from greenlane.store.tables import route_plans
from greenlane.store.unit import Bind


def store_route_plan(bind: Bind, caller: Caller, plan_id: str, record: dict[str, Any]) -> None:
    """Keep a plan for the caller, replacing the one stored under the same id."""
    totals = record["totals"]
    row = {"plan_id": plan_id, "co2e_wtw_kg": totals["co2e_wtw_kg"], "km": totals["km"],
           "plan": record}  # fmt: skip
    replace_document(bind, route_plans, "plan_id", caller, row)


def latest_route_plan(engine: sa.Engine, caller: Caller) -> dict[str, Any] | None:
    """The caller's most recently stored plan record, if any."""
    return latest_document(engine, route_plans, "plan_id", caller)
