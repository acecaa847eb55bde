"""One error hierarchy with machine-readable codes; input problems by file, row and column.

Every error greenlane raises on purpose is a ``GreenlaneError`` with a ``code``; each face maps
codes once (``service.common.STATUS`` to HTTP statuses, ``cli.errors.EXIT`` to exit statuses),
so no face reads an error's message to decide what it means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar


class GreenlaneError(Exception):
    """An error greenlane raises on purpose; ``code`` says which kind."""

    code: ClassVar[str] = "internal"


class NotFoundError(GreenlaneError, LookupError):
    """What was asked for does not exist, or is not the caller's to see (the same answer)."""

    code = "not_found"


class ConflictError(GreenlaneError):
    """The request contradicts what is stored (an idempotency key, a TCE, an id in use)."""

    code = "conflict"


class TooLargeError(GreenlaneError, ValueError):
    """More rows or bytes than accepted at once."""

    code = "too_large"


class ForbiddenError(GreenlaneError):
    """The caller's role may not do this (an auditor writing, say)."""

    code = "forbidden"


class StoreError(GreenlaneError):
    """The store named by the settings is missing or not at the newest schema: a usage error."""

    code = "input"


class UnavailableError(GreenlaneError):
    """Something the request needs is not there: the store unmigrated or down, a renderer."""

    code = "unavailable"


class FieldError(ValueError):
    """A value refused by a record's own checks, naming its field.

    Readers report it under that column (:func:`row_problem`); its text reads as before,
    ``"weight_kg must be > 0, got -1"`` (``separator`` " ") or ``"metric: unknown 'x'"``.
    """

    def __init__(self, field: str, reason: str, separator: str = " ") -> None:
        super().__init__(f"{field}{separator}{reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason why one input row cannot be used.

    ``row`` is the 1-based data row (the header is row 0), or None for a whole-file problem.
    """

    file: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        return f"{self.file}: {where}, column '{self.column}': {self.reason}"


class InputError(GreenlaneError, ValueError):
    """Raised when input cannot be used; carries every problem found, not only the first."""

    code = "input"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column))
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = len(self.problems) - 20
        tail = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} input problem(s):\n{shown}{tail}")


def row_problem(file: str, row: int, error: ValueError) -> Problem:
    """A refusal of one row's values as a problem under the column it names.

    A :class:`FieldError` names its field; any other refusal concerns the row as a whole.
    """
    if isinstance(error, FieldError):
        return Problem(file, row, error.field, error.reason)
    return Problem(file, row, "row", str(error))
