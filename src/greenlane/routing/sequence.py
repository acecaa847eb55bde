"""A better order within each route for load-dependent energy (what PyVRP cannot price).

PyVRP prices a km the same whatever the vehicle carries (its issue #1022). With a carbon price,
greenlane then improves each route on its own: it tries moving one stop elsewhere in the route
and reversing any stretch of it (or-opt and 2-opt), keeps a move when cost + carbon price x
WTW CO2e falls under the load-linear energy model and every window and the shift still hold,
and repeats until no move helps. Dropping heavy parcels early is what this tends to find.
Moves are granular: a stop moves at most ``REACH`` places, a reversed stretch is at most
``REACH`` + 1 stops long (repeated rounds move a stop further), so a round costs O(n) moves,
not O(n^2). A move is priced on plain lists, the same arithmetic as re-timing and pricing
the route (bit for bit), and a route is built only for the order kept: the pass was most of
a delivery zone's routing time when every move built one. Routes with reloads or charging
stops are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from greenlane.routing.problem import Problem
from greenlane.routing.solve import Route, Solved
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
    price = _Pricer(problem, route, carbon_price)
    factor = route.vehicle.co2e_per_unit()
    best, moved = list(range(1, len(route.visits) + 1)), False
    best_value = route_cost(route) + carbon_price * factor * route_energy(problem, route)
    for _ in range(MAX_ROUNDS):
        price.anchor(best)
        for changed_from, order in _neighbours(best):
            value = price(order, changed_from)
            if value is not None and value < best_value - 1e-9:
                best, best_value, moved = order, value, True
                break
        else:
            break
    if not moved:
        return route
    improved = retime(problem, route, [route.visits[n - 1] for n in best])
    return route if improved is None else improved


class _Pricer:
    """Cost + carbon price x CO2e of a route's stops in a given order, or None if infeasible.

    The arithmetic of :func:`~greenlane.routing.timing.retime`, ``route_cost`` and
    ``route_energy``, done in the same order on plain lists (0 is the depot, 1..n the route's
    stops as visited now), so a value is bit for bit theirs without building a route per move.
    A move changes an order from some place on: the walk of the anchored order (the best so
    far) up to that place is reused when the total load is the same to the last bit.
    """

    def __init__(self, problem: Problem, route: Route, carbon_price: float) -> None:
        vehicle = route.vehicle
        by_id = {s.stop_id: s for s in problem.stops}
        stops = [by_id[v.stop_id] for v in route.visits]
        rows = [problem.rows[vehicle.depot], *(problem.rows[s.stop_id] for s in stops)]
        self.km: list[list[float]] = problem.km[np.ix_(rows, rows)].tolist()
        self.ready = [0.0, *(s.ready_h for s in stops)]
        self.due = [0.0, *(s.due_h for s in stops)]
        self.service = [0.0, *(s.service_min for s in stops)]
        self.demand = [0.0, *(s.demand_kg for s in stops)]
        self.vehicle, self.start_h = vehicle, route.start_h
        self.per_kg = carbon_price * vehicle.co2e_per_unit()  # as (price x factor) x energy
        self.walked: _Walk | None = None

    def anchor(self, order: Sequence[int]) -> None:
        """Walk ``order`` and keep each place's state, for the moves from it to reuse."""
        self.walked = _Walk(self._load(order), [], [], [], [], len(order))
        self._walk(order, 0, self.walked)

    def __call__(self, order: Sequence[int], changed_from: int = 0) -> float | None:
        """The order's value; ``changed_from``: the first place it differs from the anchor."""
        return self._walk(order, changed_from, None)

    def _load(self, order: Sequence[int]) -> float:
        load, demand = 0.0, self.demand
        for n in order:
            load += demand[n]
        return load

    def _walk(self, order: Sequence[int], changed_from: int, keep: _Walk | None) -> float | None:
        vehicle, km, demand, ready, due = self.vehicle, self.km, self.demand, self.ready, self.due
        speed, capacity = vehicle.speed_kmh, vehicle.capacity_kg
        empty, full = vehicle.energy_per_km_empty, vehicle.energy_per_km_full
        load = self._load(order)
        clock, here, first = self.start_h, 0, 0
        legs: list[float] = []  # summed by sum(), as route_cost and route_energy sum them
        energy: list[float] = []
        walked = self.walked
        if keep is None and walked is not None and changed_from > 0 and load == walked.load:
            if changed_from > walked.feasible_to:
                return None  # the same places up to one that already failed
            first = changed_from
            clock, load = walked.clocks[first - 1], walked.loads[first - 1]
            here, legs, energy = order[first - 1], walked.legs[:first], walked.energy[:first]
        for n in order[first:]:
            leg = km[here][n]
            clock += leg / speed
            if clock < ready[n]:
                clock = ready[n]
            if clock > due[n] + 1e-9:
                if keep is not None:
                    keep.feasible_to = len(keep.clocks)
                    keep.legs, keep.energy = legs, energy
                return None
            clock += self.service[n] / 60
            legs.append(leg)
            share = min(max(load / capacity, 0.0), 1.0)  # VehicleType.energy_per_km, inlined
            energy.append(leg * (empty + share * (full - empty)))
            load = max(load - demand[n], 0.0)
            here = n
            if keep is not None:
                keep.clocks.append(clock)
                keep.loads.append(load)
        if keep is not None:
            keep.legs, keep.energy = list(legs), list(energy)
        leg = km[here][0]
        clock += leg / speed
        if clock > vehicle.shift_end_h + 1e-9:
            return None
        legs.append(leg)
        energy.append(leg * vehicle.energy_per_km(load))
        hours = clock - self.start_h
        cost = (vehicle.fixed_cost + vehicle.cost_per_km * sum(legs)
                + vehicle.cost_per_hour * hours)  # fmt: skip
        return cost + self.per_kg * sum(energy)


@dataclass(slots=True)
class _Walk:
    """An anchored order's state after each place: clock, load left, legs and their energy."""

    load: float
    clocks: list[float]
    loads: list[float]
    legs: list[float]
    energy: list[float]
    feasible_to: int  # places walked without missing a window (all of them if none missed)


def _neighbours(order: list[int]) -> Iterator[tuple[int, list[int]]]:
    """Every order one or-opt move (a stop up to REACH places away) or one short 2-opt away.

    Each with the first place where it differs from ``order``.
    """
    n = len(order)
    for i in range(n):
        rest = [*order[:i], *order[i + 1 :]]
        for j in range(max(0, i - REACH), min(n, i + REACH + 1)):
            if j != i:
                yield min(i, j), [*rest[:j], order[i], *rest[j:]]
    for i in range(n - 1):
        for j in range(i + 1, min(n, i + REACH + 2)):
            yield i, [*order[:i], *reversed(order[i : j + 1]), *order[j + 1 :]]
