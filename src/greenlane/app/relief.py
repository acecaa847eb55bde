"""Plan the response to a relief event: one use case for the CLI, the API and the main job."""

from __future__ import annotations

from typing import Any

from greenlane.relief.dispatch import ReliefPlan, plan
from greenlane.relief.model import Event, Network
from greenlane.relief.record import plan_record


def plan_response(
    event: Event, network: Network, carbon_price: float, seconds: float
) -> tuple[ReliefPlan, dict[str, Any]]:
    """What goes from which hub to which area by when, and its record (JSON-ready)."""
    result = plan(event, network, carbon_price, seconds)
    return result, plan_record(result, event)
