"""The main job over a scenario: prepare once, run each day not yet stored, then the week's steps.

Once before the days: the operator and its merchants as organizations, the ledger's own
figures and targets. Once after: the relief kits checked (RFID) and the response to the
week's disaster planned without the failed ones; the reusable containers' report; the
summary of the week.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from greenlane.app.esg import esg_inputs
from greenlane.app.figures import (
    CATEGORIES,
    NO_SAVINGS,
    DayFigures,
    HeadlineKpi,
    WeekSummary,
)
from greenlane.app.kit_reads import kit_reads
from greenlane.app.pipeline.collector import fewer_collections
from greenlane.app.pipeline.day import capture_file, entry, read_events, run_day
from greenlane.app.pipeline.partitions import Runner, runner_of
from greenlane.app.pipeline.stages import Progress, quiet, stage
from greenlane.app.pipeline.world import COMPANY_PREFIX, Levers, World, read_world
from greenlane.app.relief import plan_response
from greenlane.energy.document import weather_label
from greenlane.esg.fiscal import FiscalCalendar
from greenlane.esg.ledger import entries_from_rows
from greenlane.esg.report import year_kpis
from greenlane.esg.schema import LEDGER_COLUMNS, TARGET_COLUMNS
from greenlane.esg.targets import targets_from_rows
from greenlane.io import read_parsed, read_rows
from greenlane.io.documents import read_document as read_relief
from greenlane.relief.documents import EventDoc, NetworkDoc, event_of, network_of
from greenlane.relief.kits import bills_of_materials, verify
from greenlane.relief.model import without
from greenlane.relief.schema import BOM_COLUMNS
from greenlane.settings import settings
from greenlane.store.access import Caller, create_organization, organization
from greenlane.store.epcis import containers_report, store_containers_report
from greenlane.store.esg import import_entries, set_esg_target
from greenlane.store.parcels import register_prefix
from greenlane.store.pipeline import days_done
from greenlane.store.relief import latest_relief_plan, store_relief_plan
from greenlane.store.tables import Role
from greenlane.traceability.reuse import read_case

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


def run(
    folder: Path,
    engine: sa.Engine,
    progress: Progress = quiet,
    levers: Levers | None = None,
    runner: Runner | None = None,
) -> list[DayFigures]:
    """Run every day of the scenario not yet in the store, then the once-a-week steps.

    Returns the figures of every day of the scenario (those run before included). The levers
    and the runner of the partitions are the settings' unless given.
    """
    with fewer_collections():
        return _run(folder, engine, progress, levers, runner)


def _run(
    folder: Path,
    engine: sa.Engine,
    progress: Progress,
    levers: Levers | None,
    runner: Runner | None,
) -> list[DayFigures]:
    current = settings()
    levers = levers or Levers.of(current)
    world = read_world(folder)
    caller = prepare(engine, world, progress)
    done = days_done(engine, caller.organization_id, world.name)
    own = runner is None
    runner = runner or runner_of(
        current.pipeline_engine, current.pipeline_workers, current.spark_master
    )
    try:
        for files in world.manifest["days"]:
            if date.fromisoformat(files["day"]) in done:
                continue
            progress(f"day {files['day']}")
            with engine.begin() as conn:
                run_day(conn, world, caller, files, progress, levers, runner)
    finally:
        if own:
            runner.close()
    respond_to_relief(engine, world, caller, progress, levers.carbon_price)
    report_containers(engine, world, caller, progress)
    stored = days_done(engine, caller.organization_id, world.name)
    return [DayFigures.of_record(figures) for _, figures in sorted(stored.items())]


def prepare(engine: sa.Engine, world: World, progress: Progress = quiet) -> Caller:
    """The operator and its merchants as organizations; the ledger's own figures and targets."""
    org = world.manifest["organization"]
    with stage("registering organizations", "scenario.json", progress):
        if organization(engine, org) is None:
            create_organization(engine, org, "greenlane demo network", "operator")
        register_prefix(engine, org, COMPANY_PREFIX)
        for merchant in world.merchants():
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
        reads = kit_reads(read_events(world.path("relief_kits")), manifest["relief_kits"])
        checks = verify(reads, boms)
        blocked = Counter(
            manifest["kit_types"].get(c.kit_type, c.kit_type) for c in checks if not c.passed
        )
    with stage("planning the relief response", manifest["relief_event"], progress):
        event = event_of(read_relief(world.path("relief_event"), EventDoc))
        network = network_of(
            read_relief(world.path("relief_network"), NetworkDoc), manifest["relief_network"]
        )
        network = without(network, manifest["kits_packed_at"], dict(blocked))
        _, record = plan_response(event, network, carbon_price, 10.0)
        day = (event.starts_at or datetime.fromisoformat(manifest["first_day"])).date()
        with engine.begin() as conn:
            capture_file(conn, caller, world.path("relief_kits"))
            store_relief_plan(conn, caller, day, record)
            import_entries(conn, caller, [
                entry(day, "relief", "kits.checked", len(checks), "kits", "kit checks"),
                entry(day, "relief", "kits.failed", sum(blocked.values()), "kits", "kit checks"),
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


def summarize(engine: sa.Engine, world: World, days: list[DayFigures]) -> WeekSummary:
    """The week in figures: CO2e and intensity, each lever's saving, energy, relief, ESG KPIs."""
    caller = Caller(world.manifest["organization"], Role.OPERATOR, "pipeline")
    co2e = sum(d.co2e_wtw_kg for d in days)
    tkm = sum(d.tkm for d in days)
    pv = sum(d.energy.pv_used_kwh for d in days)
    grid = sum(d.energy.import_kwh for d in days)
    relief = latest_relief_plan(engine, caller)
    return WeekSummary(
        days=len(days),
        orders=sum(d.orders for d in days),
        parcels=sum(d.parcels for d in days),
        delivered=sum(d.delivered for d in days),
        tces=sum(d.tces for d in days),
        co2e_wtw_kg=co2e,
        intensity_wtw_g_per_tkm=co2e * 1000 / tkm if tkm else None,
        levers=sum((d.levers for d in days), NO_SAVINGS),
        solar_share=pv / (pv + grid) if pv + grid else None,
        park_weather=weather_label(world.park.weather),
        park_cost=sum(d.energy.cost for d in days),
        park_baseline_cost=sum(d.energy.baseline_cost for d in days),
        relief_share_met=relief["totals"]["share_met"] if relief else None,
        relief_deadline_h=relief["deadline_h"] if relief else None,
        esg=_headline(engine, caller, date.fromisoformat(world.manifest["first_day"])),
        categories={c: sum(d.categories.get(c, 0.0) for d in days) for c in CATEGORIES},
    )


def _headline(engine: sa.Engine, caller: Caller, day: date) -> dict[str, HeadlineKpi]:
    """The headline ESG KPIs of the fiscal (calendar) year the scenario falls in."""
    calendar = FiscalCalendar(1)
    label = calendar.label_of(day)
    values, _ = year_kpis(esg_inputs(engine, caller, calendar, label), label)
    return {
        v.kpi.kpi_id: HeadlineKpi(v.kpi.name, v.kpi.unit, v.value)
        for v in values
        if v.kpi.kpi_id in HEADLINE_KPIS
    }
