"""Routes keep capacity, range, shift and time windows; every stop is served once or explained."""

from __future__ import annotations

import itertools
import subprocess
import sys
from dataclasses import replace

import pytest

from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem, Site, Stop
from greenlane.routing.solve import Solved, _model, _reach_km, screen
from tests.routing.world import DEPOT, DIESEL, ELECTRIC, city


def check(problem: Problem, solved: Solved) -> None:
    """Every invariant the issue names, on any plan."""
    stops = {s.stop_id: s for s in problem.stops}
    served = [v.stop_id for r in solved.routes for v in r.visits if v.stop_id in stops]
    left = [u.stop_id for u in solved.unserved]
    assert sorted(served + left) == sorted(stops)  # each stop exactly once, served or not
    assert all(u.reason for u in solved.unserved)
    for route in solved.routes:
        vehicle = route.vehicle
        trips: list[float] = [0.0]  # load per trip: a visit to the depot starts a new one
        for visit in route.visits:
            if visit.stop_id == vehicle.depot:
                trips.append(0.0)
            elif visit.stop_id in stops:
                trips[-1] += stops[visit.stop_id].demand_kg
        assert max(trips) <= vehicle.capacity_kg + 1e-6
        assert (
            vehicle.shift_start_h - 1e-6 <= route.start_h
            and route.end_h <= vehicle.shift_end_h + 1e-6
        )
        for visit in route.visits:
            if visit.stop_id in stops:
                stop = stops[visit.stop_id]
                assert stop.ready_h - 1e-6 <= visit.arrival_h <= stop.due_h + 1e-6
                from_base = problem.km[problem.rows[vehicle.depot], problem.rows[stop.stop_id]]
                assert vehicle.may_serve(stop.kind, float(from_base)), (vehicle.type_id, stop)
        if vehicle.is_electric:
            assert max(_legs_between_charges(problem, route)) <= vehicle.range_km + 1e-6
    counts: dict[str, int] = {}
    for route in solved.routes:
        counts[route.vehicle.type_id] = counts.get(route.vehicle.type_id, 0) + 1
    assert all(counts[v.type_id] <= v.available for v in problem.fleet if v.type_id in counts)


def _legs_between_charges(problem: Problem, route: object) -> list[float]:
    """Distance driven between the depot and chargers, along the route."""
    vehicle = route.vehicle  # type: ignore[attr-defined]
    places = [vehicle.depot, *(v.stop_id for v in route.visits), vehicle.depot]  # type: ignore[attr-defined]
    chargers = {s.site_id for s in problem.stations}
    legs, run = [], 0.0
    for a, b in itertools.pairwise(places):
        run += float(problem.km[problem.rows[a], problem.rows[b]])
        if b in chargers or b == vehicle.depot:
            legs.append(run)
            run = 0.0
    return legs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plans_keep_every_limit(seed: int) -> None:
    """Thirty stops, six vans: all served within capacity, range, shift and windows."""
    problem = city(30, seed)
    solved = plan(problem, 0.0, 1.0, seed)
    check(problem, solved)
    assert solved.unserved == ()


def test_unservable_stops_are_named_with_their_reason_and_the_rest_planned() -> None:
    """Too heavy, out of every range, a window before the shifts: three reasons, others served."""
    base = city(10)
    heavy = Stop("heavy", DEPOT.lat, DEPOT.lon + 0.01, demand_kg=2000, demand_m3=1)
    far = Stop("far", DEPOT.lat + 5, DEPOT.lon, demand_kg=10, demand_m3=0.1)
    early = Stop("early", DEPOT.lat, DEPOT.lon + 0.02, demand_kg=10, demand_m3=0.1, due_h=6)
    problem = base.with_stops([*base.stops, heavy, far, early]).with_fleet(
        [replace(ELECTRIC, charge_kw=None)]
    )
    _, left = screen(problem)
    reasons = {u.stop_id: u.reason for u in left}
    assert "more than any vehicle carries" in reasons["heavy"]
    assert "range" in reasons["far"]
    assert "time window" in reasons["early"]
    solved = plan(problem, 0.0, 1.0, 1)
    check(problem, solved)
    assert {u.stop_id for u in solved.unserved} == {"heavy", "far", "early"}


def test_too_few_vehicles_leave_stops_unserved_with_a_reason() -> None:
    """One small van for heavy demand: what does not fit is reported, not dropped silently."""
    problem = city(20).with_fleet([replace(DIESEL, available=1, capacity_kg=150)])
    solved = plan(problem, 0.0, 1.0, 1)
    check(problem, solved)
    assert solved.unserved and all("no vehicle left" in u.reason for u in solved.unserved)


