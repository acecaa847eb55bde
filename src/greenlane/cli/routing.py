"""`greenlane route`: plan a mixed fleet's routes, compare fleet mixes and last-mile modes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from greenlane.cli.errors import errors, fail
from greenlane.cli.lazy import group
from greenlane.cli.output import Format, FormatOption, LazyConsole, progress, show_summary
from greenlane.errors import InputError, Problem

if TYPE_CHECKING:
    from greenlane.routing.compare import Outcome
    from greenlane.routing.problem import Problem as RoutingProblem


class PlanByDefault(TyperGroup):
    """`greenlane route STOPS ...` is `greenlane route plan STOPS ...` (the issue's face)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:  # typer's vendored click types
        """Route a first argument that names no subcommand (a file) to ``plan``."""
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["plan", *args]
        return super().resolve_command(ctx, args)


route_app = group(
    help="Green routing for mixed fleets: `greenlane route STOPS --fleet FLEET` plans.",
    cls=PlanByDefault,
)
console = LazyConsole()
T = TypeVar("T")
Places = Annotated[Path, typer.Argument(help="Stops, depots, chargers, post stations (CSV, ...).")]
Fleet = Annotated[Path, typer.Option(help="The vehicle types (CSV, Parquet or JSON).")]
Price = Annotated[float, typer.Option(min=0.0, help="Carbon price per kg CO2e (0 = cost only).")]
Seed = Annotated[int, typer.Option(help="Seed of the solver: the same seed, the same plan.")]
Limit = Annotated[str, typer.Option(help="Solver time per solve: 10s, 2m.")]


@route_app.command("plan")
def plan(
    places: Places,
    fleet: Fleet,
    carbon_price: Price = 0.0,
    seed: Seed = 1,
    time_limit: Limit = "10s",
    out: Annotated[Path, typer.Option(help="The plan (JSON).")] = Path("route-plan.json"),
    tces: Annotated[Path | None, typer.Option(help="Also write the plan's TCEs.")] = None,
    tocs: Annotated[Path | None, typer.Option(help="Also write the routes as TOCs.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Routes that serve every stop in its window at least cost + carbon price x CO2e."""
    import polars as pl

    from greenlane.app.routing import plan_routes, problems_record
    from greenlane.io import write_table, write_text
    from greenlane.routing.tces import plan_rows

    try:
        problem, problems = load(places, fleet)
        seconds = seconds_of(time_limit)
    except InputError as error:
        raise fail(error) from None
    routed = with_progress(
        f"solving {len(problem.stops):,} stops",
        seconds,
        lambda: plan_routes(problem, carbon_price, seconds, seed),
    )
    solved = routed.solved
    record = routed.record | {"problems": problems_record(problems)}
    write_text(out, json.dumps(record, indent=1))
    if tces or tocs:
        toc_rows, tce_rows = plan_rows(problem, solved, "plan")
        for path, rows in ((tces, tce_rows), (tocs, toc_rows)):
            if path:
                write_table(pl.DataFrame(rows, infer_schema_length=None), path)
    totals = record["totals"]
    row = {name: totals[name] for name in ("vehicles", "km", "cost", "co2e_wtw_kg",
                                           "stops_served", "stops_unserved")}  # fmt: skip
    note = f"{len(problems)} row(s) left out; plan -> {out}"
    show_summary([row | {"rows_left_out": len(problems)}], fmt, "route plan", console, [note])
    for unserved in record["unserved"][:20]:
        errors.print(f"[yellow]unserved[/] {unserved['place_id']}: {unserved['why']}")


@route_app.command("compare-fleets")
def compare_fleets_command(
    places: Places,
    fleet: Fleet,
    electric: Annotated[str, typer.Option(help="Electric shares to compare, in %.")] = "0,50,99",
    carbon_price: Price = 0.0,
    seed: Seed = 1,
    time_limit: Limit = "10s",
    out: Annotated[Path, typer.Option(help="The table (CSV, Parquet or JSON).")] = Path(
        "fleet-mixes.csv"
    ),
    chart: Annotated[Path | None, typer.Option(help="Also draw it (HTML page).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The same demand under several fleet mixes: CO2e, cost, vehicles and km per mix."""
    from greenlane.routing.compare import compare_fleets

    try:
        problem, _ = load(places, fleet)
        seconds = seconds_of(time_limit)
        shares = [float(x) / 100 for x in electric.split(",")]
    except InputError as error:
        raise fail(error) from None
    except ValueError as e:
        raise fail(InputError([Problem("--electric", None, "electric", str(e))])) from None
    outcomes = with_progress(
        f"planning {len(shares)} fleet mixes",
        seconds * len(shares),
        lambda: compare_fleets(problem, shares, carbon_price, seconds, seed),
    )
    _report(outcomes, "fleet mix", "Fleet mixes on the same demand", out, chart, fmt)


@route_app.command("last-mile")
def last_mile_command(
    places: Places,
    fleet: Fleet,
    carbon_price: Price = 0.0,
    seed: Seed = 1,
    time_limit: Limit = "10s",
    out: Annotated[Path, typer.Option(help="The table (CSV, Parquet or JSON).")] = Path(
        "last-mile.csv"
    ),
    chart: Annotated[Path | None, typer.Option(help="Also draw it (HTML page).")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Door, post-station and campus-robot delivery of the same parcels, in CO2e per parcel."""
    from greenlane.routing.compare import last_mile_modes

    try:
        problem, _ = load(places, fleet)
        seconds = seconds_of(time_limit)
    except InputError as error:
        raise fail(error) from None
    try:
        outcomes = with_progress(
            "planning door, post-station and robot delivery",
            seconds * 3,
            lambda: last_mile_modes(problem, carbon_price, seconds, seed),
        )
    except ValueError as e:
        raise fail(InputError([Problem(places.name, None, "kind", str(e))])) from None
    _report(outcomes, "last-mile mode", "Last-mile modes for the same parcels", out, chart, fmt)


def _report(
    outcomes: list[Outcome], what: str, title: str, out: Path, chart: Path | None, fmt: Format
) -> None:
    import polars as pl

    from greenlane.io import write_table, write_text
    from greenlane.reports.routing import outcomes_chart

    rows = [
        {
            what.replace(" ", "_"): o.name,
            "vehicles": o.vehicles,
            "km": o.km,
            "cost": o.cost,
            "co2e_wtw_kg": o.co2e_wtw_kg,
            "g_co2e_per_stop": o.co2e_per_stop_g,
            "served": o.served,
            "unserved": o.unserved,
        }
        for o in outcomes
    ]
    write_table(pl.DataFrame(rows), out)
    if chart:
        write_text(chart, outcomes_chart(outcomes, what, title))
    note = f"table -> {out}" + (f", chart -> {chart}" if chart else "")
    show_summary(rows, fmt, title, console, [note])


def load(places: Path, fleet: Path) -> tuple[RoutingProblem, list[Problem]]:
    """The problem from a places file and a fleet file, and the stop rows left out."""
    from greenlane.app.routing import routing_problem
    from greenlane.io import read_tces
    from greenlane.routing.schema import FLEET_COLUMNS, PLACE_COLUMNS

    return routing_problem(
        read_tces(places, PLACE_COLUMNS), places.name, read_tces(fleet, FLEET_COLUMNS), fleet.name
    )


def seconds_of(text: str) -> float:
    """A time limit such as 10s, 2m or 0.5h in seconds."""
    from greenlane.parcels.tables import parse_hold

    stripped = text.strip()
    try:
        if stripped.endswith("s"):
            return float(stripped[:-1])
        return parse_hold(stripped).total_seconds()
    except ValueError as e:
        raise InputError([Problem("--time-limit", None, "time_limit", str(e))]) from e


def with_progress(label: str, seconds: float, work: Callable[[], T]) -> T:
    """Run ``work`` while a bar fills over its time budget (the solver's own clock)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as e:  # handed to the caller's thread below
            failure.append(e)

    worker = threading.Thread(target=run, daemon=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=progress.real, transient=True) as bar:
        task = bar.add_task(label, total=seconds)
        started = time.monotonic()
        worker.start()
        while worker.is_alive():
            bar.update(task, completed=min(seconds, time.monotonic() - started))
            worker.join(0.1)
    if failure:
        raise failure[0]
    return result[0]
