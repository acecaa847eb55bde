"""Routes for a mixed fleet with PyVRP: least cost plus carbon price times CO2e.

Each vehicle type's cost per km is its own cost per km plus the carbon price times its WTW
CO2e per km at half load (its energy use per km times the factor pack's factor); per hour
and per vehicle costs are added as given. A carbon price of 0 plans for cost alone, a very
high one for CO2e alone. PyVRP works in integers: metres, seconds, 0.1 kg and litres; money
is scaled so that the dearest vehicle's cost per metre is 1,000 units (about four significant
digits for every type, and no overflow at any carbon price).

E-cargo bikes and campus robots go back to their base to reload as often as their shift
allows (PyVRP's reload depots); their range still bounds the whole day's distance. A vehicle
type with a service area (a road radius from its base, or the kinds of stop it may serve)
gets its own distance and duration matrices in which the stops outside it are out of reach.
Demand is rounded up and capacity down to PyVRP's units, so a trip the solver fills to its
capacity is never over it.

Stops that no vehicle could serve (too heavy or bulky for every vehicle, out of every
vehicle's range, a time window no vehicle can reach within its shift) are reported with the
reason before solving; the rest are planned. A stop the solver still cannot fit (too few
vehicles) comes back unserved with that reason, never silently dropped.

The model holds only what the problem has: stops are optional (a prize for serving each) only
when the fleet might be too small, since optional stops cost PyVRP about 2.4 times the CPU per
iteration (measured on CVRPLIB X-n101 and X-n153); when every stop could have a vehicle of its
own, they are required. The volume dimension is left out when no stop has a volume.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxIterations, MaxRuntime

from greenlane.routing.fleet import VehicleType
from greenlane.routing.problem import Problem, Stop

KG = 10  # integer units per kg
SHUTTLES = {
    "campus_robot",
    "e_cargo_bike",
}  # go back to base to reload, as often as the shift allows
PRIZE = 10**11  # for serving a stop: more than a route costs, so every stop that fits is served
PENALTIES = pyvrp.PenaltyParams(max_penalty=1e12)  # a violation always costs more than a prize
# A search stopped after a few hundred iterations (the main job's delivery zones) spent 55 %
# of its time in exhaustive searches of each new best; without them, and 25 % more
# iterations, its plans cost no more (-0.34 % the plans, -0.53 % the diesel baselines) for
# 0.69x the CPU: benchmarks/bench_zone_search.py, which also shows what a smaller
# neighbourhood, fewer perturbations or fewer operators would cost the plans. A timed search
# keeps PyVRP's defaults.
SHORT_SEARCH = pyvrp.SolveParams(
    ils=pyvrp.IteratedLocalSearchParams(exhaustive_on_best=False), penalty=PENALTIES
)
TIMED_SEARCH = pyvrp.SolveParams(penalty=PENALTIES)


OUT_OF_RANGE = "outside every vehicle's range (round trip from its depot)"
NO_VEHICLE_LEFT = "no vehicle left to serve it (capacity, shifts or time windows)"
OUT_OF_AREA = "outside the service area (radius or stop kinds) of every vehicle type"
UNREACHABLE = 10**9  # metres and seconds to a stop outside a vehicle type's service area


@dataclass(frozen=True, slots=True)
class Unserved:
    """A stop left out of the plan, and why."""

    stop_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Visit:
    """A stop on a route: when the vehicle starts serving it and what it carries on leaving."""

    stop_id: str
    arrival_h: float
    load_after_kg: float
    charge_kwh: float = 0.0  # a charging stop: the energy taken on
    kind: str = "stop"  # stop, reload (back at the depot) or charge


@dataclass(frozen=True, slots=True)
class Route:
    """One vehicle's round from its depot and back."""

    vehicle: VehicleType
    number: int  # which of the type's vehicles
    visits: tuple[Visit, ...]
    km: float
    start_h: float
    end_h: float
    start_load_kg: float  # what it leaves the depot with

    @property
    def deliveries(self) -> tuple[Visit, ...]:
        """The visits that deliver (not reloads or charging stops)."""
        return tuple(v for v in self.visits if v.kind == "stop")

    @property
    def route_id(self) -> str:
        """The vehicle and its number, e.g. ``ev-van-2``."""
        return f"{self.vehicle.type_id}-{self.number}"


