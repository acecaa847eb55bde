"""`greenlane energy`: plan a park's energy, listen to its meters, simulate them."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from greenlane.cli.errors import fail
from greenlane.cli.lazy import group
from greenlane.cli.output import Format, FormatOption, LazyConsole, progress, show_summary
from greenlane.errors import InputError, Problem

energy_app = group(help="Logistics-park energy: plan, listen, simulate.")
console = LazyConsole()
Broker = Annotated[str, typer.Option(help="The MQTT broker, mqtt://host:port.")]
Devices = Annotated[Path, typer.Option(help="Device registry: park, device, kind (CSV).")]


@energy_app.command("plan")
def plan_command(
    park_file: Annotated[Path, typer.Argument(help="The park (JSON, docs/energy.md).")],
    first_day: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")] = "2025-01-01",
    days: Annotated[int, typer.Option(min=1, max=366)] = 365,
    step_minutes: Annotated[int, typer.Option(help="60 or 15.")] = 60,
    objective: Annotated[str, typer.Option(help="cost, co2e or clean.")] = "cost",
    certified_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Certified clean grid supply.")
    ] = 0.0,
    out: Annotated[Path, typer.Option(help="The plan's figures (JSON).")] = Path("park-plan.json"),
    hocs: Annotated[
        Path | None, typer.Option(help="Also write the park's HOC energy rows.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Dispatch battery, EV charging and grid for a period; KPIs against the rule without it."""
    import polars as pl

    from greenlane.app.energy import plan_park
    from greenlane.energy.dispatch import OBJECTIVES
    from greenlane.energy.document import ParkDoc
    from greenlane.energy.kpis import hoc_rows
    from greenlane.io import write_table, write_text
    from greenlane.io.documents import check

    try:
        if objective not in OBJECTIVES or step_minutes not in (15, 60):
            raise ValueError(f"objective must be one of {OBJECTIVES} and step 15 or 60 minutes")
        doc = check(json.loads(park_file.read_text()), ParkDoc, park_file.name)
        start = datetime.fromisoformat(first_day)
    except InputError as error:
        raise fail(error) from None
    except (OSError, ValueError) as e:
        raise fail(InputError([Problem(park_file.name, None, "file", str(e))])) from None
    started = time.perf_counter()
    with progress.status(f"planning {days} days of {doc.park_id} ..."):
        try:
            result = plan_park(doc, start, days, step_minutes / 60, objective, certified_share)
        except ValueError as e:
            raise fail(InputError([Problem(park_file.name, None, "file", str(e))])) from None
    seconds = time.perf_counter() - started
    park, weather, planned = result.park, result.weather, result.planned
    ours, theirs = result.ours, result.rule
    rows = [{"figure": name, "optimised": a, "rule": b} for name, a, b in zip(
        asdict(ours), asdict(ours).values(), asdict(theirs).values(), strict=True
    )]  # fmt: skip
    figures = {
        "weather": weather,
        "objective": objective,
        "solve_seconds": seconds,
        "optimised": asdict(ours),
        "rule": asdict(theirs),
    }
    write_text(out, json.dumps(figures, indent=1))
    if hocs:
        write_table(pl.DataFrame(hoc_rows(park, planned, data_type="modelled")), hocs)  # a plan
    title = f"{park.park_id}, {days} days ({weather}; grid factor: {park.grid_ef_source})"
    show_summary(rows, fmt, title, console, [f"solved in {seconds:.1f} s -> {out}"])


@energy_app.command("listen")
def listen_command(
    broker: Broker = "mqtt://127.0.0.1:1883",
    devices: Devices = Path("devices.csv"),
    idle: Annotated[float | None, typer.Option(help="Stop after this many quiet seconds.")] = None,
    client_id: Annotated[
        str, typer.Option(help="Session name (keep it to resume).")
    ] = "greenlane-listener",
) -> None:
    """Subscribe, validate, de-duplicate and store readings (QoS 1, persistent session)."""
    from rich.live import Live

    from greenlane.app.telemetry import Tally, listen
    from greenlane.store import open_store

    try:
        registry = _registry(devices)
    except InputError as error:
        raise fail(error) from None
    engine = open_store()
    with Live(console=progress.real, refresh_per_second=4) as live:

        def show(tally: Tally) -> None:
            live.update(
                f"received {tally.received:,}, stored {tally.stored:,}, rejected {tally.rejected:,}"
            )

        tally = listen(broker, registry, engine, client_id=client_id, idle_s=idle, progress=show)
    console.print(
        f"stored {tally.stored:,} readings, rejected {tally.rejected:,} (kept aside with reasons)"
    )


@energy_app.command("simulate")
def simulate_command(
    park: Annotated[str, typer.Option(help="The park to simulate.")],
    day: Annotated[str, typer.Option(help="The day, YYYY-MM-DD (UTC).")],
    broker: Broker = "mqtt://127.0.0.1:1883",
    devices: Devices = Path("devices.csv"),
) -> None:
    """Publish a realistic day of the park's readings (15 minutes, QoS 1)."""
    from greenlane.app.telemetry import publish
    from greenlane.energy.meters import day_of_readings

    try:
        registry = _registry(devices)
        messages = day_of_readings(park, registry, datetime.fromisoformat(day))
    except InputError as error:
        raise fail(error) from None
    except ValueError as e:
        raise fail(InputError([Problem("--day", None, "day", str(e))])) from None
    console.print(f"published {publish(broker, messages):,} readings of {park} for {day}")


def _registry(path: Path) -> dict[tuple[str, str], str]:
    from greenlane.energy.schema import DEVICE_COLUMNS
    from greenlane.energy.telemetry import KINDS
    from greenlane.io import read_rows

    rows = read_rows(path, DEVICE_COLUMNS)
    bad = [Problem(path.name, n, "kind", f"unknown kind {r['kind']!r} (one of {sorted(KINDS)})")
           for n, r in enumerate(rows, 1) if r["kind"] not in KINDS]  # fmt: skip
    if bad:
        raise InputError(bad)
    return {(str(r["park"]), str(r["device"])): str(r["kind"]) for r in rows}
