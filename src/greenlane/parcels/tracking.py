"""A parcel's journey: its tracking events in order, an estimated arrival, and a public view.

Statuses follow the parcel's life: created, collected, at a hub, departed, arrived,
out for delivery or at a post station, then delivered or collected by the consignee. The
public view shows the journey, the estimate and the parcel's CO2e, and nothing about the
people (no name, address or phone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from greenlane.errors import FieldError

STATUSES = (
    "created",
    "collected",
    "at_hub",
    "departed",
    "arrived",
    "out_for_delivery",
    "at_post_station",
    "delivered",
    "collected_by_consignee",
)
FINAL = {"delivered", "collected_by_consignee"}
SHARE_TO_GO = {  # of the lane's door-to-door time, still to go after each status
    "created": 1.0,
    "collected": 0.95,
    "at_hub": 0.9,
    "departed": 0.75,
    "arrived": 0.3,
    "out_for_delivery": 0.02,
    "at_post_station": 0.0,  # there now: the consignee may collect it
}


@dataclass(frozen=True, slots=True)
class Event:
    """One scan of a parcel: what happened, when, and where (a hub or city, never an address)."""

    waybill: str
    status: str
    at: datetime
    place: str

    def __post_init__(self) -> None:
        """Refuse a status the timeline does not know."""
        if self.status not in STATUSES:
            raise FieldError("status", f"must be one of {STATUSES}, got {self.status!r}")


def timeline(events: Sequence[Event]) -> list[Event]:
    """The parcel's events in time order (ties in the order of the statuses), duplicates once.

    Parameters
    ----------
    events
        The parcel's scans.

    Returns
    -------
    list of Event
        The journey.

    """
    unique = {(e.status, e.at, e.place): e for e in events}
    return sorted(unique.values(), key=lambda e: (e.at, STATUSES.index(e.status)))


def remaining_after(transit: timedelta) -> dict[str, timedelta]:
    """Time still to go after each status, as shares of a lane's door-to-door ``transit``.

    Parameters
    ----------
    transit
        The lane's door-to-door time.

    Returns
    -------
    dict of str to timedelta
        Status to the time still to go.

    """
    return {status: transit * share for status, share in SHARE_TO_GO.items()}


def estimated_arrival(
    events: Sequence[Event], remaining: Mapping[str, timedelta]
) -> datetime | None:
    """The latest event's time plus the time still to go from its status; None once delivered.

    ``remaining`` gives, per status, the usual time from that status to delivery (for the
    lane and service), so the estimate moves as the parcel does.

    Parameters
    ----------
    events
        The parcel's scans.
    remaining
        Status to the time still to go.

    Returns
    -------
    datetime or None
        The estimate.

    """
    ordered = timeline(events)
    if not ordered or ordered[-1].status in FINAL:
        return None
    last = ordered[-1]
    return last.at + remaining.get(last.status, timedelta(0))


def public_view(
    waybill: str,
    events: Sequence[Event],
    remaining: Mapping[str, timedelta],
    co2e_kg: float | None,
) -> dict[str, Any]:
    """What anyone with the waybill number may see: the journey, the estimate, the CO2e.

    Parameters
    ----------
    waybill
        The SSCC.
    events
        Its scans.
    remaining
        Status to the time still to go.
    co2e_kg
        The parcel's CO2e (WTW), if known.

    Returns
    -------
    dict
        Journey, estimate and CO2e, with no name or address.

    """
    ordered = timeline([e for e in events if e.waybill == waybill])
    eta = estimated_arrival(ordered, remaining)
    return {
        "waybill": waybill,
        "status": ordered[-1].status if ordered else None,
        "estimated_arrival": eta.isoformat() if eta else None,
        "co2e_wtw_kg": co2e_kg,
        "events": [{"status": e.status, "at": e.at.isoformat(), "place": e.place} for e in ordered],
    }
