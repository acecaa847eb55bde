"""A better order within each route for load-dependent energy (what PyVRP cannot price).

PyVRP prices a km the same whatever the vehicle carries (its issue #1022). With a carbon price,
greenlane then improves each route on its own: it tries moving one stop elsewhere in the route
and reversing any stretch of it (or-opt and 2-opt), keeps the first move, in a fixed order,
under which cost + carbon price x WTW CO2e falls under the load-linear energy model and every
window and the shift still hold, and repeats until no move helps. Dropping heavy parcels early
is what this tends to find. Moves are granular: a stop moves at most ``REACH`` places, a
reversed stretch is at most ``REACH`` + 1 stops long (repeated rounds move a stop further), so
a round holds O(n) moves, not O(n^2).

The moves of a round are priced together, as NumPy arrays (one row per move), with the
arithmetic of re-timing and pricing a route done in the same order, so each value is bit for
bit that of :func:`~greenlane.routing.timing.retime`, ``route_cost`` and ``route_energy``: the
pass was most of a delivery zone's routing time when moves were walked one by one in Python.
Routes with reloads or charging stops are left as they are.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from greenlane.routing.problem import Problem
from greenlane.routing.solve import Route, Solved
from greenlane.routing.tces import route_cost, route_energy
from greenlane.routing.timing import retime

MAX_ROUNDS = 20
REACH = 8  # places a stop moves, and stops a reversal spans beyond one, per move
FIRST_MOVES = 32  # moves priced in the first chunk, doubled chunk by chunk: a move that helps
CELLS = 1 << 18  # is often among the first; moves x places at once stay within a few MB

Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]


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
    best: Ints = np.arange(1, len(route.visits) + 1)
    best_value = route_cost(route) + carbon_price * factor * route_energy(problem, route)
    moved = False
    for _ in range(MAX_ROUNDS):
        found = price.first_below(best, best_value - 1e-9)
        if found is None:
            break
        (best, best_value), moved = found, True
    if not moved:
        return route
    improved = retime(problem, route, [route.visits[n - 1] for n in best.tolist()])
    return route if improved is None else improved


class _Pricer:
    """Cost + carbon price x CO2e of a route's stops in many orders at once (inf: infeasible).

    An order is a row of places: 0 is the depot, 1..n the route's stops as visited now.
    """

    def __init__(self, problem: Problem, route: Route, carbon_price: float) -> None:
        vehicle = route.vehicle
        by_id = {s.stop_id: s for s in problem.stops}
        stops = [by_id[v.stop_id] for v in route.visits]
        rows = [problem.rows[vehicle.depot], *(problem.rows[s.stop_id] for s in stops)]
        self.km: Floats = np.asarray(problem.km[np.ix_(rows, rows)], dtype=np.float64)
        self.ready = np.array([0.0, *(s.ready_h for s in stops)])
        self.due_late = np.array([0.0, *(s.due_h for s in stops)]) + 1e-9
        self.service_h = np.array([0.0, *(s.service_min for s in stops)]) / 60
        self.demand = np.array([0.0, *(s.demand_kg for s in stops)])
        self.vehicle, self.start_h = vehicle, route.start_h
        self.per_kg = carbon_price * vehicle.co2e_per_unit()  # as (price x factor) x energy

    def first_below(self, order: Ints, limit: float) -> tuple[Ints, float] | None:
        """The first move from ``order`` whose value is under ``limit``: the order and value.

        Moves are tried in :func:`_moves`' order, in growing chunks; None if none is under.
        """
        i, j, reverse = _moves(len(order))
        start, step = 0, FIRST_MOVES
        while start < len(i):
            chunk = slice(start, start + step)
            orders = order[_positions(len(order), i[chunk], j[chunk], reverse[chunk])]
            values = self.values(orders)
            hits = np.flatnonzero(values < limit)
            if hits.size:
                return orders[:, hits[0]], float(values[hits[0]])
            start, step = start + step, min(2 * step, max(1, CELLS // len(order)))
        return None

    def values(self, orders: Ints) -> Floats:
        """Each order's value (one order a column), inf where a window or the shift is missed.

        Every sum adds along the route, left to right, as the route's own sums add.
        """
        vehicle = self.vehicle
        depot = np.zeros((1, orders.shape[1]), dtype=orders.dtype)
        legs = self.km[np.vstack([depot, orders]), np.vstack([orders, depot])]
        demand = self.demand[orders]
        # the load on each leg; demands are >= 0, so clipping once at the end equals clipping
        # at every stop (once below zero, the running difference stays there)
        loads = np.empty_like(legs)
        loads[0] = _added(demand)
        for n, delivered in enumerate(demand):
            np.subtract(loads[n], delivered, out=loads[n + 1])
        share = np.minimum(np.maximum(np.maximum(loads, 0.0) / vehicle.capacity_kg, 0.0), 1.0)
        empty, full = vehicle.energy_per_km_empty, vehicle.energy_per_km_full
        km, energy = _added(np.stack([legs, legs * (empty + share * (full - empty))], axis=1))
        end, late = self._clock(orders, legs)
        hours = end - self.start_h
        cost = vehicle.fixed_cost + vehicle.cost_per_km * km + vehicle.cost_per_hour * hours
        value = cost + self.per_kg * energy
        late |= end > vehicle.shift_end_h + 1e-9
        value[late] = np.inf
        return value

    def _clock(self, orders: Ints, legs: Floats) -> tuple[Floats, npt.NDArray[np.bool_]]:
        """The clock back at the depot, and whether a stop's window was missed, per order.

        Travel and service are added in turn; orders that wait for a window to open are
        walked again place by place, the clock held until the window opens.
        """
        n, count = orders.shape
        clocks = np.empty((2 * n + 2, count))
        clocks[0] = self.start_h
        clocks[1::2] = legs / self.vehicle.speed_kmh
        clocks[2:-1:2] = self.service_h[orders]
        for step in range(1, len(clocks)):
            clocks[step] += clocks[step - 1]
        arrivals = clocks[1:-1:2]
        end = clocks[-1]
        late = np.asarray((arrivals > self.due_late[orders]).any(axis=0))
        waiting = np.flatnonzero((arrivals < self.ready[orders]).any(axis=0))
        if waiting.size:
            end[waiting], late[waiting] = self._walk(orders[:, waiting], legs[:, waiting])
        return end, late

    def _walk(self, orders: Ints, legs: Floats) -> tuple[Floats, npt.NDArray[np.bool_]]:
        speed = self.vehicle.speed_kmh
        clock = np.full(orders.shape[1], self.start_h)
        late = np.zeros(orders.shape[1], dtype=bool)
        for place, leg in zip(orders, legs, strict=False):
            clock = np.maximum(clock + leg / speed, self.ready[place])
            late |= clock > self.due_late[place]
            clock = clock + self.service_h[place]
        return clock + legs[-1] / speed, late


def _added(rows: Floats) -> Floats:
    """The rows added one after the other, left to right (``np.sum`` adds pairwise)."""
    total = rows[0].copy()
    for row in rows[1:]:
        total += row
    return total


@lru_cache(maxsize=64)
def _moves(n: int) -> tuple[Ints, Ints, npt.NDArray[np.bool_]]:
    """The moves from an order of ``n`` places, in the order they are tried.

    First each place ``i`` moved to each place ``j`` up to REACH away (or-opt: the place taken
    out, put back before the ``j``-th of the others), then each stretch ``i..j`` of up to
    REACH + 2 places reversed (2-opt). As ``(i, j, reverse)`` arrays.
    """
    moves = [(i, j, False) for i in range(n)
             for j in range(max(0, i - REACH), min(n, i + REACH + 1)) if j != i]  # fmt: skip
    moves += [(i, j, True) for i in range(n - 1) for j in range(i + 1, min(n, i + REACH + 2))]
    i, j, reverse = zip(*moves, strict=True)
    return np.array(i, dtype=np.intp), np.array(j, dtype=np.intp), np.array(reverse)


def _positions(n: int, i: Ints, j: Ints, reverse: npt.NDArray[np.bool_]) -> Ints:
    """Per move (a column), the place of the current order each place of the new order takes.

    A move changes only the places from ``min(i, j)`` to ``max(i, j)``: the others are copied.
    """
    places = np.repeat(np.arange(n)[:, None], len(i), axis=1)
    k = np.minimum(i, j) + np.arange(REACH + 2)[:, None]  # the places a move may change
    inside = k <= np.maximum(i, j)
    taken = np.where(k == j, i, np.where(j > i, k + 1, k - 1))  # or-opt: the others shift
    new = np.where(reverse, i + j - k, taken)
    columns = np.broadcast_to(np.arange(len(i)), k.shape)
    places[k[inside], columns[inside]] = new[inside]
    return places
