"""Where commands print: Rich consoles made on first use.

Printing a group's help never prints through Rich, so importing Rich's console, tables and
progress bars (a third of the CPU of ``greenlane <group> --help``) waits until a command runs.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console


QUIET = {"on": False}  # greenlane --quiet: stdout consoles print nothing (errors still do)


def be_quiet() -> None:
    """From now on, consoles on stdout print nothing: no tables, notes or progress bars.

    Errors (on stderr) and the machine formats (``--format csv|json``, written to stdout
    directly) still print; the exit status says how it went.
    """
    QUIET["on"] = True


class LazyConsole:
    """A ``rich.console.Console`` created when first used; it forwards everything to it."""

    def __init__(self, *, chatter: bool = False, **options: Any) -> None:
        self._options = options
        self._chatter = chatter  # progress and status lines: silenced by --quiet on stderr too
        self._console: Console | None = None

    @property
    def real(self) -> Console:
        """The console itself (for Rich objects that take one: progress bars, live views)."""
        if self._console is None:
            from rich.console import Console

            quiet = QUIET["on"] and (self._chatter or not self._options.get("stderr"))
            self._console = Console(**self._options, quiet=quiet)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


progress = LazyConsole(stderr=True, chatter=True)  # bars and spinners: never in stdout's results


class Format(StrEnum):
    """How a command prints its rows: a table for people, CSV or JSON for programs."""

    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    Format, typer.Option("--format", help="Print the summary as a table, csv or json.")
]


def show_summary(
    rows: list[dict[str, Any]],
    fmt: Format,
    title: str,
    console: LazyConsole,
    notes: Sequence[str] = (),
) -> None:
    """A command's summary: rows as :func:`print_rows` prints them, then notes for people.

    The notes (where results went, a sentence of context) follow the table only: CSV and JSON
    on stdout stay what a program can read.
    """
    print_rows(rows, fmt, title, console)
    if fmt is Format.table:
        for note in notes:
            console.print(note, markup=False, highlight=False)


def print_rows(rows: list[dict[str, Any]], fmt: Format, title: str, console: LazyConsole) -> None:
    """Rows as a Rich table (numbers to 4 significant figures) or exact CSV / JSON on stdout."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(rows, indent=1, default=str) + "\n")
        return
    names = list(rows[0]) if rows else []
    if fmt is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.table import Table

    table = Table(title=title)
    shown = [[_for_people(r[name]) for name in names] for r in rows]
    widths = [
        min(max([len(title_), *(len(line[n]) for line in shown)]), 14)
        for n, title_ in enumerate(names)
    ]
    room = console.real.width - sum(w + 3 for w in widths[1:]) - 4  # what the first may take
    for n, name in enumerate(names):
        numeric = any(isinstance(r[name], int | float) for r in rows)
        table.add_column(name, justify="right" if numeric else "left", no_wrap=True,
                         overflow="ellipsis", min_width=widths[n] if n else None,
                         max_width=max(room, 12) if n == 0 else None)  # fmt: skip
    for line in shown:
        table.add_row(*line)
    console.print(table)


def _for_people(value: Any) -> str:
    """A value as a table shows it: about 4 significant figures, no -0, a dash for nothing.

    From 10,000 on, whole numbers with thousands separators (never 2.682e+05).
    """
    if value is None:
        return "—"
    if isinstance(value, float):
        if abs(value) < 1e-12:
            return "0"
        return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value + 0.0:,.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