@dataclass(frozen=True, slots=True)
class Solved:
    """Routes and unserved stops, as the solver left them."""

    routes: tuple[Route, ...]
    unserved: tuple[Unserved, ...]


def co2e_per_km(vehicle: VehicleType) -> float:
    """WTW kg CO2e per km at half load: the figure the objective prices.

    Parameters
    ----------
    vehicle
        The vehicle type.

    Returns
    -------
    float
        kg CO2e (WTW) per km.

    """
    return vehicle.energy_per_km(vehicle.capacity_kg / 2) * vehicle.co2e_per_unit()


def screen(
    problem: Problem, reach: Callable[[Problem, VehicleType], float] | None = None
) -> tuple[list[Stop], list[Unserved]]:
    """Stops some vehicle could serve, and the others with the reason no vehicle can.

    Parameters
    ----------
    problem
        The problem.
    reach
        Each electric vehicle type's distance limit per route (its range when None).

    Returns
    -------
    tuple of list of Stop and list of Unserved
        The servable stops, and the others with reasons.

    """
    fleet = [v for v in problem.fleet if v.available > 0]
    ok, left = [], []
    for stop in problem.stops:
        reason = _why_not(problem, stop, fleet, reach or _reach_km)
        if reason:
            left.append(Unserved(stop.stop_id, reason))
        else:
            ok.append(stop)
    return ok, left


def _why_not(
    problem: Problem,
    stop: Stop,
    fleet: list[VehicleType],
    reach: Callable[[Problem, VehicleType], float],
) -> str | None:
    if not fleet:
        return "no vehicle is available"
    fleet = [v for v in fleet if _may_serve(problem, v, stop)]
    if not fleet:
        return OUT_OF_AREA
    if not any(stop.demand_kg <= v.capacity_kg and stop.demand_m3 <= v.capacity_m3 for v in fleet):
        most = max(v.capacity_kg for v in fleet)
        return (
            f"demand {stop.demand_kg:g} kg / {stop.demand_m3:g} m3 is more than any vehicle "
            f"carries (largest {most:g} kg)"
        )
    reachable = [v for v in fleet if _round_trip_km(problem, v, stop) <= reach(problem, v)]
    if not reachable:
        return OUT_OF_RANGE
    if not any(_in_time(problem, v, stop) for v in reachable):
        return (
            f"time window {stop.ready_h:g}-{stop.due_h:g} h cannot be met within any "
            "vehicle's shift"
        )
    return None


def _may_serve(problem: Problem, vehicle: VehicleType, stop: Stop) -> bool:
    """Whether the stop is in the vehicle type's service area (road km from its base)."""
    km = float(problem.km[problem.rows[vehicle.depot], problem.rows[stop.stop_id]])
    return vehicle.may_serve(stop.kind, km)


def _round_trip_km(problem: Problem, vehicle: VehicleType, stop: Stop) -> float:
    depot, here = problem.rows[vehicle.depot], problem.rows[stop.stop_id]
    return float(problem.km[depot, here] + problem.km[here, depot])


def _reach_km(problem: Problem, vehicle: VehicleType) -> float:
    """How far a vehicle may go on a route: a battery vehicle its range, others any distance."""
    return float(vehicle.range_km or 0.0) if vehicle.is_electric else float("inf")


def _in_time(problem: Problem, vehicle: VehicleType, stop: Stop) -> bool:
    leg_h = _round_trip_km(problem, vehicle, stop) / 2 / vehicle.speed_kmh
    start = max(stop.ready_h, vehicle.shift_start_h + leg_h)
    return start <= stop.due_h and start + stop.service_min / 60 + leg_h <= vehicle.shift_end_h


