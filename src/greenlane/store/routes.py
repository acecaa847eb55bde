"""Route plans kept per organization (the plan record with its places' coordinates)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller
from greenlane.store.documents import Days, latest_document, replace_document
from greenlane.store.tables import route_plans
from greenlane.store.unit import Bind


def store_route_plan(
    bind: Bind, caller: Caller, plan_id: str, day: date, record: dict[str, Any]
) -> None:
    """Keep a plan of ``day``'s routes for the caller, replacing the one stored under its id."""
    totals = record["totals"]
    row = {"plan_id": plan_id, "day": day, "co2e_wtw_kg": totals["co2e_wtw_kg"],
           "km": totals["km"], "plan": record}  # fmt: skip
    replace_document(bind, route_plans, "plan_id", caller, row)


def latest_route_plan(
    engine: sa.Engine, caller: Caller, days: Days = (None, None)
) -> dict[str, Any] | None:
    """The caller's plan of the latest day within ``days``, if any."""
    return latest_document(engine, route_plans, "plan_id", caller, days)
