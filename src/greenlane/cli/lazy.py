"""A command group that imports a sub-command's module only when that sub-command runs.

``greenlane --help`` lists every group from its registered one-line help, so printing it
imports no engine (pvlib, scipy, PyVRP, Polars...): a command pays only for what it uses.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

# Typer vendors its own click (typer._click) in recent releases, so click's types are named
# through Typer's classes here and annotated as Any.
Command = Any
Context = Any


@dataclass(frozen=True, slots=True)
class Lazy:
    """Where a sub-command lives: ``module``'s ``attribute`` (a Typer app or a function)."""

    module: str
    attribute: str
    help: str


class LazyGroup(TyperGroup):
    """A Typer group whose ``lazy`` sub-commands are imported when invoked, not when listed."""

    lazy: ClassVar[dict[str, Lazy]] = {}

    def list_commands(self, ctx: Context) -> list[str]:
        """The loaded commands and the lazy ones, in registration order."""
        return [*super().list_commands(ctx), *(n for n in self.lazy if n not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command if loaded, else a stand-in carrying its help (for listings)."""
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        return TyperCommand(cmd_name, help=self.lazy[cmd_name].help)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        """Load the sub-command about to run, then resolve as usual."""
        name = args[0] if args else None
        if name in self.lazy and name not in self.commands:
            self.add_command(load(name, self.lazy[name]), name)
        return super().resolve_command(ctx, args)


HELP = {"help_option_names": ["-h", "--help"]}  # -h as well, as people expect


def group(help: str = "", **options: Any) -> typer.Typer:
    """A Typer app as every greenlane group is made: help without arguments, plain help text.

    Plain help (Click's layout) instead of Rich panels: the panels load Rich's Markdown
    renderer, which doubled the CPU of printing a group's help (benchmarks/bench_cli.py).
    """
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None,
                       context_settings=HELP, **options)  # fmt: skip


def load(name: str, where: Lazy) -> Command:
    """The click command of a Typer app or a plain function, imported now."""
    found: Any = getattr(importlib.import_module(where.module), where.attribute)
    if isinstance(found, typer.Typer):  # a group stays a group, even with one command
        command: Command = typer.main.get_group(found)
    else:
        single = typer.Typer(rich_markup_mode=None, context_settings=HELP)
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command
