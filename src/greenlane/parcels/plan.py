"""One day's parcel plan: merge orders, consolidate the parcels, price plan and baseline alike.

The baseline is every order shipped alone and directly (its own parcel, the baseline route's
line haul, its own packaging). Both sides go through the same emissions engine, so their CO2e
per order can be compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import polars as pl

from greenlane.emissions import calculate
from greenlane.parcels.chains import Route, plan_tces
from greenlane.parcels.consolidate import (
    Consolidated,
    Container,
    Departure,
    Parcel,
    Unplaced,
    consolidate,
)
from greenlane.parcels.merge import Order, Shipment, Transit, merge_orders


@dataclass(frozen=True, slots=True)
class ParcelPlan:
    """Merged parcels, their departures and bags, and the figures against the baseline."""

    parcels: tuple[tuple[str, Shipment], ...]
    departures: tuple[Consolidated, ...]
    unplaced: tuple[Unplaced, ...]
    orders: int
    co2e_wtw_kg: float
    baseline_co2e_wtw_kg: float

    @property
    def consolidation_ratio(self) -> float:
        """Orders per outbound parcel (the baseline's is 1)."""
        return self.orders / len(self.parcels) if self.parcels else 0.0

    @property
    def co2e_per_order_kg(self) -> float:
        """Plan CO2e over its orders."""
        return self.co2e_wtw_kg / self.orders if self.orders else 0.0

    @property
    def baseline_co2e_per_order_kg(self) -> float:
        """Baseline CO2e over the same orders."""
        return self.baseline_co2e_wtw_kg / self.orders if self.orders else 0.0


def plan_day(
    orders: Sequence[Order],
    hold: timedelta,
    transit: Transit,
    routes: Mapping[str, Route],
    baseline_routes: Mapping[str, Route],
    departures: Sequence[Departure],
    container: Container,
    parcel_id: Callable[[int], str],
    packaging_kg: float = 0.1,
) -> ParcelPlan:
    """Merge, consolidate and price one day's orders; ``routes`` are keyed by country.

    ``parcel_id(n)`` names the n-th outbound parcel (an SSCC, say), so the same orders give
    the same plan and the same numbers.
    """
    countries = {o.country for o in orders}
    missing = sorted((countries - set(routes)) | (countries - set(baseline_routes)))
    if missing:
        raise ValueError(f"no route (plan and baseline) to {missing}")
    shipments = merge_orders(orders, hold, transit)
    parcels = tuple((parcel_id(n), s) for n, s in enumerate(shipments))
    waiting = [
        Parcel(
            pid, s.orders[0].country, s.orders[0].service, s.leaves_at, s.weight_kg, s.volume_cm3
        )
        for pid, s in parcels
    ]
    bagged, unplaced = consolidate(waiting, departures, container)
    placed = {p.parcel_id for c in bagged for bag in c.bags for p in bag}
    shipped = [(pid, s) for pid, s in parcels if pid in placed]
    alone = [
        (f"B-{o.order_id}", Shipment((o,), o.placed_at, "baseline"))
        for _, s in shipped
        for o in s.orders
    ]
    return ParcelPlan(
        parcels=parcels,
        departures=tuple(bagged),
        unplaced=tuple(unplaced),
        orders=sum(len(s.orders) for _, s in shipped),
        co2e_wtw_kg=_priced(shipped, routes, packaging_kg),
        baseline_co2e_wtw_kg=_priced(alone, baseline_routes, packaging_kg),
    )


def _priced(
    parcels: Sequence[tuple[str, Shipment]], routes: Mapping[str, Route], packaging_kg: float
) -> float:
    """WTW kg CO2e of the parcels' chains, each on its country's route."""
    rows = [
        row
        for country in sorted({s.orders[0].country for _, s in parcels})
        for row in plan_tces(
            [(pid, s) for pid, s in parcels if s.orders[0].country == country],
            routes[country],
            packaging_kg,
        )
    ]
    if not rows:
        return 0.0
    return float(calculate(pl.DataFrame(rows, infer_schema_length=None))["co2e_wtw_kg"].sum())
