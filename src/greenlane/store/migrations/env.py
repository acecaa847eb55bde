"""Alembic environment: runs greenlane's migrations on the URL or connection it is given."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from greenlane.store.tables import metadata

config = context.config


def run() -> None:
    """Online migrations only: greenlane always migrates a live database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
