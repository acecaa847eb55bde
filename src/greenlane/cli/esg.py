"""`greenlane esg`: import ledger figures, and the ESG report of a fiscal year (HTML or PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from greenlane.cli.errors import caller_of, fail
from greenlane.cli.lazy import group
from greenlane.cli.output import LazyConsole, progress
from greenlane.errors import InputError, NotFoundError, Problem

if TYPE_CHECKING:
    from greenlane.esg.targets import EsgTarget


esg_app = group(help="The ESG ledger and report.")
console = LazyConsole()
Org = Annotated[str, typer.Option("--organization", help="The organization (see greenlane org).")]


@esg_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Ledger rows (CSV, Parquet or JSON).")],
    org: Org,
) -> None:
    """Add figures to the organization's ledger; a bad row stops the file, nothing is kept."""
    from greenlane.esg.ledger import entries_from_rows
    from greenlane.esg.schema import LEDGER_COLUMNS
    from greenlane.io import read_parsed
    from greenlane.store import open_store
    from greenlane.store.esg import import_entries

    try:
        caller = caller_of(org)
        entries = read_parsed(file, LEDGER_COLUMNS, entries_from_rows)
    except InputError as error:
        raise fail(error) from None
    stored = import_entries(open_store(), caller, entries)
    console.print(f"{stored:,} ledger entries stored for {org}")


@esg_app.command("report")
def report_command(
    org: Org,
    year: Annotated[str, typer.Option(help="The fiscal year, e.g. FY2025.")],
    out: Annotated[Path, typer.Option(help="report.html or report.pdf.")] = Path("esg-report.html"),
    fiscal_start: Annotated[int, typer.Option(min=1, max=12, help="Month the year starts.")] = 1,
    targets: Annotated[Path | None, typer.Option(help="Targets (CSV): see docs/esg.md.")] = None,
) -> None:
    """The five pillars with KPIs and charts, targets, transport emissions, GRI index, notes."""
    from greenlane.app.esg import esg_model
    from greenlane.esg.fiscal import FiscalCalendar, parse_year
    from greenlane.io import check_output, write_bytes, write_text
    from greenlane.reports.esg import render_esg_html, render_esg_pdf
    from greenlane.store import open_store

    try:
        parse_year(year)
    except ValueError as e:
        raise InputError([Problem("--year", None, "year", str(e))]) from None
    caller = caller_of(org)  # its refusal, as any other, reaches the root group's handler
    goals = _targets(targets) if targets else []
    check_output(out, (".html", ".pdf"))
    with progress.status(f"building the {year} report ..."):
        model = esg_model(open_store(), caller, FiscalCalendar(fiscal_start), year, goals)
        reported = sum(1 for p in model["pillars"] for k in p["kpis"] if k["value"] is not None)
        if not reported:  # an empty report is not a report: say why, write nothing
            raise NotFoundError(
                f"no data for {year} (fiscal year from month {fiscal_start}) in {org}'s books: "
                "import a ledger (greenlane esg import) or run the main job; nothing written"
            )
        if out.suffix.lower() == ".pdf":
            write_bytes(out, render_esg_pdf(model))
        else:
            write_text(out, render_esg_html(model))
    console.print(
        f"{year} report for {org}: {reported} KPIs with data, "
        f"{len(model['no_data'])} without -> {out}"
    )


def _targets(path: Path) -> list[EsgTarget]:
    from greenlane.esg.schema import TARGET_COLUMNS
    from greenlane.esg.targets import targets_from_rows
    from greenlane.io import read_parsed

    return read_parsed(path, TARGET_COLUMNS, targets_from_rows)
