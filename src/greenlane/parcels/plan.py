"""One day's parcel plan: merge orders, consolidate the parcels, price plan and baseline alike.

The baseline is every order shipped alone and directly (its own parcel, the baseline route's
line haul, its own packaging). Both sides go through the same emissions engine and the same
packer, so their CO2e per order and their packaging can be compared. The last mile of the
plan's parcels is also priced both ways, to the door and to a post station, where the route
has post stations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from greenlane.emissions import calculate
from greenlane.parcels.chains import CHAIN_SCHEMA, Route, chain_frame, last_mile_tce
from greenlane.parcels.consolidate import (
    Consolidated,
    Container,
    Departure,
    Parcel,
    Unplaced,
    consolidate,
)
from greenlane.parcels.merge import Order, Shipment, Transit, merge_orders
from greenlane.parcels.packer import Packed, Packer, fixed_packaging

STAGES = (
    "merging orders",
    "packing parcels",
    "bagging per departure",
    "pricing the plan",
    "packing and pricing each order alone",
    "pricing the last mile both ways",
)


@dataclass(frozen=True, slots=True)
class LastMile:
    """The plan's parcels priced to the door and to a post station (routes that have both)."""

    parcels: int
    door_co2e_wtw_kg: float
    station_co2e_wtw_kg: float


@dataclass(frozen=True, slots=True)
class ParcelPlan:
    """Merged parcels, their departures and bags, and the figures against the baseline."""

    parcels: tuple[tuple[str, Shipment], ...]
    departures: tuple[Consolidated, ...]
    unplaced: tuple[Unplaced, ...]
    orders: int
    co2e_by_parcel: dict[str, float]
    packaging_by_parcel: dict[str, float]
    baseline_co2e_wtw_kg: float
    baseline_packaging_kg: float
    last_mile: LastMile

    @property
    def shipped(self) -> int:
        """Outbound parcels on a departure."""
        return len(self.co2e_by_parcel)

    @property
    def co2e_wtw_kg(self) -> float:
        """Plan CO2e of the shipped parcels."""
        return sum(self.co2e_by_parcel.values())

    @property
    def packaging_kg(self) -> float:
        """Packaging material of the shipped parcels."""
        return sum(self.packaging_by_parcel[pid] for pid in self.co2e_by_parcel)

    @property
    def consolidation_ratio(self) -> float:
        """Orders per outbound parcel (the baseline's is 1)."""
        return self.orders / self.shipped if self.shipped else 0.0

    @property
    def co2e_per_order_kg(self) -> float:
        """Plan CO2e over its orders."""
        return self.co2e_wtw_kg / self.orders if self.orders else 0.0

    @property
    def baseline_co2e_per_order_kg(self) -> float:
        """Baseline CO2e over the same orders."""
        return self.baseline_co2e_wtw_kg / self.orders if self.orders else 0.0


def combined(plans: Sequence[ParcelPlan]) -> ParcelPlan:
    """Plans of disjoint lanes (no buyer and no departure in two) as one plan of the day.

    Parameters
    ----------
    plans
        The lanes' plans, in the order their parcels are to be listed.

    Returns
    -------
    ParcelPlan
        Their parcels, bags and figures together; sums taken in the plans' order.

    """
    return ParcelPlan(
        parcels=tuple(p for plan in plans for p in plan.parcels),
        departures=tuple(d for plan in plans for d in plan.departures),
        unplaced=tuple(u for plan in plans for u in plan.unplaced),
        orders=sum(plan.orders for plan in plans),
        co2e_by_parcel={k: v for plan in plans for k, v in plan.co2e_by_parcel.items()},
        packaging_by_parcel={k: v for plan in plans for k, v in plan.packaging_by_parcel.items()},
        baseline_co2e_wtw_kg=sum(plan.baseline_co2e_wtw_kg for plan in plans),
        baseline_packaging_kg=sum(plan.baseline_packaging_kg for plan in plans),
        last_mile=LastMile(
            sum(plan.last_mile.parcels for plan in plans),
            sum(plan.last_mile.door_co2e_wtw_kg for plan in plans),
            sum(plan.last_mile.station_co2e_wtw_kg for plan in plans),
        ),
    )


