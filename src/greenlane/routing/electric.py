"""Electric routing in which charging is part of the search (E-VRPTW, both recharge policies).

Every move the search weighs is judged by the labelling pass of ``greenlane.routing.recharge``
on the routes it changes, so a move that would need a charging stop is priced with it, and
one that no station makes feasible is refused. The objective is the instances' own:
first the number of vehicles, then the distance.

The method is an iterated local search: best insertion builds the first plan; a local search
(moving a stop, swapping two, exchanging route tails, reversing a stretch; each stop tried
with its nearest neighbours) improves it; route elimination empties the shortest routes into
the others by ejection chains; then, until the rounds (or the time limit) are spent, a few
related stops are taken out and put back at their best places, and the result is kept when
it is no worse. A move is weighed by a bound first (its distance without charging stops), so
the labelling pass runs only on moves that could gain.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from greenlane.routing.problem import Problem, Site
from greenlane.routing.recharge import Charged, Network
from greenlane.routing.solve import NO_VEHICLE_LEFT, Route, Solved, Unserved, Visit, screen
from greenlane.routing.timing import retime

NEIGHBOURS = 15  # stops a stop is tried beside
RUIN = 10  # stops taken out per iteration of the iterated search
POLICY = "partial"  # a real charger stops when told: charge what the route needs
ELIMINATION_TRIES = 3  # shortest routes tried for emptying, per round
EJECTIONS = 200  # links of an ejection chain while emptying a route
MEMORY = 200_000  # orders whose labelling result is remembered


@dataclass(frozen=True)
class Plan:
    """Routes as orders of matrix rows, each with its charging stops."""

    routes: tuple[tuple[int, ...], ...]
    charged: tuple[Charged, ...]

    @property
    def vehicles(self) -> int:
        """Routes used."""
        return len(self.routes)

    @property
    def km(self) -> float:
        """Total distance, charging detours included."""
        return sum(c.km for c in self.charged)


class _Search:
    """The state of one search: routes, each stop's neighbours, the labelling pass's memory."""

    def __init__(self, network: Network, seed: int) -> None:
        self.net = network
        self.random = random.Random(seed)
        self.memory: dict[tuple[int, ...], Charged | None] = {}
        self.near: dict[int, list[int]] = {}
        self.routes: list[list[int]] = []

    def plan_for(self, stops: list[int]) -> None:
        """Plan these stops: each is tried beside its nearest among them."""
        km = self.net.km
        self.near = {
            s: [t for t in sorted(stops, key=km[s].__getitem__) if t != s][:NEIGHBOURS]
            for s in stops
        }

    # ---- evaluation -------------------------------------------------------------------

    def charged(self, order: list[int] | tuple[int, ...]) -> Charged | None:
        key = tuple(order)
        if key not in self.memory:
            if len(self.memory) >= MEMORY:
                self.memory.clear()  # bounded: a long search forgets, it does not grow
            self.memory[key] = self.net.charge(key) if key else Charged(0.0, (), 0.0)
        return self.memory[key]

    def cost(self, order: list[int]) -> float:
        found = self.charged(order)
        return found.km if found is not None else float("inf")

    def direct(self, order: list[int]) -> float:
        km, depot = self.net.km, self.net.depot
        here, total = depot, 0.0
        for there in order:
            total += km[here][there]
            here = there
        return total + km[here][depot]

    def fits(self, order: list[int]) -> bool:
        demand, volume, vehicle = self.net.demand, self.net.volume, self.net.vehicle
        return (
            sum(demand[s] for s in order) <= vehicle.capacity_kg + 1e-9
            and sum(volume[s] for s in order) <= vehicle.capacity_m3 + 1e-9
        )

    def total(self) -> tuple[int, float]:
        return len(self.routes), sum(self.cost(r) for r in self.routes)

    # ---- insertion --------------------------------------------------------------------

    def best_place(self, stop: int) -> tuple[float, int, int] | None:
        """(added km, route, position) of the cheapest feasible insertion of ``stop``."""
        km = self.net.km
        options = []
        for n, route in enumerate(self.routes):
            if not self.fits([*route, stop]):
                continue
            now, base = self.cost(route), self.direct(route)
            legs = [self.net.depot, *route, self.net.depot]
            for p in range(len(route) + 1):
                a, b = legs[p], legs[p + 1]
                bound = base + km[a][stop] + km[stop][b] - km[a][b] - now
                options.append((bound, n, p))
        options.sort()
        best: tuple[float, int, int] | None = None
        for bound, n, p in options:
            if best is not None and bound >= best[0]:
                break
            route = self.routes[n]
            added = self.cost([*route[:p], stop, *route[p:]]) - self.cost(route)
            if best is None or added < best[0]:
                best = (added, n, p)
        return best if best is not None and best[0] < float("inf") else None

    def insert(self, stops: list[int]) -> list[int]:
        """Put each stop at its best place; the ones with none are returned."""
        left = []
        for stop in stops:
            place = self.best_place(stop)
            if place is None:
                left.append(stop)
            else:
                _, n, p = place
                self.routes[n].insert(p, stop)
        return left

    def insert_or_open(self, stops: list[int]) -> None:
        """Put each stop at its best place, or on a route of its own."""
        for stop in stops:
            if self.insert([stop]):
                self.routes.append([stop])

    # ---- local search -----------------------------------------------------------------

    def improve(self) -> None:
        """Apply improving moves until none is found."""
        better = True
        while better:
            better = False
            stops = [s for r in self.routes for s in r]
            self.random.shuffle(stops)
            for u in stops:
                where = self._where()
                if any(self._try_pair(where, u, v) for v in self.near[u]):
                    better = True
        self.routes = [r for r in self.routes if r]

    def _where(self) -> dict[int, tuple[int, int]]:
        return {s: (n, p) for n, r in enumerate(self.routes) for p, s in enumerate(r)}

    def _try_pair(self, where: dict[int, tuple[int, int]], u: int, v: int) -> bool:
        if v not in where:  # out of every route for now (being placed again)
            return False
        (ru, pu), (rv, pv) = where[u], where[v]
        a, b = self.routes[ru], self.routes[rv]
        if ru == rv:
            return any(self._accept_one(ru, order) for order in _within(a, pu, pv))
        return any(self._accept_two(ru, rv, x, y) for x, y in _between(a, b, pu, pv))

    def _accept_one(self, n: int, order: list[int]) -> bool:
        old = self.cost(self.routes[n])
        if self.direct(order) >= old - 1e-7 or self.cost(order) >= old - 1e-7:
            return False
        self.routes[n] = order
        return True

    def _accept_two(self, m: int, n: int, x: list[int], y: list[int]) -> bool:
        if not (self.fits(x) and self.fits(y)):
            return False
        old = self.cost(self.routes[m]) + self.cost(self.routes[n])
        saved = (not x or not y) * 1e6  # a route emptied saves a vehicle
        if self.direct(x) * bool(x) + self.direct(y) * bool(y) - saved >= old - 1e-7:
            return False
        if self.cost(x) + self.cost(y) - saved >= old - 1e-7:
            return False
        self.routes[m], self.routes[n] = x, y
        return True

    # ---- fewer vehicles and the iterated search ----------------------------------------

    def eliminate(self, tries: int = ELIMINATION_TRIES) -> bool:
        """Empty one of the shortest routes into the others; whether one went.

        A stop with no place left takes the place of one of a route's stops near it (the one
        moved out least often so far), and that stop goes back to be placed: an ejection
        chain, up to ``EJECTIONS`` links long.
        """
        shortest = sorted(range(len(self.routes)), key=lambda n: len(self.routes[n]))
        for victim in shortest[:tries]:
            saved = [list(r) for r in self.routes]
            self.routes = [list(r) for n, r in enumerate(saved) if n != victim]
            if self._place_all(sorted(saved[victim], key=lambda s: -self.net.due[s])):
                return True
            self.routes = saved
        return False

    def _place_all(self, pool: list[int]) -> bool:
        moved_out: Counter[int] = Counter()
        for _ in range(EJECTIONS):
            if not pool:
                return True
            stop = pool.pop()
            if self.insert([stop]):
                swap = self._squeeze(stop, moved_out)
                if swap is None:
                    self.improve()  # the routes reshaped may leave room
                    if not self.insert([stop]):
                        continue
                    swap = self._squeeze(stop, moved_out)
                if swap is None:
                    return False
                n, order, out = swap
                self.routes[n] = order
                moved_out[out] += 1
                pool.append(out)
        return not pool

    def _squeeze(self, stop: int, moved_out: Counter[int]) -> tuple[int, list[int], int] | None:
        """(route, its new order, the stop moved out) to make room for ``stop``, or None."""
        where = self._where()
        options = []
        for n in {where[v][0] for v in self.near[stop] if v in where}:
            route = self.routes[n]
            for p in range(len(route) + 1):
                for q in range(max(0, p - 2), min(len(route), p + 2)):
                    order = [*route[:p], stop, *route[p:]]
                    out = order.pop(q if q < p else q + 1)
                    if self.fits(order):
                        added = self.direct(order) - self.direct(route)
                        options.append((moved_out[out], added, n, order, out))
        options.sort(key=lambda o: (o[0], o[1]))
        for _, _, n, order, out in options:
            if self.charged(order) is not None:
                return n, order, out
        return None

    def ruin(self) -> None:
        """Take out a stop and its nearest neighbours, and put them back at their best."""
        seed = self.random.choice([s for r in self.routes for s in r])
        out = {seed, *self.near[seed][: RUIN - 1]}
        self.routes = [[s for s in r if s not in out] for r in self.routes]
        self.routes = [r for r in self.routes if r]
        self.insert_or_open(sorted(out, key=lambda s: self.random.random()))


def _within(route: list[int], i: int, j: int) -> list[list[int]]:
    """Orders of one route: the stop at ``i`` moved next to that at ``j``; the stretch reversed."""
    out = []
    moved = route[:i] + route[i + 1 :]
    k = moved.index(route[j])
    out += [[*moved[:k], route[i], *moved[k:]], [*moved[: k + 1], route[i], *moved[k + 1 :]]]
    lo, hi = min(i, j), max(i, j)
    out.append(route[:lo] + route[lo : hi + 1][::-1] + route[hi + 1 :])
    return out


def _between(a: list[int], b: list[int], i: int, j: int) -> list[tuple[list[int], list[int]]]:
    """Pairs of orders: a's stop moved before or after b's, swapped, or the tails exchanged."""
    u, v = a[i], b[j]
    rest = a[:i] + a[i + 1 :]
    return [
        (rest, [*b[:j], u, *b[j:]]),
        (rest, [*b[: j + 1], u, *b[j + 1 :]]),
        ([*a[:i], v, *a[i + 1 :]], [*b[:j], u, *b[j + 1 :]]),
        (a[: i + 1] + b[j + 1 :], b[: j + 1] + a[i + 1 :]),
        (a[:i] + b[j:], b[:j] + a[i:]),
    ]


def search(
    network: Network,
    iterations: int | None = 200,
    seed: int = 1,
    progress: Callable[[int, Plan], None] | None = None,
    seconds: float | None = None,
) -> tuple[Plan, list[int]]:
    """Routes for every stop of ``network`` that a vehicle of its own can serve.

    Parameters
    ----------
    network
        Stops, stations, the vehicle type and the recharge policy.
    iterations
        Rounds of the iterated search (ruin, repair, local search): a count, so that a seed
        gives the same plan on any machine. None: as many as ``seconds`` allow.
    seed
        Random seed.
    progress
        Called after each round with its number and the best plan so far.
    seconds
        A time limit (None: none); the first plan and its local search always finish.

    Returns
    -------
    tuple of Plan and list of int
        The best plan found (fewest vehicles, then least distance) and the stops no vehicle
        can serve even alone.

    References
    ----------
    M. Schneider, A. Stenger and D. Goeke, "The Electric Vehicle-Routing Problem with Time
    Windows and Recharging Stations", Transportation Science 48(4) (2014) 500-520.
    M. Keskin and B. Catay, "Partial recharge strategies for the electric vehicle routing
    problem with time windows", Transportation Research Part C 65 (2016) 111-127.

    """
    if iterations is None and seconds is None:
        raise ValueError("give the search a count of rounds or a time limit")
    deadline = time.monotonic() + seconds if seconds is not None else math.inf
    stops = [r for r in range(len(network.km)) if network.demand[r] > 0]
    state = _Search(network, seed)
    alone = [s for s in stops if state.charged([s]) is not None and state.fits([s])]
    state.plan_for(alone)
    order = sorted(alone, key=lambda s: (network.due[s], -network.km[network.depot][s]))
    state.insert_or_open(order)
    state.improve()
    while time.monotonic() < deadline and state.eliminate(len(state.routes)):
        state.improve()  # first every route is tried for emptying, shortest first
    best = ([list(r) for r in state.routes], state.total())
    rounds = itertools.count() if iterations is None else range(iterations)
    if not alone:
        rounds = range(0)  # nothing to plan
    for round_ in rounds:
        if time.monotonic() > deadline:
            break
        state.ruin()
        state.improve()
        if state.random.random() < 0.5 and state.eliminate():
            state.improve()
        now = state.total()
        if now <= best[1]:
            best = ([list(r) for r in state.routes], now)
        else:
            state.routes = [list(r) for r in best[0]]
        if progress is not None:
            progress(round_ + 1, _plan(state, best[0]))
    return _plan(state, best[0]), sorted(set(stops) - set(alone))


def _plan(state: _Search, routes: list[list[int]]) -> Plan:
    charged = tuple(state.charged(r) for r in routes)
    return Plan(tuple(tuple(r) for r in routes), charged)  # type: ignore[arg-type]


def plan_electric(
    problem: Problem, seconds: float = 10.0, seed: int = 1, rounds: int | None = None
) -> Solved:
    """Routes for a fleet of one battery vehicle type at one depot, charging in the search.

    Parameters
    ----------
    problem
        Stops, one depot, charging stations and one battery vehicle type with a charging
        power.
    seconds
        Time limit on the rounds of the search, unless ``rounds`` is given.
    seed
        Random seed.
    rounds
        Rounds of the iterated search (the same plan on any machine).

    Returns
    -------
    Solved
        Routes with their charging stops (what each takes on, partial recharging), and the
        stops left unserved with the reason: no vehicle can, or the vehicles ran out.

    """
    stops, unserved = screen(problem, lambda _, v: float("inf"))
    servable = problem.with_stops(stops)
    network = Network.of(servable, POLICY)
    plan, beyond = search(network, rounds, seed, seconds=None if rounds is not None else seconds)
    ids = [p.site_id if isinstance(p, Site) else p.stop_id for p in servable.places]
    vehicle = problem.fleet[0]
    routes: list[Route] = []
    for order, charged in sorted(
        zip(plan.routes, plan.charged, strict=True), key=lambda r: -len(r[0])
    ):
        visits = [Visit(ids[row], 0.0, 0.0) for row in order]
        for charge in sorted(charged.charges, key=lambda c: -c.before):
            visits.insert(charge.before, Visit(ids[charge.station], 0.0, 0.0, charge.kwh, "charge"))
        empty = Route(vehicle, len(routes) + 1, (), 0.0, vehicle.shift_start_h, 0.0, 0.0)
        route = retime(servable, empty, visits)
        if route is None or len(routes) == vehicle.available:
            unserved += [Unserved(v.stop_id, NO_VEHICLE_LEFT) for v in visits if v.kind == "stop"]
        else:
            routes.append(route)
    unserved += [Unserved(ids[row], BEYOND) for row in beyond]
    return Solved(tuple(routes), tuple(unserved))


BEYOND = "beyond the battery's reach, even with charging stops on the way"
