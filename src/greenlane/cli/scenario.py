"""`greenlane scenario generate`, `greenlane pipeline run` and `greenlane demo`: the main job."""

from __future__ import annotations

import json
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from greenlane.cli.errors import errors
from greenlane.cli.lazy import group
from greenlane.cli.output import Format, LazyConsole, print_rows, progress

if TYPE_CHECKING:
    from greenlane.app.pipeline import WeekSummary
    from greenlane.app.pipeline.partitions import Runner

scenario_app = group(help="Seeded synthetic worlds.")
pipeline_app = group(help="The main job: a scenario's days end to end.")
console = LazyConsole()


class Tables(StrEnum):
    """The file format of a scenario's daily tables."""

    csv = "csv"
    parquet = "parquet"


class Engine(StrEnum):
    """Where the main job's partitions run."""

    local = "local"
    spark = "spark"


@scenario_app.command("generate")
def generate_command(
    out: Annotated[Path, typer.Option(help="Folder to write the scenario's files into.")],
    seed: Annotated[int, typer.Option(help="The same seed, the same world.")] = 7,
    days: Annotated[int, typer.Option(min=1, max=366, help="Days of operations.")] = 7,
    orders_per_day: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="Orders placed each day.")
    ] = 2_000,
    tables: Annotated[
        Tables, typer.Option(help="A day's orders, items, addresses as csv or parquet (large).")
    ] = Tables.csv,
) -> None:
    """Write a seeded network, a week of orders and events, a disaster, the ledger's figures."""
    from greenlane.scenario.generate import generate

    with progress.status("generating ...") as status:
        manifest = generate(
            out, seed, days, orders_per_day, progress=status.update, tables=tables.value
        )
    console.print(
        f"scenario seed {seed}: {days} days x {orders_per_day:,} orders from "
        f"{manifest['first_day']} -> {out / 'scenario.json'}"
    )


@pipeline_app.command("run")
def run_command(
    folder: Annotated[Path, typer.Argument(help="A scenario folder (with scenario.json).")],
    seed: Annotated[
        int | None, typer.Option(min=0, help="Solver seed (default: the setting, 1).")
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", help="The summary as tables, csv (the levers) or json (all)."),
    ] = Format.table,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=256, help="Local worker processes (default: the setting, 1)."),
    ] = None,
    engine: Annotated[
        Engine | None,
        typer.Option(help="Where the partitions run: local or spark (default: the setting)."),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(
            help="Spark master URL with --engine spark (e.g. local[2]).",
            callback=lambda v: _checked_master(v),
        ),
    ] = None,
) -> None:
    """Run every day not yet stored (one transaction a day), then relief and containers.

    Carton choice and last-mile routing run in partitions (order batches, delivery zones):
    in this process, on --workers local processes, or as Spark tasks; the same figures on each.
    """
    from greenlane.app.pipeline.partitions import runner_of
    from greenlane.settings import settings
    from greenlane.store import database_url, upgrade

    current = settings()
    upgrade()
    with runner_of(
        (engine or Engine(current.pipeline_engine)).value,
        workers or current.pipeline_workers,
        current.spark_master if spark_master is None else spark_master,
    ) as runner:
        show(run_with_progress(folder, database_url(), seed, runner), fmt)


def _checked_master(master: str | None) -> str | None:
    """A Spark master URL of at most 500 printable characters, or BadParameter naming it."""
    if master is not None and (len(master) > 500 or not master.isprintable()):
        raise typer.BadParameter("must be a URL of at most 500 printable characters")
    return master


