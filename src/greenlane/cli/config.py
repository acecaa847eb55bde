"""``greenlane config show``: the settings in force and where each came from."""

from __future__ import annotations

import typer

from greenlane.cli.lazy import group

config_app = group(help="The settings (GREENLANE_* in the environment).")


@config_app.command("show")
def show() -> None:
    """Print each setting's effective value and its source (the environment or the default)."""
    from rich.console import Console
    from rich.table import Table

    from greenlane.settings import Settings, sources

    try:
        current = Settings()
    except ValueError as error:  # pydantic's ValidationError: a bad value in the environment
        Console(stderr=True).print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    table = Table(title="greenlane settings")
    for column in ("setting", "value", "from", "meaning"):
        table.add_column(column, overflow="fold")
    for name, value, source in sources(current):
        table.add_row(name, value, source, Settings.model_fields[name].description or "")
    Console().print(table)
