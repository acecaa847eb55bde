"""Electric routing with charging in the search: both recharge policies, checked from outside."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import numpy as np
import pytest

from greenlane.errors import FieldError
from greenlane.routing.electric import Plan, search
from greenlane.routing.fleet import VehicleType
from greenlane.routing.planner import plan as plan_routes
from greenlane.routing.problem import Problem, Site, Stop
from greenlane.routing.recharge import Network
from greenlane.routing.solve import NO_VEHICLE_LEFT
from tests.routing.test_solve import check


def world(
    customers: int, seed: int, *, range_km: float = 60.0, capacity: float = 100.0
) -> tuple[Problem, np.ndarray]:
    """A depot at the centre of a 40 km square, four stations, customers with windows."""
    rng = random.Random(seed)
    xy = [(20.0, 20.0), (5.0, 5.0), (35.0, 5.0), (5.0, 35.0), (35.0, 35.0)]
    xy += [(rng.uniform(0, 40), rng.uniform(0, 40)) for _ in range(customers)]
    matrix = np.array([[math.dist(a, b) for b in xy] for a in xy])
    stops = []
    for n in range(customers):
        opens = rng.uniform(0, 6)
        stops.append(
            Stop(f"c{n}", 0.0, 0.0, demand_kg=rng.uniform(5, 30), demand_m3=0.0,
                 service_min=10, ready_h=opens, due_h=opens + rng.uniform(2, 6))
        )  # fmt: skip
    ev = VehicleType(
        "ev", "battery_electric", capacity, 1e9, 1.0, 1.0, 0.0, 1.0, 0.0, "D", 0.0, 14.0,
        len(stops), speed_kmh=25.0, range_km=range_km, charge_kw=40.0,
    )  # fmt: skip
    stations = tuple(Site(f"S{n}", 0.0, 0.0) for n in range(1, 5))
    return Problem(tuple(stops), (Site("D", 0.0, 0.0),), (ev,), stations, 1.0, matrix), matrix


def broken(
    problem: Problem, policy: str, plan: Plan, expected: set[int] | None = None
) -> list[str]:
    """Every rule a plan breaks, driving it leg by leg; ``expected``: the stops it must serve."""
    network = Network.of(problem, policy)
    vehicle, km = problem.fleet[0], problem.km
    battery = vehicle.range_km * vehicle.energy_per_km_full
    stops = {problem.rows[s.stop_id]: s for s in problem.stops}
    out = []
    for order, charged in zip(plan.routes, plan.charged, strict=True):
        at = {c.before: c for c in charged.charges}
        here, clock, left, load, total = network.depot, vehicle.shift_start_h, battery, 0.0, 0.0
        for position, there in enumerate([*order, network.depot]):
            if position in at:
                station, kwh = at[position].station, at[position].kwh
                left -= km[here, station]
                total += km[here, station]
                clock += km[here, station] / vehicle.speed_kmh + kwh / vehicle.charge_kw
                if left < -1e-6 or left + kwh > battery + 1e-6:
                    out.append(f"battery out of bounds at station {station}")
                if policy == "full" and abs(left + kwh - battery) > 1e-6:
                    out.append(f"station {station} does not charge to full")
                left, here = left + kwh, station
            left -= km[here, there]
            total += km[here, there]
            clock += km[here, there] / vehicle.speed_kmh
            if left < -1e-6:
                out.append(f"battery empty before {there}")
            if there in stops:
                stop = stops[there]
                if clock > stop.due_h + 1e-6:
                    out.append(f"{stop.stop_id} reached after its window")
                clock = max(clock, stop.ready_h) + stop.service_min / 60
                load += stop.demand_kg
            here = there
        if clock > vehicle.shift_end_h + 1e-6:
            out.append("back after the shift")
        if load > vehicle.capacity_kg + 1e-6:
            out.append("over capacity")
        if abs(total - charged.km) > 1e-6:
            out.append(f"distance {charged.km} stated, {total} driven")
    served = [s for r in plan.routes for s in r]
    if sorted(served) != sorted(stops if expected is None else expected):
        out.append("not every stop served exactly once")
    return out


@pytest.mark.parametrize("policy", ["full", "partial"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_plan_keeps_every_rule(policy: str, seed: int) -> None:
    """30 customers, a 60 km battery: every stop served once, no rule broken, some charging."""
    problem, _ = world(30, seed)
    plan, alone = search(Network.of(problem, policy), iterations=20, seed=seed)
    assert alone == []
    assert broken(problem, policy, plan) == []
    assert any(c.charges for c in plan.charged)


def test_full_recharge_fills_the_battery_and_partial_takes_what_it_needs() -> None:
    """One customer beyond a round trip: both charge at the station on the way there.

    Full recharge fills the battery; partial takes on just what the rest of the route needs,
    so it leaves the station sooner and is back earlier, over the same distance.
    """
    problem, _ = world(0, 1)
    far = Stop("far", 0.0, 0.0, 10.0, 0.0, ready_h=0.0, due_h=14.0)
    xy = [(20.0, 20.0), (5.0, 5.0), (35.0, 5.0), (5.0, 35.0), (35.0, 35.0), (45.0, 45.0)]
    matrix = np.array([[math.dist(a, b) for b in xy] for a in xy])
    problem = Problem((far,), problem.depots, problem.fleet, problem.stations, 1.0, matrix)
    full = Network.of(problem, "full").charge([5])
    partial = Network.of(problem, "partial").charge([5])
    assert full is not None and partial is not None
    assert [c.station for c in full.charges] == [4] == [c.station for c in partial.charges]
    reached = 60.0 - math.dist((20, 20), (35, 35))
    assert full.charges[0].kwh == pytest.approx(60.0 - reached)
    rest = math.dist((35, 35), (45, 45)) + math.dist((45, 45), (20, 20))
    assert partial.charges[0].kwh == pytest.approx(rest - reached)
    assert partial.end_h == pytest.approx(full.end_h - (full.charges[0].kwh - rest + reached) / 40)
    assert partial.km == pytest.approx(full.km)
    assert full.km == pytest.approx(math.dist((20, 20), (35, 35)) + rest)


def test_a_stop_no_charge_reaches_is_returned_not_planned() -> None:
    """A stop 38 km out on a 30 km battery, no station near it: the rest is still planned."""
    problem, _ = world(0, 1, range_km=30.0)
    near = Stop("near", 0.0, 0.0, 10.0, 0.0, ready_h=0.0, due_h=14.0)
    far = Stop("far", 0.0, 0.0, 10.0, 0.0, ready_h=0.0, due_h=14.0)
    xy = [(20.0, 20.0), (5.0, 5.0), (35.0, 5.0), (5.0, 35.0), (35.0, 35.0), (22, 22), (20, 58)]
    matrix = np.array([[math.dist(a, b) for b in xy] for a in xy])
    problem = Problem((near, far), problem.depots, problem.fleet, problem.stations, 1.0, matrix)
    plan, alone = search(Network.of(problem, "full"), iterations=5, seed=1)
    assert alone == [6]
    assert plan.routes == ((5,),)
    assert broken(problem, "full", plan, expected={5}) == []


def test_the_search_finds_the_optimum_of_small_instances() -> None:
    """Seven customers: the search's (vehicles, km) is the best of every split and order.

    Each order is charged by the same labelling pass: this checks the search, not the pass.
    """
    for seed in (5, 6, 7):
        problem, _ = world(7, seed, range_km=45.0, capacity=70.0)
        network = Network.of(problem, "full")
        plan, alone = search(network, iterations=30, seed=1)
        assert alone == []
        assert (plan.vehicles, round(plan.km, 6)) == exhaustive(network)


def exhaustive(network: Network) -> tuple[int, float]:
    """The fewest vehicles, then the least distance, over every split into ordered routes."""
    stops = [r for r in range(len(network.km)) if network.demand[r] > 0]
    best: dict[frozenset[int], float] = {}
    for size in range(1, len(stops) + 1):
        for chosen in itertools.combinations(stops, size):
            if sum(network.demand[s] for s in chosen) > network.vehicle.capacity_kg:
                continue
            lengths = [network.charge(order) for order in itertools.permutations(chosen)]
            found = [c.km for c in lengths if c is not None]
            if found:
                best[frozenset(chosen)] = min(found)
    whole = frozenset(stops)
    # fewest routes then least km, over set partitions of routes known to be feasible
    memo: dict[frozenset[int], tuple[int, float]] = {frozenset(): (0, 0.0)}

    def cover(left: frozenset[int]) -> tuple[int, float]:
        if left not in memo:
            first = min(left)
            options = [
                (n + 1, km + best[route])
                for route in best
                if first in route and route <= left
                for n, km in [cover(left - route)]
            ]
            memo[left] = min(options, default=(10**9, math.inf))
        return memo[left]

    vehicles, km = cover(whole)
    return vehicles, round(km, 6)


def test_a_seed_gives_the_same_plan() -> None:
    """Iterations, not seconds: two runs with one seed agree."""
    problem, _ = world(25, 8)
    one = search(Network.of(problem, "partial"), iterations=15, seed=3)
    two = search(Network.of(problem, "partial"), iterations=15, seed=3)
    assert one == two


def test_a_problem_the_search_cannot_plan_is_refused() -> None:
    """Two vehicle types, or an unknown policy, are named errors."""
    problem, _ = world(3, 1)
    with pytest.raises(FieldError, match="policy"):
        Network.of(problem, "fast")
    two = Problem(problem.stops, problem.depots, problem.fleet * 2, problem.stations, 1.0,
                  problem.distances_km)  # fmt: skip
    with pytest.raises(ValueError, match="one vehicle type"):
        Network.of(two, "full")


def test_the_planner_plans_one_battery_type_with_charging_in_the_search() -> None:
    """The planner's route for one battery type: charges partly, never below empty or over full."""
    problem, _ = world(30, 1)
    solved = plan_routes(problem, 0.0, 1.0, 1, iterations=20)
    check(problem, solved)
    assert solved.unserved == ()
    vehicle = problem.fleet[0]
    battery = vehicle.range_km * vehicle.energy_per_km_full
    partly = 0
    for route in solved.routes:
        places = [vehicle.depot, *(v.stop_id for v in route.visits), vehicle.depot]
        left = battery
        for (a, b), visit in zip(itertools.pairwise(places), [*route.visits, None], strict=True):
            left -= problem.km[problem.rows[a], problem.rows[b]] * vehicle.energy_per_km_full
            assert left >= -1e-6, (route.number, b)
            if visit is not None and visit.kind == "charge":
                left += visit.charge_kwh
                assert left <= battery + 1e-6
                partly += left < battery - 1e-6
    assert partly > 0


