"""The root of ``greenlane``: the groups and commands, each imported when it runs."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from greenlane.cli.lazy import Context, Lazy, LazyGroup, group

COMMANDS = {  # name -> where it lives, and the one line ``greenlane --help`` shows
    "emissions": Lazy("greenlane.cli.emissions", "emissions_app",
                      "ISO 14083 / GLEC freight emissions."),
    "factors": Lazy("greenlane.cli.emissions", "factors_app", "Emission-factor packs."),
    "config": Lazy("greenlane.cli.config", "config_app",
                   "The settings (GREENLANE_* in the environment)."),
    "db": Lazy("greenlane.cli.service", "db_app", "The database (GREENLANE_DATABASE_URL)."),
    "org": Lazy("greenlane.cli.service", "org_app",
                "Organizations, grants and SSCC company prefixes."),
    "key": Lazy("greenlane.cli.service", "key_app", "API keys."),
    "parcels": Lazy("greenlane.cli.parcels", "parcels_app",
                    "Order merging, cross-border consolidation and e-waybills."),
    "waybill": Lazy("greenlane.cli.parcels", "waybill_app", "Electronic waybills."),
    "route": Lazy("greenlane.cli.routing", "route_app",
                  "Green vehicle routing over mixed fleets."),
    "relief": Lazy("greenlane.cli.relief", "relief_app", "Emergency relief dispatch."),
    "esg": Lazy("greenlane.cli.esg", "esg_app", "The ESG ledger and report."),
    "energy": Lazy("greenlane.cli.energy", "energy_app",
                   "Logistics-park energy: solar, battery, EV charging, telemetry."),
    "epcis": Lazy("greenlane.cli.traceability", "epcis_app", "EPCIS 2.0 events."),
    "containers": Lazy("greenlane.cli.traceability", "containers_app",
                       "Reusable containers and carton collections."),
    "scenario": Lazy("greenlane.cli.scenario", "scenario_app", "Seeded synthetic worlds."),
    "pipeline": Lazy("greenlane.cli.scenario", "pipeline_app",
                     "The main job: a scenario's days end to end."),
    "demo": Lazy("greenlane.cli.scenario", "demo",
                 "A week of the network planned and accounted, then the dashboard."),
    "serve": Lazy("greenlane.cli.service", "serve", "Run the REST API and the dashboard."),
    "pack": Lazy("greenlane.cli.packing", "pack", "Choose cartons for orders (3D packing)."),
}  # fmt: skip


class Commands(LazyGroup):
    """The root group: any refusal a command lets through exits by ``cli.errors.EXIT``."""

    lazy = COMMANDS

    def invoke(self, ctx: Context) -> Any:
        """Run the command; a GreenlaneError is printed (no traceback) with its exit status."""
        from greenlane.errors import GreenlaneError

        try:
            return super().invoke(ctx)
        except GreenlaneError as error:
            from greenlane.cli.errors import fail

            raise fail(error) from None


app = group(cls=Commands, help="greenlane: low-carbon, resilient logistics.")


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version  # 30 ms: only when asked

        typer.echo(f"greenlane {version('greenlane')}")
        raise typer.Exit


@app.callback()
def main(
    _: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print nothing but errors and --format csv/json output."
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log every step (DEBUG) on stderr.")
    ] = False,
) -> None:
    """greenlane: low-carbon, resilient logistics."""
    if {"--help", "-h"} & set(sys.argv[1:]):  # help reads no settings, so that it stays fast
        return
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose say opposite things: choose one")
    if quiet:
        from greenlane.cli.output import be_quiet

        be_quiet()
    from pydantic import ValidationError

    from greenlane.logs import configure
    from greenlane.settings import settings

    try:
        current = settings()
    except ValidationError as error:  # a bad GREENLANE_* value: said once, before any work
        typer.echo(f"greenlane settings: {error}", err=True)
        raise typer.Exit(2) from None
    configure("DEBUG" if verbose else current.log_level, current.log_json)


if __name__ == "__main__":  # python -m greenlane.cli.main (the benchmark runs it so)
    app()
