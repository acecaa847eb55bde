"""The main job: a scenario's days run end to end, demand to plans to activity to the ledger.

For each day: read the orders → choose cartons → merge and consolidate → issue e-waybills →
route the last mile → schedule the park's energy → capture container events → track the
parcels → calculate the emissions (ISO 14083) → update the ledger. Once: the ledger's own
figures and targets; the relief kits checked (RFID) and the response to the week's disaster
planned without the failed ones; the containers report.

Every lever is priced against its stated baseline by the same code that prices the activity
(the emissions kernel, the packing footprint, the energy KPIs). Each day is one transaction:
a stage that fails names itself and its input, and the day leaves nothing behind; the days
already run stay, and running the job again carries on from the first day not yet stored.
The synthetic world carries out each plan as planned (every parcel leaves on its departure
and is delivered on time); a real network would feed its scans instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

import narwhals as nw
import polars as pl
import sqlalchemy as sa

from greenlane.emissions import run as calculate_tces
from greenlane.energy.dispatch import by_day
from greenlane.energy.document import ParkDoc, park_for
from greenlane.energy.kpis import EnergyKpis, kpis
from greenlane.errors import InputError, Problem
from greenlane.esg.fiscal import FiscalCalendar
from greenlane.esg.ledger import Entry, entries_from_rows
from greenlane.esg.report import Inputs, year_kpis
from greenlane.esg.schema import LEDGER_COLUMNS, TARGET_COLUMNS
from greenlane.esg.trajectory import targets_from_rows
from greenlane.io import read_parsed, read_rows, read_tces
from greenlane.io.columns import Column
from greenlane.kit_reads import kit_reads
from greenlane.packing.model import Carton
from greenlane.packing.savings import Footprint, against, default_carton_boxes
from greenlane.packing.schema import ITEM_COLUMNS
from greenlane.packing.select import plan_order
from greenlane.packing.select import plan_record as packing_record
from greenlane.packing.tables import orders_from_rows, read_catalogue
from greenlane.parcel_packing import carton_packer
from greenlane.parcels.chains import parcel_tces
from greenlane.parcels.consolidate import Container
from greenlane.parcels.merge import Order
from greenlane.parcels.network import Network, network_from_rows
from greenlane.parcels.plan import ParcelPlan
from greenlane.parcels.record import plan_sums, waybill_rows
from greenlane.parcels.schema import ORDER_COLUMNS, ROUTE_COLUMNS
from greenlane.parcels.sscc import make_sscc
from greenlane.parcels.tables import orders_from_frame
from greenlane.parcels.tracking import Event as Scan
from greenlane.relief.dispatch import plan as plan_relief
from greenlane.relief.documents import EventDoc, NetworkDoc, check, event_of, network_of
from greenlane.relief.documents import read_document as read_relief
from greenlane.relief.kits import bills_of_materials, verify
from greenlane.relief.model import without
from greenlane.relief.record import plan_record as relief_record
from greenlane.relief.schema import BOM_COLUMNS
from greenlane.routing.compare import fleet_mix
from greenlane.routing.planner import plan as plan_routes
from greenlane.routing.problem import Problem as RoutingProblem
from greenlane.routing.record import plan_record as route_record
from greenlane.routing.schema import FLEET_COLUMNS, PLACE_COLUMNS
from greenlane.routing.solve import Solved
from greenlane.routing.tables import problem_from_tables
from greenlane.routing.tces import plan_rows, price
from greenlane.settings import Settings, settings
from greenlane.store.access import Caller, create_organization, organization
from greenlane.store.epcis import capture, containers_report, open_capture, store_containers_report
from greenlane.store.esg import (
    carton_entries,
    import_entries,
    ledger,
    set_esg_target,
    transport_by_mode,
)
from greenlane.store.ingest import store_batch
from greenlane.store.packing import plan_row, store_plans
from greenlane.store.parcels import add_events, register_prefix, store_plan
from greenlane.store.pipeline import days_done, mark_day
from greenlane.store.relief import latest_relief_plan, store_relief_plan
from greenlane.store.routes import store_route_plan
from greenlane.store.tables import Role
from greenlane.traceability.cartons import collections, savings
from greenlane.traceability.epcis import Event as EpcisEvent
from greenlane.traceability.epcis import read_document as read_epcis
from greenlane.traceability.reuse import read_case
from greenlane.traceability.schema import CARTON_COLUMNS

HOLD = timedelta(minutes=30)  # how long an order may wait for its buyer's next one
BAG = Container("sack", 30.0, 300_000.0)  # a 300 L postal sack of up to 30 kg
COMPANY_PREFIX = "0614141"  # GS1 company prefix of the demo's SSCCs
SHEETS_PER_WAYBILL = 5  # the multi-part paper waybill an e-waybill replaces


@dataclass(frozen=True, slots=True)
class Levers:
    """The main job's levers, from the settings.

    The carbon price in the routing and relief objectives (the baseline routes on cost alone),
    the solver time per day's last mile, and the solver seed.
    """

    carbon_price: float
    routing_seconds: float
    seed: int

    @classmethod
    def of(cls, current: Settings) -> Levers:
        """The levers the settings state."""
        return cls(current.carbon_price, current.routing_seconds, current.seed)


ADDRESS_COLUMNS = [  # the routed country's buyers, geocoded (a day's addresses file)
    Column("consignee_id", nw.String, "", True, "The buyer, as in the orders file."),
    Column("lat", nw.Float64, "deg", True, "Latitude of the delivery address, WGS84."),
    Column("lon", nw.Float64, "deg", True, "Longitude of the delivery address, WGS84."),
]
STOP_SCHEMA = {c.name: pl.String if c.dtype is nw.String else pl.Float64 for c in PLACE_COLUMNS}


class StageError(RuntimeError):
    """A stage of the job failed: which, on which input, and why."""

    def __init__(self, stage: str, source: str, cause: str) -> None:
        super().__init__(f"stage {stage!r} failed on {source}: {cause}")
        self.stage, self.source = stage, source


@dataclass(frozen=True, slots=True)
class World:
    """The scenario's fixed inputs, read and checked once."""

    folder: Path
    manifest: dict[str, Any]
    network: Network
    cartons: list[Carton]
    places: pl.DataFrame
    fleet: pl.DataFrame
    park: ParkDoc

    @property
    def name(self) -> str:
        """The scenario's name in the store: its seed and first day."""
        return f"seed{self.manifest['seed']}-{self.manifest['first_day']}"

    def path(self, key: str, day: dict[str, str] | None = None) -> Path:
        """A file of the scenario by its manifest key (a day's, with ``day``)."""
        return self.folder / (day or self.manifest)[key]


