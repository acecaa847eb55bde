"""One day of the main job, each stage named: orders to plans to activity to the ledger.

Set the carton batches going → read the orders → set the lanes merging and consolidating →
store the cartons → collect the lanes → set the last mile's zones routing → issue e-waybills
→ schedule the park's energy → capture container events → calculate the chains' emissions
(ISO 14083) → track the parcels → collect the routes → track the routed deliveries →
calculate the routes' emissions → update the ledger. The day is written in one transaction;
its figures are a :class:`~greenlane.app.figures.DayFigures`. Carton choice (per batch of
orders), merging and consolidation (per destination country) and routing (per delivery zone)
run their partitions on the runner given. On a pool or Spark the carton batches pack while
the driver reads the orders; the lanes queue behind them, so a worker done packing starts on
a lane while the driver still stores cartons; the zones are routed while the driver does the
work that does not need the routes (a million orders: the driver's e-waybills, chains and
scans took three minutes with a core idle).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from greenlane.app.energy import plan_park
from greenlane.app.figures import DayFigures, ParkDay, Saving, Savings
from greenlane.app.packing import PackedBatch, as_batch, keep_batches, pack_orders
from greenlane.app.parcels import keep_plan, orders_of
from greenlane.app.pipeline.activity import DayTces, chain_tces, own_data
from greenlane.app.pipeline.lanes import start_lanes
from greenlane.app.pipeline.last_mile import start_routes, store_routes
from greenlane.app.pipeline.partitions import Runner, Tick
from greenlane.app.pipeline.stages import Progress, stage
from greenlane.app.pipeline.world import (
    SHEETS_PER_WAYBILL,
    Levers,
    World,
)
from greenlane.energy.document import ParkDoc
from greenlane.energy.kpis import EnergyKpis
from greenlane.errors import InputError, Problem
from greenlane.esg.ledger import Entry
from greenlane.io import read_rows, read_tces
from greenlane.packing.model import Carton
from greenlane.packing.savings import Footprint, in_default_carton
from greenlane.packing.schema import ITEM_COLUMNS
from greenlane.packing.tables import orders_from_rows
from greenlane.parcels.plan import ParcelPlan
from greenlane.parcels.schema import ORDER_COLUMNS
from greenlane.parcels.tracking import Event as Scan
from greenlane.store.access import Caller
from greenlane.store.epcis import capture, open_capture
from greenlane.store.esg import carton_entries, import_entries
from greenlane.store.parcels import add_events
from greenlane.store.pipeline import mark_day
from greenlane.traceability.cartons import collections, savings
from greenlane.traceability.epcis import Event as EpcisEvent
from greenlane.traceability.epcis import read_document as read_epcis
from greenlane.traceability.schema import CARTON_COLUMNS

PACK_BATCH = 2_000  # orders in one partition of carton choice
ROW, BATCH = "__row__", "__batch__"  # an item row's number in its file, and its batch
SERIALS_PER_DAY = 1_000_000  # a day's block of SSCC serials (the generator's most orders a day)


def run_day(
    conn: sa.Connection,
    world: World,
    caller: Caller,
    files: dict[str, str],
    progress: Progress,
    levers: Levers,
    runner: Runner,
) -> DayFigures:
    """One day of operations, written in ``conn``'s transaction; the day's figures."""
    day, scenario = date.fromisoformat(files["day"]), world.name
    with stage("choosing cartons", files["items"], progress):
        packing = _start_packing(world, files, runner, _ticks("choosing cartons", progress))
    with stage("reading orders", files["orders"], progress):  # while a pool packs
        orders, left_out = orders_of(
            *read_tces(world.path("orders", files), ORDER_COLUMNS, files["orders"]),
            files["orders"],
            world.network,
        )
    with stage("merging and consolidating", files["orders"], progress):  # lanes set going
        first_serial = 1 + world.manifest["days"].index(files) * SERIALS_PER_DAY
        ticks = _ticks("merging and consolidating", progress)
        lanes = start_lanes(orders, world.network, world.cartons, first_serial, runner, ticks)
    with stage("choosing cartons", files["items"], progress):
        packed, more = _keep_packing(conn, caller, day, packing)
        left_out += more
    with stage("merging and consolidating", files["orders"], progress):  # lanes collected
        plan = lanes.plan()
    with stage("routing the last mile", files["addresses"], progress):
        ticks = _ticks("routing the last mile", progress)
        routing = start_routes(world, plan, files, day, levers, runner, ticks)  # zones set going
    with stage("issuing e-waybills", files["orders"], progress):
        plan_id = f"{scenario}:{day}"
        sheets = keep_plan(conn, caller, plan_id, plan, world.network, SHEETS_PER_WAYBILL, day)
    with stage("scheduling park energy", world.manifest["park"], progress):
        park_day = plan_park(world.park, datetime.combine(day, time()), 1)  # noon to noon
        ours, rule = park_day.ours, park_day.rule
    with stage("capturing container events", files["containers"], progress):
        captured = capture_file(conn, caller, world.path("containers", files))
    with stage("calculating emissions", files["orders"], progress):  # the chains' TCEs
        own, key = own_data(world, files, park_day), f"pipeline:{scenario}:{day}"
        day_tces = DayTces(conn, caller, key, _digest(world, files))
        day_tces.add(chain_tces(world, plan, own), own.tocs, own.hocs)
    with stage("tracking parcels", files["orders"], progress):  # all but routed deliveries
        on_time = _track(conn, caller, world, plan, None)
    with stage("routing the last mile", files["addresses"], progress):  # the zones collected
        routed = store_routes(conn, caller, routing)
    with stage("tracking parcels", files["orders"], progress):  # the routed deliveries
        on_time += _track(conn, caller, world, plan, routed.arrivals)
    with stage("calculating emissions", files["orders"], progress):  # the routes' TCEs
        routes = pl.DataFrame(routed.tces, infer_schema_length=None)
        day_tces.add(iter([routes]), routed.tocs, [])
        activity = day_tces.close()
    with stage("updating the ledger", files["cartons"], progress):
        cartons = collections(read_rows(world.path("cartons", files), CARTON_COLUMNS), "cartons")
        import_entries(
            conn,
            caller,
            carton_entries(cartons, files["cartons"])
            + _energy_entries(world.park, day, ours)
            + [entry(day, "parcels", "parcels.on_time", on_time, "parcels", "tracking")],
        )
    figures = DayFigures(
        day=day,
        orders=plan.orders,
        parcels=plan.shipped,
        left_out=[str(p) for p in left_out]
        + [f"parcel {u.parcel_id} not shipped: {u.reason}" for u in plan.unplaced],
        tces=activity.tces,
        co2e_wtw_kg=activity.co2e_wtw_kg,
        tkm=activity.tkm,
        delivered=len(routed.arrivals) + _not_routed(world, plan),
        on_time=on_time,
        undelivered=routed.unserved,
        containers_stored=captured,
        categories=activity.categories,
        energy=ParkDay(ours.pv_used_kwh, ours.import_kwh, ours.cost, rule.cost),
        levers=Savings(
            consolidation=Saving(plan.co2e_wtw_kg, plan.baseline_co2e_wtw_kg),
            packaging=Saving(packed[0].co2e_board_kg, packed[1].co2e_board_kg),
            board_kg=packed[0].board_kg,
            baseline_board_kg=packed[1].board_kg,
            last_mile=Saving(routed.co2e_wtw_kg, routed.baseline_co2e_wtw_kg),
            park_energy=Saving(ours.co2e_kg, rule.co2e_kg),
            carton_reuse=Saving(0.0, savings(cartons).co2e_saved_kg),
            paper_sheets_avoided=sheets,
        ),
    )
    mark_day(conn, caller.organization_id, scenario, day, figures.record())
    return figures


def _ticks(name: str, progress: Progress) -> Tick:
    """A stage's partition progress as ``"stage: partition (done/all)"`` messages."""

    def tick(partition: str, done: int, total: int) -> None:
        progress(f"{name}: {partition} ({done}/{total})")

    return tick


