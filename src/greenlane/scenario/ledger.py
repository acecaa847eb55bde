"""The figures no module computes: workforce, community, certified power; and the targets.

They are what an ESG team would import from HR, the community office and energy contracts.
Figures are illustrative orders of magnitude for a network of this size, not Cainiao's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

SOURCE = "scenario (HR system, community office, energy contract)"
FIGURES = [  # metric, quantity, unit, site
    ("headcount.total", 1_240, "people", "group"),
    ("headcount.women", 498, "people", "group"),
    ("headcount.management", 126, "people", "group"),
    ("headcount.management_women", 47, "people", "group"),
    ("jobs.created", 36, "jobs", "group"),
    ("jobs.flexible", 14, "jobs", "group"),
    ("jobs.inclusive", 6, "jobs", "group"),
    ("training.hours", 4_100, "h", "group"),
    ("volunteer.hours", 610, "h", "group"),
    ("community.programmes", 3, "programmes", "group"),
    ("post_station.services", 9_800, "services", "liege-post-stations"),
    ("electricity.certified", 3_500, "kWh", "hangzhou-park"),  # green-power contract share
]


def ledger_rows(first: date, last: date) -> list[dict[str, Any]]:
    """The period's ledger rows (ESG ledger file)."""
    return [
        {"entry_id": f"scenario:{metric}:{first}", "site": site,
         "period_start": first.isoformat(), "period_end": last.isoformat(), "metric": metric,
         "quantity": quantity, "unit": unit, "source": SOURCE}
        for metric, quantity, unit, site in FIGURES
    ]  # fmt: skip


def target_rows() -> list[dict[str, Any]]:
    """Carbon-neutral operations by 2030 and a transport intensity path (ESG targets file)."""
    return [
        {"target_id": "neutral-2030", "kpi_id": "scope2_location_t", "kind": "absolute",
         "scope": "carbon neutrality (Scope 1+2)", "base_year": "FY2022", "base_value": 120.0,
         "target_year": "FY2030", "target_value": 0.0, "trajectory": "linear"},
        {"target_id": "intensity-2030", "kpi_id": "transport_intensity", "kind": "intensity",
         "scope": "Scope 3 category 4", "base_year": "FY2022", "base_value": 900.0,
         "target_year": "FY2030", "target_value": 600.0, "trajectory": "aca"},
    ]  # fmt: skip