logger = logging.getLogger(__name__)
Progress = Callable[[str], None]
DAY_STAGES = (
    "reading orders",
    "choosing cartons",
    "merging and consolidating",
    "issuing e-waybills",
    "routing the last mile",
    "scheduling park energy",
    "capturing container events",
    "tracking parcels",
    "calculating emissions",
    "updating the ledger",
)


@contextmanager
def stage(name: str, source: str | Path, progress: Progress) -> Iterator[None]:
    """Run a stage; any failure becomes a StageError naming the stage and its input."""
    progress(name)
    started = perf_counter()
    try:
        yield
        seconds = round(perf_counter() - started, 3)
        logger.info("stage done", extra={"stage": name, "source": str(source), "seconds": seconds})
    except StageError:
        raise
    except InputError as e:
        raise StageError(name, str(source), "; ".join(map(str, e.problems[:5]))) from e
    except Exception as e:  # any failure of a stage is reported with where it happened
        raise StageError(name, str(source), f"{type(e).__name__}: {e}") from e


def read_world(folder: Path) -> World:
    """The scenario under ``folder`` (its scenario.json and fixed files), checked."""
    with stage("reading the scenario", folder / "scenario.json", _quiet):
        manifest = json.loads((folder / "scenario.json").read_text())
        routes, problems = read_tces(folder / manifest["routes"], ROUTE_COLUMNS)
        if problems:
            raise InputError(problems)
        places, unparsed = read_tces(folder / manifest["places"], PLACE_COLUMNS)
        fleet, bad_fleet = read_tces(folder / manifest["fleet"], FLEET_COLUMNS)
        if unparsed or bad_fleet:
            raise InputError(unparsed + bad_fleet)
        park = check(json.loads((folder / manifest["park"]).read_text()), ParkDoc, "park.json")
        return World(
            folder,
            manifest,
            network_from_rows(routes.to_dicts(), manifest["routes"]),
            read_catalogue(folder / manifest["cartons"]),
            places,
            fleet,
            park,
        )