def run_with_progress(
    folder: Path, url: str, seed: int | None = None, runner: Runner | None = None
) -> WeekSummary:
    """The pipeline into the store at ``url``, with a bar for the days and one for the stages."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from greenlane.app import pipeline
    from greenlane.store import connect

    engine = connect(url)
    world = pipeline.read_world(folder)
    columns = (TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=progress.real) as bars:
        days = bars.add_task("days", total=len(world.manifest["days"]))
        stages = bars.add_task("stages", total=len(pipeline.DAY_STAGES))

        reached = 0  # the day's furthest stage: one coming back does not undo the others

        def step(name: str) -> None:
            nonlocal reached
            if name.startswith("day "):
                bars.update(days, description=name)
                bars.reset(stages)
                reached = 0
            elif name in pipeline.DAY_STAGES:
                reached = max(reached, pipeline.DAY_STAGES.index(name))
                bars.update(stages, description=name, completed=reached)
                if name == pipeline.DAY_STAGES[-1]:
                    bars.advance(days)
            else:
                bars.update(stages, description=name)

        started = time.perf_counter()
        try:
            figures = pipeline.run(folder, engine, step, _levers(seed), runner)
        except pipeline.StageError as failure:
            errors.print(f"[bold red]{failure}[/]", highlight=False)
            errors.print("that day was not written; the days before it are kept. Fix the input")
            errors.print("and run again: the job continues with the first day not stored.")
            raise typer.Exit(code=2) from None
    summary = pipeline.summarize(engine, world, figures)
    progress.print(f"pipeline: {time.perf_counter() - started:,.1f} s")
    return summary


def _levers(seed: int | None) -> Any:
    """The main job's levers from the settings, with the seed asked for."""
    from dataclasses import replace

    from greenlane.app import pipeline
    from greenlane.settings import settings

    levers = pipeline.Levers.of(settings())
    return levers if seed is None else replace(levers, seed=seed)


def show(summary: WeekSummary, fmt: Format = Format.table) -> None:
    """The week's summary as tables: totals, each lever's saving, the headline ESG KPIs.

    As JSON, the whole summary; as CSV, the levers' table.
    """
    from rich.table import Table

    from greenlane.app.figures import LEVERS

    if fmt is Format.json:
        sys.stdout.write(json.dumps(summary.record(), indent=1, default=str) + "\n")
        return
    if fmt is Format.csv:
        rows = [{"lever": LEVERS[key][0], "baseline": LEVERS[key][1],
                 "baseline_kg": s.baseline_kg, "plan_kg": s.plan_kg, "saving_kg": s.saving_kg}
                for key, s in summary.levers.savings().items()]  # fmt: skip
        print_rows(rows, fmt, "levers", console)
        return

    intensity = summary.intensity_wtw_g_per_tkm or 0.0
    console.print(
        f"[bold]{summary.days} days[/]: {summary.orders:,} orders in "
        f"{summary.parcels:,} parcels ({summary.delivered:,} delivered), "
        f"{summary.tces:,} TCEs, [bold]{summary.co2e_wtw_kg / 1000:,.2f} t CO2e[/] WTW, "
        f"{intensity:,.1f} g CO2e/tkm"
    )
    shares = summary.shares()
    console.print(
        "data: " + ", ".join(f"{c} {shares[c]:.1%}" for c in shares) + " of the WTW "
        "(ISO 14083 data categories: own measurements, own models, GLEC default factors)"
    )
    levers = Table(title="What each lever saved against its stated baseline (kg CO2e WTW)")
    for column in ("lever", "baseline", "plan", "saving", "saving %"):
        levers.add_column(column, justify="right")
    for key, lever in summary.levers.savings().items():
        name, against = LEVERS[key]
        base, saving = lever.baseline_kg, round(lever.saving_kg, 6) + 0.0  # no -0.0
        share = f"{saving / base:.1%}" if base else "-"
        levers.add_row(f"{name} (vs {against})", f"{base:,.1f}", f"{lever.plan_kg:,.1f}",
                       f"{saving:,.1f}", share)  # fmt: skip
    console.print(levers)
    sheets = summary.levers.paper_sheets_avoided
    console.print(f"e-waybills: {sheets:,.0f} paper waybill sheets avoided")
    clean = summary.esg["clean_electricity_share"].value
    solar = summary.solar_share or 0.0
    console.print(
        f"park energy: solar {solar:.1%} of the park's power"
        + (f", clean-electricity share {clean:.1f}% with certified supply" if clean else "")
        + f"; cost {summary.park_cost:,.0f} against {summary.park_baseline_cost:,.0f}"
        f" by the rule; PV from {summary.park_weather}"
    )
    met = summary.relief_share_met
    if met is not None:
        deadline = summary.relief_deadline_h or 0.0
        console.print(f"relief: {met:.1%} of the need met within {deadline:g} h")
    kpis = Table(title="ESG headline KPIs")
    for column in ("KPI", "value", "unit"):
        kpis.add_column(column, justify="left")
    for kpi in summary.esg.values():
        value = "no data" if kpi.value is None else f"{kpi.value:,.2f}"
        kpis.add_row(kpi.name, value, kpi.unit)
    console.print(kpis)


