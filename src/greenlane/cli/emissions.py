"""``greenlane emissions`` and ``greenlane factors``: the ISO 14083 kernel on files."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greenlane.cli.errors import errors, fail
from greenlane.cli.lazy import group
from greenlane.cli.output import (
    Format,
    FormatOption,
    LazyConsole,
    print_rows,
    progress,
    show_summary,
)
from greenlane.errors import InputError

if TYPE_CHECKING:
    import polars as pl


emissions_app = group(help="ISO 14083 / GLEC freight emissions.")
factors_app = group(help="Emission-factor packs.")
console = LazyConsole()
PACK_HELP = "Factor pack name or folder (default: the built-in GLEC pack)."


class Engine(StrEnum):
    """Where the kernel runs."""

    polars = "polars"
    duckdb = "duckdb"
    spark = "spark"


def _rejects_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.rejects{out.suffix}")


def _summary(
    results: pl.DataFrame, rejected: int, seconds: float, out: Path, fmt: Format, notes: list[str]
) -> None:
    import polars as pl

    sums = results.select(pl.col("co2e_wtw_kg", "co2e_wtt_kg", "co2e_ttw_kg").sum() / 1000).row(0)
    row: dict[str, Any] = {"TCEs": results.height, "rejected": rejected}
    row |= dict(zip(("t CO2e WTW", "t CO2e WTT", "t CO2e TTW"), sums, strict=True))
    row |= {"seconds": round(seconds, 2)}
    show_summary([row], fmt, "greenlane emissions", console, [*notes, f"results: {out}"])


@emissions_app.command("calc")
def calc(
    tces: Annotated[Path, typer.Argument(help="TCE file: .csv, .parquet, .json or iLEAP JSON.")],
    out: Annotated[Path, typer.Option(help="Results: .csv, .parquet or .json.")],
    tocs: Annotated[Path | None, typer.Option(help="TOC file of primary data.")] = None,
    hocs: Annotated[Path | None, typer.Option(help="HOC file of primary data.")] = None,
    pack: Annotated[str | None, typer.Option(help=PACK_HELP)] = None,
    engine: Annotated[Engine, typer.Option(help="Where the kernel runs.")] = Engine.polars,
    report: Annotated[Path | None, typer.Option(help="ISO 14083 report, .html or .json.")] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Write valid rows' results and a rejects file instead of failing.")
    ] = False,
    spark_master: Annotated[
        str, typer.Option(help="Spark master; '' leaves it to spark-submit or the platform.")
    ] = "local[2]",
    fmt: FormatOption = Format.table,
) -> None:
    """Calculate WTT/TTW/WTW emissions per TCE; exit 2 with every problem on bad input.

    With ``--engine spark`` TCES is a Parquet dataset (a file or a folder partitioned by
    month) and OUT a folder: results by month, rollups, shipment counts, rejects.
    """
    import duckdb

    from greenlane.emissions import run
    from greenlane.emissions.report import build_report
    from greenlane.emissions.schema import HOC_COLUMNS, TCE_COLUMNS, TOC_COLUMNS
    from greenlane.factors import DEFAULT_PACK
    from greenlane.io import check_output, read_rows, read_tces, write_table
    from greenlane.reports.iso14083 import REPORT_OUTPUTS, write_report

    pack = pack or DEFAULT_PACK
    started = time.perf_counter()
    try:  # where the results go is checked before anything is calculated
        if engine is not Engine.spark:
            check_output(out)
        if report:
            check_output(report, REPORT_OUTPUTS)
    except InputError as error:
        raise fail(error) from None
    if engine is Engine.spark:
        _calc_on_spark(tces, out, tocs, hocs, pack, report, spark_master)
        return
    try:
        frame, input_problems = read_tces(tces, TCE_COLUMNS)
        toc_rows = read_rows(tocs, TOC_COLUMNS) if tocs else None
        hoc_rows = read_rows(hocs, HOC_COLUMNS) if hocs else None
        native = duckdb.from_arrow(frame.to_arrow()) if engine is Engine.duckdb else frame
        result = run(
            native,
            toc_rows,
            hoc_rows,
            pack,
            skip_invalid=skip_invalid,
            file=tces.name,
            toc_file=tocs.name if tocs else "tocs",
            hoc_file=hocs.name if hocs else "hocs",
            input_problems=input_problems,
        )
    except InputError as error:
        raise fail(error) from None
    results = result.results if engine is Engine.polars else result.results.pl()
    if result.rejects.height and not results.height:  # nothing valid: a failure, not a result
        write_table(result.rejects, _rejects_path(out))
        errors.print(f"[red]every row ({result.rejects.height:,}) was rejected; nothing "
                     f"written to {out}; the reasons: {_rejects_path(out)}[/]")  # fmt: skip
        raise typer.Exit(2)
    write_table(results, out)
    if result.rejects.height:
        write_table(result.rejects, _rejects_path(out))
        errors.print(f"[yellow]{result.rejects.height} rejected row(s): {_rejects_path(out)}[/]")
    notes = []
    if report:
        write_report(build_report(results, pack=str(pack)), report)
        notes.append(f"report: {report}")
    _summary(results, result.rejects.height, time.perf_counter() - started, out, fmt, notes)


def _calc_on_spark(
    tces: Path,
    out: Path,
    tocs: Path | None,
    hocs: Path | None,
    pack: str,
    report: Path | None,
    master: str,
) -> None:
    from greenlane.app.scaleout import calculate_dataset, report_from_dataset, session
    from greenlane.emissions.schema import HOC_COLUMNS, TOC_COLUMNS
    from greenlane.io import read_rows
    from greenlane.reports.iso14083 import write_report

    started = time.perf_counter()
    try:
        toc_rows = read_rows(tocs, TOC_COLUMNS) if tocs else None
        hoc_rows = read_rows(hocs, HOC_COLUMNS) if hocs else None
    except InputError as error:
        raise fail(error) from None
    with progress.status("starting Spark ..."):
        spark = session(master)
    with progress.status(f"calculating {tces} on Spark ..."):
        done = calculate_dataset(spark, tces, out, toc_rows, hoc_rows, pack)
    if done.rejected:
        errors.print(f"[yellow]{done.rejected} rejected row(s): {out / 'rejects'}[/]")
    if report:
        write_report(report_from_dataset(out, pack=str(pack)), report)
        console.print(f"report: {report}")
    console.print(
        f"{done.tces:,} TCEs, {done.co2e_wtw_kg / 1000:,.2f} t CO2e WTW in "
        f"{time.perf_counter() - started:.1f} s -> {out}/results (by month), rollups, shipments"
    )


@factors_app.command("list")
def factors_list(
    mode: Annotated[
        str | None, typer.Option(help="road, rail, air, sea, inland_waterway, hub.")
    ] = None,
    search: Annotated[str | None, typer.Option(help="Text in the id or description.")] = None,
    pack: Annotated[str | None, typer.Option(help=PACK_HELP)] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, csv or json.")] = Format.table,
) -> None:
    """Show the categories of a factor pack with their intensities and sources."""
    from greenlane.factors import DEFAULT_PACK, load_pack, search_tocs

    pack = pack or DEFAULT_PACK
    try:
        found = search_tocs(load_pack(pack), mode, search)
    except InputError as error:
        raise fail(error) from None
    short = fmt is Format.table  # a table shows the page; files get the whole source
    rows = [
        {"id": r["id"], "mode": r["mode"], "unit": r["activity_unit"], "WTT": r["wtt_kg"],
         "TTW": r["ttw_kg"], "WTW": r["wtw_kg"],
         "source": f"p.{r['source_page']}" if short else
         f"{r['source_table']}, p.{r['source_page']}"}
        for r in found.iter_rows(named=True)
    ]  # fmt: skip
    title = f"{pack}: {len(rows)} categories (kg CO2e per activity unit)"
    print_rows(rows, fmt, title, console)