def _quiet(_: str) -> None:
    """No progress to show."""


def prepare(engine: sa.Engine, world: World, progress: Progress = _quiet) -> Caller:
    """The operator and its merchants as organizations; the ledger's own figures and targets."""
    org = world.manifest["organization"]
    with stage("registering organizations", "scenario.json", progress):
        if organization(engine, org) is None:
            create_organization(engine, org, "greenlane demo network", "operator")
        register_prefix(engine, org, COMPANY_PREFIX)
        for merchant in _merchants(world):
            if organization(engine, merchant) is None:
                create_organization(engine, merchant, f"merchant {merchant}", "shipper")
    caller = Caller(org, Role.OPERATOR, "pipeline")
    with stage("importing the ledger", world.manifest["ledger"], progress):
        entries = read_parsed(world.path("ledger"), LEDGER_COLUMNS, entries_from_rows)
        with engine.begin() as conn:
            import_entries(conn, caller, entries)
    with stage("setting ESG targets", world.manifest["targets"], progress):
        for target in read_parsed(world.path("targets"), TARGET_COLUMNS, targets_from_rows):
            set_esg_target(engine, caller, target)
    return caller


def _merchants(world: World) -> list[str]:
    """Every merchant of the scenario's orders (they are its shippers)."""
    found: set[str] = set()
    for day in world.manifest["days"]:
        found |= set(pl.read_csv(world.path("orders", day), columns=["merchant_id"])["merchant_id"])
    return sorted(found)


def run_day(
    conn: sa.Connection,
    world: World,
    caller: Caller,
    files: dict[str, str],
    progress: Progress,
    levers: Levers,
) -> dict[str, Any]:
    """One day of operations, written in ``conn``'s transaction; the day's figures."""
    day, scenario = date.fromisoformat(files["day"]), world.name
    with stage("reading orders", files["orders"], progress):
        orders, left_out = _orders(world, files)
    with stage("choosing cartons", files["items"], progress):
        packed, more = _pack(conn, caller, world, files)
        left_out += more
    with stage("merging and consolidating", files["orders"], progress):
        first_serial = 1 + world.manifest["days"].index(files) * 1_000_000
        plan = world.network.plan(
            orders,
            HOLD,
            BAG,
            lambda n: make_sscc(COMPANY_PREFIX, first_serial + n),
            carton_packer(world.cartons),
        )
    with stage("issuing e-waybills", files["orders"], progress):
        sheets = plan.shipped * SHEETS_PER_WAYBILL
        bills = waybill_rows(plan, world.network)
        store_plan(conn, caller, f"{scenario}:{day}", day, plan_sums(plan, sheets), bills)
    with stage("routing the last mile", files["addresses"], progress):
        routed = _route(conn, caller, world, plan, files, day, levers)
    with stage("scheduling park energy", world.manifest["park"], progress):
        ours, rule = _energy(world.park, day)
    with stage("capturing container events", files["containers"], progress):
        captured = _capture(conn, caller, world.path("containers", files))
    with stage("tracking parcels", files["orders"], progress):
        on_time = _track(conn, caller, world, plan, routed.arrivals)
    with stage("calculating emissions", files["orders"], progress):
        activity = _activity(world, plan, routed)
        store_batch(conn, caller, activity, f"pipeline:{scenario}:{day}", _digest(world, files))
    with stage("updating the ledger", files["cartons"], progress):
        cartons = collections(read_rows(world.path("cartons", files), CARTON_COLUMNS), "cartons")
        import_entries(
            conn,
            caller,
            carton_entries(cartons, files["cartons"])
            + _energy_entries(world.park, day, ours)
            + [_entry(day, "parcels", "parcels.on_time", on_time, "parcels", "tracking")],
        )
    figures = {
        "day": day.isoformat(),
        "orders": plan.orders,
        "parcels": plan.shipped,
        "left_out": [str(p) for p in left_out]
        + [f"parcel {u.parcel_id} not shipped: {u.reason}" for u in plan.unplaced],
        "tces": activity.height,
        "co2e_wtw_kg": float(activity["co2e_wtw_kg"].sum()),
        "tkm": float(activity["transport_activity_tkm"].sum()),
        "delivered": len(routed.arrivals) + _not_routed(world, plan),
        "on_time": on_time,
        "undelivered": routed.unserved,
        "containers_stored": captured,
        "energy": {
            "pv_used_kwh": ours.pv_used_kwh,
            "import_kwh": ours.import_kwh,
            "cost": ours.cost,
            "baseline_cost": rule.cost,
        },
        "levers": {
            "consolidation": _lever(plan.co2e_wtw_kg, plan.baseline_co2e_wtw_kg),
            "packaging": _lever(packed[0].co2e_board_kg, packed[1].co2e_board_kg)
            | {"board_kg": packed[0].board_kg, "baseline_board_kg": packed[1].board_kg},
            "last_mile": _lever(routed.co2e_wtw_kg, routed.baseline_co2e_wtw_kg),
            "park_energy": _lever(ours.co2e_kg, rule.co2e_kg),
            "carton_reuse": _lever(0.0, savings(cartons).co2e_saved_kg),
            "e_waybills": {"paper_sheets_avoided": sheets},
        },
    }
    mark_day(conn, caller.organization_id, scenario, day, figures)
    return figures


