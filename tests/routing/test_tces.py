"""A plan's TCEs add up to its CO2e, shared by direct tonne-km, and re-price the same anywhere."""

from __future__ import annotations

import random
from dataclasses import replace

import polars as pl
import pytest

from greenlane.emissions import calculate
from greenlane.routing.fleet import VehicleType
from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem, Stop
from greenlane.routing.sequence import _neighbours, _Pricer, improve_for_energy
from greenlane.routing.solve import Solved
from greenlane.routing.tces import plan_rows, price, route_cost, route_energy
from greenlane.routing.timing import retime
from tests.routing.world import DEPOT, DIESEL, ELECTRIC, city


def test_the_tces_of_a_plan_add_up_to_its_co2e() -> None:
    """Per route: sum of its TCEs = energy x the pack's factor; and over the whole plan."""
    problem = city(24)
    solved = plan(problem, 0.0, 1.0, 1)
    priced = price(problem, solved)
    tocs, tces = plan_rows(problem, solved, "plan")
    results = calculate(pl.DataFrame(tces, infer_schema_length=None), tocs=tocs)
    assert results["co2e_wtw_kg"].sum() == pytest.approx(sum(p.co2e_wtw_kg for p in priced))
    for p in priced:
        expected = route_energy(problem, p.route) * p.route.vehicle.co2e_per_unit()
        assert p.co2e_wtw_kg == pytest.approx(expected, rel=1e-9)


def test_each_drop_is_allocated_by_its_direct_tonne_km() -> None:
    """Within a route, CO2e per drop is proportional to its mass times depot-to-stop distance."""
    problem = city(12).with_fleet([DIESEL])
    solved = plan(problem, 0.0, 1.0, 1)
    tocs, tces = plan_rows(problem, solved, "p")
    results = calculate(pl.DataFrame(tces, infer_schema_length=None), tocs=tocs)
    one = results.filter(pl.col("toc_id") == tocs[0]["toc_id"])
    ratio = one["co2e_wtw_kg"] / (one["mass_kg"] * one["distance_km"])
    assert ratio.max() == pytest.approx(ratio.min(), rel=1e-9)


def test_energy_grows_with_load_between_empty_and_full() -> None:
    """Energy per km is linear in load; the diesel factor is GLEC's EU diesel WTW per litre."""
    van: VehicleType = DIESEL
    assert van.energy_per_km(0) == 0.08 and van.energy_per_km(800) == 0.11
    assert van.energy_per_km(400) == pytest.approx(0.095)
    assert van.co2e_per_unit() == pytest.approx(0.7968 + 2.6311)  # GLEC v3.0 p.77, EU diesel
    assert ELECTRIC.co2e_per_unit() == pytest.approx(0.3492)  # EU grid electricity, p.77


def test_a_carbon_price_reorders_a_route_to_drop_the_heavy_load_first() -> None:
    """Light stop then heavy stop, symmetric distances: with a price, heavy goes first."""
    light = Stop("light", DEPOT.lat + 0.09, DEPOT.lon, demand_kg=1, demand_m3=0.1)
    heavy = Stop("heavy", DEPOT.lat, DEPOT.lon + 0.1, demand_kg=700, demand_m3=1)
    extra = Stop("extra", DEPOT.lat + 0.05, DEPOT.lon + 0.05, demand_kg=1, demand_m3=0.1)
    problem = Problem((light, extra, heavy), (DEPOT,), (DIESEL,))
    solved = plan(problem, 0.0, 1.0, 1)
    (route,) = solved.routes
    by_id = {v.stop_id: v for v in route.visits}
    light_first = retime(problem, route, [by_id["light"], by_id["extra"], by_id["heavy"]])
    assert light_first is not None
    improved = improve_for_energy(problem, Solved((light_first,), ()), 10.0)
    assert [v.stop_id for v in improved.routes[0].visits] == ["heavy", "extra", "light"]
    assert route_energy(problem, improved.routes[0]) < route_energy(problem, light_first)
    assert improve_for_energy(problem, Solved((light_first,), ()), 0.0).routes[0] == light_first


def test_the_move_pricer_gives_bit_for_bit_what_retime_and_the_route_prices_give() -> None:
    """Moves from 40 anchored orders of a long route: the same value to the last bit, or None.

    improve_for_energy prices its moves on plain lists (_Pricer), reusing the anchored order's
    walk up to the first place a move changes, instead of building a route per move; it must
    decide exactly as retime + route_cost + route_energy would, feasible or not.
    """
    base = city(60, seed=5).with_fleet([replace(DIESEL, available=1, capacity_kg=5000)])
    loose = [
        s if k % 4 == 0 else replace(s, ready_h=7.0, due_h=19.0) for k, s in enumerate(base.stops)
    ]
    problem = replace(base, stops=tuple(loose))  # a window in four: some moves miss it
    (route,) = plan(problem, 0.0, 1.0, 1).routes
    price = _Pricer(problem, route, 0.7)
    factor = DIESEL.co2e_per_unit()
    rng = random.Random(3)
    feasible = checked = 0
    for _ in range(40):
        anchor = list(range(1, len(route.visits) + 1))
        if rng.random() < 0.8:  # mostly near the route's own order, some far (infeasible)
            i = rng.randrange(len(anchor) - 4)
            anchor[i : i + 3] = reversed(anchor[i : i + 3])
        else:
            rng.shuffle(anchor)
        price.anchor(anchor)
        for changed_from, order in rng.sample(list(_neighbours(anchor)), 25):
            assert order[:changed_from] == anchor[:changed_from]
            moved = retime(problem, route, [route.visits[n - 1] for n in order])
            expected = (
                None
                if moved is None
                else route_cost(moved) + 0.7 * factor * route_energy(problem, moved)
            )
            assert price(order, changed_from) == expected == price(order)
            feasible += moved is not None
            checked += 1
    assert 30 < feasible < checked
