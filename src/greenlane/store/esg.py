"""The ESG ledger in the store, and the entries greenlane's own modules contribute to it.

Imported entries are the caller's; importing an entry id again replaces it (one transaction a
file). Module entries come from sums kept at write time: transport emissions and tonne-km
from the ISO 14083 rollups (Scope 3 category 4); parcels tracked, parcels delivered and
packaging avoided and used from ``module_days``; paper sheets from parcel plans (a row a
day), relief units from relief plans; container trips from the EPCIS histories, worked out
once per version of the organization's events.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from greenlane.esg.fiscal import FiscalCalendar
from greenlane.esg.ledger import Entry
from greenlane.esg.targets import EsgTarget
from greenlane.store.access import Caller, now
from greenlane.store.epcis import events_of
from greenlane.store.module_days import AVOIDED, DELIVERED, MATERIAL, TRACKED, daily
from greenlane.store.queries import in_months, summary
from greenlane.store.tables import (
    epcis_events,
    esg_entries,
    esg_targets,
    parcel_plans,
    relief_plans,
)
from greenlane.store.unit import Bind, writing
from greenlane.traceability.cartons import Collection
from greenlane.traceability.containers import histories

ENGINE = "ISO 14083 engine (stored TCEs)"
DAILY = {  # module_days metric -> site, unit, source and the entry id's pattern
    TRACKED: ("parcels", "parcels", "e-waybills (each tracked end to end)", "waybills:{day}"),
    DELIVERED: ("parcels", "parcels", "tracking events (delivered or collected)",
                "delivered:{day}"),
    AVOIDED: ("packing", "kg", "packed orders", "packing:{day}"),
    MATERIAL: ("packing", "kg", "packed orders", "packing:{day}:used"),
}  # fmt: skip
ENTRY_FIELDS = ("entry_id", "site", "period_start", "period_end", "metric", "quantity", "unit",
                "source", "region")  # fmt: skip


def import_entries(bind: Bind, caller: Caller, entries: Sequence[Entry]) -> int:
    """Keep the entries for the caller, replacing entries with the same ids."""
    org = caller.organization_id
    ids = [e.entry_id for e in entries]
    stamp = now()
    with writing(bind) as conn:
        conn.execute(
            esg_entries.delete().where(
                esg_entries.c.organization_id == org, esg_entries.c.entry_id.in_(ids)
            )
        )
        if entries:
            rows = [asdict(e) | {"organization_id": org, "imported_at": stamp} for e in entries]
            conn.execute(esg_entries.insert(), rows)
    return len(entries)


def ledger(engine: sa.Engine, caller: Caller) -> list[Entry]:
    """The caller's imported entries and its modules' entries."""
    return [*entries_of(engine, caller), *module_entries(engine, caller)]


def entries_of(
    engine: sa.Engine,
    caller: Caller,
    metrics: Sequence[str] | None = None,
    start: str | None = None,
    end: str | None = None,
) -> list[Entry]:
    """The caller's imported entries (of ``metrics`` only; starting in the months given)."""
    c = esg_entries.c
    mine = c.organization_id == caller.organization_id
    period = in_months(c.period_start, start, end)
    query = sa.select(*(c[f] for f in ENTRY_FIELDS)).where(mine, *period)
    if metrics is not None:
        query = query.where(c.metric.in_(list(metrics)))
    with engine.connect() as conn:
        return [Entry(**dict(r._mapping)) for r in conn.execute(query)]


def module_entries(engine: sa.Engine, caller: Caller) -> list[Entry]:
    """What greenlane's modules stored, as ledger entries of a day (a month for transport).

    Each figure is summed per day by the database (one query per module over indexed
    columns), so the ledger costs the same whatever the number of parcels and orders.
    """
    entries = []
    for month in summary(engine, caller, "month", None, None):
        first, last = _month(str(month["key"]))
        entries += [
            Entry(f"engine:{month['key']}:co2e", "transport", first, last, "co2e.scope3_cat4",
                  float(month["co2e_wtw_kg"]), "kg", ENGINE),
            Entry(f"engine:{month['key']}:tkm", "transport", first, last, "transport.tkm",
                  float(month["transport_activity_tkm"]), "tkm", ENGINE),
        ]  # fmt: skip
    org = caller.organization_id
    with engine.connect() as conn:
        for plan in conn.execute(
            sa.select(
                parcel_plans.c.plan_id, parcel_plans.c.day, parcel_plans.c.paper_sheets_avoided
            ).where(parcel_plans.c.organization_id == org)
        ):
            entries.append(
                _on(plan.day, f"parcels:{plan.plan_id}:paper", "parcels", "paper.sheets_avoided",
                    plan.paper_sheets_avoided, "sheets", "parcel plans")
            )  # fmt: skip
        for metric, day, quantity in daily(conn, org):
            site, unit, source, key = DAILY[metric]
            entries.append(_on(day, key.format(day=day), site, metric, quantity, unit, source))
        for relief in conn.execute(
            sa.select(relief_plans).where(relief_plans.c.organization_id == org)
        ):
            day, sums = relief.created_at.date(), relief.plan["totals"]
            entries += [
                _on(day, f"relief:{relief.event_id}:{metric}", "relief", f"relief.{metric}",
                    float(sums[metric]), "units", "relief plans")
                for metric in ("units_delivered", "units_needed")
            ]  # fmt: skip
    return entries + _container_trips(engine, org)


