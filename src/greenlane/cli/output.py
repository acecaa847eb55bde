"""Where commands print: Rich consoles made on first use.

Printing a group's help never prints through Rich, so importing Rich's console, tables and
progress bars (a third of the CPU of ``greenlane <group> --help``) waits until a command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class LazyConsole:
    """A ``rich.console.Console`` created when first used; it forwards everything to it."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def real(self) -> Console:
        """The console itself (for Rich objects that take one: progress bars, live views)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)
