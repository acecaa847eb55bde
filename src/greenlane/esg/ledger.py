"""The activity ledger: dated, sourced figures, each a metric with its unit.

Entries come from files (the social figures no module produces, a site's fuel and
electricity) and from greenlane's own modules (transport emissions from the ISO 14083 engine,
packaging, paper, relief). An entry that spans two fiscal years is shared between them by
days (pro rata), and the report says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from greenlane.errors import FieldError, Problem, row_problem
from greenlane.esg.fiscal import FiscalCalendar
from greenlane.esg.grid import grid_factors
from greenlane.factors import load_pack

METRICS = {  # metric -> unit (fuel.<source> takes the unit of the factor pack's energy table)
    "electricity.grid": "kWh",
    "electricity.certified": "kWh",  # of the grid electricity, backed by certificates (EACs)
    "electricity.onsite_solar": "kWh",
    "factor.residual_mix": "kg/kWh",
    "factor.grid_location": "kg/kWh",  # the grid's generation emissions (Scope 2)
    "factor.grid_upstream": "kg/kWh",  # its T&D losses and fuel supply (Scope 3 category 3)
    "packaging.material": "kg",
    "packaging.avoided": "kg",
    "paper.sheets_avoided": "sheets",
    "containers.trips": "trips",
    "cartons.recycled": "cartons",
    "relief.units_needed": "units",
    "relief.units_delivered": "units",
    "kits.checked": "kits",
    "kits.failed": "kits",
    "parcels.delivered": "parcels",
    "parcels.on_time": "parcels",
    "parcels.tracked": "parcels",
    "post_station.services": "services",
    "headcount.total": "people",
    "headcount.women": "people",
    "headcount.management": "people",
    "headcount.management_women": "people",
    "jobs.created": "jobs",
    "jobs.flexible": "jobs",
    "jobs.inclusive": "jobs",
    "training.hours": "h",
    "volunteer.hours": "h",
    "community.programmes": "programmes",
    "revenue": "million currency",
    "transport.tkm": "tkm",
    "co2e.scope1": "kg",
    "co2e.scope2_location": "kg",
    "co2e.scope2_market": "kg",
    "co2e.scope3_cat3": "kg",
    "co2e.scope3_cat4": "kg",
}
STOCK_METRICS = {  # counted at a date, not summed over a period: the latest value of a year
    "headcount.total",
    "headcount.women",
    "headcount.management",
    "headcount.management_women",
    "factor.residual_mix",
    "factor.grid_location",
    "factor.grid_upstream",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One figure of the ledger."""

    entry_id: str
    site: str
    period_start: date
    period_end: date  # inclusive
    metric: str
    quantity: float
    unit: str
    source: str
    region: str = "EU"

    def __post_init__(self) -> None:
        """Refuse a figure that cannot be placed or added up."""
        if self.period_end < self.period_start:
            raise FieldError("period_end", f"must not be before period_start ({self.period_end})")
        if not self.quantity >= 0:
            raise FieldError("quantity", f"must be >= 0, got {self.quantity!r}")
        expected = METRICS.get(self.metric)
        if expected is None and not self.metric.startswith("fuel."):
            raise FieldError("metric", f"unknown {self.metric!r} (docs/esg.md lists them)", ": ")
        if expected is not None and self.unit != expected:
            raise FieldError("unit", f"{self.metric} is in {expected!r}, got {self.unit!r}", ": ")

    @property
    def days(self) -> int:
        """Days the figure covers."""
        return (self.period_end - self.period_start).days + 1


