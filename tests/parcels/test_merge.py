"""Order merging: the hold window, the promised dates, and every order exactly once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.parcels.merge import Order, merge_orders

T0 = datetime(2026, 11, 11, 10, 0)
HOLD = timedelta(minutes=30)


def transit(country: str, service: str) -> timedelta:
    return timedelta(days=2)


def order(
    n: int, minutes: int, consignee: str = "ann", address: str = "1 Elm St", **kw: object
) -> Order:
    fields = {
        "order_id": f"o{n}",
        "merchant_id": f"m{n}",
        "consignee_id": consignee,
        "address": address,
        "country": "FR",
        "service": "standard",
        "placed_at": T0 + timedelta(minutes=minutes),
        "promised_by": T0 + timedelta(days=5),
        "weight_kg": 1.0,
        "volume_cm3": 1000.0,
    } | kw
    return Order(**fields)  # type: ignore[arg-type]


def test_orders_within_the_window_merge_and_later_ones_do_not() -> None:
    """Orders at 0 and 20 min (two merchants) merge; one at 45 min ships alone."""
    plan = merge_orders([order(1, 0), order(2, 20), order(3, 45)], HOLD, transit)
    assert [s.order_ids for s in plan] == [("o1", "o2"), ("o3",)]
    assert "merged 2" in plan[0].reason and "hold window" in plan[1].reason


def test_other_consignees_and_addresses_never_merge() -> None:
    """Same minute, another consignee or another address: three parcels; spacing is ignored."""
    plan = merge_orders(
        [order(1, 0), order(2, 1, consignee="bob"), order(3, 2, address="2 Oak Rd")], HOLD, transit
    )
    assert len(plan) == 3
    same = merge_orders([order(1, 0), order(2, 5, address="  1  ELM st ")], HOLD, transit)
    assert [s.order_ids for s in same] == [("o1", "o2")]  # case and spacing of the address


def test_a_merge_that_would_break_a_promise_is_refused() -> None:
    """o1 must arrive 2 days 10 min after it was placed; waiting 20 min for o2 would miss it."""
    tight = order(1, 0, promised_by=T0 + timedelta(days=2, minutes=10))
    plan = merge_orders([tight, order(2, 20)], HOLD, transit)
    assert [s.order_ids for s in plan] == [("o1",), ("o2",)]
    assert "miss a promised date" in plan[0].reason


def test_an_order_without_address_or_weight_is_refused() -> None:
    """Empty address, zero weight: ValueError naming the field."""
    with pytest.raises(ValueError, match="address"):
        order(1, 0, address=" ")
    with pytest.raises(ValueError, match="weight_kg"):
        order(1, 0, weight_kg=0.0)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 600), st.sampled_from(["ann", "bob", "cy"]), st.integers(0, 3)),
        min_size=1,
        max_size=40,
    )
)
def test_every_order_ships_exactly_once_within_window_and_promise(rows: list[tuple]) -> None:
    """Random days: each order in one parcel; merged parcels span at most the hold window."""
    orders = [
        order(n, minutes, consignee=who, promised_by=T0 + timedelta(days=2, hours=slack))
        for n, (minutes, who, slack) in enumerate(rows)
    ]
    plan = merge_orders(orders, HOLD, transit)
    shipped = [i for s in plan for i in s.order_ids]
    assert sorted(shipped) == sorted(o.order_id for o in orders)
    for s in plan:
        assert s.orders[-1].placed_at - s.orders[0].placed_at <= HOLD
        if len(s.orders) > 1:
            assert s.leaves_at + timedelta(days=2) <= min(o.promised_by for o in s.orders)
