"""The migrations build exactly the tables the code declares, on both databases, both ways."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from greenlane.store import alembic_config, connect
from greenlane.store.tables import metadata


def _differences(url: str) -> list[object]:
    engine = connect(url)
    with engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    return list(found)


def test_head_matches_the_declared_tables_and_downgrades_cleanly(db_url: str) -> None:
    assert _differences(db_url) == []
    command.downgrade(alembic_config(db_url), "base")
    command.upgrade(alembic_config(db_url), "head")
    assert _differences(db_url) == []