@dataclass(frozen=True, slots=True)
class _Packing:
    """The day's carton batches set going, and the item rows that did not parse."""

    done: Iterator[tuple[PackedBatch, list[Problem]]]
    problems: list[Problem]


def _start_packing(world: World, files: dict[str, str], runner: Runner, tick: Tick) -> _Packing:
    """Every order's items set packing, against the world's one standard carton.

    The orders are packed in batches of ``PACK_BATCH``, each a partition on the runner that
    reads its own orders' item rows: the driver never holds the day's items as objects. On a
    pool or Spark the batches start now, so the driver reads the orders while they pack (a
    million orders: 11 s with the workers not yet started); in process, each batch is packed
    when it is read.
    """
    frame, problems = read_tces(world.path("items", files), ITEM_COLUMNS, files["items"])
    unparsed = {p.row for p in problems if p.row is not None}
    batches = _order_batches(frame, unparsed)
    del frame
    standard = next(c for c in world.cartons if c.carton_id == world.manifest["standard_carton"])
    baseline = f"default:{standard.carton_id}"
    pack = partial(pack_batch, tuple(world.cartons), standard, baseline, files["items"])
    return _Packing(runner.iterate(pack, batches, tick), problems)


def _keep_packing(
    conn: sa.Connection, caller: Caller, day: date, packing: _Packing
) -> tuple[tuple[Footprint, Footprint], list[Problem]]:
    """Each batch's packings stored as it comes back; the plan's and baseline's footprints."""
    packed_at = datetime.combine(day, time(), UTC)  # the figures count on the scenario's day
    totals = [Footprint(0, 0.0, 0.0, 0.0, 0.0)] * 2  # the plan's and the baseline's
    left_out: list[Problem] = []

    def summed(done: Iterator[tuple[PackedBatch, list[Problem]]]) -> Iterator[PackedBatch]:
        for batch, bad_rows in done:  # each batch counted on its way to the store
            left_out.extend(bad_rows)
            totals[0] = sum(batch.footprints, totals[0])
            totals[1] = sum(batch.baselines, totals[1])
            yield batch

    keep_batches(conn, caller, summed(packing.done), packed_at)
    return (totals[0], totals[1]), packing.problems + left_out


