"""Every KPI recomputed from a hand-made ledger; Scope 2 both ways on a known case; fiscal years."""

from __future__ import annotations

from datetime import date

import pytest

from greenlane.esg.fiscal import FiscalCalendar
from greenlane.esg.kpis import catalogue, evaluate
from greenlane.esg.ledger import Entry, entries_from_rows, in_year, totals
from greenlane.esg.scopes import scope_entries

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
FIGURES = {  # metric: (quantity, unit), one calendar year at one site
    "fuel.diesel": (1000, "l"),
    "electricity.grid": (100_000, "kWh"),
    "electricity.certified": (40_000, "kWh"),
    "factor.residual_mix": (0.5, "kg/kWh"),
    "factor.grid_location": (0.3, "kg/kWh"),  # the site's grid: generation
    "factor.grid_upstream": (0.05, "kg/kWh"),  # and its T&D losses and fuel supply
    "electricity.onsite_solar": (25_000, "kWh"),
    "co2e.scope3_cat4": (5000, "kg"),
    "transport.tkm": (100_000, "tkm"),
    "revenue": (10, "million currency"),
    "packaging.material": (2000, "kg"),
    "packaging.avoided": (500, "kg"),
    "paper.sheets_avoided": (10_000, "sheets"),
    "containers.trips": (300, "trips"),
    "cartons.recycled": (1200, "cartons"),
    "relief.units_delivered": (800, "units"),
    "relief.units_needed": (1000, "units"),
    "kits.checked": (10_000, "kits"),
    "kits.failed": (3, "kits"),
    "parcels.delivered": (50_000, "parcels"),
    "parcels.on_time": (47_500, "parcels"),
    "parcels.tracked": (50_000, "parcels"),
    "post_station.services": (12_000, "services"),
    "volunteer.hours": (3100, "h"),
    "community.programmes": (12, "programmes"),
    "headcount.total": (1200, "people"),
    "headcount.women": (420, "people"),
    "headcount.management": (100, "people"),
    "headcount.management_women": (30, "people"),
    "jobs.created": (150, "jobs"),
    "jobs.flexible": (60, "jobs"),
    "jobs.inclusive": (12, "jobs"),
    "training.hours": (24_000, "h"),
}
EXPECTED = {  # worked by hand from FIGURES and GLEC v3.0 p.77 (EU diesel 0.7968 + 2.6311 kg/l)
    "scope1_t": 2.6311,
    "scope2_location_t": 30.0,  # 100,000 kWh x 0.3 kg/kWh (generation)
    "scope2_market_t": 30.0,  # (100,000 - 40,000) kWh x 0.5 kg/kWh
    "scope3_cat3_t": 0.7968 + 5.0,  # diesel WTT + 100,000 kWh x 0.05 kg/kWh upstream
    "scope3_cat4_t": 5.0,
    "transport_intensity": 50.0,  # 5,000 kg x 1,000 / 100,000 tkm
    "revenue_intensity": (2.6311 + 30 + 5) / 10,
    "clean_electricity_share": 52.0,  # (25,000 + 40,000) / (100,000 + 25,000)
    "packaging_material_t": 2.0,
    "packaging_avoided_t": 0.5,
    "paper_sheets_avoided": 10_000,
    "container_trips": 300,
    "cartons_recycled": 1200,
    "relief_units_delivered": 800,
    "relief_need_met": 80.0,
    "kit_error_rate": 0.03,
    "parcels_delivered": 50_000,
    "on_time_rate": 95.0,
    "parcels_tracked": 50_000,
    "post_station_services": 12_000,
    "volunteer_hours": 3100,
    "community_programmes": 12,
    "headcount": 1200,
    "women_share": 35.0,
    "women_in_management": 30.0,
    "jobs_created": 150,
    "flexible_jobs": 60,
    "inclusive_jobs": 12,
    "training_hours_per_employee": 20.0,
}


def ledger() -> list[Entry]:
    return [
        Entry(metric, "hangzhou", *YEAR, metric, float(q), unit, "hand-made")
        for metric, (q, unit) in FIGURES.items()
    ]


def test_every_kpi_is_recomputed_from_a_hand_made_ledger() -> None:
    """All 29 KPIs of the catalogue match the values worked out by hand."""
    entries = ledger()
    derived = scope_entries(entries)
    sums = totals([*entries, *derived.entries])
    values = {k.kpi_id: evaluate(k, sums).value for k in catalogue()}
    assert set(values) == set(EXPECTED)
    for kpi_id, expected in EXPECTED.items():
        assert values[kpi_id] == pytest.approx(expected, rel=1e-9), kpi_id


def test_fiscal_years_that_start_in_april_and_entries_shared_by_days() -> None:
    """FY2025 from April runs 1 Apr 2024 - 31 Mar 2025; a 2024 flow gives it 275 of 366 days."""
    april = FiscalCalendar(4)
    assert april.bounds("FY2025") == (date(2024, 4, 1), date(2025, 4, 1))
    assert (
        april.label_of(date(2024, 4, 1)) == "FY2025"
        and april.label_of(date(2024, 3, 31)) == "FY2024"
    )
    assert FiscalCalendar(1).bounds("FY2025") == (date(2025, 1, 1), date(2026, 1, 1))
    flow = Entry(
        "v", "group", date(2024, 1, 1), date(2024, 12, 31), "volunteer.hours", 366, "h", "CSR"
    )
    (share,) = in_year([flow], april, "FY2025")
    assert share.quantity == pytest.approx(275) and share.period_start == date(2024, 4, 1)
    stock = Entry(
        "h", "group", date(2025, 3, 31), date(2025, 3, 31), "headcount.total", 900, "people", "HR"
    )
    assert in_year([stock], april, "FY2025") == [stock] and in_year([stock], april, "FY2026") == []


def test_bad_entries_are_refused_with_their_column() -> None:
    """An unknown metric, a wrong unit, a negative quantity, an end before the start."""
    row = {
        "site": "s",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "metric": "training.hours",
        "quantity": 5,
        "unit": "h",
        "source": "HR",
    }
    rows = [
        row,
        row | {"metric": "happiness"},
        row | {"unit": "days"},
        row | {"quantity": -1},
        row | {"period_end": "2024-12-31"},
        row | {"period_start": "soon"},
    ]
    entries, problems = entries_from_rows(rows, "ledger.csv")
    assert len(entries) == 1
    assert [(p.row, p.column) for p in problems] == [
        (2, "metric"), (3, "unit"), (4, "quantity"), (5, "period_end"), (6, "period_start"),
    ]  # fmt: skip
