"""`greenlane relief`: dispatch plans under a deadline, pre-positioning, kit verification."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greenlane.cli.errors import fail
from greenlane.cli.lazy import group
from greenlane.cli.output import Format, FormatOption, LazyConsole, progress, show_summary
from greenlane.errors import InputError, Problem

if TYPE_CHECKING:
    from greenlane.io.columns import Column
    from greenlane.relief.model import Network


EPCIS_SUFFIXES = (".json", ".jsonld")
relief_app = group(help="Emergency logistics: relief dispatch and kit checks.")
console = LazyConsole()
NetworkFile = Annotated[Path, typer.Option("--network", help="The relief network (JSON).")]


@relief_app.command("plan")
def plan_command(
    event: Annotated[Path, typer.Argument(help="The disaster event (JSON).")],
    network: NetworkFile,
    out: Annotated[Path, typer.Option(help="The plan (JSON).")] = Path("relief-plan.json"),
    carbon_price: Annotated[float, typer.Option(min=0.0, help="Per kg CO2e, against cost.")] = 0.1,
    time_limit: Annotated[float, typer.Option(min=0.1, help="Seconds per solver step.")] = 30.0,
    checks: Annotated[
        Path | None, typer.Option(help="Kit checks (from verify-kits): blocked kits stay home.")
    ] = None,
    checked_at: Annotated[str | None, typer.Option(help="The hub the checked kits are at.")] = None,
) -> None:
    """What goes from which hub to which area, by when, and what is still missing, and why."""
    from greenlane.app.relief import plan_response
    from greenlane.io import write_text
    from greenlane.io.documents import read_document
    from greenlane.relief.documents import EventDoc, NetworkDoc, event_of, network_of

    try:
        the_event = event_of(read_document(event, EventDoc))
        the_network = network_of(read_document(network, NetworkDoc), network.name)
        if checks is not None:
            the_network = _without_blocked(the_network, checks, checked_at)
    except InputError as error:
        raise fail(error) from None
    with progress.status("planning the response ..."):
        result, record = plan_response(the_event, the_network, carbon_price, time_limit)
    write_text(out, json.dumps(record, indent=1))
    totals = record["totals"]
    console.print(
        f"{totals['share_met']:.1%} of the need met within {result.deadline_h:g} h "
        f"(every area and kit at least {totals['fair_share']:.1%}); {len(result.consignments)} "
        f"consignments, cost {totals['cost']:,.0f}, "
        f"{totals['co2e_wtw_kg'] / 1000:,.2f} t CO2e -> {out}"
    )
    for s in record["shortfalls"][:15]:
        console.print(
            f"[yellow]short[/] {s['area_id']} {s['kit_id']}: "
            f"{s['missing']:,} of {s['need']:,} ({s['cause']})"
        )


def _without_blocked(network: Network, checks: Path, hub: str | None) -> Network:
    """The network with the kits that failed their check taken out of ``hub``'s stock."""
    from greenlane.relief.model import without

    try:
        document = json.loads(checks.read_text())
        blocked = Counter(k["kit_type"] for k in document["kits"] if not k["passed"])
        result = without(network, hub or "", dict(blocked))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError([Problem(checks.name, None, "checked_at", f"cannot apply: {e}")]) from e
    console.print(f"blocked from dispatch at {hub}: {dict(blocked) or 'none'}")
    return result


@relief_app.command("preposition")
def preposition_command(
    scenarios: Annotated[Path, typer.Argument(help="Scenarios, totals and storage (JSON).")],
    network: NetworkFile,
    out: Annotated[Path, typer.Option(help="The placement (JSON).")] = Path("placement.json"),
    fmt: FormatOption = Format.table,
) -> None:
    """Where to hold how much stock so the deadline holds in most scenarios."""
    from greenlane.io import write_text
    from greenlane.io.documents import read_document
    from greenlane.relief.documents import NetworkDoc, ScenariosDoc, event_of, network_of
    from greenlane.relief.preposition import Scenario, preposition

    try:
        doc = read_document(scenarios, ScenariosDoc)
        the_network = network_of(read_document(network, NetworkDoc), network.name)
        cases = [Scenario(event_of(s.event), s.probability) for s in doc.scenarios]
        placement = preposition(the_network, cases, doc.totals, doc.storage_m3)
    except InputError as error:
        raise fail(error) from None
    except ValueError as e:
        raise fail(InputError([Problem(scenarios.name, None, "totals", str(e))])) from None
    write_text(
        out, json.dumps({"stock": placement.stock, "coverage": placement.coverage}, indent=1)
    )
    rows = [{"scenario": event_id, "share of need met": share}
            for event_id, share in placement.coverage.items()]  # fmt: skip
    title = "coverage within the deadline, per scenario"
    show_summary(rows, fmt, title, console, [f"placement -> {out}"])


