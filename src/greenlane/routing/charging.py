"""Charging stops for battery vehicles; a battery never runs flat.

A fleet of one battery vehicle type at one depot is planned by the electric search
(``greenlane.routing.electric``), in which charging is part of every move. A mixed fleet is
planned by PyVRP, which has no battery model, and charging stops are inserted after solving:

1. Where charging stations exist, battery vehicles are planned with a distance limit of
   ``REACH[0]`` times their range (room for charges on the way); otherwise with their range.
2. Along every battery route, wherever the distance since the last charge would pass the
   range, a charging stop is inserted before that point: of every station and every gap
   since the last charge, the one with the least extra distance that the vehicle reaches on
   its charge and that keeps every time window and the shift. It leaves the depot full and
   refills at each stop what it used since the last (at its charging power; energy at the
   full-load rate, so the estimate errs on the safe side). Up to ``MAX_CHARGES`` a route.
3. Routes that cannot be made feasible so are dropped, and their stops planned again with the
   vehicles still free and the next, shorter limit of ``REACH``. Stops still left then get a
   vehicle each, if one is free and a charging plan makes the trip; the others come back
   unserved with the reason. The solver may so run ``len(REACH)`` times, then once a stop.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from greenlane.routing.electric import BEYOND, plan_electric
from greenlane.routing.fleet import VehicleType
from greenlane.routing.problem import Problem, Stop
from greenlane.routing.solve import OUT_OF_RANGE, Route, Solved, Unserved, Visit, solve
from greenlane.routing.timing import retime

REACH = (3.0, 2.0, 1.5, 1.0)  # distance limits tried, as multiples of the range
MAX_CHARGES = 4


def plan_with_charging(
    problem: Problem,
    carbon_price: float = 0.0,
    seconds: float = 10.0,
    seed: int = 1,
    *,
    iterations: int | None = None,
) -> Solved:
    """Routes for ``problem`` within every battery's range, charging where stations allow.

    Parameters
    ----------
    problem
        Stops, depots, chargers and the fleet.
    carbon_price
        Currency per kg CO2e (WTW).
    seconds
        Solver time per solve (unless ``iterations`` is given).
    seed
        Solver seed.
    iterations
        Solver iterations per solve instead of a time limit.

    Returns
    -------
    Solved
        Routes with their charging stops, and the stops left unserved.

    References
    ----------
    M. Schneider, A. Stenger and D. Goeke, "The Electric Vehicle-Routing Problem with Time
    Windows and Recharging Stations", Transportation Science 48(4) (2014) 500-520.
    N. A. Wouda, L. Lan and W. Kool, "PyVRP: a high-performance VRP solver package",
    INFORMS Journal on Computing (2024), doi:10.1287/ijoc.2023.0055.

    """
    if not problem.stations:
        return solve(problem, carbon_price, seconds, seed, _reach(1.0), iterations=iterations)
    if _one_battery_type(problem):
        return plan_electric(problem, seconds, seed, iterations)
    kept: list[Route] = []
    unserved: list[Unserved] = []
    again = list(problem.stops)
    for factor in REACH:
        if again:
            routes, lost, again = _round(
                problem, again, kept, factor, carbon_price, (seconds, iterations), seed
            )
            kept, unserved = kept + routes, unserved + lost
    for stop in again:  # the last resort: a vehicle of its own
        budget = (1.0, iterations)  # one stop: a second, or the same iterations
        routes, lost, left = _round(problem, [stop], kept, REACH[0], carbon_price, budget, seed)
        kept, unserved = kept + routes, unserved + lost
        unserved += [Unserved(s.stop_id, BEYOND) for s in left]
    return Solved(_renumbered(kept), tuple(unserved))


def _one_battery_type(problem: Problem) -> bool:
    """Whether the fleet is one battery vehicle type at one depot, with a charging power."""
    if len(problem.depots) != 1 or len(problem.fleet) != 1:
        return False
    vehicle = problem.fleet[0]
    return vehicle.is_electric and bool(vehicle.charge_kw) and vehicle.available > 0


def _round(
    problem: Problem,
    stops: list[Stop],
    kept: list[Route],
    factor: float,
    carbon_price: float,
    budget: tuple[float, int | None],
    seed: int,
) -> tuple[list[Route], list[Unserved], list[Stop]]:
    """Plan ``stops`` with the vehicles not in ``kept``, in ``budget`` (seconds, iterations).

    Returns the routes that charging makes feasible, the stops left out for good, and the
    stops to try again: those of routes it could not fix, and those beyond this round's reach.
    """
    remaining = problem.with_stops(stops).with_fleet(_free(problem.fleet, kept))
    seconds, iterations = budget
    solved = solve(remaining, carbon_price, seconds, seed, _reach(factor), iterations=iterations)
    charged = [(r, with_charging(problem, r) if _too_long(r) else r) for r in solved.routes]
    routes = [fixed for _, fixed in charged if fixed is not None]
    failed = [s for r, fixed in charged if fixed is None for s in _stops(problem, r)]
    far = {u.stop_id for u in solved.unserved if u.reason == OUT_OF_RANGE}
    failed += [s for s in stops if s.stop_id in far]
    return routes, [u for u in solved.unserved if u.stop_id not in far], failed


def _stops(problem: Problem, route: Route) -> list[Stop]:
    ids = {v.stop_id for v in route.visits}
    return [s for s in problem.stops if s.stop_id in ids]


def _free(fleet: Sequence[VehicleType], used: list[Route]) -> list[VehicleType]:
    """The fleet with the vehicles of ``used`` routes taken out."""
    taken = Counter(r.vehicle.type_id for r in used)
    return [replace(v, available=v.available - taken[v.type_id]) for v in fleet]


def _renumbered(routes: list[Route]) -> tuple[Route, ...]:
    """Routes numbered 1, 2, ... per vehicle type (plans made in rounds restart at 1)."""
    count: Counter[str] = Counter()
    out = []
    for route in routes:
        count[route.vehicle.type_id] += 1
        out.append(replace(route, number=count[route.vehicle.type_id]))
    return tuple(out)


def _reach(factor: float) -> Callable[[Problem, VehicleType], float]:
    """Each battery vehicle's distance limit: ``factor`` times its range; others unlimited."""

    def reach(problem: Problem, vehicle: VehicleType) -> float:
        if vehicle.is_electric and vehicle.range_km:
            return (factor if vehicle.charge_kw else 1.0) * vehicle.range_km
        return float("inf")

    return reach


