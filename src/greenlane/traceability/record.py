"""A containers report as plain data: for the CLI's JSON, the dashboard panel and the docs."""

from __future__ import annotations

import math
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from greenlane.traceability.containers import FleetKpis, History
from greenlane.traceability.reuse import ReuseCase, ReuseComparison


def containers_record(
    found: dict[str, History],
    kpis: FleetKpis,
    case: ReuseCase,
    comparison: ReuseComparison,
    as_of: datetime,
    lost_after: timedelta,
) -> dict[str, Any]:
    """Fleet KPIs, one row per container, and the reuse comparison over a box's lifetime.

    Parameters
    ----------
    found
        GRAI to its history.
    kpis
        The pool's figures.
    case
        The reuse case (box and carton data).
    comparison
        The reuse comparison.
    as_of
        The time of the report.
    lost_after
        How long unread makes a container lost.

    Returns
    -------
    dict
        The report, JSON-ready.

    """
    rows = [
        {
            "grai": h.grai,
            "home": h.home,
            "trips": len(h.trips),
            "inferred_trips": sum(t.inferred for t in h.trips),
            "cycle_days": [round(d, 3) for d in h.cycle_days()],
            "last_seen": h.last_seen.isoformat(),
            "status": h.ended or ("lost" if as_of - h.last_seen > lost_after else "active"),
        }
        for h in found.values()
    ]
    saving = comparison.saving_per_trip_kg
    return {
        "as_of": as_of.isoformat(),
        "lost_after_days": lost_after.total_seconds() / 86400,
        "fleet": asdict(kpis),
        "containers": rows,
        "reuse": {
            "case": asdict(case),
            "lifetime_trips": comparison.trips,
            "carton_per_trip_kg": comparison.carton_per_trip_kg,
            "box_per_trip_kg": comparison.box_per_trip_kg,
            "return_leg_kg": comparison.return_leg_kg,
            "break_even_trips": None
            if math.isinf(comparison.break_even_trips)
            else comparison.break_even_trips,
            "saving_per_trip_kg": saving,
            "saving_kg": saving * kpis.trips,
        },
    }
