"""Parcel chains as TCEs: priced by the emissions engine, the same way for plan and baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import polars as pl
import pytest

from greenlane.emissions import calculate
from greenlane.parcels.chains import CHAIN_SCHEMA, chain_frame, last_mile_tce
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
    frame = chain_frame([("P1", parcel, FREIGHTER, 0.3)])
    assert frame.schema == pl.Schema(CHAIN_SCHEMA)
    rows = frame.to_dicts()
    assert [r["tce_id"] for r in rows] == [
        "P1-fm-o1", "P1-fm-o2", "P1-hub-origin", "P1-lh", "P1-hub-gateway", "P1-lm"
    ]  # fmt: skip
    assert [r["kind"] for r in rows] == ["transport"] * 2 + ["hub", "transport", "hub", "transport"]
    assert [r["mass_kg"] for r in rows] == [1.0, 2.0] + [pytest.approx(3.3)] * 4
    assert [r["sequence"] for r in rows] == [1, 1, 2, 3, 4, 5]
    route = FREIGHTER
    assert [(r["toc_id"], r["hoc_id"], r["distance_km"]) for r in rows] == [
        (route.first_mile_toc, None, route.first_mile_km),
        (route.first_mile_toc, None, route.first_mile_km),
        (None, route.hub_hoc, None),
        (route.line_haul_toc, None, None),
        (None, route.hub_hoc, None),
        (route.last_mile_toc, None, route.last_mile_km),
    ]
    assert (rows[3]["origin"], rows[3]["destination"]) == (route.origin_hub, route.gateway)
    priced = calculate(frame)
    assert priced["co2e_wtw_kg"].null_count() == 0 and priced["co2e_wtw_kg"].sum() > 0


def test_chains_come_parcel_after_parcel_each_on_its_own_route() -> None:
    """Parcels keep their order and their route; an origin hub's own HOC is its hub's alone."""
    park = replace(BELLY, origin_hoc="park.P1")
    chains = [
        ("P1", Shipment((order(1, 1.0),), T0, "alone"), FREIGHTER, 0.1),
        ("P2", Shipment((order(2, 2.0), order(3, 3.0)), T0, "merged"), park, 0.2),
        ("P3", Shipment((order(4, 4.0),), T0, "alone"), FREIGHTER, 0.3),
    ]
    rows = chain_frame(chains).to_dicts()
    assert [r["shipment_id"] for r in rows] == ["P1"] * 5 + ["P2"] * 6 + ["P3"] * 5
    assert [r["tce_id"] for r in rows[5:8]] == ["P2-fm-o2", "P2-fm-o3", "P2-hub-origin"]
    hocs = {r["tce_id"]: r["hoc_id"] for r in rows if r["kind"] == "hub"}
    assert hocs["P2-hub-origin"] == "park.P1" and hocs["P2-hub-gateway"] == BELLY.hub_hoc
    assert hocs["P1-hub-origin"] == hocs["P3-hub-origin"] == FREIGHTER.hub_hoc
    assert rows[-1]["mass_kg"] == pytest.approx(4.3)
    assert chain_frame([]).schema == pl.Schema(CHAIN_SCHEMA)  # no parcels: no rows, same columns


def test_consolidation_on_a_freighter_beats_each_order_alone_in_belly_freight() -> None:
    """Same orders and distances: one parcel by freighter emits less than two by belly freight."""
    orders = [order(1, 1.0), order(2, 2.0)]
    plan = chain_frame([("P1", Shipment(tuple(orders), T0, "merged"), FREIGHTER, 0.3)])
    baseline = chain_frame([(f"B{o.order_id}", Shipment((o,), T0, ""), BELLY, 0.3) for o in orders])
    ours, theirs = (calculate(rows)["co2e_wtw_kg"].sum() for rows in (plan, baseline))
    assert ours < theirs
    # freighter 0.629 vs belly 0.971 kg CO2e/tkm long haul (GLEC v3.0 Module 2 Table 1)
    assert ours / theirs < 0.8


def test_the_last_mile_goes_to_the_door_or_to_a_post_station() -> None:
    """A station drop uses the route's station distance and category; door is the default."""
    route = replace(
        FREIGHTER, station_km=8.0, station_toc="road.eu.urban_truck_3p5_7p5t.starting_point"
    )
    parcel = Shipment((order(1, 1.0),), T0, "alone")
    door, station = (
        chain_frame([("P1", parcel, route, 0.1)], to).row(-1, named=True)
        for to in ("door", "station")
    )
    assert (door["distance_km"], door["toc_id"]) == (25, FREIGHTER.last_mile_toc)
    assert (station["distance_km"], station["toc_id"]) == (8.0, route.station_toc)
    assert last_mile_tce("P1", 1.1, route, "station")["toc_id"] == route.station_toc
    with pytest.raises(ValueError, match="station"):
        chain_frame([("P1", parcel, FREIGHTER, 0.1)], "station")
    with pytest.raises(ValueError, match="station"):
        last_mile_tce("P1", 1.1, FREIGHTER, "station")


def test_a_route_refuses_half_a_post_station_option() -> None:
    """A station distance without its transport category (or the reverse) is refused."""
    with pytest.raises(ValueError, match="go together"):
        replace(FREIGHTER, station_km=8.0)