def solve(
    problem: Problem,
    carbon_price: float = 0.0,
    seconds: float = 10.0,
    seed: int = 1,
    reach: Callable[[Problem, VehicleType], float] = _reach_km,
    *,
    iterations: int | None = None,
) -> Solved:
    """Routes for the stops some vehicle can serve; the others unserved with their reasons.

    ``carbon_price`` is in the currency per kg CO2e (WTW). ``reach`` gives each electric
    vehicle type's distance limit per route (its range, by default; longer where a charging
    stop may be inserted afterwards). The search stops after ``seconds``, or, when
    ``iterations`` is given, after that many iterations (then the same seed gives the same
    plan on any machine, however fast or busy; such a short search skips the exhaustive
    search of each new best: see ``SHORT_SEARCH``).

    Parameters
    ----------
    problem
        The problem.
    carbon_price
        Currency per kg CO2e (WTW).
    seconds
        Solver time (unless ``iterations`` is given).
    seed
        Solver seed.
    reach
        Each electric vehicle type's distance limit per route.
    iterations
        Solver iterations instead of a time limit.

    Returns
    -------
    Solved
        Routes and unserved stops.

    References
    ----------
    N. A. Wouda, L. Lan and W. Kool, "PyVRP: a high-performance VRP solver package",
    INFORMS Journal on Computing (2024), doi:10.1287/ijoc.2023.0055.

    """
    stops, unserved = screen(problem, reach)
    if not stops:
        return Solved((), tuple(unserved))
    data, sites = _model(problem, stops, carbon_price, reach)
    with warnings.catch_warnings():  # a hard instance: infeasible routes are reported below
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        params = TIMED_SEARCH if iterations is None else SHORT_SEARCH
        stop = MaxRuntime(seconds) if iterations is None else MaxIterations(iterations)
        result = pyvrp.solve(data, stop, seed, display=False, params=params)
    routes, lost = _routes(problem, stops, result.best, sites)
    return Solved(tuple(routes), tuple(unserved + lost))


def _model(
    problem: Problem,
    stops: list[Stop],
    carbon_price: float,
    reach: Callable[[Problem, VehicleType], float],
) -> tuple[pyvrp.ProblemData, list[int]]:
    """The PyVRP data; ``sites`` maps its location order to rows of the distance matrix.

    Built as ``ProblemData`` directly, its matrices (metres; seconds at each speed) set whole
    from the km matrix: through ``pyvrp.Model`` each of the day's solves also built and copied
    placeholder matrices and looked each client's location up in a list (0.09 s of a zone's
    1.5 s), and edge by edge, 260 places at four speeds were 280,000 ``add_edge`` calls (4 s).
    """
    used_depots = sorted({v.depot for v in problem.fleet if v.available > 0})
    depot_of = {d: n for n, d in enumerate(used_depots)}  # locations: the depots', then stops'
    sites = [problem.rows[d] for d in used_depots] + [problem.rows[s.stop_id] for s in stops]
    locations = [pyvrp.Location(problem.places[r].lon, problem.places[r].lat) for r in sites]
    depots = [pyvrp.Depot(n, name=d) for n, d in enumerate(used_depots)]
    fleet = [v for v in problem.fleet if v.available > 0]
    per_km = {v.type_id: v.cost_per_km + carbon_price * co2e_per_km(v) for v in fleet}
    money = 1_000_000 / max(1.0, *per_km.values())  # integer units per currency unit
    first = len(used_depots)  # the stops' locations follow the depots'
    dimensions = 2 if any(s.demand_m3 > 0 for s in stops) else 1  # weight, and volume if any
    profiles: dict[tuple[float, tuple[int, ...]], int] = {}  # speed and stops out: its index
    vehicle_types = []
    for vehicle in fleet:
        outside = tuple(first + n for n, s in enumerate(stops)
                        if not _may_serve(problem, vehicle, s))  # fmt: skip
        profile = profiles.setdefault((vehicle.speed_kmh, outside), len(profiles))
        depot = depot_of[vehicle.depot]
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=vehicle.available,
                capacity=[_down(vehicle.capacity_kg * KG), _down(vehicle.capacity_m3 * 1000)][
                    :dimensions
                ],
                start_depot=depot,
                end_depot=depot,
                fixed_cost=round(vehicle.fixed_cost * money),
                tw_early=round(vehicle.shift_start_h * 3600),
                tw_late=round(vehicle.shift_end_h * 3600),
                max_distance=_metres_or_unbounded(reach(problem, vehicle)),
                unit_distance_cost=round(per_km[vehicle.type_id] * money / 1000),
                unit_duration_cost=round(vehicle.cost_per_hour * money / 3600),
                profile=profile,
                reload_depots=[depot] if vehicle.carrier in SHUTTLES else [],
                name=vehicle.type_id,
            )
        )
    required = _each_could_have_its_own(problem, stops, reach)
    clients = [
        pyvrp.Client(
            n,
            delivery=[_up(stop.demand_kg * KG), _up(stop.demand_m3 * 1000)][:dimensions],
            service_duration=round(stop.service_min * 60),
            tw_early=round(stop.ready_h * 3600),
            tw_late=round(stop.due_h * 3600),
            prize=0 if required else PRIZE,
            required=required,
            name=stop.stop_id,
        )
        for n, stop in enumerate(stops, start=first)
    ]
    km = problem.km[np.ix_(sites, sites)]
    distance = np.rint(km * 1000).astype(np.int64)
    metres: list[Any] = []
    seconds: list[Any] = []
    for speed, outside in profiles:
        metres.append(_out_of_reach(distance.copy(), outside))
        seconds.append(_out_of_reach(np.rint(km / speed * 3600).astype(np.int64), outside))
    data = pyvrp.ProblemData(locations, clients, depots, vehicle_types, metres, seconds)
    return data, sites


