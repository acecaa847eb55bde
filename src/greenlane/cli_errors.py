"""How every command reports bad input: each problem on stderr, then exit code 2."""

from __future__ import annotations

import typer
from rich.console import Console

from greenlane.errors import InputError

errors = Console(stderr=True)


def fail(error: InputError) -> typer.Exit:
    """Print every problem (file, row, column, reason) and the exit to raise."""
    errors.print(f"[bold red]{len(error.problems)} input problem(s); nothing was written.[/]")
    for problem in error.problems[:200]:
        errors.print(f"  {problem}", markup=False, highlight=False)
    if len(error.problems) > 200:
        errors.print(f"  ... and {len(error.problems) - 200} more")
    return typer.Exit(code=2)