def _lever(plan_kg: float, baseline_kg: float) -> dict[str, float]:
    """A lever's CO2e, its baseline's, and the saving (baseline minus plan)."""
    return {"plan_kg": plan_kg, "baseline_kg": baseline_kg, "saving_kg": baseline_kg - plan_kg}


def _orders(world: World, files: dict[str, str]) -> tuple[list[Order], list[Problem]]:
    """The day's orders through the parcels module's reader; bad rows named and left out."""
    frame, problems = read_tces(world.path("orders", files), ORDER_COLUMNS)
    return orders_from_frame(frame, problems, files["orders"], set(world.network.planned))


def _pack(
    conn: sa.Connection, caller: Caller, world: World, files: dict[str, str]
) -> tuple[tuple[Footprint, Footprint], list[Problem]]:
    """Cartons for every order's items, against the world's one standard carton; stored."""
    frame, problems = read_tces(world.path("items", files), ITEM_COLUMNS)
    unparsed = {p.row for p in problems if p.row is not None}
    orders, more = orders_from_rows(frame.to_dicts(), files["items"], unparsed)
    standard = next(c for c in world.cartons if c.carton_id == world.manifest["standard_carton"])
    rows, sides = [], []
    for order_id, items in orders.items():
        plan = plan_order(order_id, items, world.cartons)
        mine, theirs = against(plan, items, lambda o: default_carton_boxes(o, standard))
        rows.append(
            plan_row(packing_record(plan), "board", f"default:{standard.carton_id}", mine, theirs)
        )
        sides.append((mine, theirs))
    store_plans(conn, caller, rows)
    totals = tuple(_sum_footprints([s[k] for s in sides]) for k in (0, 1))
    return (totals[0], totals[1]), problems + more


def _sum_footprints(prints: list[Footprint]) -> Footprint:
    """Footprints added up."""
    return sum(prints, Footprint(0, 0.0, 0.0, 0.0, 0.0))


@dataclass(frozen=True, slots=True)
class RoutedDay:
    """The routed country's last mile of a day: when each parcel arrives, and the CO2e."""

    arrivals: dict[str, datetime]
    unserved: list[str]
    co2e_wtw_kg: float
    baseline_co2e_wtw_kg: float
    tocs: list[dict[str, Any]]
    tces: list[dict[str, Any]]


