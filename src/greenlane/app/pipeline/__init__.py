"""The main job: a scenario's days run end to end, demand to plans to activity to the ledger.

Every lever is priced against its stated baseline by the same code that prices the activity
(the emissions kernel, the packing footprint, the energy KPIs). Each day is one transaction:
a stage that fails names itself and its input, and the day leaves nothing behind; the days
already run stay, and running the job again carries on from the first day not yet stored.
The synthetic world carries out each plan as planned (every parcel leaves on its departure
and is delivered on time); a real network would feed its scans instead.

``world`` reads the scenario, ``day`` runs a day's stages, ``last_mile`` routes it, ``week``
runs the scenario and sums it up, ``figures`` holds the typed results, ``stages`` names them.
"""

from greenlane.app.figures import DayFigures, Saving, Savings, WeekSummary
from greenlane.app.pipeline.day import run_day
from greenlane.app.pipeline.stages import DAY_STAGES, StageError
from greenlane.app.pipeline.week import (
    prepare,
    report_containers,
    respond_to_relief,
    run,
    summarize,
)
from greenlane.app.pipeline.world import Levers, World, read_world

__all__ = [
    "DAY_STAGES",
    "DayFigures",
    "Levers",
    "Saving",
    "Savings",
    "StageError",
    "WeekSummary",
    "World",
    "prepare",
    "read_world",
    "report_containers",
    "respond_to_relief",
    "run",
    "run_day",
    "summarize",
]
