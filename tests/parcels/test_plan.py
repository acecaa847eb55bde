"""A day's parcel plan: merged, consolidated, priced against every order alone; repeatable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from greenlane.parcels.consolidate import Container, Departure
from greenlane.parcels.merge import Order
from greenlane.parcels.packer import Packed
from greenlane.parcels.plan import ParcelPlan, plan_day
from greenlane.parcels.record import SUMS, plan_record, plan_sums
from greenlane.parcels.sscc import make_sscc
from tests.parcels.routes import BELLY, FREIGHTER

T0 = datetime(2026, 11, 11, 8, 0)
BAG = Container("bag", 30.0, 200_000.0)
DEPARTURES = [Departure("BE-1", "BE", "standard", T0 + timedelta(hours=12))]


def transit(country: str, service: str) -> timedelta:
    return timedelta(days=6)


def orders() -> list[Order]:
    """Ann orders thrice in 20 minutes from three merchants; Bob once; Cy twice, hours apart."""
    spec = [("ann", 0), ("ann", 10), ("ann", 20), ("bob", 5), ("cy", 30), ("cy", 300)]
    return [
        Order(
            f"o{n}",
            f"m{n}",
            who,
            f"{who} street 1",
            "BE",
            "standard",
            T0 + timedelta(minutes=m),
            T0 + timedelta(days=10),
            0.8,
            4000.0,
        )
        for n, (who, m) in enumerate(spec)
    ]


def run() -> ParcelPlan:
    return plan_day(
        orders(),
        timedelta(minutes=30),
        transit,
        {"BE": FREIGHTER},
        {"BE": BELLY},
        DEPARTURES,
        BAG,
        lambda n: make_sscc("0614141", n + 1),
    )


def test_a_day_merges_consolidates_and_saves_against_each_order_alone() -> None:
    """Six orders make four parcels (ratio 1.5) in one bag; CO2e per order falls."""
    plan = run()
    assert sorted(len(s.orders) for _, s in plan.parcels) == [1, 1, 1, 3]
    assert plan.consolidation_ratio == pytest.approx(1.5)
    assert [len(bag) for c in plan.departures for bag in c.bags] == [4]
    assert plan.co2e_per_order_kg < plan.baseline_co2e_per_order_kg
    shipped = sorted(o.order_id for _, s in plan.parcels for o in s.orders)
    assert shipped == sorted(o.order_id for o in orders())


def test_the_same_orders_give_the_same_plan_and_numbers() -> None:
    """Parcel ids (SSCCs) and figures repeat exactly on a second run."""
    first, second = run(), run()
    assert [pid for pid, _ in first.parcels] == [pid for pid, _ in second.parcels]
    assert first.co2e_wtw_kg == second.co2e_wtw_kg


def test_a_country_without_a_route_is_refused() -> None:
    """Orders for a country with no route: ValueError naming it."""
    with pytest.raises(ValueError, match="no route"):
        plan_day(orders(), timedelta(minutes=30), transit, {}, {}, DEPARTURES, BAG, str)


def test_plan_and_baseline_are_packed_by_the_same_packer() -> None:
    """A packer that counts what it is given: each parcel once, then each order alone once."""
    calls: list[int] = []

    def pack(given: Sequence[Order]) -> Packed:
        calls.append(len(given))
        return Packed(0.05 * (1 + len(given)), sum(o.volume_cm3 for o in given))

    plan = plan_day(
        orders(),
        timedelta(minutes=30),
        transit,
        {"BE": FREIGHTER},
        {"BE": BELLY},
        DEPARTURES,
        BAG,
        lambda n: make_sscc("0614141", n + 1),
        pack,
    )
    assert sorted(calls[:4]) == [1, 1, 1, 3] and calls[4:] == [1] * 6
    assert plan.packaging_kg == pytest.approx(3 * 0.10 + 0.20)
    assert plan.baseline_packaging_kg == pytest.approx(6 * 0.10)


def test_the_last_mile_is_compared_door_against_post_station() -> None:
    """With post stations 6 km away by urban truck, each side prices every shipped parcel."""
    station = replace(
        FREIGHTER, station_km=6.0, station_toc="road.eu.urban_truck_3p5_7p5t.starting_point"
    )
    plan = plan_day(
        orders(),
        timedelta(minutes=30),
        transit,
        {"BE": station},
        {"BE": BELLY},
        DEPARTURES,
        BAG,
        lambda n: make_sscc("0614141", n + 1),
    )
    assert plan.last_mile.parcels == 4
    assert 0 < plan.last_mile.station_co2e_wtw_kg < plan.last_mile.door_co2e_wtw_kg
    assert run().last_mile.parcels == 0  # no post stations on the route: nothing compared


def test_the_stored_sums_are_the_records_totals() -> None:
    """What the store keeps of a plan (``plan_sums``) are the totals its record shows."""
    plan = run()
    record = plan_record(plan)
    sums = plan_sums(plan, 15)
    shown = record["totals"] | {f"last_mile_{k}" if k == "parcels" else k: v
                                for k, v in record["last_mile"].items()}  # fmt: skip
    assert sums == {k: float(shown[k]) for k in SUMS if k != "paper_sheets_avoided"} | {
        "paper_sheets_avoided": 15.0
    }
