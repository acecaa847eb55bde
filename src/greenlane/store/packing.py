"""Packed orders kept per organization, and the totals the dashboard's packing panel shows.

Plans are read as ``greenlane.store.policy.owned_rows`` says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from greenlane.packing.savings import Footprint
from greenlane.store.access import Caller, now
from greenlane.store.module_days import (
    AVOIDED,
    MATERIAL,
    days_of,
    packed_totals,
    refresh,
    refresh_packed,
)
from greenlane.store.policy import owned_rows
from greenlane.store.queries import in_months
from greenlane.store.tables import module_days, packing_plans
from greenlane.store.unit import Bind, among, held, insert_rows, writing

FOOTPRINT = fields(Footprint)  # the stored columns of a footprint, the plan's and the baseline's


def plan_row(
    record: dict[str, Any], objective: str, baseline: str, plan: Footprint, base: Footprint
) -> dict[str, Any]:
    """One packed order as stored: the plan, its footprint and its baseline's."""
    return {
        "order_id": record["order_id"],
        "objective": objective,
        "baseline": baseline,
        **{f.name: getattr(plan, f.name) for f in FOOTPRINT},
        **{f"baseline_{f.name}": getattr(base, f.name) for f in FOOTPRINT},
        "plan": record,
    }


def store_plans(
    bind: Bind,
    caller: Caller,
    batches: Iterable[list[dict[str, Any]]],
    packed_at: datetime | None = None,
) -> int:
    """Keep these packed orders for the caller, replacing earlier plans of the same orders.

    The orders come in batches, each written as it comes (a day of a million orders is never
    held at once), all in one transaction; the days' sums are made once, at the end (made per
    batch, they read the day's every plan again each time). ``packed_at`` (default now) is
    when they were packed: the day the figures count on. Returns how many were stored.
    """
    stamp, stored, days = packed_at or now(), 0, set()
    with writing(bind) as conn:
        for rows in batches:
            if rows:
                days |= _replace(conn, caller, rows, stamp)
                stored += len(rows)
        if days:
            refresh(conn, caller.organization_id, [AVOIDED, MATERIAL], days)
            refresh_packed(conn, caller.organization_id, days)
    return stored


def _replace(
    conn: sa.Connection, caller: Caller, rows: list[dict[str, Any]], stamp: datetime
) -> set[date]:
    """Write the rows over earlier plans of their orders; the days whose sums they change."""
    mine = packing_plans.c.organization_id == caller.organization_id
    days = {stamp.date()}
    earlier = held(conn, packing_plans.c.order_id, mine, [r["order_id"] for r in rows])
    if earlier:  # a day's fresh orders have none: nothing more to look up
        with among(conn, earlier) as listed:
            gone = packing_plans.delete().where(mine, packing_plans.c.order_id.in_(listed))
            days |= days_of(conn, gone.returning(packing_plans.c.created_at))
    insert_rows(
        conn,
        packing_plans,
        [r | {"organization_id": caller.organization_id, "created_at": stamp} for r in rows],
    )
    return days


def packing_totals(
    engine: sa.Engine, caller: Caller, start: str | None = None, end: str | None = None
) -> dict[str, Any] | None:
    """Sums over the packed orders the caller may read, the plan's and the baseline's.

    Orders packed in the months from ``start`` to ``end`` (YYYY-MM, either open). None
    without any; ``baseline`` names the baseline policy, or is ``mixed`` when the plans used
    several. Read from the sums kept at write time (``store.module_days``).
    """
    visible = sa.and_(owned_rows(caller, module_days.c.organization_id),
                      *in_months(module_days.c.day, start, end))  # fmt: skip
    with engine.connect() as conn:
        return packed_totals(conn, visible)


def recent_plans(engine: sa.Engine, caller: Caller, limit: int = 50) -> list[dict[str, Any]]:
    """The caller's latest packed orders, newest first."""
    c = packing_plans.c
    query = (
        sa.select(c.organization_id, c.order_id, c.created_at, c.cartons, c.board_kg)
        .add_columns(c.baseline_board_kg, c.co2e_board_kg, c.baseline_co2e_board_kg)
        .where(_visible(caller))
        .order_by(c.created_at.desc(), c.organization_id, c.order_id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def stored_plan(
    engine: sa.Engine, caller: Caller, organization_id: str, order_id: str
) -> dict[str, Any] | None:
    """One packed order's plan record, if the caller may read it."""
    c = packing_plans.c
    query = sa.select(c.plan).where(
        _visible(caller), c.organization_id == organization_id, c.order_id == order_id
    )
    with engine.connect() as conn:
        found = conn.execute(query).scalar_one_or_none()
    return dict(found) if found is not None else None


def _visible(caller: Caller) -> sa.ColumnElement[bool]:
    return owned_rows(caller, packing_plans.c.organization_id)
