"""The route planner: solve (with charging stops where needed), then order each route for energy.

See ``solve`` (the objective, screening), ``charging`` (batteries) and ``sequence``
(load-dependent energy).
"""

from __future__ import annotations

from greenlane.routing.charging import plan_with_charging
from greenlane.routing.problem import Problem
from greenlane.routing.sequence import improve_for_energy
from greenlane.routing.solve import Solved


def plan(
    problem: Problem,
    carbon_price: float = 0.0,
    seconds: float = 10.0,
    seed: int = 1,
    *,
    iterations: int | None = None,
) -> Solved:
    """Routes for every stop that can be served, within ranges, windows and shifts.

    Parameters
    ----------
    problem
        Stops, depots, chargers and the fleet.
    carbon_price
        Currency per kg CO2e (WTW) in the objective (0: cost only).
    seconds
        Solver time per solve (unless ``iterations`` is given).
    seed
        Solver seed: the same seed and iterations, the same plan on any machine.
    iterations
        Solver iterations per solve instead of a time limit.

    Returns
    -------
    Solved
        Routes, and the stops left unserved with their reasons.

    References
    ----------
    N. A. Wouda, L. Lan and W. Kool, "PyVRP: a high-performance VRP solver package",
    INFORMS Journal on Computing (2024), doi:10.1287/ijoc.2023.0055.

    """
    solved = plan_with_charging(problem, carbon_price, seconds, seed, iterations=iterations)
    return improve_for_energy(problem, solved, carbon_price)
