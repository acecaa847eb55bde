"""A plan's TCEs add up to its CO2e, shared by direct tonne-km, and re-price the same anywhere."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from greenlane.emissions import calculate
from greenlane.routing.fleet import VehicleType
from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem, Stop
from greenlane.routing.sequence import (
    MAX_ROUNDS,
    REACH,
    _moves,
    _positions,
    _Pricer,
    improve_for_energy,
)
from greenlane.routing.solve import Route, Solved
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


def _windowed(seed: int, stops: int = 60) -> Problem:
    """One van, a window in four stops tight (some orders miss it, some wait for it)."""
    base = city(stops, seed=seed).with_fleet([replace(DIESEL, available=1, capacity_kg=5000)])
    loose = [
        s if k % 4 == 0 else replace(s, ready_h=7.0, due_h=19.0) for k, s in enumerate(base.stops)
    ]
    return replace(base, stops=tuple(loose))


def _reference_moves(order: list[int]) -> list[list[int]]:
    """The moves improve_for_energy tries, in its order, written out one by one.

    Each stop moved up to REACH places (or-opt), then each stretch of up to REACH + 2 stops
    reversed (2-opt).
    """
    n, moves = len(order), []
    for i in range(n):
        rest = [*order[:i], *order[i + 1 :]]
        for j in range(max(0, i - REACH), min(n, i + REACH + 1)):
            if j != i:
                moves.append([*rest[:j], order[i], *rest[j:]])
    for i in range(n - 1):
        for j in range(i + 1, min(n, i + REACH + 2)):
            moves.append([*order[:i], *reversed(order[i : j + 1]), *order[j + 1 :]])
    return moves


def _value(problem: Problem, route: Route, order: list[int], carbon_price: float) -> float | None:
    """What retime, route_cost and route_energy make of ``route`` in ``order`` (1-based)."""
    moved = retime(problem, route, [route.visits[n - 1] for n in order])
    if moved is None:
        return None
    factor = route.vehicle.co2e_per_unit()
    return route_cost(moved) + carbon_price * factor * route_energy(problem, moved)


@pytest.mark.parametrize("seed", [5, 6])
def test_the_move_pricer_gives_bit_for_bit_what_retime_and_the_route_prices_give(
    seed: int,
) -> None:
    """Moves from 40 orders of a long route: the same value to the last bit, or inf.

    improve_for_energy prices a round's moves together as NumPy arrays instead of building a
    route per move; it must decide exactly as retime + route_cost + route_energy would,
    feasible or not, waiting for a window or not.
    """
    problem = _windowed(seed)
    (route,) = plan(problem, 0.0, 1.0, 1).routes
    price = _Pricer(problem, route, 0.7)
    n = len(route.visits)
    rng = random.Random(3)
    feasible = checked = 0
    for _ in range(40):
        anchor = list(range(1, n + 1))
        if rng.random() < 0.8:  # mostly near the route's own order, some far (infeasible)
            i = rng.randrange(n - 4)
            anchor[i : i + 3] = reversed(anchor[i : i + 3])
        else:
            rng.shuffle(anchor)
        i, j, reverse = _moves(n)
        orders = np.asarray(anchor)[_positions(n, i, j, reverse)]
        assert orders.T.tolist() == _reference_moves(anchor)
        picked = rng.sample(range(len(i)), 25)
        values = price.values(orders[:, picked])
        for value, order in zip(values.tolist(), orders[:, picked].T.tolist(), strict=True):
            expected = _value(problem, route, order, 0.7)
            assert value == (np.inf if expected is None else expected)
            feasible += expected is not None
            checked += 1
    assert 30 < feasible < checked


@pytest.mark.parametrize(("seed", "carbon_price"), [(5, 0.7), (6, 0.7), (7, 25.0)])
def test_the_route_improves_as_a_move_by_move_search_would(seed: int, carbon_price: float) -> None:
    """Round by round, the first move (in order) that lowers the value by over 1e-9 is kept.

    The search written out move by move on retime and the route's prices ends in the same
    order as improve_for_energy, which prices the moves in chunks.
    """
    problem = _windowed(seed, 45)
    (solved,) = plan(problem, 0.0, 1.0, 1).routes
    rng, route = random.Random(seed), None
    while route is None:  # the solver's order scrambled a little, windows still held
        visits = list(solved.visits)
        for _ in range(4):
            i = rng.randrange(len(visits) - 6)
            visits[i : i + 6] = rng.sample(visits[i : i + 6], 6)
        route = retime(problem, solved, visits)
    best = list(range(1, len(route.visits) + 1))
    best_value = _value(problem, route, best, carbon_price)
    assert best_value is not None
    for _ in range(MAX_ROUNDS):
        for order in _reference_moves(best):
            value = _value(problem, route, order, carbon_price)
            if value is not None and value < best_value - 1e-9:
                best, best_value = order, value
                break
        else:
            break
    improved = improve_for_energy(problem, Solved((route,), ()), carbon_price).routes[0]
    assert best != list(range(1, len(route.visits) + 1))  # the search moved something
    assert [v.stop_id for v in improved.visits] == [route.visits[n - 1].stop_id for n in best]
