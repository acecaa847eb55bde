"""`greenlane epcis import` and `greenlane containers report|cartons`: RFID events in, KPIs out."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greenlane.cli.errors import caller_of, fail
from greenlane.cli.lazy import group
from greenlane.cli.output import Format, FormatOption, LazyConsole, progress, show_summary
from greenlane.errors import InputError, Problem

if TYPE_CHECKING:
    from greenlane.traceability.epcis import Event


epcis_app = group(help="EPCIS 2.0 events (JSON/JSON-LD).")
containers_app = group(help="Reusable containers and cartons.")
console = LazyConsole()
Org = Annotated[str, typer.Option("--organization", help="The organization (see greenlane org).")]


@epcis_app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(help="EPCIS documents (JSON or JSON-LD).")],
    org: Org,
) -> None:
    """Check every document, then store each whole; nothing is stored if any is invalid."""
    from rich.progress import track

    from greenlane.store import open_store
    from greenlane.store.epcis import capture, open_capture

    try:
        caller = caller_of(org)
        documents = [_checked(path) for path in files]
    except InputError as error:
        raise fail(error) from None
    engine = open_store()
    stored = duplicates = 0
    for path, events in track(documents, description="capturing", console=progress.real):
        kept = capture(
            engine, caller.organization_id, open_capture(engine, org, len(events)), events
        )
        stored, duplicates = stored + kept.stored, duplicates + kept.duplicates
        console.print(f"{path.name}: {kept.stored:,} stored, {kept.duplicates:,} already there")
    console.print(f"{stored:,} events stored, {duplicates:,} duplicates skipped, for {org}")


@containers_app.command("report")
def report_command(
    org: Org,
    as_of: Annotated[
        str | None,
        typer.Option(help="Report date or moment (ISO 8601; a date means its end); default now."),
    ] = None,
    lost_after_days: Annotated[float, typer.Option(min=1, help="Unseen this long: lost.")] = 90,
    case: Annotated[Path | None, typer.Option(help="Reuse parameters (CSV).")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the report as JSON.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Trips, cycle and dwell times, losses, box against carton; kept for the dashboard."""
    from greenlane.io import write_text
    from greenlane.store import open_store
    from greenlane.store.epcis import containers_report, store_containers_report
    from greenlane.traceability.reuse import read_case

    try:
        caller_of(org)
        moment = _moment(as_of)
        reuse_case = read_case(case)
    except ValueError as e:
        raise fail(InputError([Problem(str(case or "--as-of"), None, "value", str(e))])) from None
    except InputError as error:
        raise fail(error) from None
    engine = open_store()
    with progress.status("reading the events ..."):
        record = containers_report(engine, org, moment, timedelta(days=lost_after_days), reuse_case)
    store_containers_report(engine, org, record)
    if out:
        write_text(out, json.dumps(record, indent=2, default=str))
    _print(record, fmt, f"report -> {out}" if out else "")


def _moment(as_of: str | None) -> datetime:
    """The report's moment in UTC (naive): now, a date's end, or a time (UTC unless zoned)."""
    if not as_of:
        return datetime.now(UTC).replace(tzinfo=None)
    if len(as_of.strip()) == 10:  # a date: the report sees the whole day
        return datetime.combine(date.fromisoformat(as_of.strip()) + timedelta(days=1), time())
    moment = datetime.fromisoformat(as_of.strip())
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


@containers_app.command("cartons")
def cartons_command(
    file: Annotated[Path, typer.Argument(help="Cartons collected at post stations (CSV).")],
    org: Org,
) -> None:
    """Cartons reused and recycled: material and CO2e saved, added to the ESG ledger."""
    from greenlane.io import read_rows
    from greenlane.store import open_store
    from greenlane.store.esg import carton_entries, import_entries
    from greenlane.traceability.cartons import collections, savings
    from greenlane.traceability.schema import CARTON_COLUMNS

    try:
        caller = caller_of(org)
        found = collections(read_rows(file, CARTON_COLUMNS), file.name)
    except InputError as error:
        raise fail(error) from None
    import_entries(open_store(), caller, carton_entries(found, file.name))
    total = savings(found)
    console.print(
        f"{total.collected:,} cartons collected: {total.reused:,} reused "
        f"({total.board_reused_kg:,.1f} kg board, {total.co2e_saved_kg:,.1f} kg CO2e saved), "
        f"{total.recycled:,} recycled ({total.board_recycled_kg:,.1f} kg); ledger updated"
    )


def _checked(path: Path) -> tuple[Path, list[Event]]:
    from greenlane.traceability.epcis import read_document

    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise InputError([Problem(str(path), None, "file", f"not readable JSON: {e}")]) from None
    events, problems = read_document(document, str(path))
    if problems:
        raise InputError(problems)
    return path, events


def _print(record: dict[str, Any], fmt: Format, where: str) -> None:
    fleet, reuse = record["fleet"], record["reuse"]
    rows = [{"KPI": name, "value": fleet[name]}
            for name in ("containers", "active", "retired", "lost", "trips", "inferred_trips",
                         "cycle_days_median", "cycle_days_p90", "turns_per_year",
                         "loss_rate_per_trip", "damage_rate")]  # fmt: skip
    even = reuse["break_even_trips"]
    note = (
        f"per trip: carton {reuse['carton_per_trip_kg']:.3f} kg CO2e, box "
        f"{reuse['box_per_trip_kg']:.3f} kg over {reuse['lifetime_trips']:.1f} trips; break-even "
        f"{'never' if even is None else f'{even:.1f} trips'}; saved {reuse['saving_kg']:,.2f} kg"
    )
    title = f"Reusable containers as of {record['as_of'][:10]}"
    show_summary(rows, fmt, title, console, [note, *([where] if where else [])])
