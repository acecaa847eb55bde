"""A better order within each route for load-dependent energy (what PyVRP cannot price).

PyVRP prices a km the same whatever the vehicle carries (its issue #1022). With a carbon price,
greenlane then improves each route on its own: it tries moving one stop elsewhere in the route
and reversing any stretch of it (or-opt and 2-opt), keeps a move when cost + carbon price x
WTW CO2e falls under the load-linear energy model and every window and the shift still hold,
and repeats until no move helps. Dropping heavy parcels early is what this tends to find.
Moves are granular: a stop moves at most ``REACH`` places, a reversed stretch is at most
``REACH`` + 1 stops long (repeated rounds move a stop further), so a round costs O(n) moves,
not O(n^2). Routes with reloads or charging stops are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from greenlane.routing.problem import Problem
from greenlane.routing.solve import Route, Solved, Visit
from greenlane.routing.tces import route_cost, route_energy
from greenlane.routing.timing import retime

MAX_ROUNDS = 20
REACH = 8  # places a stop moves, and stops a reversal spans beyond one, per move


def improve_for_energy(problem: Problem, solved: Solved, carbon_price: float) -> Solved:
    """Every route of ``solved`` in its best order found for cost + carbon price x CO2e.

    Parameters
    ----------
    problem
        The problem.
    solved
        Its routes.
    carbon_price
        Currency per kg CO2e (WTW).

    Returns
    -------
    Solved
        The routes reordered where that costs less (loads change the energy of each leg).

    """
    if carbon_price <= 0:
        return solved
    return Solved(
        tuple(_improved(problem, r, carbon_price) for r in solved.routes), solved.unserved
    )


def _improved(problem: Problem, route: Route, carbon_price: float) -> Route:
    if any(v.kind != "stop" for v in route.visits) or len(route.visits) < 3:
        return route
    factor = route.vehicle.co2e_per_unit()

    def value(candidate: Route) -> float:
        return route_cost(candidate) + carbon_price * factor * route_energy(problem, candidate)

    best, best_value = route, value(route)
    for _ in range(MAX_ROUNDS):
        found = False
        for order in _neighbours(best.visits):
            candidate = retime(problem, best, order)
            if candidate is not None and value(candidate) < best_value - 1e-9:
                best, best_value, found = candidate, value(candidate), True
                break
        if not found:
            break
    return best


def _neighbours(visits: Sequence[Visit]) -> list[list[Visit]]:
    """Every order one or-opt move (a stop up to REACH places away) or one short 2-opt away."""
    n = len(visits)
    moves = []
    for i in range(n):
        rest = [*visits[:i], *visits[i + 1 :]]
        near = range(max(0, i - REACH), min(n, i + REACH + 1))
        moves += [[*rest[:j], visits[i], *rest[j:]] for j in near if j != i]
    moves += [
        [*visits[:i], *reversed(visits[i : j + 1]), *visits[j + 1 :]]
        for i in range(n - 1)
        for j in range(i + 1, min(n, i + REACH + 2))
    ]
    return moves