def demo(
    out_dir: Annotated[Path, typer.Option(help="Where the demo writes its files.")] = Path(
        "out/demo"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the scenario.")] = 7,
    days: Annotated[int, typer.Option(min=1, max=31, help="Days of operations.")] = 7,
    orders_per_day: Annotated[int, typer.Option(min=1, help="Orders placed each day.")] = 2_000,
    serve: Annotated[
        bool, typer.Option(help="Serve the dashboard afterwards (--no-serve: exit).")
    ] = True,
    host: Annotated[str, typer.Option(help="Address the dashboard listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port of the dashboard.")] = 8000,
) -> None:
    """A week of a green logistics network, planned and accounted, then its dashboard."""
    from greenlane.app import pipeline
    from greenlane.store import upgrade

    if serve:
        _port_is_free(host, port)  # said before minutes of work, not after
    started = time.perf_counter()
    folder = out_dir / f"scenario-{seed}-{days}x{orders_per_day}"
    if not (folder / "scenario.json").is_file():
        generate_command(folder, seed, days, orders_per_day)
    url = f"sqlite:///{(out_dir / 'greenlane.db').resolve()}"  # from any folder
    upgrade(url)
    show(run_with_progress(folder, url))
    org = pipeline.read_world(folder).manifest["organization"]
    key = _demo_key(url, org, out_dir / "demo-key.txt")
    console.print(f"demo ready in {time.perf_counter() - started:,.1f} s; store {url}")
    console.print(f"next commands use the demo's store after: export GREENLANE_DATABASE_URL={url}",
                  soft_wrap=True, highlight=False)  # fmt: skip
    console.print(f"demo API key ({org}, operator; kept in {out_dir / 'demo-key.txt'}):")
    console.print(key, soft_wrap=True, highlight=False)
    if serve:
        import uvicorn

        os.environ["GREENLANE_DATABASE_URL"] = url  # the server's store is the demo's
        console.print(
            f"dashboard: http://{host}:{port}/dashboard (sign in with the key); Ctrl+C stops"
        )
        uvicorn.run("greenlane.service.main:app", host=host, port=port, log_level="warning")


def _port_is_free(host: str, port: int) -> None:
    """One line naming the port (and another to try), exit 2, when something listens on it."""
    import socket

    from greenlane.cli.errors import EXIT, refuse

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            refuse(f"{host}:{port} cannot be used ({e.strerror}): choose another with --port "
                   f"{port + 1}")  # fmt: skip
            raise typer.Exit(EXIT["input"]) from None


def _demo_key(url: str, org: str, kept: Path) -> str:
    """The key of the last demo run if it still opens the demo's store, else a new one."""
    from greenlane.store import connect
    from greenlane.store.access import authenticate, issue_key

    engine = connect(url)
    if kept.is_file():
        key = kept.read_text().strip()
        if authenticate(engine, key) is not None:
            return key
    _, key = issue_key(engine, org, "demo")
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(key + "\n")
    kept.chmod(0o600)  # a secret: the owner's only, whatever the umask
    return key