def _order_batches(
    frame: pl.DataFrame, unparsed: set[int]
) -> list[tuple[str, tuple[pl.DataFrame, frozenset[int]]]]:
    """The item rows cut into batches of ``PACK_BATCH`` orders (as each order first appears).

    Each batch keeps its rows' numbers in the file, and which of them did not parse.
    """
    if not frame.height:  # an empty file: nothing to pack
        return []
    numbered = frame.with_row_index(ROW, offset=1)
    first_row = pl.col(ROW).min().over("order_id")
    ordinal = first_row.rank("dense") - 1
    numbered = numbered.with_columns((ordinal // PACK_BATCH).alias(BATCH))
    orders = numbered["order_id"].n_unique()
    parts = []
    for n, part in enumerate(numbered.partition_by(BATCH, maintain_order=True)):
        first = n * PACK_BATCH
        name = f"orders {first + 1}-{min(first + PACK_BATCH, orders)}"
        bad = frozenset(unparsed.intersection(part[ROW].to_list()))
        parts.append((name, (part.drop(BATCH), bad)))
    return parts


def pack_batch(
    cartons: tuple[Carton, ...],
    standard: Carton,
    baseline: str,
    file: str,
    batch: tuple[pl.DataFrame, frozenset[int]],
) -> tuple[PackedBatch, list[Problem]]:
    """A batch of orders read from its item rows and packed (a partition of the stage).

    Each order is packed against the standard carton. Sent back as the rows to store (made
    in the worker, not the driver), the footprints, and the rows left out (by file row).
    """
    items, unparsed = batch
    numbers = items[ROW].to_list()
    rows = items.drop(ROW).iter_rows(named=True)
    orders, problems = orders_from_rows(rows, file, unparsed, numbers)
    packed = pack_orders(orders, cartons, partial(in_default_carton, carton=standard))
    return as_batch(packed, "board", baseline), problems


def _energy_entries(park: ParkDoc, day: date, ours: EnergyKpis) -> list[Entry]:
    """The park's grid import and solar used, and the grid factor it plans with (Scope 2)."""
    factor = park.grid_ef if isinstance(park.grid_ef, float) else sum(park.grid_ef) / 24
    site = park.park_id
    return [
        entry(day, site, "electricity.grid", ours.import_kwh, "kWh", "park plan", park.region),
        entry(day, site, "electricity.onsite_solar", ours.pv_used_kwh, "kWh", "park plan"),
        entry(day, site, "factor.grid_location", factor, "kg/kWh", park.grid_ef_source),
    ]


def entry(
    day: date, site: str, metric: str, value: float, unit: str, source: str, region: str = "EU"
) -> Entry:
    """A ledger entry of one day and site, its id made from them."""
    return Entry(f"pipeline:{site}:{day}:{metric}", site, day, day, metric, float(value), unit,
                 f"greenlane pipeline ({source})", region)  # fmt: skip


def capture_file(conn: sa.Connection, caller: Caller, path: Path) -> int:
    """An EPCIS document checked whole, then stored (events seen before are skipped)."""
    events = read_events(path)
    org = caller.organization_id
    return capture(conn, org, open_capture(conn, org, len(events)), events).stored


def read_events(path: Path) -> list[EpcisEvent]:
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
    arrivals: dict[str, datetime] | None,
) -> int:
    """Scans of the shipped parcels (departed, arrived, delivered); how many were on time.

    Without ``arrivals`` (the routes not collected yet): every parcel's departure and
    arrival, and the deliveries of the parcels not routed. With them: the routed deliveries.
    """
    scans, on_time = [], 0
    for sscc, shipment in plan.parcels:
        if sscc not in plan.co2e_by_parcel:
            continue
        first = shipment.orders[0]
        routed = first.country == world.routed_country
        reached = shipment.leaves_at + world.network.transit(first.country, first.service)
        if arrivals is None:
            route = world.network.planned[first.country]
            scans += [
                Scan(sscc, "departed", shipment.leaves_at, route.origin_hub),
                Scan(sscc, "arrived", reached, route.gateway),
            ]
        delivered = (None if routed else reached) if arrivals is None else arrivals.get(sscc)
        if delivered is None:
            continue  # routed later, or left unserved by the routes: no delivery scan (yet)
        scans.append(Scan(sscc, "delivered", delivered, first.country))
        on_time += delivered <= min(o.promised_by for o in shipment.orders)
    _, problems = add_events(conn, caller, scans)
    if problems:
        raise InputError(problems)
    return on_time


def _not_routed(world: World, plan: ParcelPlan) -> int:
    """Shipped parcels delivered by their route's last mile (not by the routing module)."""
    return sum(
        1
        for sscc, s in plan.parcels
        if sscc in plan.co2e_by_parcel and s.orders[0].country != world.routed_country
    )


def _digest(world: World, files: dict[str, str]) -> str:
    """SHA-256 of the day's input files (the batch is made from them)."""
    digest = hashlib.sha256()
    for key in ("orders", "items", "addresses"):
        digest.update(world.path(key, files).read_bytes())
    return digest.hexdigest()