def _too_long(route: Route) -> bool:
    limit = route.vehicle.range_km
    return route.vehicle.is_electric and limit is not None and route.km > limit + 1e-9


def with_charging(problem: Problem, route: Route) -> Route | None:
    """The route with the charging stops it needs, or None if no stations make it feasible.

    Parameters
    ----------
    problem
        The problem (chargers, fleet).
    route
        A route that may run out of charge.

    Returns
    -------
    Route or None
        The route with charging stops inserted, or None.

    """
    for _ in range(MAX_CHARGES + 1):
        late = _first_beyond_range(problem, route)
        if late is None:
            return route
        charged = _charge_before(problem, route, *late)
        if charged is None:
            return None
        route = charged
    return None


def _first_beyond_range(problem: Problem, route: Route) -> tuple[int, int] | None:
    """(last charge or depot, first place past the range) as positions in the place list."""
    limit = float(route.vehicle.range_km or 0.0)
    places = _places(route)
    since, run = 0, 0.0
    for n in range(1, len(places)):
        run += _km(problem, places[n - 1], places[n])
        if run > limit + 1e-9:
            return since, n
        if n < len(places) - 1 and route.visits[n - 1].kind == "charge":
            since, run = n, 0.0
    return None


def _charge_before(problem: Problem, route: Route, since: int, late: int) -> Route | None:
    """A charging stop as late as possible between ``since`` and ``late``; None if none fits.

    Later gaps first (the most driving done on the charge), then the least extra distance;
    the first that keeps every window and the shift wins. It refills what the rest of the
    route needs, or to full when the rest needs more than a full battery.
    """
    vehicle = route.vehicle
    limit = float(vehicle.range_km or 0.0)
    places = _places(route)
    options = []
    for gap, station in itertools.product(range(since + 1, late + 1), problem.stations):
        before = _path_km(problem, [*places[since:gap], station.site_id])
        if before > limit + 1e-9 or before < 1e-9:
            continue
        after = _path_km(problem, [station.site_id, *places[gap:]])
        extra = (
            _km(problem, places[gap - 1], station.site_id)
            + _km(problem, station.site_id, places[gap])
            - _km(problem, places[gap - 1], places[gap])
        )
        refill_km = max(0.0, min(before, after - (limit - before)))
        options.append((-gap, extra, station.site_id, refill_km * vehicle.energy_per_km_full))
    for minus_gap, _, station_id, charge_kwh in sorted(options):
        timed = _retimed(problem, route, -minus_gap, station_id, charge_kwh)
        if timed is not None:
            return timed
    return None


def _places(route: Route) -> list[str]:
    return [route.vehicle.depot, *(v.stop_id for v in route.visits), route.vehicle.depot]


def _path_km(problem: Problem, ids: list[str]) -> float:
    rows = [problem.rows[i] for i in ids]
    return float(sum(problem.km[a, b] for a, b in itertools.pairwise(rows)))


def _retimed(
    problem: Problem, route: Route, gap: int, station_id: str, charge_kwh: float
) -> Route | None:
    """The route with the station after its ``gap``-th place, re-timed; None if late."""
    charge = Visit(station_id, 0.0, 0.0, charge_kwh, kind="charge")
    return retime(problem, route, [*route.visits[: gap - 1], charge, *route.visits[gap - 1 :]])


def _km(problem: Problem, a: str, b: str) -> float:
    return float(problem.km[problem.rows[a], problem.rows[b]])
