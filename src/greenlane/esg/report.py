"""The ESG report model of one fiscal year: pillars, KPIs, targets, transport, GRI index, notes.

Built from plain inputs (ledger entries, the year's transport emissions by mode, targets), so
the same model renders as HTML, prints as PDF, and feeds the dashboard and the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from greenlane.esg.fiscal import YEARS, FiscalCalendar, parse_year
from greenlane.esg.kpis import PILLARS, Kpi, KpiValue, catalogue, evaluate
from greenlane.esg.ledger import STOCK_METRICS, Entry, in_year, totals
from greenlane.esg.scopes import scope_entries
from greenlane.esg.targets import EsgTarget, gaps

HISTORY = 4  # fiscal years shown in the charts, the report's included


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a report is made from."""

    organization: str
    year: str  # FY2025
    calendar: FiscalCalendar
    entries: Sequence[Entry]
    transport_by_mode: Sequence[dict[str, Any]]  # key, co2e_wtw_kg, primary_wtw_kg
    targets: Sequence[EsgTarget] = ()
    kpis: Sequence[Kpi] = ()


def year_kpis(inputs: Inputs, label: str) -> tuple[list[KpiValue], list[str]]:
    """Every KPI in one fiscal year, and the notes its data needs.

    Parameters
    ----------
    inputs
        The ledger, the transport figures and the calendar.
    label
        The fiscal year.

    Returns
    -------
    tuple of list of KpiValue and list of str
        Each KPI's value, and the data-quality notes.

    """
    entries = in_year(inputs.entries, inputs.calendar, label)
    derived = scope_entries(entries)
    sums = totals([*entries, *derived.entries])
    start, stop = inputs.calendar.bounds(label)
    split = sum(
        1
        for e in inputs.entries
        if e.metric not in STOCK_METRICS
        and e.period_start < stop
        and e.period_end >= start
        and (e.period_start < start or e.period_end >= stop)
    )
    notes = list(derived.notes)
    if split:
        notes.append(f"{label}: {split} entries span the edge of the year and were shared by days")
    return [evaluate(k, sums) for k in (inputs.kpis or catalogue())], notes


def build(inputs: Inputs) -> dict[str, Any]:
    """The report model.

    Parameters
    ----------
    inputs
        The organization's ledger, transport figures, targets and calendar for a year.

    Returns
    -------
    dict
        Pillars with their KPIs (this year and the years before), targets with their gaps,
        transport emissions, the GRI index and notes (JSON-ready).

    """
    year = parse_year(inputs.year)
    labels = [f"FY{y}" for y in range(max(year - HISTORY + 1, YEARS.start), year + 1)]
    by_year = {label: year_kpis(inputs, label) for label in labels}
    values, notes = by_year[inputs.year]
    history = {
        v.kpi.kpi_id: {label: by_year[label][0][n].value for label in labels}
        for n, v in enumerate(values)
    }
    pillars = [
        {
            "pillar": pillar,
            "name": name,
            "kpis": [
                _kpi_record(v, history[v.kpi.kpi_id]) for v in values if v.kpi.pillar == pillar
            ],
        }
        for pillar, name in PILLARS.items()
    ]
    no_data = [v for v in values if v.value is None]
    return {
        "organization": inputs.organization,
        "year": inputs.year,
        "period": [d.isoformat() for d in inputs.calendar.bounds(inputs.year)],
        "pillars": pillars,
        "no_data": [
            {"kpi_id": v.kpi.kpi_id, "name": v.kpi.name, "missing": list(v.missing)}
            for v in no_data
        ],
        "targets": [_target_record(t, history) for t in inputs.targets],
        "transport": _transport(inputs.transport_by_mode),
        "gri_index": _gri_index(values),
        "notes": [*notes, *_transport_notes(inputs.transport_by_mode)],
    }


def _kpi_record(value: KpiValue, history: dict[str, float | None]) -> dict[str, Any]:
    kpi = value.kpi
    return {
        "kpi_id": kpi.kpi_id,
        "name": kpi.name,
        "unit": kpi.unit,
        "value": value.value,
        "missing": list(value.missing),
        "disclosure": kpi.disclosure,
        "history": history,
    }


def _target_record(
    target: EsgTarget, history: dict[str, dict[str, float | None]]
) -> dict[str, Any]:
    actuals = {
        parse_year(label): v for label, v in history.get(target.kpi_id, {}).items() if v is not None
    }
    years = range(target.base_year, target.target_year + 1)
    return {
        "target_id": target.target_id,
        "kpi_id": target.kpi_id,
        "kind": target.kind,
        "scope": target.scope,
        "trajectory": target.trajectory,
        "path": [{"year": f"FY{y}", "allowed": target.allowed(y)} for y in years],
        "gaps": [
            {"year": f"FY{g.year}", "actual": g.actual, "allowed": g.allowed, "gap": g.gap}
            for g in gaps(target, actuals)
        ],
    }


def _transport(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    total = sum(float(r["co2e_wtw_kg"]) for r in rows)
    return {
        "by_mode": [
            {"mode": r["key"] or "hubs", "co2e_wtw_t": float(r["co2e_wtw_kg"]) / 1000} for r in rows
        ],
        "total_t": total / 1000,
    }


def _transport_notes(rows: Sequence[dict[str, Any]]) -> list[str]:
    total = sum(float(r["co2e_wtw_kg"]) for r in rows)
    if not total:
        return ["No transport emissions are stored for this year (ISO 14083 engine)."]
    primary = sum(float(r.get("primary_wtw_kg") or 0) for r in rows)
    return [
        f"Transport emissions (ISO 14083, WTW): {primary / total:.0%} from primary data; "
        "the rest from modelled or GLEC default intensities."
    ]


def _gri_index(values: Sequence[KpiValue]) -> list[dict[str, Any]]:
    """Disclosure -> the KPIs that answer it (and whether any has data)."""
    index: dict[str, list[KpiValue]] = {}
    for value in values:
        for code in (c.strip() for c in value.kpi.disclosure.split(";")):
            if code.startswith("GRI"):
                index.setdefault(code, []).append(value)
    return [
        {
            "disclosure": code,
            "answered_by": [v.kpi.name for v in answered],
            "status": "reported" if any(v.value is not None for v in answered) else "no data",
        }
        for code, answered in sorted(index.items(), key=lambda item: _gri_order(item[0]))
    ]


def _gri_order(code: str) -> tuple[int, ...]:
    number = code.removeprefix("GRI").strip()
    return tuple(int(part) for part in number.split("-") if part.isdigit())
