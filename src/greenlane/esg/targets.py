"""Targets: one model for every target on any KPI, its trajectory and the gap each year.

Two trajectories:
- ``linear``: a straight line from the base value to the target value.
- ``aca``: the 1.5 °C absolute contraction of SBTi, 4.2% of the base value a year
  (E(y) = E_base x (1 - 0.042 (y - y_base))), never below the target value.

A target is ``absolute`` (say t CO2e) or ``intensity`` (say g CO2e per tonne-km); an
intensity target is charted on its own and never mixed with absolute lines. Carbon
neutrality, science-based and net-zero targets are labelled apart by their ``scope`` text.

Transport-emission targets (``/v1/targets``) are targets on two KPIs, named by their metric:
``co2e_wtw_t`` (Scope 3 category 4 transport, t CO2e WTW) and ``intensity_wtw_g_per_tkm``
(g CO2e WTW per tonne-km); their years are calendar years (fiscal years starting in January)
and they are measured from the emission rollups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from greenlane.errors import FieldError, Problem, row_problem
from greenlane.esg.fiscal import parse_year

ACA_RATE = 0.042
TRAJECTORIES = ("linear", "aca")
KINDS = ("absolute", "intensity")
METRICS = {  # transport metric -> (its KPI, kind, unit)
    "co2e_wtw_t": ("scope3_cat4_t", "absolute", "t CO2e WTW"),
    "intensity_wtw_g_per_tkm": ("transport_intensity", "intensity", "g CO2e WTW per tonne-km"),
}
TRANSPORT_SCOPE = "transport emissions (ISO 14083)"


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
            raise FieldError("kind", f"must be one of {KINDS}, got {self.kind!r}")
        if self.trajectory not in TRAJECTORIES:
            raise FieldError(
                "trajectory", f"must be one of {TRAJECTORIES}, got {self.trajectory!r}"
            )
        if not self.base_year < self.target_year:
            raise FieldError("target_year", "must be after base_year")
        if not self.base_value > 0:
            raise FieldError("base_value", "must be > 0")
        if not 0 <= self.target_value < self.base_value:
            raise FieldError("target_value", "must be in [0, base_value): a target is a reduction")

    @property
    def reduction_pct(self) -> float:
        """The cut the target asks for, in percent of the base value."""
        return 100 * (1 - self.target_value / self.base_value)

    @property
    def metric(self) -> str | None:
        """The transport metric the target is on, if it is a transport-emission target."""
        return next((m for m, (kpi, _, _) in METRICS.items() if kpi == self.kpi_id), None)

    def allowed(self, year: int) -> float:
        """The value the trajectory allows in fiscal year ``year``.

        Notes
        -----
        Linear: v(y) = v_base + (v_target - v_base) (y - y_base) / (y_target - y_base) for
        y_base <= y <= y_target, v_base before and v_target after. ACA: v(y) = v_base (1 -
        0.042 (y - y_base)), never below v_target.

        """
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

    @property
    def on_track(self) -> bool:
        """Whether the year is at or below the trajectory."""
        return self.gap <= 0


def gaps(target: EsgTarget, actuals: Mapping[int, float]) -> list[Gap]:
    """Each year with a value against the trajectory, in year order.

    Parameters
    ----------
    target
        The target.
    actuals
        The KPI's value by year.

    Returns
    -------
    list of Gap
        Actual, allowed and the gap per year.

    """
    return [Gap(y, actuals[y], target.allowed(y)) for y in sorted(actuals)]


def transport_target(
    target_id: str,
    metric: str,
    base_year: int,
    base_value: float,
    target_year: int,
    target_value: float,
) -> EsgTarget:
    """A straight-line target on a transport metric (``co2e_wtw_t`` or the intensity).

    Parameters
    ----------
    target_id
        The target's id.
    metric
        ``co2e_wtw_t`` or ``intensity_wtw_g_per_tkm``.
    base_year, base_value
        The base (calendar) year and the metric's value in it.
    target_year, target_value
        The year to reach ``target_value`` by.

    Returns
    -------
    EsgTarget
        The target on the metric's KPI.

    Raises
    ------
    ValueError
        For an unknown metric, or a target that is not a reduction.

    """
    if metric not in METRICS:
        raise FieldError("metric", f"must be one of {sorted(METRICS)}, got {metric!r}")
    kpi, kind, _ = METRICS[metric]
    return EsgTarget(target_id, kpi, kind, TRANSPORT_SCOPE, base_year, base_value, target_year,
                     target_value)  # fmt: skip


def yearly_actuals(metric: str, months: Iterable[Mapping[str, Any]]) -> dict[int, float]:
    """A transport metric per calendar year from monthly totals (``key`` YYYY-MM, kg, tkm).

    Intensity is the year's WTW over its tonne-km, not the mean of monthly intensities.

    Parameters
    ----------
    metric
        ``co2e_wtw_t`` or ``intensity_wtw_g_per_tkm``.
    months
        Monthly rollup rows with ``co2e_wtw_kg`` and ``transport_activity_tkm``.

    Returns
    -------
    dict of int to float
        The metric by year.

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


def targets_from_rows(
    rows: Iterable[Mapping[str, Any]], file: str
) -> tuple[list[EsgTarget], list[Problem]]:
    """Targets from table rows (base and target years written FY2025).

    Parameters
    ----------
    rows
        Typed target rows (docs/data-formats.md).
    file
        The file's name, used in problems.

    Returns
    -------
    tuple of list of EsgTarget and list of Problem
        The targets, and a problem per refused row.

    References
    ----------
    SBTi, "Foundations of Science-based Target Setting" (2019): the 4.2% a year absolute
    contraction of the ``aca`` trajectory.

    """
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
