"""Plan routes: one use case for ``greenlane route``, the API and the main job's last mile.

Tables in, the problem checked, solved, priced per ISO 14083, recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from greenlane.errors import InputError, Problem
from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem as RoutingProblem
from greenlane.routing.record import plan_record
from greenlane.routing.solve import Solved
from greenlane.routing.tables import problem_from_tables
from greenlane.routing.tces import PricedRoute, price


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """A solved problem, its routes priced, and the plan's record (JSON-ready)."""

    problem: RoutingProblem
    solved: Solved
    priced: list[PricedRoute]
    record: dict[str, Any]


def routing_problem(
    places: tuple[pl.DataFrame, list[Problem]],
    places_name: str,
    fleet: tuple[pl.DataFrame, list[Problem]],
    fleet_name: str,
) -> tuple[RoutingProblem, list[Problem]]:
    """The problem of typed places and fleet tables (each with the values it could not read).

    A bad fleet row stops the plan (InputError); a bad stop row is left out and named.
    """
    if fleet[1]:
        raise InputError(fleet[1])
    return problem_from_tables(places[0], places[1], places_name, fleet[0], fleet_name)


def plan_routes(
    problem: RoutingProblem,
    carbon_price: float,
    seconds: float,
    seed: int,
    plan_id: str = "plan",
    iterations: int | None = None,
) -> RoutePlan:
    """Routes at least cost + carbon price x CO2e, priced and recorded under ``plan_id``.

    The solver stops after ``seconds``, or after ``iterations`` when given (machine-independent).
    """
    solved = plan(problem, carbon_price, seconds, seed, iterations=iterations)
    priced = price(problem, solved, plan_id)
    return RoutePlan(problem, solved, priced, plan_record(problem, solved, priced, carbon_price))


def problems_record(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """The rows left out, as the plan's JSON lists them."""
    return [{"file": p.file, "row": p.row, "column": p.column, "reason": p.reason}
            for p in problems]  # fmt: skip
