"""How every command reports what it refuses, with one exit status per error code; whom it serves.

| code | exit status | for example |
|---|---|---|
| input | 2 | a bad row, option or file (every problem printed); a missing or unmigrated store |
| not_found | 3 | an unknown organization or key |
| conflict | 4 | an id in use, a prefix of another organization |
| too_large | 5 | more rows than accepted at once |
| forbidden | 6 | the role may not do this |
| unavailable | 7 | the store cannot be reached; no PDF renderer |

Any other failure is a bug: Python's traceback, exit status 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from greenlane.cli.output import LazyConsole
from greenlane.errors import GreenlaneError, InputError, Problem

if TYPE_CHECKING:
    from greenlane.store.access import Caller


errors = LazyConsole(stderr=True)
EXIT = {  # the one table from an error's code to the command's exit status
    "input": 2,
    "not_found": 3,
    "conflict": 4,
    "too_large": 5,
    "forbidden": 6,
    "unavailable": 7,
    "internal": 1,
}


def fail(error: GreenlaneError) -> typer.Exit:
    """Print the refusal (every problem, for bad input) and the exit to raise."""
    if isinstance(error, InputError):
        errors.print(f"[bold red]{len(error.problems)} input problem(s); nothing was written.[/]")
        for problem in error.problems[:200]:
            errors.print(f"  {problem}", markup=False, highlight=False)
        if len(error.problems) > 200:
            errors.print(f"  ... and {len(error.problems) - 200} more")
    else:
        refuse(str(error))
    return typer.Exit(code=EXIT[error.code])


def refuse(message: str) -> None:
    """Print a refusal in red; ``message`` may hold what the user typed, so it is not markup."""
    errors.print(message, style="red", markup=False, highlight=False)


def caller_of(org: str) -> Caller:
    """The organization a command acts for; an unknown one is a problem with --organization."""
    from greenlane.store import open_store
    from greenlane.store.access import Caller, organization
    from greenlane.store.tables import Role

    found = organization(open_store(), org)
    if found is None:
        raise InputError(
            [Problem("--organization", None, "organization", f"no organization {org!r}")]
        )
    return Caller(org, Role(found["role"]), "cli")
