"""Command-line groups for the store and the service: ``db``, ``org``, ``key``, ``serve``."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from greenlane.cli.errors import fail
from greenlane.cli.lazy import group
from greenlane.cli.output import LazyConsole
from greenlane.errors import GreenlaneError, NotFoundError

if TYPE_CHECKING:
    import sqlalchemy as sa

    from greenlane.store.access import Caller

db_app = group(help="The database (GREENLANE_DATABASE_URL).")
org_app = group(help="Organizations.")
key_app = group(help="API keys.")
console = LazyConsole()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to the configured database."""
    from greenlane.store import database_url, upgrade

    upgrade()
    console.print(f"database at the newest schema: {database_url()}")


def _valid_for(days: int) -> timedelta | None:
    return timedelta(days=days) if days > 0 else None


@org_app.command("create")
def org_create(
    org_id: Annotated[str, typer.Argument(help="Id: lowercase letters, digits, . _ -")],
    role: Annotated[str, typer.Option(help="operator, shipper, carrier or auditor")],
    name: Annotated[str, typer.Option(help="Display name (default: the id).")] = "",
    days: Annotated[int, typer.Option(help="Days the first key is valid; 0: no expiry.")] = 365,
) -> None:
    """Register an organization and print its first API key (shown this once)."""
    from greenlane.store import open_store
    from greenlane.store.access import create_organization

    engine = open_store()
    try:
        create_organization(engine, org_id, name or org_id, role)
    except GreenlaneError as e:
        raise fail(e) from None
    console.print(f"organization {org_id} ({role})")
    _print_new_key(engine, org_id, "first key", days)


def _admin() -> Caller:
    """Who runs the CLI on the database administers it (the operator's reach)."""
    from greenlane.store.access import Caller
    from greenlane.store.tables import Role

    return Caller("cli", Role.OPERATOR, "cli")


@org_app.command("grant")
def org_grant(
    shipper: Annotated[str, typer.Argument(help="The shipper that grants.")],
    grantee: Annotated[str, typer.Argument(help="The carrier (may report) or auditor (reads).")],
) -> None:
    """Let a carrier report TCEs for a shipper, or an auditor read the shipper's books."""
    from greenlane.store import open_store
    from greenlane.store.policy import grant

    try:
        new = grant(open_store(), _admin(), shipper, grantee)
    except NotFoundError as e:
        raise fail(NotFoundError(f"{e} (for shipper {shipper!r})")) from None
    console.print(f"{shipper} grants {grantee}" + ("" if new else " (it stood already)"))


@org_app.command("revoke")
def org_revoke(
    shipper: Annotated[str, typer.Argument(help="The shipper that granted.")],
    grantee: Annotated[str, typer.Argument(help="The carrier or auditor.")],
) -> None:
    """End a grant at once."""
    from greenlane.store import open_store
    from greenlane.store.policy import revoke

    if not revoke(open_store(), _admin(), shipper, grantee):
        raise fail(NotFoundError(f"{shipper} has no grant to {grantee}"))
    console.print(f"{shipper} no longer grants {grantee}")


@org_app.command("grants")
def org_grants() -> None:
    """Every standing grant: shipper, grantee, the grantee's role, since when."""
    from greenlane.store import open_store
    from greenlane.store.policy import list_grants

    for g in list_grants(open_store(), _admin()):
        typer.echo(f"{g['shipper_id']}\t{g['grantee_id']}\t{g['grantee_role']}\t{g['created_at']}")


@org_app.command("prefix")
def org_prefix(
    org_id: Annotated[str, typer.Argument(help="The organization GS1 licensed it to.")],
    prefix: Annotated[str, typer.Argument(help="The GS1 company prefix (6-12 digits).")],
) -> None:
    """Register a GS1 company prefix: stored parcel plans number SSCCs under their own only."""
    from greenlane.store import open_store
    from greenlane.store.access import organization
    from greenlane.store.parcels import register_prefix

    engine = open_store()
    try:
        if organization(engine, org_id) is None:
            raise NotFoundError(f"no organization {org_id!r}")
        new = register_prefix(engine, org_id, prefix)
    except GreenlaneError as e:
        raise fail(e) from None
    console.print(f"{prefix} is {org_id}'s" + ("" if new else " (it was already)"))


@key_app.command("issue")
def key_issue(
    org_id: Annotated[str, typer.Argument(help="The organization.")],
    label: Annotated[str, typer.Option(help="What the key is for.")] = "",
    days: Annotated[int, typer.Option(help="Days the key is valid; 0: no expiry.")] = 365,
) -> None:
    """Issue another API key for an organization (shown this once)."""
    from greenlane.store import open_store

    _print_new_key(open_store(), org_id, label, days)


def _print_new_key(engine: sa.Engine, org_id: str, label: str, days: int) -> None:
    """Issue a key and print it on the last line of standard output (scripts take it there)."""
    from greenlane.store.access import issue_key

    try:
        key_id, key = issue_key(engine, org_id, label, _valid_for(days))
    except GreenlaneError as e:
        raise fail(e) from None
    console.print(f"key {key_id} for {org_id}:")
    typer.echo(key)


@key_app.command("revoke")
def key_revoke(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
    """Revoke a key; it stops working at once."""
    from greenlane.store import open_store
    from greenlane.store.access import revoke_key

    if not revoke_key(open_store(), key_id):
        raise fail(NotFoundError(f"no active key {key_id}"))
    console.print(f"revoked {key_id}")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    healthcheck_timeout: Annotated[
        int, typer.Option(min=1, help="Seconds a worker may take to answer its supervisor.")
    ] = 60,
) -> None:
    """Run the REST API on the configured database (migrated first); docs at /docs.

    Each worker runs Polars on one thread (unless POLARS_MAX_THREADS says otherwise): a
    service is parallel across requests and workers, and on 2 cores a second Polars thread
    per worker made the quote's p99 latency 8x worse under load. Dashboard sessions live in
    the database, so every worker honours them. A worker importing the app on a loaded
    machine can take tens of seconds: uvicorn's default 5 s health check killed such workers
    in a loop, so the timeout is 60 s, and the supervisor's log (a worker that died and was
    restarted) is shown.
    """
    import uvicorn

    from greenlane.store import upgrade

    os.environ.setdefault("POLARS_MAX_THREADS", "1")
    upgrade()
    uvicorn.run(
        "greenlane.service.main:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        timeout_worker_healthcheck=healthcheck_timeout,
    )