def plan_day(
    orders: Sequence[Order],
    hold: timedelta,
    transit: Transit,
    routes: Mapping[str, Route],
    baseline_routes: Mapping[str, Route],
    departures: Sequence[Departure],
    container: Container,
    parcel_id: Callable[[int], str],
    packer: Packer | None = None,
    progress: Callable[[str], None] = lambda stage: None,
) -> ParcelPlan:
    """Merge, pack, consolidate and price one day's orders; ``routes`` are keyed by country.

    ``parcel_id(n)`` names the n-th outbound parcel (an SSCC, say), so the same orders give
    the same plan and the same numbers. ``packer`` packs the orders of a parcel (each order
    alone, for the baseline); without one, each parcel takes 0.1 kg of packaging.
    ``progress`` is told each of the ``STAGES`` as it starts.

    Parameters
    ----------
    orders
        The day's orders.
    hold
        The merge window.
    transit
        Transit time of a country and service.
    routes, baseline_routes
        The plan's and the baseline's route per country.
    departures
        The line hauls.
    container
        The bag.
    parcel_id
        Names the n-th parcel.
    packer
        Packs a parcel's orders.
    progress
        Told each stage.

    Returns
    -------
    ParcelPlan
        Parcels, bags, CO2e per parcel (ISO 14083) and the baseline of every order alone.

    References
    ----------
    Chen, Yuan, Zhou, Chen and Hu, "Smart Parcel Consolidation at Cainiao", INFORMS Journal on
    Applied Analytics 54(5) (2024) 417-430.

    """
    pack = packer or fixed_packaging()
    countries = {o.country for o in orders}
    missing = sorted((countries - set(routes)) | (countries - set(baseline_routes)))
    if missing:
        raise ValueError(f"no route (plan and baseline) to {missing}")
    progress(STAGES[0])
    parcels = tuple((parcel_id(n), s) for n, s in enumerate(merge_orders(orders, hold, transit)))
    progress(STAGES[1])
    packed = {pid: pack(s.orders) for pid, s in parcels}
    waiting = [
        Parcel(
            pid,
            s.orders[0].country,
            s.orders[0].service,
            s.leaves_at,
            s.weight_kg + packed[pid].material_kg,
            packed[pid].volume_cm3,
        )
        for pid, s in parcels
    ]
    progress(STAGES[2])
    bagged, unplaced = consolidate(waiting, departures, container)
    placed = {p.parcel_id for c in bagged for bag in c.bags for p in bag}
    shipped = [(pid, s) for pid, s in parcels if pid in placed]
    alone = [
        (f"B-{o.order_id}", Shipment((o,), o.placed_at, "baseline"))
        for _, s in shipped
        for o in s.orders
    ]
    progress(STAGES[3])
    co2e_by_parcel = _priced(shipped, routes, packed)
    progress(STAGES[4])
    alone_packed = {pid: pack(s.orders) for pid, s in alone}
    baseline_co2e = sum(_priced(alone, baseline_routes, alone_packed).values())
    progress(STAGES[5])
    return ParcelPlan(
        parcels=parcels,
        departures=tuple(bagged),
        unplaced=tuple(unplaced),
        orders=sum(len(s.orders) for _, s in shipped),
        co2e_by_parcel=co2e_by_parcel,
        packaging_by_parcel={pid: p.material_kg for pid, p in packed.items()},
        baseline_co2e_wtw_kg=baseline_co2e,
        baseline_packaging_kg=sum(p.material_kg for p in alone_packed.values()),
        last_mile=_last_mile(shipped, routes, packed),
    )


def _priced(
    parcels: Sequence[tuple[str, Shipment]],
    routes: Mapping[str, Route],
    packed: Mapping[str, Packed],
) -> dict[str, float]:
    """WTW kg CO2e of each parcel's chain on its country's route."""
    chains = [(pid, s, routes[s.orders[0].country], packed[pid].material_kg) for pid, s in parcels]
    return _co2e_by_shipment(chain_frame(chains))


def _last_mile(
    parcels: Sequence[tuple[str, Shipment]],
    routes: Mapping[str, Route],
    packed: Mapping[str, Packed],
) -> LastMile:
    """The last mile of every parcel whose route has post stations, both ways."""
    both = [(pid, s) for pid, s in parcels if routes[s.orders[0].country].has_station]
    totals = [
        sum(
            _co2e_by_shipment(
                pl.from_dicts(
                    [
                        last_mile_tce(
                            pid,
                            s.weight_kg + packed[pid].material_kg,
                            routes[s.orders[0].country],
                            to,
                        )
                        for pid, s in both
                    ],
                    schema=CHAIN_SCHEMA,
                )
            ).values()
        )
        for to in ("door", "station")
    ]
    return LastMile(len(both), *totals)


def _co2e_by_shipment(rows: pl.DataFrame) -> dict[str, float]:
    if not rows.height:
        return {}
    priced = calculate(rows)
    sums = priced.group_by("shipment_id", maintain_order=True).agg(pl.col("co2e_wtw_kg").sum())
    return dict(zip(sums["shipment_id"].to_list(), sums["co2e_wtw_kg"].to_list(), strict=True))