def entry_id(site: str, start: date, end: date, metric: str, source: str) -> str:
    """A stable id for an entry given without one: re-importing it replaces it.

    Parameters
    ----------
    site, start, end, metric, source
        What identifies the figure.

    Returns
    -------
    str
        A hash of them.

    """
    text = "|".join((site, start.isoformat(), end.isoformat(), metric, source))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def entries_from_rows(
    rows: Iterable[Mapping[str, Any]], file: str
) -> tuple[list[Entry], list[Problem]]:
    """Valid entries and the problems of the rows left out.

    Parameters
    ----------
    rows
        Typed ledger rows (docs/data-formats.md).
    file
        The file's name, used in problems.

    Returns
    -------
    tuple of list of Entry and list of Problem
        The entries, and a problem per refused row and column.

    """
    entries, problems = [], []
    for n, row in enumerate(rows, start=1):
        try:
            entries.append(_entry(row))
        except ValueError as e:
            problems.append(row_problem(file, n, e))
    return entries, problems


def _entry(row: Mapping[str, Any]) -> Entry:
    for name in ("site", "period_start", "period_end", "metric", "quantity", "unit", "source"):
        if row.get(name) is None or str(row.get(name)).strip() == "":
            raise FieldError(name, "required", ": ")
    start, end = _day(row, "period_start"), _day(row, "period_end")
    site, metric, source = str(row["site"]), str(row["metric"]), str(row["source"])
    return Entry(
        entry_id=str(row.get("entry_id") or entry_id(site, start, end, metric, source)),
        site=site,
        period_start=start,
        period_end=end,
        metric=metric,
        quantity=float(row["quantity"]),
        unit=str(row["unit"]),
        source=source,
        region=_region(metric, str(row.get("region") or "EU")),
    )


def _region(metric: str, region: str) -> str:
    """A grid electricity row's region must be one greenlane has a factor for."""
    if metric == "electricity.grid":
        known = grid_regions()
        if region.upper() not in {k.upper() for k in known}:
            reason = f"no grid factor for region {region[:32]!r}; known: {known}"
            raise FieldError("region", reason)
    return region


def grid_regions() -> list[str]:
    """Regions with a grid factor: the shipped grid table and the factor pack's electricity.

    Returns
    -------
    list of str
        The regions, sorted.

    """
    pack = load_pack().energy
    regions = set(pack.filter(pack["source"] == "electricity")["region"].to_list())
    return sorted(regions | set(grid_factors()))


def _day(row: Mapping[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(str(row[name])[:10])
    except ValueError:
        raise FieldError(name, f"not an ISO 8601 date: {row[name]!r}", ": ") from None


def in_year(entries: Iterable[Entry], calendar: FiscalCalendar, label: str) -> list[Entry]:
    """The entries of a fiscal year; a flow spanning its edges keeps its share by days.

    A stock (a headcount, a factor) counts at its period's end: it belongs to the year its
    period ends in, whole.

    Parameters
    ----------
    entries
        The ledger.
    calendar
        The fiscal calendar (the month a year starts).
    label
        The fiscal year, e.g. ``FY2025``.

    Returns
    -------
    list of Entry
        The year's entries, flows prorated by days.

    """
    start, stop = calendar.bounds(label)
    kept = []
    for entry in entries:
        if entry.metric in STOCK_METRICS:
            if start <= entry.period_end < stop:
                kept.append(entry)
            continue
        first, last = max(entry.period_start, start), min(entry.period_end, _before(stop))
        if first > last:
            continue
        days = (last - first).days + 1
        share = days / entry.days
        kept.append(
            replace(entry, period_start=first, period_end=last, quantity=entry.quantity * share)
        )
    return kept


def _before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def totals(entries: Iterable[Entry]) -> dict[str, float]:
    """Per metric: the sum of flows; for a stock, the sum over sites of each site's latest.

    Parameters
    ----------
    entries
        A year's entries.

    Returns
    -------
    dict of str to float
        Each metric's total.

    """
    flows: dict[str, float] = {}
    latest: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        if entry.metric in STOCK_METRICS:
            key = (entry.metric, entry.site)
            if key not in latest or entry.period_end > latest[key].period_end:
                latest[key] = entry
        else:
            flows[entry.metric] = flows.get(entry.metric, 0.0) + entry.quantity
    for (metric, _), entry in latest.items():
        flows[metric] = flows.get(metric, 0.0) + entry.quantity
    return flows
