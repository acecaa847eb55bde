"""KPI definitions as data (``esg/data/kpis.csv``): adding a KPI is adding a row.

A row gives the KPI's id, pillar, name, unit, the disclosure it serves, and its formula: an
arithmetic expression over ledger metrics written in brackets, such as
``[parcels.on_time] / [parcels.delivered] * 100``. Only numbers, brackets, + - * / and
parentheses are allowed. A KPI whose metrics have no data in a year (or whose denominator is
zero) has no value that year, and says which metrics it misses.
"""

from __future__ import annotations

import ast
import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from types import CodeType

from greenlane.errors import FieldError

PILLARS = {
    "green_logistics": "Green logistics",
    "emergency_response": "Emergency response",
    "user_experience": "User experience",
    "community": "Community service",
    "quality_employment": "Quality employment",
}
REFERENCE = re.compile(r"\[([a-z0-9_.]+)\]")
ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
           ast.USub, ast.Constant, ast.Name, ast.Load)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Kpi:
    """One KPI definition."""

    kpi_id: str
    pillar: str
    name: str
    unit: str
    formula: str
    disclosure: str

    def __post_init__(self) -> None:
        """Refuse a KPI of an unknown pillar or with a formula that is not plain arithmetic."""
        if self.pillar not in PILLARS:
            raise FieldError("pillar", f"must be one of {sorted(PILLARS)}, got {self.pillar!r}")
        _compiled(self.formula)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The ledger metrics the formula reads."""
        return tuple(dict.fromkeys(REFERENCE.findall(self.formula)))


@dataclass(frozen=True, slots=True)
class KpiValue:
    """A KPI in a year: its value, or None with the metrics it misses."""

    kpi: Kpi
    value: float | None
    missing: tuple[str, ...] = ()


def evaluate(kpi: Kpi, totals: dict[str, float]) -> KpiValue:
    """The KPI from a year's metric totals.

    Parameters
    ----------
    kpi
        The KPI (its formula over metrics).
    totals
        The year's total of each metric.

    Returns
    -------
    KpiValue
        Its value, or None with the metrics it lacks.

    """
    missing = tuple(m for m in kpi.metrics if m not in totals)
    if missing:
        return KpiValue(kpi, None, missing)
    names = {f"m{n}": totals[m] for n, m in enumerate(kpi.metrics)}
    try:  # eval of an AST checked to hold nothing but arithmetic over the names given
        value = eval(_compiled(kpi.formula), {"__builtins__": {}}, names)
    except ZeroDivisionError:
        return KpiValue(kpi, None, ("a zero denominator",))
    return KpiValue(kpi, float(value))


@functools.cache
def _compiled(formula: str) -> CodeType:
    metrics = list(dict.fromkeys(REFERENCE.findall(formula)))
    text = REFERENCE.sub(lambda m: f"m{metrics.index(m.group(1))}", formula)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        raise FieldError("formula", f"not arithmetic: {formula!r}", ": ") from e
    if not all(isinstance(node, ALLOWED) for node in ast.walk(tree)):
        raise FieldError("formula", f"only numbers, [metrics], + - * / and ( ): {formula!r}", ": ")
    return compile(tree, "<kpi>", "eval")


@functools.cache
def catalogue() -> tuple[Kpi, ...]:
    """The KPIs shipped with greenlane, in file order.

    Returns
    -------
    tuple of Kpi
        Every KPI of the five pillars, with its GRI disclosure.

    References
    ----------
    GRI Standards (Global Reporting Initiative), the disclosures named per KPI in
    ``esg/data/kpis.csv``.

    """
    text = resources.files("greenlane.esg").joinpath("data", "kpis.csv").read_text()
    return tuple(Kpi(**row) for row in csv.DictReader(text.splitlines()))
