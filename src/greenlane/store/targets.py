"""An organization's reduction targets, and their progress measured from the rollups."""

from __future__ import annotations

import sqlalchemy as sa

from greenlane.esg.targets import Target, YearProgress, progress, yearly_actuals
from greenlane.store.access import Caller, now
from greenlane.store.queries import summary
from greenlane.store.tables import targets

FIELDS = ("target_id", "metric", "base_year", "base_value", "target_year", "target_value")


class NoBaseError(ValueError):
    """No base value was given and none can be measured for the base year."""


def set_target(
    engine: sa.Engine,
    caller: Caller,
    target_id: str,
    metric: str,
    base_year: int,
    target_year: int,
    target_value: float,
    base_value: float | None = None,
) -> Target:
    """Create or replace one of the caller's targets; the base value defaults to the measured one.

    Raises
    ------
    NoBaseError
        Without ``base_value`` when the caller has no stored TCEs in the base year.
    ValueError
        When the target is not a reduction (see ``Target``).

    """
    if base_value is None:
        base_value = measured(engine, caller, metric, base_year, base_year).get(base_year)
        if base_value is None:
            raise NoBaseError(f"no stored emissions in {base_year}: give base_value")
    target = Target(target_id, metric, base_year, base_value, target_year, target_value)
    row = {f: getattr(target, f) for f in FIELDS}
    key = (targets.c.organization_id == caller.organization_id) & (targets.c.target_id == target_id)
    with engine.begin() as conn:
        conn.execute(targets.delete().where(key))
        conn.execute(
            targets.insert().values(organization_id=caller.organization_id, updated_at=now(), **row)
        )
    return target


def list_targets(engine: sa.Engine, caller: Caller) -> list[Target]:
    """The caller's own targets, by id."""
    query = (
        sa.select(*(targets.c[f] for f in FIELDS))
        .where(targets.c.organization_id == caller.organization_id)
        .order_by(targets.c.target_id)
    )
    with engine.connect() as conn:
        return [Target(**r._mapping) for r in conn.execute(query)]


def measured(
    engine: sa.Engine, caller: Caller, metric: str, first_year: int, last_year: int
) -> dict[int, float]:
    """The metric per year over the caller's stored emissions (from the monthly rollups)."""
    months = summary(engine, caller, "month", f"{first_year}-01", f"{last_year}-12")
    return yearly_actuals(metric, months)


def target_progress(
    engine: sa.Engine, caller: Caller, target: Target, start: str | None, end: str | None
) -> list[YearProgress]:
    """Each year with data that the period touches (YYYY-MM bounds, either open), on the path.

    Targets are annual, so a period that starts or ends inside a year counts that whole year.
    """
    first = int(start[:4]) if start else target.base_year
    last = int(end[:4]) if end else now().year
    return progress(target, measured(engine, caller, target.metric, first, last))
