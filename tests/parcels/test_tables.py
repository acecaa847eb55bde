"""Parcel orders from rows: every bad row named, the good ones kept; hold windows from text."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from greenlane.parcels.tables import orders_from_rows, parse_hold

GOOD = {
    "order_id": "o1",
    "merchant_id": "m1",
    "consignee_id": "ann",
    "address": "1 Elm St",
    "country": "fr",
    "service": "standard",
    "placed_at": "2026-11-11T09:00:00+08:00",
    "promised_by": "2026-11-20T00:00:00Z",
    "weight_kg": 1.2,
    "volume_cm3": 3000.0,
}


def test_bad_rows_are_reported_by_row_and_column_and_the_rest_kept() -> None:
    """No address, no weight, an unknown country, a duplicate id: four problems, one order kept."""
    rows = [
        GOOD,
        GOOD | {"order_id": "o2", "address": ""},
        GOOD | {"order_id": "o3", "weight_kg": None},
        GOOD | {"order_id": "o4", "country": "XX"},
        GOOD | {"order_id": "o5"},
        GOOD | {"order_id": "o5"},
    ]
    orders, problems = orders_from_rows(rows, "orders.csv", {"FR", "DE"})
    assert [o.order_id for o in orders] == ["o1"]
    assert [(p.row, p.column) for p in problems] == [
        (2, "address"),
        (3, "weight_kg"),
        (4, "country"),
        (5, "order_id"),
        (6, "order_id"),
    ]
    assert orders[0].country == "FR"
    assert orders[0].placed_at == datetime(2026, 11, 11, 1, 0)  # 09:00 +08:00 in UTC


def test_a_zero_weight_and_a_bad_time_are_named() -> None:
    """The engine's own refusal and an unreadable time come back with their column."""
    rows = [GOOD | {"weight_kg": 0.0}, GOOD | {"order_id": "o9", "placed_at": "yesterday"}]
    _, problems = orders_from_rows(rows, "orders.csv", {"FR"})
    assert [(p.column, p.reason.split(",")[0]) for p in problems] == [
        ("weight_kg", "must be > 0"),
        ("placed_at", "not an ISO 8601 time: 'yesterday'"),
    ]


def test_hold_windows_read_minutes_hours_and_days() -> None:
    """30m, 2h and 3d; anything else is refused."""
    assert parse_hold("30m") == timedelta(minutes=30)
    assert parse_hold("2h") == timedelta(hours=2) and parse_hold("3d") == timedelta(days=3)
    with pytest.raises(ValueError, match="hold must be"):
        parse_hold("soon")


def test_an_orders_box_needs_all_three_sides() -> None:
    """Three sides make its box; two are a problem of length_cm; none leaves it to its volume."""
    box = {"length_cm": 20.0, "width_cm": 15.0, "height_cm": 10.0}
    rows = [GOOD | box, GOOD | {"order_id": "o2", "length_cm": 20.0, "width_cm": 15.0}]
    orders, problems = orders_from_rows(rows, "orders.csv", None)
    assert [o.dims_cm for o in orders] == [(20.0, 15.0, 10.0)]
    assert [(p.row, p.column) for p in problems] == [(2, "length_cm")]
    assert orders_from_rows([GOOD], "orders.csv", None)[0][0].dims_cm is None
