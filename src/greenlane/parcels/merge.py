"""Order merging: one buyer's orders placed close together ship as one parcel.

Orders merge when they go to the same consignee at the same address (and country and
service), the later one is placed within the hold window of the first, and the merged parcel,
leaving when its last order is placed, still arrives by every order's promised date. An order
that cannot join ships alone, and the plan says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from greenlane.errors import FieldError

Transit = Callable[[str, str], timedelta]  # (country, service) -> door-to-door time


@dataclass(frozen=True, slots=True)
class Order:
    """An order as the merger sees it."""

    order_id: str
    merchant_id: str
    consignee_id: str
    address: str
    country: str
    service: str
    placed_at: datetime
    promised_by: datetime
    weight_kg: float
    volume_cm3: float
    dims_cm: tuple[float, float, float] | None = None  # the order's box, when known

    def __post_init__(self) -> None:
        """Refuse an order that cannot be shipped."""
        if not self.address.strip():
            raise FieldError("address", "must not be empty")
        if not self.weight_kg > 0:
            raise FieldError("weight_kg", f"must be > 0, got {self.weight_kg!r}")
        if not self.volume_cm3 > 0:
            raise FieldError("volume_cm3", f"must be > 0, got {self.volume_cm3!r}")
        if self.dims_cm is not None and not min(self.dims_cm) > 0:
            raise ValueError(f"length, width and height must be > 0, got {self.dims_cm!r}")

    @property
    def destination(self) -> tuple[str, str, str, str]:
        """Who and where it goes: consignee, normalised address, country, service."""
        return (
            self.consignee_id,
            " ".join(self.address.lower().split()),
            self.country,
            self.service,
        )


@dataclass(frozen=True, slots=True)
class Shipment:
    """One outbound parcel: the orders in it, when it leaves, and why it has these orders."""

    orders: tuple[Order, ...]
    leaves_at: datetime
    reason: str

    def __reduce__(self) -> tuple[type[Shipment], tuple[Any, ...]]:
        """Pickled as its fields, remade by its constructor.

        A dataclass's own pickling reads its list of fields again for each one, and a day's
        plan, sent back from the workers, holds a million of them.
        """
        return Shipment, (self.orders, self.leaves_at, self.reason)

    @property
    def order_ids(self) -> tuple[str, ...]:
        """The ids of its orders."""
        return tuple(o.order_id for o in self.orders)

    @property
    def weight_kg(self) -> float:
        """Weight of its orders."""
        return sum(o.weight_kg for o in self.orders)

    @property
    def volume_cm3(self) -> float:
        """Volume of its orders."""
        return sum(o.volume_cm3 for o in self.orders)


def merge_orders(orders: Sequence[Order], hold: timedelta, transit: Transit) -> list[Shipment]:
    """Every order in exactly one shipment; merged where window and promise allow.

    Parameters
    ----------
    orders
        The day's orders.
    hold
        How long an order may wait for its buyer's next one.
    transit
        The transit time of a country and service.

    Returns
    -------
    list of Shipment
        The shipments, each with its orders and departure time.

    Notes
    -----
    Per destination, orders are taken in the order they were placed. An order joins the open
    group when it is placed within ``hold`` of the group's first order and the group, leaving
    at this order's placement, arrives (+ ``transit``) by the earliest promise in it;
    otherwise the group closes and the order opens the next one.

    """
    by_destination: dict[tuple[str, str, str, str], list[Order]] = {}
    for order in sorted(orders, key=lambda o: (o.placed_at, o.order_id)):
        by_destination.setdefault(order.destination, []).append(order)
    shipments: list[Shipment] = []
    for group in by_destination.values():
        shipments += _merge_destination(group, hold, transit)
    return sorted(shipments, key=lambda s: (s.leaves_at, s.order_ids))


def _merge_destination(orders: list[Order], hold: timedelta, transit: Transit) -> list[Shipment]:
    closed: list[Shipment] = []
    current: list[Order] = []
    refused_for_promise = False
    for order in orders:
        if current and _may_join(current, order, hold, transit):
            current.append(order)
            continue
        if current:
            refused_for_promise = order.placed_at - current[0].placed_at <= hold
            closed.append(_ship(current, refused_for_promise))
        current = [order]
    if current:
        closed.append(_ship(current, False))
    return closed


def _may_join(group: list[Order], order: Order, hold: timedelta, transit: Transit) -> bool:
    if order.placed_at - group[0].placed_at > hold:
        return False
    arrives = order.placed_at + transit(order.country, order.service)
    return arrives <= min(o.promised_by for o in [*group, order])


def _ship(group: list[Order], next_refused_for_promise: bool) -> Shipment:
    leaves = group[-1].placed_at
    if len(group) > 1:
        reason = f"merged {len(group)} orders placed within the hold window"
    elif next_refused_for_promise:
        reason = "alone: waiting for the next order would miss a promised date"
    else:
        reason = "alone: no other order to this consignee within the hold window"
    return Shipment(tuple(group), leaves, reason)