def test_routes_beyond_the_fleet_leave_their_stops_unserved_with_the_reason() -> None:
    """Two vehicles for a plan that needs more: two routes, the other stops named."""
    problem, _ = world(30, 1)
    problem = problem.with_fleet([replace(problem.fleet[0], available=2)])
    solved = plan_routes(problem, 0.0, 1.0, 1, iterations=10)
    check(problem, solved)
    assert len(solved.routes) == 2
    assert solved.unserved and {u.reason for u in solved.unserved} == {NO_VEHICLE_LEFT}


@pytest.mark.parametrize("kw", [0.0, -22.0, math.nan, math.inf])
def test_a_charging_power_that_cannot_be_is_refused(kw: float) -> None:
    """A charging power of zero, below zero or not finite would bend time: a named error."""
    problem, _ = world(1, 1)
    with pytest.raises(FieldError, match="charge_kw"):
        replace(problem.fleet[0], charge_kw=kw)


@pytest.mark.parametrize("km", [math.nan, math.inf, -1.0])
def test_a_range_that_cannot_be_is_refused(km: float) -> None:
    """A battery range must be a finite distance."""
    problem, _ = world(1, 1)
    with pytest.raises(FieldError, match="range_km"):
        replace(problem.fleet[0], range_km=km)


def test_no_stop_to_plan_gives_an_empty_plan() -> None:
    """No stop at all, or none any vehicle can serve: no route, and the search ends."""
    problem, _ = world(0, 1)
    plan, alone = search(Network.of(problem, "full"), iterations=5, seed=1)
    assert plan.routes == () and alone == []
    problem, _ = world(3, 1, range_km=1.0)
    plan, alone = search(Network.of(problem, "full"), seconds=60.0, iterations=None)
    assert plan.routes == () and len(alone) == 3
    with pytest.raises(ValueError, match="rounds or a time limit"):
        search(Network.of(problem, "full"), iterations=None)