def test_the_carbon_price_moves_the_choice_from_cheap_to_clean() -> None:
    """Diesel cheaper per km, electric cleaner: price 0 takes diesel, a high price electric."""
    cheap_diesel = replace(DIESEL, cost_per_km=0.05, fixed_cost=0, available=1)
    dear_electric = replace(ELECTRIC, cost_per_km=0.5, fixed_cost=0, available=1)
    problem = city(8).with_fleet([cheap_diesel, dear_electric])
    at_zero, at_high = plan(problem, 0.0, 1.0, 1), plan(problem, 100.0, 1.0, 1)
    assert {r.vehicle.type_id for r in at_zero.routes} == {"diesel-van"}
    assert {r.vehicle.type_id for r in at_high.routes} == {"ev-van"}


def test_the_same_seed_gives_the_same_plan() -> None:
    """Two runs, one seed: the same routes."""
    problem = city(25)
    first, second = plan(problem, 0.0, 1.0, 7), plan(problem, 0.0, 1.0, 7)
    assert [[v.stop_id for v in r.visits] for r in first.routes] == [
        [v.stop_id for v in r.visits] for r in second.routes
    ]


def test_two_depots_each_send_their_own_vehicles() -> None:
    """Vans at Hangzhou and at a depot 40 km east: every route returns to where it started."""
    east = Site("EAST", DEPOT.lat, DEPOT.lon + 0.42)
    far_east = tuple(replace(s, stop_id=f"e{s.stop_id}", lon=s.lon + 0.42) for s in city(10).stops)
    problem = Problem(
        (*city(10).stops, *far_east),
        (DEPOT, east),
        (replace(DIESEL, available=3), replace(DIESEL, type_id="east-van", depot="EAST")),
    )
    solved = plan(problem, 0.0, 1.0, 1)
    check(problem, solved)
    assert solved.unserved == ()
    for route in solved.routes:
        nearest = {
            "HZ"
            if float(problem.km[problem.rows[v.stop_id], 0])
            < float(problem.km[problem.rows[v.stop_id], 1])
            else "EAST"
            for v in route.deliveries
        }
        assert nearest == {route.vehicle.depot}  # each depot serves its own side


def test_hydrogen_is_priced_per_kg_with_the_packs_factor() -> None:
    """A fuel-cell truck's CO2e per unit is GLEC's hydrogen WTW per kg (EU, p.77)."""
    truck = replace(DIESEL, type_id="h2", carrier="hydrogen_fuel_cell")
    assert truck.energy == ("hydrogen", "kg")
    assert truck.co2e_per_unit() == pytest.approx(19.29)


def test_the_model_holds_only_what_the_problem_has() -> None:
    """A vehicle per stop and no volumes: one dimension, required stops; else optional, two."""
    roomy = city(8).with_fleet([replace(DIESEL, available=8)])
    weight_only = roomy.with_stops([replace(s, demand_m3=0.0) for s in roomy.stops])
    data, _ = _model(weight_only, list(weight_only.stops), 0.0, _reach_km)
    assert data.num_load_dimensions == 1
    assert all(c.required and c.prize == 0 for c in data.clients())
    data, _ = _model(roomy, list(roomy.stops), 0.0, _reach_km)
    assert data.num_load_dimensions == 2
    short = roomy.with_fleet([replace(DIESEL, available=7)])  # one vehicle fewer than stops
    data, _ = _model(short, list(short.stops), 0.0, _reach_km)
    assert not any(c.required for c in data.clients())
    check(weight_only, plan(weight_only, 0.0, 1.0, 1))


def test_iterations_give_the_same_plan_on_a_busy_machine() -> None:
    """150 stops, 300 iterations: the same routes beside three CPU-bound processes.

    A 0.3 s time limit gives other routes under such load (seen when this test was written):
    the busy solver does fewer iterations. Iterations make a plan independent of the machine.
    """
    problem = city(150, 2).with_fleet(
        [replace(DIESEL, available=10), replace(ELECTRIC, available=10)]
    )

    def routes() -> list[tuple[str, ...]]:
        solved = plan(problem, 0.1, 0.3, 1, iterations=300)
        return [tuple(v.stop_id for v in r.visits) for r in solved.routes]

    quiet = routes()
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(3)]
    try:
        busy = routes()
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert quiet and busy == quiet


def test_problems_of_the_same_places_share_the_distance_matrix() -> None:
    base = city(12)
    before = base.with_fleet([DIESEL])
    assert "km" not in before.__dict__  # nothing computed yet: nothing to share
    km = base.km
    same_places = [base.with_fleet([DIESEL]), base.with_stops(list(base.stops))]
    assert all(p.km is km for p in same_places)
    fewer = base.with_stops(base.stops[:5])
    assert fewer.km is not km
    assert fewer.km.shape == (len(base.places) - 7, len(base.places) - 7)
    assert (fewer.km == km[: fewer.km.shape[0], : fewer.km.shape[0]]).all()