def _route(
    conn: sa.Connection,
    caller: Caller,
    world: World,
    plan: ParcelPlan,
    files: dict[str, str],
    day: date,
    levers: Levers,
) -> RoutedDay:
    """Route the routed country's parcels from the e-Hub; baseline: diesel vans, cost only."""
    problem = _routing_problem(world, plan, files)
    plan_id = f"{world.name}:{day}"
    if not problem.stops:
        return RoutedDay({}, [], 0.0, 0.0, [], [])
    solved = plan_routes(problem, levers.carbon_price, levers.routing_seconds, levers.seed)
    diesel = problem.with_fleet(fleet_mix(problem.fleet, 0.0))
    baseline = plan_routes(diesel, 0.0, levers.routing_seconds, levers.seed)
    priced = price(problem, solved, plan_id)
    record = route_record(problem, solved, priced, levers.carbon_price)
    store_route_plan(conn, caller, plan_id, record)
    tocs, tces = plan_rows(problem, solved, plan_id)
    delivery = _delivery_day(world, plan, problem)
    return RoutedDay(
        arrivals=_arrivals(solved, delivery),
        unserved=[u.stop_id for u in solved.unserved],
        co2e_wtw_kg=sum(p.co2e_wtw_kg for p in priced),
        baseline_co2e_wtw_kg=sum(p.co2e_wtw_kg for p in price(diesel, baseline, "baseline")),
        tocs=tocs,
        tces=[t | {"departure_at": delivery.isoformat()} for t in tces],
    )


def _routing_problem(world: World, plan: ParcelPlan, files: dict[str, str]) -> RoutingProblem:
    """The routed country's shipped parcels as stops (one per parcel) at their buyers' places."""
    country = world.manifest["routed_country"]
    addresses = {
        row["consignee_id"]: row
        for row in read_rows(world.path("addresses", files), ADDRESS_COLUMNS)
    }
    stops = []
    for sscc, shipment in plan.parcels:
        first = shipment.orders[0]
        if first.country != country or sscc not in plan.co2e_by_parcel:
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
    transit = timedelta(days=world.network.transit_days[world.manifest["routed_country"]])
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


def _energy(park: ParkDoc, day: date) -> tuple[EnergyKpis, EnergyKpis]:
    """The park's day (noon to noon) optimised for cost, and the rule without optimisation."""
    series, _ = park_for(park, datetime.combine(day, time()), 1, 1.0)
    planned, ruled = by_day(series, "cost", 24)
    return kpis(series, planned), kpis(series, ruled)


def _energy_entries(park: ParkDoc, day: date, ours: EnergyKpis) -> list[Entry]:
    """The park's grid import and solar used on site, for the clean-electricity KPI."""
    return [
        _entry(day, park.park_id, "electricity.grid", ours.import_kwh, "kWh", "park plan"),
        _entry(day, park.park_id, "electricity.onsite_solar", ours.pv_used_kwh, "kWh", "park plan"),
    ]


def _entry(day: date, site: str, metric: str, value: float, unit: str, source: str) -> Entry:
    """A ledger entry of one day and site, its id made from them."""
    return Entry(f"pipeline:{site}:{day}:{metric}", site, day, day, metric, float(value), unit,
                 f"greenlane pipeline ({source})")  # fmt: skip


def _capture(conn: sa.Connection, caller: Caller, path: Path) -> int:
    """An EPCIS document checked whole, then stored (events seen before are skipped)."""
    events = _epcis(path)
    org = caller.organization_id
    return capture(conn, org, open_capture(conn, org, len(events)), events).stored


def _epcis(path: Path) -> list[EpcisEvent]:
    """The events of an EPCIS document; InputError naming every bad event and field."""
    events, problems = read_epcis(json.loads(path.read_text()), path.name)
    if problems:
        raise InputError(problems)
    return events


def _track(
    conn: sa.Connection,
    caller: Caller,
    world: World,
    plan: ParcelPlan,
    arrivals: dict[str, datetime],
) -> int:
    """Scans of every shipped parcel (departed, arrived, delivered); how many were on time."""
    scans, on_time = [], 0
    for sscc, shipment in plan.parcels:
        if sscc not in plan.co2e_by_parcel:
            continue
        first = shipment.orders[0]
        route = world.network.planned[first.country]
        reached = shipment.leaves_at + world.network.transit(first.country, first.service)
        scans += [
            Scan(sscc, "departed", shipment.leaves_at, route.origin_hub),
            Scan(sscc, "arrived", reached, route.gateway),
        ]
        delivered = arrivals.get(sscc) if first.country == _routed(world) else reached
        if delivered is None:
            continue  # left unserved by the routes: no delivery scan (the day's figures say so)
        scans.append(Scan(sscc, "delivered", delivered, first.country))
        on_time += delivered <= min(o.promised_by for o in shipment.orders)
    _, problems = add_events(conn, caller, scans)
    if problems:
        raise InputError(problems)
    return on_time


