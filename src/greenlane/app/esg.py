"""The ESG report's inputs from the store, built once for the API, dashboard, CLI and main job.

The ledger, the modules' figures (transport CO2e by mode) and the targets meet here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from greenlane.esg.fiscal import FiscalCalendar
from greenlane.esg.report import Inputs, build
from greenlane.esg.targets import EsgTarget
from greenlane.store.access import Caller
from greenlane.store.esg import esg_targets_of, ledger, transport_by_mode


def esg_inputs(
    engine: sa.Engine,
    caller: Caller,
    calendar: FiscalCalendar,
    year: str,
    more_targets: Sequence[EsgTarget] = (),
) -> Inputs:
    """A fiscal year's inputs for ``caller``: its ledger, its transport CO2e, its targets.

    ``more_targets`` (read from a file) replace the stored targets of the same id.
    """
    given = {t.target_id for t in more_targets}
    stored = [t for t in esg_targets_of(engine, caller) if t.target_id not in given]
    return Inputs(
        caller.organization_id,
        year,
        calendar,
        ledger(engine, caller),
        transport_by_mode(engine, caller, calendar, year),
        [*stored, *more_targets],
    )


def esg_model(
    engine: sa.Engine,
    caller: Caller,
    calendar: FiscalCalendar,
    year: str,
    more_targets: Sequence[EsgTarget] = (),
) -> dict[str, Any]:
    """The report's model (pillars, KPIs, targets, notes) of a fiscal year for ``caller``."""
    return build(esg_inputs(engine, caller, calendar, year, more_targets))
