"""The modules' daily figures for the ESG ledger, kept at write time (as the emissions rollups).

Parcels tracked (e-waybills by day made), parcels delivered (final scans by day), packaging
avoided and used, and the packed orders' footprints by baseline policy (``packing.<sum>:
<policy>``, for the dashboard's packing panel) are summed per organization and day in
``module_days`` by the writers, inside their own transaction: after a write, the days it
touched are summed again from the stored rows. A report or a page reads a few rows a day
instead of every waybill, scan and packed order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from greenlane.parcels.tracking import FINAL
from greenlane.store.tables import FOOTPRINT, module_days, packing_plans, tracking_events, waybills

TRACKED, DELIVERED = "parcels.tracked", "parcels.delivered"
AVOIDED, MATERIAL = "packaging.avoided", "packaging.material"
PACKED = "packing."  # packing.<sum>:<baseline policy>, sums of the packed orders
PACKED_SUMS = ("orders", *FOOTPRINT, *(f"baseline_{f}" for f in FOOTPRINT))


def _sums(org: str, metric: str) -> tuple[sa.ColumnElement[Any], sa.Select[Any]]:
    """The moment a metric's rows fall on, and the query of its value per day (no day bound)."""
    if metric == TRACKED:
        moment = waybills.c.created_at
        query = sa.select(sa.func.date(moment), sa.func.count()).where(
            waybills.c.organization_id == org
        )
        return moment, query
    if metric == DELIVERED:
        moment = tracking_events.c.at
        query = (
            sa.select(sa.func.date(moment), sa.func.count())
            .select_from(tracking_events.join(waybills, waybills.c.sscc == tracking_events.c.sscc))
            .where(waybills.c.organization_id == org, tracking_events.c.status.in_(sorted(FINAL)))
        )
        return moment, query
    p = packing_plans.c
    value = (
        sa.func.sum(
            sa.case((p.baseline_board_kg > p.board_kg, p.baseline_board_kg - p.board_kg), else_=0.0)
        )
        if metric == AVOIDED
        else sa.func.sum(p.board_kg)
    )
    moment = p.created_at
    return moment, sa.select(sa.func.date(moment), value).where(p.organization_id == org)


def refresh(conn: sa.Connection, org: str, metrics: Iterable[str], days: Iterable[date]) -> None:
    """Sum ``metrics`` again for ``days`` from the stored rows (in the writer's transaction)."""
    days = sorted(set(days))
    if not days:
        return
    first = datetime.combine(days[0], time())
    stop = datetime.combine(days[-1] + timedelta(days=1), time())
    for metric in metrics:
        key = sa.and_(module_days.c.organization_id == org, module_days.c.metric == metric)
        conn.execute(module_days.delete().where(key, module_days.c.day.in_(days)))
        moment, query = _sums(org, metric)
        day = sa.func.date(moment)
        rows = [
            {"organization_id": org, "metric": metric, "day": when, "quantity": float(value)}
            for when, value in (
                (day_of(d), v)
                for d, v in conn.execute(query.where(moment >= first, moment < stop).group_by(day))
            )
            if when in days and value
        ]
        if rows:
            conn.execute(module_days.insert(), rows)


def refresh_packed(conn: sa.Connection, org: str, days: Iterable[date]) -> None:
    """Sum the packed orders' footprints again for ``days``, per baseline policy."""
    days = sorted(set(days))
    if not days:
        return
    p = packing_plans.c
    key = sa.and_(module_days.c.organization_id == org, module_days.c.metric.like(f"{PACKED}%"))
    conn.execute(module_days.delete().where(key, module_days.c.day.in_(days)))
    day = sa.func.date(p.created_at)
    sums = [sa.func.count(), *(sa.func.sum(p[f]) for f in PACKED_SUMS[1:])]
    query = (
        sa.select(day, p.baseline, *sums)
        .where(p.organization_id == org, p.created_at >= datetime.combine(days[0], time()))
        .where(p.created_at < datetime.combine(days[-1] + timedelta(days=1), time()))
        .group_by(day, p.baseline)
    )
    rows = [
        {"organization_id": org, "metric": f"{PACKED}{name}:{policy}", "day": day_of(when),
         "quantity": float(value)}
        for when, policy, *values in conn.execute(query)
        if day_of(when) in days
        for name, value in zip(PACKED_SUMS, values, strict=True)
    ]  # fmt: skip
    if rows:
        conn.execute(module_days.insert(), rows)


def packed_totals(conn: sa.Connection, visible: sa.ColumnElement[bool]) -> dict[str, Any] | None:
    """The packed orders' sums over the organizations ``visible`` selects; None without any.

    ``baseline`` names the baseline policy, or is ``mixed`` when the plans used several.
    """
    c = module_days.c
    query = (
        sa.select(c.metric, sa.func.sum(c.quantity))
        .where(visible, c.metric.like(f"{PACKED}%"))
        .group_by(c.metric)
    )
    totals: dict[str, Any] = dict.fromkeys(PACKED_SUMS, 0.0)
    policies = set()
    for metric, value in conn.execute(query):
        name, _, policy = metric[len(PACKED) :].partition(":")
        totals[name] += float(value)
        policies.add(policy)
    if not totals["orders"]:
        return None
    totals["orders"] = int(totals["orders"])
    return totals | {"baseline": policies.pop() if len(policies) == 1 else "mixed"}


def days_of(conn: sa.Connection, query: sa.Executable) -> set[date]:
    """The distinct days of a one-column query of moments (a SELECT, or a DELETE RETURNING)."""
    return {day_of(value) for (value,) in conn.execute(query)}


def daily(conn: sa.Connection, org: str) -> list[tuple[str, date, float]]:
    """(metric, day, quantity) of the organization's ledger figures, by metric and day."""
    c = module_days.c
    query = (
        sa.select(c.metric, c.day, c.quantity)
        .where(c.organization_id == org, c.metric.in_([TRACKED, DELIVERED, AVOIDED, MATERIAL]))
        .order_by(c.metric, c.day)
    )
    return [(m, day_of(d), float(q)) for m, d, q in conn.execute(query)]


def day_of(value: Any) -> date:
    """A day as the database gives it (a date, a date-time, or SQLite's ISO text)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
