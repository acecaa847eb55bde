"""Tracking: events in order, an estimate that moves with the parcel, nothing personal shown."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from greenlane.parcels.merge import Order
from greenlane.parcels.tracking import Event, estimated_arrival, public_view, timeline

T0 = datetime(2026, 11, 11, 9, 0)
W = "376104250021234569"
REMAINING = {
    "created": timedelta(days=6),
    "departed": timedelta(days=3),
    "arrived": timedelta(days=1),
}


def scan(status: str, hours: float, place: str = "Hangzhou hub") -> Event:
    return Event(W, status, T0 + timedelta(hours=hours), place)


def test_events_come_in_time_order_and_repeated_scans_once() -> None:
    """Scans sent out of order and twice are shown once each, earliest first."""
    events = [scan("departed", 5), scan("created", 0), scan("collected", 2), scan("departed", 5)]
    assert [e.status for e in timeline(events)] == ["created", "collected", "departed"]


def test_the_estimate_moves_with_the_parcel_and_stops_at_delivery() -> None:
    """Created: 6 days out; departed at 5 h: 3 days after that; delivered: no estimate."""
    assert estimated_arrival([scan("created", 0)], REMAINING) == T0 + timedelta(days=6)
    moved = estimated_arrival([scan("created", 0), scan("departed", 5)], REMAINING)
    assert moved == T0 + timedelta(hours=5, days=3)
    assert estimated_arrival([scan("departed", 5), scan("delivered", 80)], REMAINING) is None
    with pytest.raises(ValueError, match="status must be one of"):
        scan("lost in space", 1)


def test_the_public_view_shows_the_journey_and_co2e_but_nothing_personal() -> None:
    """No consignee name, address or merchant appears; the CO2e and the places do."""
    order = Order(
        "o1",
        "shop-9",
        "Ann Lee",
        "1 Elm St, Lyon",
        "FR",
        "standard",
        T0,
        T0 + timedelta(days=9),
        1.0,
        1e3,
    )
    events = [scan("created", 0), scan("arrived", 70, place="Paris CDG hub")]
    view = public_view(W, events, REMAINING, co2e_kg=1.84)
    text = json.dumps(view)
    for personal in (order.consignee_id, order.address, order.merchant_id, "Elm"):
        assert personal not in text
    assert view["co2e_wtw_kg"] == 1.84 and view["status"] == "arrived"
    assert set(view) == {"waybill", "status", "estimated_arrival", "co2e_wtw_kg", "events"}
