"""A small city for the routing tests: a depot in Hangzhou, stops around it, a mixed fleet."""

from __future__ import annotations

import random
from dataclasses import replace

from greenlane.routing.fleet import VehicleType
from greenlane.routing.problem import Problem, Site, Stop

DEPOT = Site("HZ", 30.27, 120.15)
DIESEL = VehicleType(
    "diesel-van", "diesel", 800, 8, 0.08, 0.11, 30, 0.30, 20, "HZ", 7, 19, 3, 30, group="van"
)
ELECTRIC = VehicleType(
    "ev-van", "battery_electric", 750, 8, 0.18, 0.25, 35, 0.10, 20, "HZ", 7, 19, 3, 30,
    range_km=150, charge_kw=50, group="van",
)  # fmt: skip


def stops(n: int, seed: int = 1, spread: float = 0.08) -> tuple[Stop, ...]:
    """``n`` stops around the depot with windows in the working day."""
    rng = random.Random(seed)
    return tuple(
        Stop(
            f"s{i}",
            DEPOT.lat + rng.uniform(-spread, spread),
            DEPOT.lon + rng.uniform(-spread, spread),
            demand_kg=round(rng.uniform(5, 80), 1),
            demand_m3=0.2,
            service_min=4,
            ready_h=8 + rng.choice([0, 0, 2, 4]),
            due_h=12 + rng.choice([0, 2, 5]),
            shipper_id=rng.choice(["acme", "globex"]),
        )
        for i in range(n)
    )


def city(n: int = 30, seed: int = 1, **changes: object) -> Problem:
    """The depot, ``n`` stops and three diesel and three electric vans."""
    problem = Problem(stops(n, seed), (DEPOT,), (DIESEL, ELECTRIC))
    return replace(problem, **changes) if changes else problem
