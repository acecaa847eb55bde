"""CPU to start the command line: ``greenlane --help`` and each group's help beside Typer+Rich.

Each command runs in a fresh process, five times; the figure is the median CPU (user + system)
of the child process, so a busy machine changes it less than wall time. Baselines, in the same
run: importing Typer and Rich alone, and a bare Typer app with 18 commands printing its help.

    python benchmarks/bench_cli.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

from rich.console import Console
from rich.table import Table

from greenlane.cli.main import COMMANDS

console = Console()
BARE_APP = """
import typer
app = typer.Typer(no_args_is_help=True)
for n in range(18):
    app.command(f"command{n}", help="A command.")(lambda: None)
app()
"""


def cpu(command: list[str], runs: int) -> tuple[float, float]:
    """Median CPU seconds and wall seconds of ``command`` in a fresh process."""
    cpus, walls = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            command, check=True, capture_output=True, env=os.environ | {"COLUMNS": "100"}
        )
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(cpus), statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    python = sys.executable
    greenlane = [python, "-m", "greenlane.cli.main"]
    floor, floor_wall = cpu([python, "-c", "import typer, rich"], runs)
    bare, bare_wall = cpu([python, "-c", BARE_APP, "--help"], runs)
    rows = [
        ("import typer, rich (the floor)", floor, floor_wall),
        ("bare Typer app --help", bare, bare_wall),
    ]
    rows.append(("greenlane --help", *cpu([*greenlane, "--help"], runs)))
    rows += [
        (f"greenlane {name} --help", *cpu([*greenlane, name, "--help"], runs)) for name in COMMANDS
    ]
    table = Table(title=f"CLI start-up, median of {runs} fresh processes")
    for column in ("command", "CPU s", "wall s", "x floor"):
        table.add_column(column, justify="left" if column == "command" else "right")
    for name, seconds, wall in rows:
        table.add_row(name, f"{seconds:.3f}", f"{wall:.3f}", f"{seconds / floor:.1f}")
    console.print(table)


if __name__ == "__main__":
    main()
