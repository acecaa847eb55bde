"""``greenlane config show``: the settings in force and where each came from."""

from __future__ import annotations

import typer

from greenlane.cli.errors import errors
from greenlane.cli.lazy import group
from greenlane.cli.output import Format, FormatOption, LazyConsole, print_rows

config_app = group(help="The settings (GREENLANE_* in the environment).")
console = LazyConsole()


@config_app.command("show")
def show(fmt: FormatOption = Format.table) -> None:
    """Print each setting's effective value and its source (the environment or the default)."""
    from rich.table import Table

    from greenlane.settings import Settings, sources

    try:
        current = Settings()
    except ValueError as error:  # pydantic's ValidationError: a bad value in the environment
        errors.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    rows = [
        {"setting": name, "value": value, "from": source,
         "meaning": Settings.model_fields[name].description or ""}
        for name, value, source in sources(current)
    ]  # fmt: skip
    if fmt is not Format.table:
        print_rows(rows, fmt, "greenlane settings", console)
        return
    table = Table(title="greenlane settings")  # meanings folded onto lines, not cut
    for column in rows[0]:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row.values())
    console.print(table)
