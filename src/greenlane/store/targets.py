"""An organization's transport-emission targets, and their progress measured from the rollups.

They are ESG targets (one table, ``esg_targets``) on the transport KPIs; see
``greenlane.esg.targets``.
"""

from __future__ import annotations

import sqlalchemy as sa

from greenlane.errors import FieldError, InputError, Problem
from greenlane.esg.targets import METRICS, EsgTarget, Gap, gaps, transport_target, yearly_actuals
from greenlane.store.access import Caller, now
from greenlane.store.esg import esg_targets_of, set_esg_target
from greenlane.store.queries import summary


def set_target(
    engine: sa.Engine,
    caller: Caller,
    target_id: str,
    metric: str,
    base_year: int,
    target_year: int,
    target_value: float,
    base_value: float | None = None,
) -> EsgTarget:
    """Create or replace one of the caller's targets; the base value defaults to the measured one.

    Raises
    ------
    InputError
        Without ``base_value`` when the caller has no stored TCEs in the base year, or when the
        target is not a reduction (see ``EsgTarget``).

    """
    if base_value is None:
        base_value = measured(engine, caller, metric, base_year, base_year).get(base_year)
        if base_value is None:
            reason = f"no stored emissions in {base_year}: give base_value"
            raise InputError([Problem("request", None, "base_value", reason)])
    try:
        target = transport_target(
            target_id, metric, base_year, base_value, target_year, target_value
        )
    except FieldError as e:  # every check of a target names its field
        raise InputError([Problem("request", None, e.field, e.reason)]) from e
    set_esg_target(engine, caller, target)
    return target


def list_targets(engine: sa.Engine, caller: Caller) -> list[EsgTarget]:
    """The caller's own transport-emission targets, by id."""
    return [t for t in esg_targets_of(engine, caller) if t.metric in METRICS]


def measured(
    engine: sa.Engine, caller: Caller, metric: str, first_year: int, last_year: int
) -> dict[int, float]:
    """The metric per year over the caller's stored emissions (from the monthly rollups)."""
    months = summary(engine, caller, "month", f"{first_year}-01", f"{last_year}-12")
    return yearly_actuals(metric, months)


def target_progress(
    engine: sa.Engine, caller: Caller, target: EsgTarget, start: str | None, end: str | None
) -> list[Gap]:
    """Each year with data that the period touches (YYYY-MM bounds, either open), on the path.

    Targets are annual, so a period that starts or ends inside a year counts that whole year.
    """
    first = int(start[:4]) if start else target.base_year
    last = int(end[:4]) if end else now().year
    return gaps(target, measured(engine, caller, str(target.metric), first, last))
