"""Parcel chains as TCEs: priced by the emissions engine, the same way for plan and baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import polars as pl
import pytest

from greenlane.emissions import calculate
from greenlane.parcels.chains import parcel_tces
from greenlane.parcels.merge import Order, Shipment
from tests.parcels.routes import BELLY, FREIGHTER

T0 = datetime(2026, 11, 11, 9, 0)


def order(n: int, kg: float) -> Order:
    return Order(
        f"o{n}", f"m{n}", "ann", "1 Elm St", "BE", "standard", T0, T0 + timedelta(days=9), kg, 1e3
    )


def test_a_parcel_has_each_orders_first_mile_then_one_chain() -> None:
    """Two orders: two first-mile legs at their own weights, then hub, line haul, hub, last mile."""
    parcel = Shipment((order(1, 1.0), order(2, 2.0)), T0, "merged")
    rows = parcel_tces("P1", parcel, FREIGHTER, packaging_kg=0.3)
    assert [r["kind"] for r in rows] == ["transport"] * 2 + ["hub", "transport", "hub", "transport"]
    assert [r["mass_kg"] for r in rows] == [1.0, 2.0] + [pytest.approx(3.3)] * 4
    priced = calculate(pl.DataFrame(rows, infer_schema_length=None))
    assert priced["co2e_wtw_kg"].null_count() == 0 and priced["co2e_wtw_kg"].sum() > 0


def test_consolidation_on_a_freighter_beats_each_order_alone_in_belly_freight() -> None:
    """Same orders and distances: one parcel by freighter emits less than two by belly freight."""
    orders = [order(1, 1.0), order(2, 2.0)]
    plan = parcel_tces("P1", Shipment(tuple(orders), T0, "merged"), FREIGHTER, 0.3)
    baseline = [
        row
        for o in orders
        for row in parcel_tces(f"B{o.order_id}", Shipment((o,), T0, ""), BELLY, 0.3)
    ]
    ours, theirs = (
        calculate(pl.DataFrame(rows, infer_schema_length=None))["co2e_wtw_kg"].sum()
        for rows in (plan, baseline)
    )
    assert ours < theirs
    # freighter 0.629 vs belly 0.971 kg CO2e/tkm long haul (GLEC v3.0 Module 2 Table 1)
    assert ours / theirs < 0.8


def test_the_last_mile_goes_to_the_door_or_to_a_post_station() -> None:
    """A station drop uses the route's station distance and category; door is the default."""
    route = replace(
        FREIGHTER, station_km=8.0, station_toc="road.eu.urban_truck_3p5_7p5t.starting_point"
    )
    parcel = Shipment((order(1, 1.0),), T0, "alone")
    door, station = (parcel_tces("P1", parcel, route, 0.1, to)[-1] for to in ("door", "station"))
    assert (door["distance_km"], door["toc_id"]) == (25, FREIGHTER.last_mile_toc)
    assert (station["distance_km"], station["toc_id"]) == (8.0, route.station_toc)
    with pytest.raises(ValueError, match="station"):
        parcel_tces("P1", parcel, FREIGHTER, 0.1, "station")


def test_a_route_refuses_half_a_post_station_option() -> None:
    """A station distance without its transport category (or the reverse) is refused."""
    with pytest.raises(ValueError, match="go together"):
        replace(FREIGHTER, station_km=8.0)
