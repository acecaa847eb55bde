"""Plan a park's energy: one use case for ``greenlane energy plan`` and the main job.

The park document is turned into its series (weather, load, EV sessions), dispatched day by
day by the LP and by the rule a park runs without it, and both are measured the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from greenlane.energy.dispatch import Flows, by_day
from greenlane.energy.document import ParkDoc, park_for
from greenlane.energy.kpis import EnergyKpis, kpis
from greenlane.energy.park import Park


@dataclass(frozen=True, slots=True)
class ParkPlan:
    """A park's plan and the rule's over the same days, each with its KPIs."""

    park: Park
    weather: str
    planned: Flows
    ruled: Flows
    ours: EnergyKpis
    rule: EnergyKpis


def plan_park(
    doc: ParkDoc,
    first_day: datetime,
    days: int,
    step_h: float = 1.0,
    objective: str = "cost",
    certified_share: float = 0.0,
) -> ParkPlan:
    """The park's days (noon to noon) optimised for ``objective``, beside the rule."""
    park, weather = park_for(doc, first_day, days, step_h)
    planned, ruled = by_day(park, objective, round(24 / step_h))
    return ParkPlan(park, weather, planned, ruled, kpis(park, planned, certified_share),
                    kpis(park, ruled, certified_share))  # fmt: skip
