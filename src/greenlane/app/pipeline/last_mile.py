"""The routed country's last mile of a day: its parcels as stops, routed, priced and stored.

A large day is cut into zones (:func:`~greenlane.routing.zones.zones`), each solved as a
partition by the runner; a zone's plan is stored under the day's plan id and its number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

import narwhals as nw
import polars as pl
import sqlalchemy as sa

from greenlane.app.pipeline.partitions import Runner, Tick
from greenlane.app.pipeline.world import Levers, World
from greenlane.app.routing import RoutePlan, plan_routes
from greenlane.errors import InputError
from greenlane.io import read_rows
from greenlane.io.columns import Column
from greenlane.parcels.plan import ParcelPlan
from greenlane.routing.compare import diesel_baseline
from greenlane.routing.problem import Problem as RoutingProblem
from greenlane.routing.schema import PLACE_COLUMNS
from greenlane.routing.solve import Solved
from greenlane.routing.tables import problem_from_tables
from greenlane.routing.tces import plan_rows
from greenlane.routing.zones import zones
from greenlane.store.access import Caller
from greenlane.store.routes import store_route_plan

ADDRESS_COLUMNS = [  # the routed country's buyers, geocoded (a day's addresses file)
    Column("consignee_id", nw.String, "", True, "The buyer, as in the orders file."),
    Column("lat", nw.Float64, "deg", True, "Latitude of the delivery address, WGS84."),
    Column("lon", nw.Float64, "deg", True, "Longitude of the delivery address, WGS84."),
]
STOP_SCHEMA = {c.name: pl.String if c.dtype is nw.String else pl.Float64 for c in PLACE_COLUMNS}


@dataclass(frozen=True, slots=True)
class RoutedDay:
    """The routed country's last mile of a day: when each parcel arrives, and the CO2e."""

    arrivals: dict[str, datetime]
    unserved: list[str]
    co2e_wtw_kg: float
    baseline_co2e_wtw_kg: float
    tocs: list[dict[str, Any]]
    tces: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Routing:
    """A day's delivery zones set routing on the runner: their plans come as they end."""

    zones: list[tuple[RoutingProblem, str]]  # each zone and its plan id
    solved: Iterator[tuple[RoutePlan, float]]  # each zone's plan and baseline WTW, in order
    delivery: date | None  # the day the routes run (None: nothing to route)


def start_routes(
    world: World,
    plan: ParcelPlan,
    files: dict[str, str],
    day: date,
    levers: Levers,
    runner: Runner,
    tick: Tick,
) -> Routing:
    """The routed country's parcels from the e-Hub cut into zones, each set routing.

    On a pool or Spark the zones are solved while the driver goes on with the stages that
    do not need the routes (e-waybills, the chains' TCEs); :func:`store_routes` collects them.
    """
    problem = _routing_problem(world, plan, files)
    if not problem.stops:
        return Routing([], iter(()), None)
    parts = zones(problem, levers.zone_stops)
    plan_id = f"{world.name}:{day}"
    named = [
        (
            f"zone {n + 1}",
            (zone, plan_id if len(parts) == 1 else f"{plan_id}:z{n + 1}"),
        )
        for n, zone in enumerate(parts)
    ]
    solved = runner.iterate(partial(solve_zone, levers), named, tick)
    return Routing([part for _, part in named], solved, _delivery_day(world, plan, problem))