def _routed(world: World) -> str:
    """The country whose last mile the routing module plans."""
    return str(world.manifest["routed_country"])


def _not_routed(world: World, plan: ParcelPlan) -> int:
    """Shipped parcels delivered by their route's last mile (not by the routing module)."""
    return sum(
        1
        for sscc, s in plan.parcels
        if sscc in plan.co2e_by_parcel and s.orders[0].country != _routed(world)
    )


def _activity(world: World, plan: ParcelPlan, routed: RoutedDay) -> pl.DataFrame:
    """Every TCE of the day, calculated: the parcels' chains and the routed last mile.

    A chain is reported under the merchant of the parcel's first order. The routed
    country's route has a 0 km last mile (its vehicles' TCEs replace it), left out here.
    """
    rows = []
    for sscc, shipment in plan.parcels:
        if sscc not in plan.co2e_by_parcel:
            continue
        first = shipment.orders[0]
        route = world.network.planned[first.country]
        extra = {"shipper_id": first.merchant_id, "departure_at": shipment.leaves_at.isoformat()}
        rows += [
            row | extra
            for row in parcel_tces(sscc, shipment, route, plan.packaging_by_parcel[sscc])
            if row.get("distance_km") != 0
        ]
    frame = pl.DataFrame(rows + routed.tces, infer_schema_length=None)
    return calculate_tces(frame, tocs=routed.tocs or None).results


def _digest(world: World, files: dict[str, str]) -> str:
    """SHA-256 of the day's input files (the batch is made from them)."""
    digest = hashlib.sha256()
    for key in ("orders", "items", "addresses"):
        digest.update(world.path(key, files).read_bytes())
    return digest.hexdigest()


def run(
    folder: Path, engine: sa.Engine, progress: Progress = _quiet, levers: Levers | None = None
) -> list[dict[str, Any]]:
    """Run every day of the scenario not yet in the store, then the once-a-week steps.

    Returns the figures of every day of the scenario (those run before included). The levers
    are the settings' unless given.
    """
    levers = levers or Levers.of(settings())
    world = read_world(folder)
    caller = prepare(engine, world, progress)
    done = days_done(engine, caller.organization_id, world.name)
    for files in world.manifest["days"]:
        if date.fromisoformat(files["day"]) in done:
            continue
        progress(f"day {files['day']}")
        with engine.begin() as conn:
            run_day(conn, world, caller, files, progress, levers)
    respond_to_relief(engine, world, caller, progress, levers.carbon_price)
    report_containers(engine, world, caller, progress)
    return [
        figures
        for _, figures in sorted(days_done(engine, caller.organization_id, world.name).items())
    ]


def respond_to_relief(
    engine: sa.Engine, world: World, caller: Caller, progress: Progress, carbon_price: float
) -> dict[str, Any]:
    """Check the tagged kits, hold the failed ones back, plan the response; one transaction.

    The kit events are captured, the checks go to the ledger (kit error rate), and the plan is
    stored (planning the event again replaces it).
    """
    manifest = world.manifest
    with stage("checking relief kits", manifest["relief_kits"], progress):
        boms = bills_of_materials(read_rows(world.path("relief_bom"), BOM_COLUMNS))
        checks = verify(kit_reads(_epcis(world.path("relief_kits")), manifest["relief_kits"]), boms)
        blocked = Counter(
            manifest["kit_types"].get(c.kit_type, c.kit_type) for c in checks if not c.passed
        )
    with stage("planning the relief response", manifest["relief_event"], progress):
        event = event_of(read_relief(world.path("relief_event"), EventDoc))
        network = network_of(
            read_relief(world.path("relief_network"), NetworkDoc), manifest["relief_network"]
        )
        network = without(network, manifest["kits_packed_at"], dict(blocked))
        record = relief_record(plan_relief(event, network, carbon_price, 10.0), event)
        day = (event.starts_at or datetime.fromisoformat(manifest["first_day"])).date()
        with engine.begin() as conn:
            _capture(conn, caller, world.path("relief_kits"))
            store_relief_plan(conn, caller, record)
            import_entries(conn, caller, [
                _entry(day, "relief", "kits.checked", len(checks), "kits", "kit checks"),
                _entry(day, "relief", "kits.failed", sum(blocked.values()), "kits", "kit checks"),
            ])  # fmt: skip
    return record | {"kits_checked": len(checks), "kits_blocked": dict(blocked)}