@relief_app.command("verify-kits")
def verify_kits_command(
    reads: Annotated[
        Path,
        typer.Argument(help="Tag reads (CSV: kit_id, kit_type, epc, item) or EPCIS (.json)."),
    ],
    bom: Annotated[Path, typer.Option(help="Bills of materials: kit_type, item, quantity.")],
    out: Annotated[Path, typer.Option(help="Every kit's check (JSON).")] = Path("kit-checks.json"),
    target: Annotated[float, typer.Option(help="Error rate to demonstrate.")] = 0.0003,
    level: Annotated[float, typer.Option(help="Confidence level.")] = 0.95,
) -> None:
    """Each kit against its bill of materials; failed kits blocked; the error rate's bounds.

    From EPCIS, a kit is the parent of AggregationEvents (what it holds after them), its type
    the kit's GTIN, and each child's item its GTIN.
    """
    from greenlane.io import write_text
    from greenlane.relief.kits import (
        Read,
        bills_of_materials,
        error_rate,
        kits_to_demonstrate,
        verify,
    )
    from greenlane.relief.schema import BOM_COLUMNS, READ_COLUMNS

    try:
        read_rows = (
            _epcis_reads(reads) if reads.suffix in EPCIS_SUFFIXES else _rows(reads, READ_COLUMNS)
        )
        bom_rows = _rows(bom, BOM_COLUMNS)
    except InputError as error:
        raise fail(error) from None
    checks = verify((Read(**r) for r in read_rows), bills_of_materials(bom_rows))
    failed = [c for c in checks if not c.passed]
    rate = error_rate(len(failed), len(checks), level) if checks else None
    document = {
        "checked": len(checks),
        "blocked": [c.kit_id for c in failed],
        "kits": [
            {"kit_id": c.kit_id, "kit_type": c.kit_type, "passed": c.passed, "missing": c.missing,
             "extra": c.extra, "wrong": c.wrong, "unknown_type": c.unknown_type}
            for c in checks
        ],
        "error_rate": None if rate is None else {
            "rate": rate.rate, "lower": rate.lower, "upper": rate.upper,
            "upper_one_sided": rate.upper_one_sided, "level": level,
            "supports_target": rate.supports(target), "target": target,
        },
        "error_free_kits_needed_for_target": kits_to_demonstrate(target, level),
    }  # fmt: skip
    write_text(out, json.dumps(document, indent=1))
    if rate is not None:
        console.print(
            f"{len(checks):,} kits, {len(failed):,} blocked; error rate {rate.rate:.3%} "
            f"({level:.0%} CI {rate.lower:.3%}-{rate.upper:.3%}); at or below {target:.3%} shown: "
            f"{'yes' if rate.supports(target) else 'no'} ({kits_to_demonstrate(target, level):,} "
            f"error-free kits would show it) -> {out}"
        )


def _epcis_reads(path: Path) -> list[dict[str, Any]]:
    """Kit reads from an EPCIS document's aggregations (a kit is an SGTIN: its GTIN, its type)."""
    from greenlane.app.kit_reads import kit_reads
    from greenlane.traceability.epcis import read_document as read_epcis

    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise InputError([Problem(path.name, None, "file", f"not readable JSON: {e}")]) from None
    events, problems = read_epcis(document, path.name)
    if problems:
        raise InputError(problems)
    return [asdict(read) for read in kit_reads(events, path.name)]


def _rows(path: Path, columns: list[Column]) -> list[dict[str, Any]]:
    from greenlane.io import read_tces

    frame, problems = read_tces(path, columns)
    missing = [
        Problem(path.name, n, c.name, "required")
        for n, row in enumerate(frame.to_dicts(), 1)
        for c in columns
        if row.get(c.name) is None
    ]
    if problems or missing:
        raise InputError(problems + missing)
    return frame.to_dicts()
