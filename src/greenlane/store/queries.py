"""Reads scoped to the caller: every query here filters by what the caller may see.

Who sees what is ``greenlane.store.policy.shipment_rows``: the operator the whole network, a
shipper its own, a carrier what it reported for the shippers that granted it, an auditor the
books of the shippers that granted it.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import polars as pl
import sqlalchemy as sa

from greenlane.store.access import Caller
from greenlane.store.documents import Days
from greenlane.store.policy import shipment_rows
from greenlane.store.tables import (
    GROUPINGS,
    KEY_JOIN,
    ROLLUP_SUMS,
    Role,
    factor_refs,
    network_rollups,
    rollups,
    tces,
)


def _period(table: sa.Table, start: str | None, end: str | None) -> list[sa.ColumnElement[bool]]:
    """Months from ``start`` to ``end`` inclusive (YYYY-MM), either open."""
    return [
        *([table.c.month >= start] if start else []),
        *([table.c.month <= end] if end else []),
    ]


def month_days(start: str | None, end: str | None) -> Days:
    """The first day of ``start`` and the last day of ``end`` (months YYYY-MM, either open)."""
    first = date.fromisoformat(f"{start}-01") if start else None
    if not end:
        return first, None
    year, month = int(end[:4]), int(end[5:7])
    return first, date(year, month, calendar.monthrange(year, month)[1])  # 9999-12 has one too


def in_months(
    day: sa.ColumnElement[Any], start: str | None, end: str | None
) -> list[sa.ColumnElement[bool]]:
    """Days (a date column) in the months from ``start`` to ``end`` inclusive (YYYY-MM)."""
    first, last = month_days(start, end)
    return [*([day >= first] if first else []), *([day <= last] if last else [])]


def shipments(
    engine: sa.Engine,
    caller: Caller,
    limit: int = 100,
    offset: int = 0,
    after: tuple[str, str] | None = None,
    prefix: str = "",
    heaviest: bool = False,
) -> list[dict[str, Any]]:
    """The caller's shipments with their TCE count, first month and WTW, by shipper and id.

    The order is the index's (shipper, shipment id), so a page is read from the index and
    stops at ``limit``: no scan of every TCE, which ordering by month would need (a table of
    shipments kept at ingest would avoid that, but it made 1M-TCE uploads 2-3x slower).
    ``after`` (the last shipper and shipment id seen) starts a page without counting past
    ``offset`` rows, so the thousandth page costs what the first does. ``prefix`` keeps the
    shipments whose id starts with it; ``heaviest`` orders by WTW, most first (that sums every
    TCE the caller sees: a scan, paged by ``offset``).
    """
    t = tces.c
    weight = sa.func.sum(t.co2e_wtw_kg).label("co2e_wtw_kg")
    query = (
        sa.select(
            t.shipper_id,
            t.shipment_id,
            sa.func.count().label("tces"),
            sa.func.min(t.month).label("month"),
            weight,
        )
        .where(
            *_shipments_of(caller, prefix),
            *([sa.tuple_(t.shipper_id, t.shipment_id) > sa.tuple_(*after)] if after else []),
        )
        .group_by(t.shipper_id, t.shipment_id)
        .order_by(*((sa.desc(weight),) if heaviest else ()), t.shipper_id, t.shipment_id)
        .limit(limit)
        .offset(offset)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def shipment_totals(engine: sa.Engine, caller: Caller, prefix: str = "") -> dict[str, Any]:
    """How many shipments, TCEs and kg CO2e WTW the caller sees, of those ``prefix`` keeps.

    Without a prefix the TCEs and their CO2e come from the rollups. Shipments are counted on
    the (shipper, shipment id) index when the count is a range of it (a search, or one
    shipper's own); across every shipper it would walk the whole index (0.1 s for a million
    TCEs on SQLite), so it is left out (None) and the page says so.
    """
    t = tces.c
    mine = _shipments_of(caller, prefix)
    found: dict[str, Any] = {"shipments": None}
    with engine.connect() as conn:
        if prefix or caller.role == Role.SHIPPER:
            groups = sa.select(t.shipper_id).where(*mine).group_by(t.shipper_id, t.shipment_id)
            counted = sa.select(sa.func.count()).select_from(groups.subquery())
            found["shipments"] = conn.execute(counted).scalar_one()
        if prefix:
            sums = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(t.co2e_wtw_kg), 0.0))
            n, kg = conn.execute(sums.where(*mine)).one()
            return found | {"tces": n, "co2e_wtw_kg": kg}
    months = summary(engine, caller, "month", None, None)
    return found | {"tces": sum(r["tce_count"] for r in months),
                    "co2e_wtw_kg": sum(r["co2e_wtw_kg"] for r in months)}  # fmt: skip


def _shipments_of(caller: Caller, prefix: str) -> list[sa.ColumnElement[bool]]:
    """The caller's TCEs, of shipments whose id starts with ``prefix`` (case included).

    A comparison of the id's first characters, not LIKE: no wildcard in what people type, and
    the same answer on SQLite (whose LIKE ignores case) and PostgreSQL.
    """
    rows = [shipment_rows(caller, tces)]
    if prefix:
        rows.append(sa.func.substr(tces.c.shipment_id, 1, len(prefix)) == prefix)
    return rows


def shipment(
    engine: sa.Engine, caller: Caller, shipper_id: str, shipment_id: str
) -> list[dict[str, Any]]:
    """The TCEs of one shipment in sequence; empty when it does not exist for this caller."""
    query = (
        _with_factor_ref()
        .where(
            shipment_rows(caller, tces),
            tces.c.shipper_id == shipper_id,
            tces.c.shipment_id == shipment_id,
        )
        .order_by(tces.c.sequence, tces.c.departure_at, tces.c.tce_id)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def summary(
    engine: sa.Engine, caller: Caller, group_by: str, start: str | None, end: str | None
) -> list[dict[str, Any]]:
    """Totals from the rollups grouped by month, mode, lane, mode and lane, hub or shipper.

    The operator, who sees the whole network, reads the network's totals (a row per month and
    key); everyone else the rollups of the shippers it may see.
    """
    column: sa.ColumnElement[Any]
    if caller.role == Role.OPERATOR:
        table, column = network_rollups, network_rollups.c.key
        conditions = [table.c.grouping == group_by]
    else:
        names, kind = GROUPINGS[group_by]
        table, column = rollups, rollups.c[names[0]]
        for name in names[1:]:  # several columns: one key, their values joined
            column = column + KEY_JOIN + rollups.c[name]
        conditions = [shipment_rows(caller, table), *([table.c.kind == kind] if kind else [])]
    query = (
        sa.select(column.label("key"), *(sa.func.sum(table.c[s]).label(s) for s in ROLLUP_SUMS))
        .where(*conditions, *_period(table, start, end))
        .group_by(column)
        .order_by(column)
    )
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for row in rows:
        tkm = row["transport_activity_tkm"]
        row["tce_count"] = int(row["tce_count"])
        row["intensity_wtw_g_per_tkm"] = 1000 * row["co2e_wtw_kg"] / tkm if tkm else None
    return rows


def results_frame(
    engine: sa.Engine, caller: Caller, start: str | None, end: str | None
) -> pl.DataFrame:
    """The caller's stored TCE results over a period, as a frame for the report model."""
    query = _with_factor_ref().where(shipment_rows(caller, tces), *_period(tces, start, end))
    with engine.connect() as conn:
        result = conn.execute(query)
        columns = list(result.keys())
        rows = result.all()
    schema = {c.name: _polars_type(c.type) for c in tces.c} | {"factor_ref": pl.String}
    return pl.DataFrame(
        [tuple(r) for r in rows], schema=[(c, schema[c]) for c in columns], orient="row"
    )


def _with_factor_ref() -> sa.Select[Any]:
    """Stored TCEs with their factor source as text (it is kept once, in ``factor_refs``)."""
    columns = [c for c in tces.c if c.name != "factor_ref_id"]
    return sa.select(*columns, factor_refs.c.ref.label("factor_ref")).outerjoin(
        factor_refs, factor_refs.c.id == tces.c.factor_ref_id
    )


def _polars_type(kind: sa.types.TypeEngine[Any]) -> type[pl.DataType]:
    if isinstance(kind, sa.Float):
        return pl.Float64
    if isinstance(kind, sa.Integer):
        return pl.Int64
    return pl.String