def _out_of_reach(matrix: np.ndarray, outside: tuple[int, ...]) -> np.ndarray:
    """The matrix with the places ``outside`` a profile's area unreachable, to and from."""
    matrix[list(outside), :] = UNREACHABLE
    matrix[:, list(outside)] = UNREACHABLE
    np.fill_diagonal(matrix, 0)
    return matrix


def _each_could_have_its_own(
    problem: Problem, stops: list[Stop], reach: Callable[[Problem, VehicleType], float]
) -> bool:
    """Whether every stop could be served by a vehicle of its own, so none need be optional.

    True when, for each stop, the vehicles able to serve it alone number at least the stops:
    then a vehicle for every stop can always be found (Hall's condition), and a plan serving
    all of them exists.
    """
    fleet = [v for v in problem.fleet if v.available > 0]
    for stop in stops:
        able = sum(v.available for v in fleet if _why_not(problem, stop, [v], reach) is None)
        if able < len(stops):
            return False
    return True


def _up(amount: float) -> int:
    """Demand in whole units, rounded up (a float hair over a whole unit is that unit)."""
    return math.ceil(amount - 1e-9)


def _down(amount: float) -> int:
    """Capacity in whole units, rounded down."""
    return math.floor(amount + 1e-9)


def _metres_or_unbounded(km: float) -> int:
    return 2**62 if km == float("inf") else round(km * 1000)


def _routes(
    problem: Problem, stops: list[Stop], solution: pyvrp.Solution, sites: list[int]
) -> tuple[list[Route], list[Unserved]]:
    """Routes of a feasible solution; the stops of an infeasible route come back unserved."""
    fleet = [v for v in problem.fleet if v.available > 0]
    used = {v.type_id: 0 for v in fleet}
    routes, lost, served = [], [], set()
    for route in solution.routes():
        vehicle = fleet[route.vehicle_type()]
        order = [stops[a.idx] for a in route.schedule() if a.is_client()]
        if not route.is_feasible():
            lost += [
                Unserved(s.stop_id, "no feasible route found in the time limit") for s in order
            ]
            continue
        used[vehicle.type_id] += 1
        served |= {s.stop_id for s in order}
        routes.append(_route(problem, vehicle, used[vehicle.type_id], order, route))
    lost += [
        Unserved(s.stop_id, NO_VEHICLE_LEFT)
        for s in stops
        if s.stop_id not in served and s.stop_id not in {u.stop_id for u in lost}
    ]
    return routes, lost


def _route(
    problem: Problem, vehicle: VehicleType, number: int, order: list[Stop], route: pyvrp.Route
) -> Route:
    """Our route from PyVRP's schedule; a return to reload is a visit to the depot."""
    activities = list(route.schedule())[1:-1]
    trips: list[list[Stop]] = [[]]
    for activity in activities:
        if activity.is_client():
            trips[-1].append(order[sum(len(t) for t in trips)])
        else:
            trips.append([])
    visits: list[Visit] = []
    times = iter(a.start_time / 3600 for a in activities)
    for n, trip in enumerate(trips):
        if n:
            load = sum(s.demand_kg for s in trip)
            visits.append(Visit(vehicle.depot, next(times), load, kind="reload"))
        load = sum(s.demand_kg for s in trip)
        for stop in trip:
            load -= stop.demand_kg
            visits.append(Visit(stop.stop_id, next(times), max(load, 0.0)))
    ids = [vehicle.depot, *(v.stop_id for v in visits), vehicle.depot]
    rows = [problem.rows[i] for i in ids]
    km = float(sum(problem.km[a, b] for a, b in itertools.pairwise(rows)))
    start, end = route.start_time() / 3600, route.end_time() / 3600
    return Route(vehicle, number, tuple(visits), km, start, end, sum(s.demand_kg for s in trips[0]))
