"""The main job's record of the days it has run (written inside each day's transaction)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from greenlane.store.access import Caller, now
from greenlane.store.documents import Days
from greenlane.store.policy import owned_rows
from greenlane.store.tables import pipeline_days
from greenlane.store.unit import Bind, writing


def days_done(engine: sa.Engine, organization: str, scenario: str) -> dict[date, dict[str, Any]]:
    """The scenario's days already in the store, with the figures each reported."""
    query = sa.select(pipeline_days.c.day, pipeline_days.c.summary).where(
        pipeline_days.c.organization_id == organization, pipeline_days.c.scenario == scenario
    )
    with engine.connect() as conn:
        return {row.day: row.summary for row in conn.execute(query)}


def mark_day(
    bind: Bind, organization: str, scenario: str, day: date, summary: dict[str, Any]
) -> None:
    """Record a day as run, with its figures."""
    with writing(bind) as conn:
        conn.execute(
            pipeline_days.insert().values(
                organization_id=organization,
                scenario=scenario,
                day=day,
                created_at=now(),
                summary=summary,
            )
        )


def day_figures(engine: sa.Engine, caller: Caller, days: Days) -> list[dict[str, Any]]:
    """The figures of every main-job day within ``days`` the caller may read, by day."""
    c = pipeline_days.c
    first, last = days
    query = (
        sa.select(c.summary)
        .where(owned_rows(caller, c.organization_id))
        .where(c.day >= first if first else sa.true())
        .where(c.day <= last if last else sa.true())
        .order_by(c.day, c.organization_id, c.scenario)
    )
    with engine.connect() as conn:
        return [row.summary for row in conn.execute(query)]
