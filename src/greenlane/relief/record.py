"""A relief plan as plain data, and the donor-facing trace of each consignment.

The trace says what left which hub, by which mode, and when it arrived in which area: no
recipient, no personal data (the plan holds none).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from greenlane.relief.dispatch import ReliefPlan
from greenlane.relief.model import Event


def plan_record(plan: ReliefPlan, event: Event) -> dict[str, Any]:
    """Totals, each area's need and arrivals by kit type, shortfalls, consignments and traces.

    Parameters
    ----------
    plan
        The dispatch plan.
    event
        Its event.

    Returns
    -------
    dict
        The plan, JSON-ready.

    """
    areas = sorted({a for a, _ in plan.need})
    return {
        "event_id": plan.event_id,
        "deadline_h": plan.deadline_h,
        "totals": {
            "share_met": plan.share_met,
            "fair_share": plan.fair_share,
            "units_needed": sum(plan.need.values()),
            "units_delivered": sum(plan.delivered.values()),
            "cost": plan.cost,
            "co2e_wtw_kg": plan.co2e_wtw_kg,
        },
        "areas": [
            {
                "area_id": area,
                "kits": [
                    {"kit_id": k, "need": n, "delivered": plan.delivered[(a, k)]}
                    for (a, k), n in sorted(plan.need.items())
                    if a == area
                ],
            }
            for area in areas
        ],
        "shortfalls": [
            {
                "area_id": s.area_id,
                "kit_id": s.kit_id,
                "need": s.need,
                "delivered": s.delivered,
                "missing": s.missing,
                "cause": s.cause,
            }
            for s in plan.shortfalls
        ],
        "consignments": [
            {
                "consignment_id": f"{plan.event_id}:{c.option.option_id}:{c.kit_id}",
                "hub_id": c.option.hub_id,
                "area_id": c.option.area_id,
                "mode": c.option.mode,
                "kit_id": c.kit_id,
                "units": c.units,
                "weight_kg": c.weight_kg,
                "arrives_h": c.option.lead_h,
                "cost": c.cost,
                "co2e_wtw_kg": c.co2e_wtw_kg,
                "trace": trace(
                    c.option.hub_id, c.option.area_id, c.option.mode, c.option.lead_h, event
                ),
            }
            for c in plan.consignments
        ],
    }


def trace(
    hub_id: str, area_id: str, mode: str, lead_h: float, event: Event
) -> list[dict[str, Any]]:
    """A consignment's journey for donors: dispatched, then arrived, with where and when.

    Parameters
    ----------
    hub_id, area_id
        From where to where.
    mode
        How it travels.
    lead_h
        Hours from dispatch to arrival.
    event
        The event (its start is the dispatch time).

    Returns
    -------
    list of dict
        The journey's two steps.

    """
    steps = [("dispatched", hub_id, 0.0), ("arrived", area_id, lead_h)]
    return [
        {
            "step": step,
            "where": place,
            "hours_after_start": hours,
            "at": (event.starts_at + timedelta(hours=hours)).isoformat()
            if event.starts_at
            else None,
            "mode": mode,
        }
        for step, place, hours in steps
    ]
