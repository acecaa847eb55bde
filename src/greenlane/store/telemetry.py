"""Telemetry in the store: readings kept once whatever the redelivery, rejects kept aside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from greenlane.energy.telemetry import Reading, Rejected
from greenlane.store.access import now
from greenlane.store.tables import telemetry, telemetry_rejects


def store_batch(engine: sa.Engine, readings: Sequence[Reading], rejects: Sequence[Rejected]) -> int:
    """Keep a batch in one transaction; a reading already stored is skipped. Returns new rows."""
    with engine.begin() as conn:
        added = 0
        if readings:
            insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
            statement = insert(telemetry).on_conflict_do_nothing()
            added = conn.execute(statement, [asdict(r) for r in readings]).rowcount
        if rejects:
            stamp = now()
            conn.execute(
                telemetry_rejects.insert(), [asdict(r) | {"received_at": stamp} for r in rejects]
            )
    return max(added, 0)


def counts(engine: sa.Engine) -> tuple[int, int]:
    """Readings stored and messages rejected."""
    with engine.connect() as conn:
        stored = conn.execute(sa.select(sa.func.count()).select_from(telemetry)).scalar_one()
        rejected = conn.execute(
            sa.select(sa.func.count()).select_from(telemetry_rejects)
        ).scalar_one()
    return int(stored), int(rejected)
