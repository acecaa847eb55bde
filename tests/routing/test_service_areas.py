"""Vehicle types stay in their service area and kinds of stop; loads never pass capacity."""

from __future__ import annotations

from dataclasses import replace

import pytest

from greenlane.errors import InputError
from greenlane.routing.fleet import VehicleType
from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem, Stop
from greenlane.routing.solve import OUT_OF_AREA, screen
from greenlane.routing.tables import fleet_from_rows
from tests.routing.test_solve import check
from tests.routing.world import DEPOT, DIESEL

ROBOT = VehicleType(
    "robot", "campus_robot", 25, 0.2, 0.025, 0.035, 0, 0.001, 0.1, "HZ", 7, 19, 3, 5,
    range_km=100, service_radius_km=2.0,
)  # fmt: skip


def _stop(n: int, east_km: float, kg: float = 5.0, kind: str = "") -> Stop:
    """A stop ``east_km`` great-circle km east of the depot (96.2 km a degree at 30.27 N)."""
    return Stop(f"s{n}", DEPOT.lat, DEPOT.lon + east_km / 96.2, demand_kg=kg, demand_m3=0.01,
                service_min=2, kind=kind)  # fmt: skip


def test_a_robot_never_leaves_its_service_area() -> None:
    """The robot is the cheapest vehicle, yet serves only the stops within 2 road-km."""
    stops = [_stop(n, 0.3 * n) for n in range(1, 13)]  # 0.3 to 3.6 km east, road km x 1.3
    problem = Problem(tuple(stops), (DEPOT,), (ROBOT, replace(DIESEL, available=2)))
    solved = plan(problem, 0.0, 1.0, 1)
    check(problem, solved)
    assert solved.unserved == ()
    by_robot = {v.stop_id for r in solved.routes if r.vehicle.type_id == "robot"
                for v in r.deliveries}  # fmt: skip
    inside = {s.stop_id for s in stops if problem.km[0, problem.rows[s.stop_id]] <= 2.0}
    assert by_robot and by_robot <= inside and inside != {s.stop_id for s in stops}


def test_a_vehicle_limited_to_some_kinds_of_stop_serves_only_those() -> None:
    """A robot allowed on the campus only leaves the houses to the van."""
    robot = replace(ROBOT, service_radius_km=None, stop_kinds=("campus",))
    stops = [_stop(n, 0.2 * n, kind="campus" if n % 2 else "house") for n in range(1, 9)]
    problem = Problem(tuple(stops), (DEPOT,), (robot, replace(DIESEL, available=2)))
    solved = plan(problem, 0.0, 1.0, 1)
    check(problem, solved)
    for route in solved.routes:
        if route.vehicle.type_id == "robot":
            assert {v.stop_id for v in route.deliveries} <= {s.stop_id for s in stops[::2]}


def test_a_stop_outside_every_area_is_named_not_planned() -> None:
    """With only the robot, a stop 5 km away is unserved with the reason."""
    problem = Problem((_stop(1, 0.5), _stop(2, 5.0)), (DEPOT,), (ROBOT,))
    ok, left = screen(problem)
    assert [s.stop_id for s in ok] == ["s1"]
    assert [(u.stop_id, u.reason) for u in left] == [("s2", OUT_OF_AREA)]


def test_demand_is_rounded_up_so_no_trip_passes_capacity() -> None:
    """Three 8.34 kg parcels (25.02 kg) never go on one 25 kg trip (rounded to 0.1 kg: 25.0)."""
    small = replace(DIESEL, type_id="small", capacity_kg=25.0, available=3, fixed_cost=0)
    stops = [_stop(n, 0.1 * n, kg=8.34) for n in range(1, 4)]
    problem = Problem(tuple(stops), (DEPOT,), (small,))
    solved = plan(problem, 0.0, 0.5, 1)
    check(problem, solved)
    assert solved.unserved == () and len(solved.routes) >= 2


def test_the_fleet_file_names_service_areas_and_stop_kinds() -> None:
    """service_radius_km and ';'-separated stop_kinds are read; a radius of 0 is refused."""
    row = {"type_id": "robot", "carrier": "campus_robot", "capacity_kg": 25, "capacity_m3": 0.2,
           "energy_per_km_empty": 0.02, "energy_per_km_full": 0.03, "fixed_cost": 1,
           "cost_per_km": 0.01, "cost_per_hour": 1, "depot": "HZ", "shift_start_h": 7,
           "shift_end_h": 19, "available": 2, "speed_kmh": 5, "range_km": 50,
           "service_radius_km": 2.5, "stop_kinds": "campus; locker"}  # fmt: skip
    (robot,) = fleet_from_rows([row], "fleet.csv")
    assert (robot.service_radius_km, robot.stop_kinds) == (2.5, ("campus", "locker"))
    with pytest.raises(InputError, match="service_radius_km"):
        fleet_from_rows([{**row, "service_radius_km": 0}], "fleet.csv")
