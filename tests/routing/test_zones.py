"""Delivery zones: a large day cut into sectors, the fleet shared out, the same cut every time."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import numpy as np
import pytest

from greenlane.routing.fleet import VehicleType, apportion
from greenlane.routing.problem import Problem, Site
from greenlane.routing.zones import zones
from tests.routing.world import DEPOT, DIESEL, ELECTRIC, city

CAMPUS = Site("campus", DEPOT.lat + 0.05, DEPOT.lon)
ROBOT = VehicleType(
    "robot", "campus_robot", 25, 0.2, 0.02, 0.03, 2, 0.01, 1, "campus", 8, 18, 4, 5,
    range_km=100, service_radius_km=3.0,
)  # fmt: skip


def _bearing(problem: Problem, lat: float, lon: float) -> float:
    centre = np.mean([d.lat for d in problem.depots]), np.mean([d.lon for d in problem.depots])
    return math.atan2(lat - centre[0], (lon - centre[1]) * math.cos(math.radians(centre[0])))


def test_every_stop_lands_in_exactly_one_zone_of_at_most_the_size() -> None:
    """1,000 stops by 120: nine zones of 111-112, each a contiguous sector of bearings."""
    problem = city(1000, seed=4)
    parts = zones(problem, 120)
    assert len(parts) == 9
    assert all(111 <= len(z.stops) <= 112 for z in parts)
    ids = [s.stop_id for z in parts for s in z.stops]
    assert sorted(ids) == sorted(s.stop_id for s in problem.stops)
    spans = [[_bearing(problem, s.lat, s.lon) for s in z.stops] for z in parts]
    for before, after in itertools.pairwise(spans):
        assert max(before) <= min(after)


def test_each_type_is_shared_out_whole() -> None:
    """Every vehicle type's count, over the zones, adds up to what the fleet has."""
    problem = city(500, seed=2).with_fleet(
        [replace(DIESEL, available=13), replace(ELECTRIC, available=5)]
    )
    parts = zones(problem, 70)
    for n, vehicle in enumerate(problem.fleet):
        assert sum(z.fleet[n].available for z in parts) == vehicle.available
    assert [v.type_id for v in parts[3].fleet] == ["diesel-van", "ev-van"]


def test_a_type_with_a_service_area_goes_to_the_zones_it_can_serve() -> None:
    """Campus robots (3 km from their base) go to the zones holding campus stops only."""
    base = city(600, seed=3)
    problem = replace(base, depots=(DEPOT, CAMPUS), fleet=(DIESEL, ROBOT))
    parts = zones(problem, 100)
    for zone in parts:
        robots = zone.fleet[1].available
        near = any(zone.km[zone.rows["campus"], zone.rows[s.stop_id]] <= 3.0 for s in zone.stops)
        assert near or robots == 0
    assert sum(z.fleet[1].available for z in parts) == 4


def test_the_cut_depends_on_the_stops_not_their_order() -> None:
    """The same stops shuffled give the same zones (ids and fleet shares)."""
    problem = city(400, seed=9)
    shuffled = list(problem.stops)
    random.Random(1).shuffle(shuffled)
    again = replace(problem, stops=tuple(shuffled))

    def key(parts: list[Problem]) -> list[tuple[list[str], list[int]]]:
        return [(sorted(s.stop_id for s in z.stops), [v.available for v in z.fleet]) for z in parts]

    assert key(zones(problem, 90)) == key(zones(again, 90))


def test_a_small_day_is_one_zone_and_a_matrix_is_cut_with_it() -> None:
    """At or under the size: the problem itself; a given distance matrix is cut per zone."""
    problem = city(40)
    assert zones(problem, 40) == [problem]
    with_matrix = replace(problem, distances_km=problem.km.copy())
    parts = zones(with_matrix, 15)
    assert len(parts) == 3
    for zone in parts:
        first = zone.stops[0].stop_id
        assert zone.km[0, zone.rows[first]] == problem.km[0, problem.rows[first]]
    with pytest.raises(ValueError, match="max_stops"):
        zones(problem, 0)


def test_apportion_is_largest_remainder_and_whole() -> None:
    """7 split 1:1:1 gives 3, 2, 2 (ties to the first); nothing weighed: an equal split."""
    assert apportion([1, 1, 1], 7) == [3, 2, 2]
    assert apportion([0, 0], 3) == [2, 1]
    assert apportion([10, 0, 30], 4) == [1, 0, 3]
