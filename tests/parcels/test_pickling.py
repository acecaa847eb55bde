"""A day's plan travels from the workers pickled: its parcels come back whole and equal."""

from __future__ import annotations

import pickle
from dataclasses import fields, replace
from datetime import datetime, timedelta

import pytest

from greenlane.parcels.consolidate import Parcel
from greenlane.parcels.merge import Order, Shipment

T0 = datetime(2026, 11, 11, 9, 0)
ORDER = Order(
    "o1", "m1", "ann", "1 Elm St", "BE", "express", T0, T0 + timedelta(days=3), 1.5, 900.0
)


@pytest.mark.parametrize(
    "value",
    [
        Shipment((ORDER, replace(ORDER, order_id="o2")), T0 + timedelta(hours=5), "merged"),
        Parcel("P1", "BE", "express", T0, 2.25, 1234.5),
    ],
)
def test_a_shipment_and_a_parcel_survive_pickling_field_for_field(value: Shipment | Parcel) -> None:
    """Every field comes back (a field added later and left out of the pickle would not)."""
    again = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(again) is type(value) and again == value
    names = [f.name for f in fields(value)]
    assert [getattr(again, n) for n in names] == [getattr(value, n) for n in names]
    assert len(value.__reduce__()[1]) == len(names)
