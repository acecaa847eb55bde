"""Fleet mixes keep the fleet's size; last-mile modes are priced on the same parcels."""

from __future__ import annotations

from dataclasses import replace

import pytest

from greenlane.routing.compare import compare_fleets, fleet_mix, last_mile_modes
from greenlane.routing.fleet import VehicleType
from greenlane.routing.problem import Problem, Site
from tests.routing.world import DEPOT, DIESEL, ELECTRIC, city, stops


def test_a_mix_keeps_each_groups_size_and_sets_its_electric_share() -> None:
    """Ten vans: 0%, 50%, 99% electric give 0, 5 and 10 electric; ungrouped types untouched."""
    truck = replace(DIESEL, type_id="truck", group="", available=2)
    fleet = [replace(DIESEL, available=6), replace(ELECTRIC, available=4), truck]
    for share, electric in ((0.0, 0), (0.5, 5), (0.99, 10)):
        mixed = {v.type_id: v.available for v in fleet_mix(fleet, share)}
        assert (mixed["ev-van"], mixed["diesel-van"], mixed["truck"]) == (
            electric,
            10 - electric,
            2,
        )
    with pytest.raises(ValueError, match="share"):
        fleet_mix(fleet, 1.5)


def test_more_electric_vans_emit_less_on_the_same_demand() -> None:
    """0% against 100% electric on the same stops: same stops served, less CO2e."""
    problem = city(20)
    none, every = compare_fleets(problem, [0.0, 1.0], 0.0, 1.0, 1)
    assert none.served == every.served == 20
    assert every.co2e_wtw_kg < none.co2e_wtw_kg


ROBOT = VehicleType(
    "robot", "campus_robot", 60, 0.5, 0.015, 0.02, 1, 0.01, 0, "PS", 7, 20, 6, 6, range_km=20
)


def test_post_stations_and_robots_are_compared_with_door_delivery() -> None:
    """A campus 6 km out, parcels up to 25 kg: one van drop at its post station beats the doors."""
    station = Site("PS", DEPOT.lat + 0.05, DEPOT.lon + 0.03)
    campus = tuple(
        replace(
            s,
            lat=station.lat + (s.lat - DEPOT.lat) / 20,
            lon=station.lon + (s.lon - DEPOT.lon) / 20,
            demand_kg=min(s.demand_kg, 25.0),
        )
        for s in stops(15, spread=0.08)
    )
    problem = Problem(campus, (DEPOT, station), (replace(DIESEL, available=2), ROBOT))
    door, post, robot = last_mile_modes(problem, 0.0, 1.0, 1)
    assert (door.name, post.name, robot.name) == ("door", "post_station", "robot")
    assert door.served == post.served == robot.served == 15
    assert post.co2e_per_stop_g < door.co2e_per_stop_g
    assert post.co2e_wtw_kg < robot.co2e_wtw_kg  # robots add their own (small) legs


def test_the_diesel_baseline_is_diesel_vans_and_trucks_only() -> None:
    """The demo fleet: vans all diesel (18), the diesel truck; no bikes, robots or hydrogen."""
    from greenlane.routing.compare import diesel_baseline
    from greenlane.routing.tables import fleet_from_rows
    from greenlane.scenario.network import fleet_rows

    fleet = fleet_from_rows(fleet_rows(), "fleet.csv")
    base = {v.type_id: v.available for v in diesel_baseline(fleet)}
    assert base == {"diesel-van": 18, "diesel-truck": 2}