def report_containers(
    engine: sa.Engine, world: World, caller: Caller, progress: Progress
) -> dict[str, Any]:
    """The reusable totes' report as of the end of the scenario, kept for the dashboard."""
    last = date.fromisoformat(world.manifest["days"][-1]["day"]) + timedelta(days=2)
    with stage("reporting reusable containers", "stored EPCIS events", progress):
        org = caller.organization_id
        record = containers_report(
            engine, org, datetime.combine(last, time()), timedelta(days=3), read_case()
        )
        store_containers_report(engine, org, record)
    return record


HEADLINE_KPIS = (
    "scope3_cat4_t",
    "transport_intensity",
    "clean_electricity_share",
    "packaging_avoided_t",
    "paper_sheets_avoided",
    "container_trips",
    "relief_need_met",
    "kit_error_rate",
    "on_time_rate",
    "women_share",
    "training_hours_per_employee",
    "volunteer_hours",
)


def summarize(engine: sa.Engine, world: World, days: list[dict[str, Any]]) -> dict[str, Any]:
    """The week in figures: CO2e and intensity, each lever's saving, energy, relief, ESG KPIs."""
    caller = Caller(world.manifest["organization"], Role.OPERATOR, "pipeline")
    co2e = sum(d["co2e_wtw_kg"] for d in days)
    tkm = sum(d["tkm"] for d in days)
    levers: dict[str, dict[str, float]] = {}
    for figures in days:
        for lever, values in figures["levers"].items():
            for name, value in values.items():
                levers.setdefault(lever, {})[name] = levers.get(lever, {}).get(name, 0) + value
    pv = sum(d["energy"]["pv_used_kwh"] for d in days)
    grid = sum(d["energy"]["import_kwh"] for d in days)
    relief = latest_relief_plan(engine, caller)
    return {
        "days": len(days),
        "orders": sum(d["orders"] for d in days),
        "parcels": sum(d["parcels"] for d in days),
        "delivered": sum(d["delivered"] for d in days),
        "tces": sum(d["tces"] for d in days),
        "co2e_wtw_kg": co2e,
        "intensity_wtw_g_per_tkm": co2e * 1000 / tkm if tkm else None,
        "levers": levers,
        "solar_share": pv / (pv + grid) if pv + grid else None,
        "park_cost": sum(d["energy"]["cost"] for d in days),
        "park_baseline_cost": sum(d["energy"]["baseline_cost"] for d in days),
        "relief_share_met": relief["totals"]["share_met"] if relief else None,
        "relief_deadline_h": relief["deadline_h"] if relief else None,
        "esg": _headline(engine, caller, date.fromisoformat(world.manifest["first_day"])),
    }


def _headline(engine: sa.Engine, caller: Caller, day: date) -> dict[str, dict[str, Any]]:
    """The headline ESG KPIs of the fiscal (calendar) year the scenario falls in."""
    calendar = FiscalCalendar(1)
    label = calendar.label_of(day)
    entries = ledger(engine, caller)
    values, _ = year_kpis(
        Inputs(caller.organization_id, label, calendar, entries,
               transport_by_mode(engine, caller, calendar, label)),
        label,
    )  # fmt: skip
    return {
        v.kpi.kpi_id: {"name": v.kpi.name, "unit": v.kpi.unit, "value": v.value}
        for v in values
        if v.kpi.kpi_id in HEADLINE_KPIS
    }
