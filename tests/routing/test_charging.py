"""Battery vehicles charge on the way where stations allow, and never run flat."""

from __future__ import annotations

import random
from dataclasses import replace

from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem, Site, Stop
from tests.routing.test_solve import check
from tests.routing.world import DEPOT, ELECTRIC


def far_stops(n: int) -> tuple[Stop, ...]:
    """Stops in two clusters 35-45 km north and south of the depot: beyond a 60 km round trip."""
    rng = random.Random(4)
    return tuple(
        Stop(f"f{i}", DEPOT.lat + rng.choice([-1, 1]) * rng.uniform(0.25, 0.35),
             DEPOT.lon + rng.uniform(-0.05, 0.05), demand_kg=20, demand_m3=0.1,
             service_min=3, ready_h=8, due_h=18)
        for i in range(n)
    )  # fmt: skip


SHORT_RANGE = replace(ELECTRIC, range_km=60, available=4)
CHARGERS = (Site("C-N", 30.57, 120.15), Site("C-S", 29.97, 120.15))


def test_routes_beyond_range_charge_once_and_keep_every_limit() -> None:
    """With chargers near the clusters every stop is served; each leg between charges <= range."""
    problem = Problem(far_stops(16), (DEPOT,), (SHORT_RANGE,), CHARGERS)
    solved = plan(problem, 0.0, 1.0, 1)
    check(problem, solved)  # includes: distance between depot and chargers <= range
    assert solved.unserved == ()
    charges = [v for r in solved.routes for v in r.visits if v.charge_kwh > 0]
    assert charges and all(v.stop_id in {"C-N", "C-S"} for v in charges)
    assert all(r.km > SHORT_RANGE.range_km for r in solved.routes)


def test_without_chargers_the_same_stops_are_out_of_range() -> None:
    """No station: every stop is beyond a round trip on one charge, and says so."""
    problem = Problem(far_stops(6), (DEPOT,), (SHORT_RANGE,))
    solved = plan(problem, 0.0, 1.0, 1)
    assert solved.routes == ()
    assert all("range" in u.reason for u in solved.unserved)