def store_routes(conn: sa.Connection, caller: Caller, routing: Routing) -> RoutedDay:
    """Each zone's routes stored as they end (baseline: diesel vans), with TCEs and arrivals."""
    if routing.delivery is None:
        return RoutedDay({}, [], 0.0, 0.0, [], [])
    delivery = routing.delivery
    day_tocs: list[dict[str, Any]] = []
    day_tces: list[dict[str, Any]] = []
    arrivals: dict[str, datetime] = {}
    unserved: list[str] = []
    route_kg: list[float] = []
    baseline_co2e_wtw_kg = 0.0
    for (zone, zone_id), (routed, baseline_kg) in zip(routing.zones, routing.solved, strict=True):
        against = {"what": "diesel vans, cost only", "co2e_wtw_kg": baseline_kg}
        store_route_plan(conn, caller, zone_id, delivery, routed.record | {"baseline": against})
        tocs, tces = plan_rows(zone, routed.solved, zone_id)
        day_tocs += tocs
        day_tces += [t | {"departure_at": delivery.isoformat()} for t in tces]
        arrivals |= _arrivals(routed.solved, delivery)
        unserved += [u.stop_id for u in routed.solved.unserved]
        route_kg += [p.co2e_wtw_kg for p in routed.priced]
        baseline_co2e_wtw_kg += baseline_kg
    return RoutedDay(arrivals, unserved, sum(route_kg), baseline_co2e_wtw_kg, day_tocs, day_tces)


def solve_zone(levers: Levers, zone: tuple[RoutingProblem, str]) -> tuple[RoutePlan, float]:
    """A zone's routes at cost + carbon price, and the WTW of its diesel, cost-only baseline.

    A pure function of the zone (the search stops by iterations): a partition of the stage.
    """
    problem, plan_id = zone
    iterations = levers.routing_iterations  # the search stops by iterations: seconds unused
    routed = plan_routes(problem, levers.carbon_price, 0.0, levers.seed, plan_id, iterations)
    diesel = problem.with_fleet(diesel_baseline(problem.fleet))
    baseline = plan_routes(diesel, 0.0, 0.0, levers.seed, "baseline", iterations)
    return routed, sum(p.co2e_wtw_kg for p in baseline.priced)


def _routing_problem(world: World, plan: ParcelPlan, files: dict[str, str]) -> RoutingProblem:
    """The routed country's shipped parcels as stops (one per parcel) at their buyers' places."""
    addresses = {
        row["consignee_id"]: row
        for row in read_rows(world.path("addresses", files), ADDRESS_COLUMNS)
    }
    stops = []
    for sscc, shipment in plan.parcels:
        first = shipment.orders[0]
        if first.country != world.routed_country or sscc not in plan.co2e_by_parcel:
            continue
        if first.consignee_id not in addresses:
            raise ValueError(f"no coordinates for consignee {first.consignee_id!r}")
        where = addresses[first.consignee_id]
        stops.append(
            {"place_id": sscc, "kind": "stop", "lat": where["lat"], "lon": where["lon"],
             "demand_kg": shipment.weight_kg + plan.packaging_by_parcel[sscc],
             "demand_m3": sum(o.volume_cm3 for o in shipment.orders) / 1e6, "service_min": 3.0,
             "ready_h": 8.0, "due_h": 19.0, "shipper_id": first.merchant_id}
        )  # fmt: skip
    places = pl.concat([world.places, pl.DataFrame(stops, schema=STOP_SCHEMA)], how="diagonal")
    problem, problems = problem_from_tables(
        places, [], files["addresses"], world.fleet, world.manifest["fleet"]
    )
    if problems:
        raise InputError(problems)
    return problem


def _delivery_day(world: World, plan: ParcelPlan, problem: RoutingProblem) -> date:
    """The morning after the last of the day's routed parcels reaches the e-Hub."""
    transit = timedelta(days=world.network.transit_days[world.routed_country])
    routed = {s.stop_id for s in problem.stops}
    last = max(s.leaves_at for sscc, s in plan.parcels if sscc in routed)
    return (last + transit).date() + timedelta(days=1)


def _arrivals(solved: Solved, delivery: date) -> dict[str, datetime]:
    """When each routed parcel is handed over."""
    start = datetime.combine(delivery, time())
    return {
        v.stop_id: start + timedelta(hours=v.arrival_h)
        for route in solved.routes
        for v in route.deliveries
    }
