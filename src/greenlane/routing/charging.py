"""Charging stops for battery vehicles, inserted after solving; a battery never runs flat.

PyVRP has no battery model, so the method is:

1. Where charging stations exist, battery vehicles are planned with a distance limit of
   ``REACH[0]`` times their range (room for one charge on the way); otherwise with their range.
2. Every battery route longer than the range gets one charging stop: of every station and
   every place in the route, the insertion with the least extra distance such that the
   vehicle reaches the station on one charge, reaches its depot after it, and still meets
   every time window and its shift. It leaves the depot full and charges only what the rest
   of the route needs (at the vehicle's charging power; energy at the full-load rate, so
   the estimate errs on the safe side).
3. Routes that cannot take such a stop are dropped, and their stops planned again with the
   vehicles still free and the next, shorter limit of ``REACH``, down to the range itself (no
   charging); stops beyond reach then come back unserved with the reason. The solver may so
   run up to ``len(REACH)`` times.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from greenlane.routing.fleet import VehicleType
from greenlane.routing.problem import Problem, Stop
from greenlane.routing.solve import Route, Solved, Unserved, Visit, solve
from greenlane.routing.timing import retime

REACH = (2.0, 1.6, 1.3, 1.0)  # distance limits tried, as multiples of the range


def plan_with_charging(
    problem: Problem, carbon_price: float = 0.0, seconds: float = 10.0, seed: int = 1
) -> Solved:
    """Routes for ``problem`` within every battery's range, charging where stations allow."""
    if not problem.stations:
        return solve(problem, carbon_price, seconds, seed, reach=_reach(1.0))
    kept: list[Route] = []
    unserved: list[Unserved] = []
    remaining = problem
    for factor in REACH:
        solved = solve(remaining, carbon_price, seconds, seed, reach=_reach(factor))
        unserved += solved.unserved
        charged = [(r, with_charging(problem, r) if _too_long(r) else r) for r in solved.routes]
        kept += [fixed for _, fixed in charged if fixed is not None]
        again = [s for r, fixed in charged if fixed is None for s in _stops(problem, r)]
        if not again:
            break
        remaining = problem.with_stops(again).with_fleet(_free(problem.fleet, kept))
    return Solved(_renumbered(kept), tuple(unserved))


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
    """The route with its best charging stop, or None if no station makes it feasible."""
    vehicle = route.vehicle
    limit = float(vehicle.range_km or 0.0)
    places = [vehicle.depot, *(v.stop_id for v in route.visits), vehicle.depot]
    km = problem.km
    best: tuple[float, Route] | None = None
    for gap, station in itertools.product(range(1, len(places)), problem.stations):
        before = _path_km(problem, [*places[:gap], station.site_id])
        after = _path_km(problem, [station.site_id, *places[gap:]])
        if before > limit + 1e-9 or after > limit + 1e-9:
            continue
        a, b, s = (
            problem.rows[places[gap - 1]],
            problem.rows[places[gap]],
            problem.rows[station.site_id],
        )
        extra = float(km[a, s] + km[s, b] - km[a, b])
        if best is not None and extra >= best[0]:
            continue
        charge_kwh = max(0.0, after - (limit - before)) * vehicle.energy_per_km_full
        timed = _retimed(problem, route, gap, station.site_id, charge_kwh)
        if timed is not None:
            best = (extra, timed)
    return None if best is None else best[1]


def _path_km(problem: Problem, ids: list[str]) -> float:
    rows = [problem.rows[i] for i in ids]
    return float(sum(problem.km[a, b] for a, b in itertools.pairwise(rows)))


def _retimed(
    problem: Problem, route: Route, gap: int, station_id: str, charge_kwh: float
) -> Route | None:
    """The route with the station after its ``gap``-th place, re-timed; None if late."""
    charge = Visit(station_id, 0.0, 0.0, charge_kwh, kind="charge")
    return retime(problem, route, [*route.visits[: gap - 1], charge, *route.visits[gap - 1 :]])