def _container_trips(engine: sa.Engine, org: str) -> list[Entry]:
    """Reusable-container trips completed per day, from the stored EPCIS events.

    Events are only ever added, so the organization's last event id versions them: the
    trips are worked out once per version (``trips_by_day``), not on every report.
    """
    with engine.connect() as conn:
        version = conn.execute(
            sa.select(sa.func.max(epcis_events.c.id)).where(epcis_events.c.organization_id == org)
        ).scalar()
    if version is None:
        return []
    return [
        _on(day, f"containers:{day}", "containers", "containers.trips", count, "trips",
            "EPCIS events (reusable-container histories)")
        for day, count in trips_by_day(engine, org, int(version))
    ]  # fmt: skip


@lru_cache(maxsize=256)
def trips_by_day(engine: sa.Engine, org: str, version: int) -> tuple[tuple[date, int], ...]:
    """Trips completed per day over the organization's events up to ``version`` (cached)."""
    by_day: dict[date, int] = {}
    for history in histories(events_of(engine, org, up_to=version)).values():
        for trip in history.trips:
            by_day[trip.back_at.date()] = by_day.get(trip.back_at.date(), 0) + 1
    return tuple(sorted(by_day.items()))


def _on(
    day: date, entry_id: str, site: str, metric: str, value: float, unit: str, source: str
) -> Entry:
    """An entry of one day."""
    return Entry(entry_id, site, day, day, metric, float(value), unit, source)


def transport_by_mode(
    engine: sa.Engine, caller: Caller, calendar_: FiscalCalendar, label: str
) -> list[dict[str, Any]]:
    """The fiscal year's transport chain emissions by mode, hubs as one more row (key "").

    Hubs belong to the transport chain (ISO 14083), so the rows add up to the Scope 3
    category 4 KPI.
    """
    start, stop = calendar_.bounds(label)
    first, last = start.strftime("%Y-%m"), date.fromordinal(stop.toordinal() - 1).strftime("%Y-%m")
    rows = summary(engine, caller, "mode", first, last)
    hubs = summary(engine, caller, "hub", first, last)
    if hubs:
        rows.append({"key": "", **{s: sum(float(h[s]) for h in hubs)
                                   for s in ("co2e_wtw_kg", "primary_wtw_kg")}})  # fmt: skip
    return rows


def _month(key: str) -> tuple[date, date]:
    year, month = int(key[:4]), int(key[5:7])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def set_esg_target(engine: sa.Engine, caller: Caller, target: EsgTarget) -> None:
    """Create or replace one of the caller's ESG targets."""
    key = sa.and_(
        esg_targets.c.organization_id == caller.organization_id,
        esg_targets.c.target_id == target.target_id,
    )
    with engine.begin() as conn:
        conn.execute(esg_targets.delete().where(key))
        conn.execute(
            esg_targets.insert(), [asdict(target) | {"organization_id": caller.organization_id}]
        )


def esg_targets_of(engine: sa.Engine, caller: Caller) -> list[EsgTarget]:
    """The caller's ESG targets, by id."""
    columns = [esg_targets.c[f] for f in EsgTarget.__dataclass_fields__]
    query = (
        sa.select(*columns)
        .where(esg_targets.c.organization_id == caller.organization_id)
        .order_by(esg_targets.c.target_id)
    )
    with engine.connect() as conn:
        return [EsgTarget(**dict(r._mapping)) for r in conn.execute(query)]


def carton_entries(found: Iterable[Collection], file: str) -> list[Entry]:
    """Post-station carton collections as ledger entries: cartons taken back, board avoided."""
    return [
        Entry(f"cartons:{c.station_id}:{c.day}:{metric}", c.station_id, c.day, c.day, metric,
              value, unit, f"post-station carton collection ({file})")
        for c in found
        for metric, value, unit in (("cartons.recycled", float(c.collected), "cartons"),
                                    ("packaging.avoided", c.reused * c.carton_kg, "kg"))
    ]  # fmt: skip
