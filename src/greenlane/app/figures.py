"""What a day of the main job reports, and the week's summary: typed, and kept as plain records.

A day's figures are stored with the day (``pipeline_days.summary``) as the record
:meth:`DayFigures.record` writes, and read back by :meth:`DayFigures.of_record`; the record's
layout is the one stores written before these types already hold. Kept outside the pipeline
package so that the dashboard reads them without importing the pipeline (PV, routing, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Saving:
    """A lever's CO2e (kg) under the plan and under its stated baseline."""

    plan_kg: float
    baseline_kg: float

    @property
    def saving_kg(self) -> float:
        """Baseline minus plan."""
        return self.baseline_kg - self.plan_kg

    def record(self) -> dict[str, float]:
        """As stored: plan, baseline and saving."""
        return {"plan_kg": self.plan_kg, "baseline_kg": self.baseline_kg,
                "saving_kg": self.saving_kg}  # fmt: skip

    def __add__(self, other: Saving) -> Saving:
        return Saving(self.plan_kg + other.plan_kg, self.baseline_kg + other.baseline_kg)


NO_SAVING = Saving(0.0, 0.0)
CATEGORIES = ("primary", "modelled", "default")  # ISO 14083 data categories, best first
LEVERS = {  # each lever and the baseline it is measured against (summary, dashboard)
    "consolidation": ("order merging + consolidation", "each order alone by belly freight"),
    "packaging": ("carton choice, board CO2e", "one standard carton"),
    "last_mile": ("mixed-fleet routing", "diesel vans, cost only"),
    "park_energy": ("park battery + EV charging plan", "the rule"),
    "carton_reuse": ("cartons reused at post stations", "new board"),
}


@dataclass(frozen=True, slots=True)
class Savings:
    """What each lever did on a day (or a week): CO2e against its baseline, board, paper."""

    consolidation: Saving
    packaging: Saving
    board_kg: float
    baseline_board_kg: float
    last_mile: Saving
    park_energy: Saving
    carton_reuse: Saving
    paper_sheets_avoided: int

    def savings(self) -> dict[str, Saving]:
        """Each CO2e lever by name, in the order they are reported."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.type == "Saving"}

    def record(self) -> dict[str, dict[str, float]]:
        """As stored: one object per lever; packaging with its board, e-waybills their sheets."""
        levers = {name: s.record() for name, s in self.savings().items()}
        levers["packaging"] |= {"board_kg": self.board_kg,
                                "baseline_board_kg": self.baseline_board_kg}  # fmt: skip
        levers["e_waybills"] = {"paper_sheets_avoided": self.paper_sheets_avoided}
        return levers

    @classmethod
    def of_record(cls, levers: dict[str, dict[str, float]]) -> Savings:
        """Read back what :meth:`record` wrote."""
        saving = {n: Saving(v["plan_kg"], v["baseline_kg"]) for n, v in levers.items()
                  if "plan_kg" in v}  # fmt: skip
        packaging = levers["packaging"]
        return cls(
            saving["consolidation"],
            saving["packaging"],
            packaging["board_kg"],
            packaging["baseline_board_kg"],
            saving["last_mile"],
            saving["park_energy"],
            saving["carton_reuse"],
            int(levers["e_waybills"]["paper_sheets_avoided"]),
        )

    def __add__(self, other: Savings) -> Savings:
        return Savings(
            self.consolidation + other.consolidation,
            self.packaging + other.packaging,
            self.board_kg + other.board_kg,
            self.baseline_board_kg + other.baseline_board_kg,
            self.last_mile + other.last_mile,
            self.park_energy + other.park_energy,
            self.carton_reuse + other.carton_reuse,
            self.paper_sheets_avoided + other.paper_sheets_avoided,
        )


NO_SAVINGS = Savings(NO_SAVING, NO_SAVING, 0.0, 0.0, NO_SAVING, NO_SAVING, NO_SAVING, 0)


@dataclass(frozen=True, slots=True)
class ParkDay:
    """The park's energy of a day: solar used and grid import (kWh), cost against the rule."""

    pv_used_kwh: float
    import_kwh: float
    cost: float
    baseline_cost: float


@dataclass(frozen=True, slots=True)
class DayFigures:
    """A day of operations in figures, as the main job reports and stores it."""

    day: date
    orders: int
    parcels: int
    left_out: list[str]  # rows and parcels the day could not plan, each with its reason
    tces: int
    co2e_wtw_kg: float
    tkm: float
    delivered: int
    on_time: int
    undelivered: list[str]  # stops the routes left unserved
    containers_stored: int
    energy: ParkDay
    levers: Savings
    categories: dict[str, float]  # kg CO2e WTW by ISO 14083 data category (primary ...)

    def record(self) -> dict[str, Any]:
        """As stored with the day (plain JSON values)."""
        plain = {f.name: getattr(self, f.name) for f in fields(self)}
        return plain | {
            "day": self.day.isoformat(),
            "energy": {f.name: getattr(self.energy, f.name) for f in fields(ParkDay)},
            "levers": self.levers.record(),
        }

    @classmethod
    def of_record(cls, record: dict[str, Any]) -> DayFigures:
        """Read back what :meth:`record` wrote."""
        values = {f.name: record[f.name] for f in fields(cls) if f.name != "categories"}
        return cls(**values | {
            "categories": record.get("categories", {}),  # days stored before had none
            "day": date.fromisoformat(record["day"]),
            "energy": ParkDay(**record["energy"]),
            "levers": Savings.of_record(record["levers"]),
        })  # fmt: skip


@dataclass(frozen=True, slots=True)
class HeadlineKpi:
    """One headline ESG KPI of the scenario's year."""

    name: str
    unit: str
    value: float | None


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """The run in figures: CO2e and intensity, each lever, energy, relief, headline ESG KPIs."""

    days: int
    orders: int
    parcels: int
    delivered: int
    tces: int
    co2e_wtw_kg: float
    intensity_wtw_g_per_tkm: float | None
    levers: Savings
    solar_share: float | None
    park_weather: str  # the weather the park's PV was planned with (clear sky: an upper bound)
    park_cost: float
    park_baseline_cost: float
    relief_share_met: float | None
    relief_deadline_h: float | None
    esg: dict[str, HeadlineKpi]
    categories: dict[str, float]  # kg CO2e WTW by ISO 14083 data category

    def shares(self) -> dict[str, float]:
        """Each data category's share of the WTW (primary, modelled, default), adding up to 1."""
        total = sum(self.categories.values())
        return {c: self.categories.get(c, 0.0) / total if total else 0.0 for c in CATEGORIES}

    def record(self) -> dict[str, Any]:
        """As plain JSON values (for a file or a report)."""
        plain = {f.name: getattr(self, f.name) for f in fields(self)}
        return plain | {
            "levers": self.levers.record(),
            "esg": {k: {"name": v.name, "unit": v.unit, "value": v.value}
                    for k, v in self.esg.items()},
        }  # fmt: skip
