"""Emission-reduction targets and the progress made against them, year by year.

A target names a metric (absolute t CO2e WTW, or WTW intensity in g CO2e per tonne-km), a base
year with its value and a target year with the value to reach. The path between them is a
straight line: each year between base and target is allowed its share of the cut. Progress in
a year compares what was measured with what the path allows; the gap is their difference
(positive: above the path, behind plan).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

METRICS = {
    "co2e_wtw_t": "t CO2e WTW",
    "intensity_wtw_g_per_tkm": "g CO2e WTW per tonne-km",
}


@dataclass(frozen=True, slots=True)
class Target:
    """A reduction target on one metric, from a base year to a target year."""

    target_id: str
    metric: str
    base_year: int
    base_value: float
    target_year: int
    target_value: float

    def __post_init__(self) -> None:
        """Refuse a target that cannot be tracked."""
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {sorted(METRICS)}, got {self.metric!r}")
        if not self.base_year < self.target_year:
            raise ValueError("target_year must be after base_year")
        if not self.base_value > 0:
            raise ValueError("base_value must be > 0")
        if not 0 <= self.target_value < self.base_value:
            raise ValueError("target_value must be in [0, base_value): a target is a reduction")

    @property
    def reduction_pct(self) -> float:
        """The cut the target asks for, in percent of the base value."""
        return 100 * (1 - self.target_value / self.base_value)

    def allowed(self, year: int) -> float:
        """The value the straight path allows in ``year`` (the base value before it starts).

        Notes
        -----
        v(y) = v_base + (v_target - v_base) (y - y_base) / (y_target - y_base), for y_base <= y
        <= y_target; v_base before and v_target after.

        """
        span = self.target_year - self.base_year
        share = min(max(year - self.base_year, 0), span) / span
        return self.base_value + (self.target_value - self.base_value) * share


@dataclass(frozen=True, slots=True)
class YearProgress:
    """One year measured against the path."""

    year: int
    actual: float
    allowed: float

    @property
    def gap(self) -> float:
        """Measured minus allowed: positive when the year is above the path."""
        return self.actual - self.allowed

    @property
    def on_track(self) -> bool:
        """Whether the year is at or below the path."""
        return self.gap <= 0


def progress(target: Target, actuals: Mapping[int, float]) -> list[YearProgress]:
    """Each measured year against the target's path, in year order."""
    return [YearProgress(y, actuals[y], target.allowed(y)) for y in sorted(actuals)]


def yearly_actuals(metric: str, months: Iterable[Mapping[str, Any]]) -> dict[int, float]:
    """The metric per calendar year from monthly totals (``key`` YYYY-MM, kg and tkm sums).

    Intensity is the year's WTW over its tonne-km, not the mean of monthly intensities.
    """
    wtw: dict[int, float] = {}
    tkm: dict[int, float] = {}
    for row in months:
        year = int(str(row["key"])[:4])
        wtw[year] = wtw.get(year, 0.0) + float(row["co2e_wtw_kg"])
        tkm[year] = tkm.get(year, 0.0) + float(row["transport_activity_tkm"])
    if metric == "co2e_wtw_t":
        return {y: kg / 1000 for y, kg in wtw.items()}
    return {y: 1000 * kg / tkm[y] for y, kg in wtw.items() if tkm[y] > 0}
