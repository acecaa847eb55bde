"""How every command reports bad input (each problem on stderr, exit 2), and whom it serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from greenlane.errors import InputError, Problem

if TYPE_CHECKING:
    from greenlane.store.access import Caller


errors = Console(stderr=True)


def fail(error: InputError) -> typer.Exit:
    """Print every problem (file, row, column, reason) and the exit to raise."""
    errors.print(f"[bold red]{len(error.problems)} input problem(s); nothing was written.[/]")
    for problem in error.problems[:200]:
        errors.print(f"  {problem}", markup=False, highlight=False)
    if len(error.problems) > 200:
        errors.print(f"  ... and {len(error.problems) - 200} more")
    return typer.Exit(code=2)


def refuse(message: str) -> None:
    """Print a refusal in red; ``message`` may hold what the user typed, so it is not markup."""
    errors.print(message, style="red", markup=False, highlight=False)


def caller_of(org: str) -> Caller:
    """The organization a command acts for; an unknown one is a problem with --organization."""
    from greenlane.store import connect
    from greenlane.store.access import Caller, organization
    from greenlane.store.tables import Role

    found = organization(connect(), org)
    if found is None:
        raise InputError(
            [Problem("--organization", None, "organization", f"no organization {org!r}")]
        )
    return Caller(org, Role(found["role"]), "cli")
