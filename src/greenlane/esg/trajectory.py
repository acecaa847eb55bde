"""ESG targets on any KPI, with their trajectories and the gap each fiscal year.

Two trajectories:
- ``linear``: a straight line from the base value to the target value.
- ``aca``: the 1.5 °C absolute contraction of SBTi, 4.2% of the base value a year
  (E(y) = E_base x (1 - 0.042 (y - y_base))), never below the target value.

A target is ``absolute`` (say t CO2e) or ``intensity`` (say g CO2e per tonne-km); an
intensity target is charted on its own and never mixed with absolute lines. Carbon
neutrality, science-based and net-zero targets are labelled apart by their ``scope`` text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from greenlane.errors import Problem, row_problem
from greenlane.esg.fiscal import parse_year

ACA_RATE = 0.042
TRAJECTORIES = ("linear", "aca")
KINDS = ("absolute", "intensity")


@dataclass(frozen=True, slots=True)
class EsgTarget:
    """A reduction target on a KPI between two fiscal years."""

    target_id: str
    kpi_id: str
    kind: str
    scope: str
    base_year: int
    base_value: float
    target_year: int
    target_value: float
    trajectory: str = "linear"

    def __post_init__(self) -> None:
        """Refuse a target that cannot be followed."""
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.trajectory not in TRAJECTORIES:
            raise ValueError(f"trajectory must be one of {TRAJECTORIES}, got {self.trajectory!r}")
        if not self.base_year < self.target_year:
            raise ValueError("target_year must be after base_year")
        if not 0 <= self.target_value < self.base_value:
            raise ValueError("target_value must be in [0, base_value): a target is a reduction")

    def allowed(self, year: int) -> float:
        """The value the trajectory allows in fiscal year ``year``."""
        steps = min(max(year - self.base_year, 0), self.target_year - self.base_year)
        if self.trajectory == "aca":
            return max(self.base_value * (1 - ACA_RATE * steps), self.target_value)
        span = self.target_year - self.base_year
        return self.base_value + (self.target_value - self.base_value) * steps / span


@dataclass(frozen=True, slots=True)
class Gap:
    """A fiscal year's KPI value against the trajectory."""

    year: int
    actual: float
    allowed: float

    @property
    def gap(self) -> float:
        """Actual minus allowed: positive is behind the trajectory."""
        return self.actual - self.allowed


def gaps(target: EsgTarget, actuals: Mapping[int, float]) -> list[Gap]:
    """Each year with a value against the trajectory, in year order."""
    return [Gap(y, actuals[y], target.allowed(y)) for y in sorted(actuals)]


def targets_from_rows(
    rows: Iterable[Mapping[str, Any]], file: str
) -> tuple[list[EsgTarget], list[Problem]]:
    """Targets from table rows (base and target years written FY2025)."""
    targets, problems = [], []
    for n, row in enumerate(rows, start=1):
        try:
            targets.append(
                EsgTarget(
                    target_id=str(row["target_id"]),
                    kpi_id=str(row["kpi_id"]),
                    kind=str(row["kind"]),
                    scope=str(row.get("scope") or ""),
                    base_year=parse_year(str(row["base_year"])),
                    base_value=float(row["base_value"]),
                    target_year=parse_year(str(row["target_year"])),
                    target_value=float(row["target_value"]),
                    trajectory=str(row.get("trajectory") or "linear"),
                )
            )
        except (ValueError, KeyError, TypeError) as e:
            problems.append(row_problem(file, n, ValueError(str(e))))
    return targets, problems
