"""Plan a day's parcels: the one use case behind the CLI, the API and the main job.

Rows in (the day's orders, the routes), the network checked, the orders merged, packed
(with the carton engine when a catalogue is given, else a fixed packaging weight), bagged
per departure, numbered with SSCCs and priced against every order shipped alone; the plan
optionally kept in the store with a waybill per shipped parcel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from greenlane.app.parcel_packing import carton_packer
from greenlane.errors import InputError, Problem
from greenlane.packing.model import Carton
from greenlane.parcels.consolidate import Container
from greenlane.parcels.merge import Order
from greenlane.parcels.network import Network, network_from_rows
from greenlane.parcels.packer import Packer, fixed_packaging
from greenlane.parcels.plan import ParcelPlan
from greenlane.parcels.record import plan_sums, waybill_rows
from greenlane.parcels.sscc import make_sscc
from greenlane.parcels.tables import orders_from_frame, parse_hold
from greenlane.store.access import Caller
from greenlane.store.parcels import store_plan
from greenlane.store.unit import Bind


@dataclass(frozen=True, slots=True)
class Terms:
    """How a day's orders become parcels: hold window, bag, SSCC numbering, packing."""

    hold: timedelta
    bag: Container
    company_prefix: str
    first_serial: int
    packer: Packer


@dataclass(frozen=True, slots=True)
class DayParcels:
    """A day's plan and the order rows left out of it, each named."""

    plan: ParcelPlan
    problems: list[Problem]


def hold_of(text: str, source: str) -> timedelta:
    """A hold window (30m, 2h, 3d); InputError naming ``source`` if it is not one."""
    try:
        return parse_hold(text)
    except ValueError as e:
        raise InputError([Problem(source, None, "hold", str(e))]) from e


def packer_for(cartons: Sequence[Carton], packaging_kg: float) -> Packer:
    """The carton engine over ``cartons``, or a fixed packaging weight when there are none."""
    return carton_packer(cartons) if cartons else fixed_packaging(packaging_kg)


def network_of(routes: pl.DataFrame, problems: Sequence[Problem], name: str) -> Network:
    """The network of typed route rows; InputError if any route row is bad."""
    if problems:
        raise InputError(list(problems))
    return network_from_rows(routes.to_dicts(), name)


def orders_of(
    frame: pl.DataFrame, problems: Sequence[Problem], name: str, network: Network | None
) -> tuple[list[Order], list[Problem]]:
    """The day's orders a network plans for (any, without one); bad rows named, left out."""
    countries = set(network.planned) if network is not None else None
    return orders_from_frame(frame, list(problems), name, countries)


def plan_parcels(
    orders: Sequence[Order],
    network: Network,
    terms: Terms,
    progress: Callable[[str], None] = lambda stage: None,
) -> ParcelPlan:
    """Merge, pack and bag ``orders`` on ``network``; each parcel numbered from the terms."""
    return network.plan(
        orders,
        terms.hold,
        terms.bag,
        lambda n: make_sscc(terms.company_prefix, terms.first_serial + n),
        terms.packer,
        progress,
    )


def plan_day(
    orders: pl.DataFrame,
    unparsed: Sequence[Problem],
    name: str,
    network: Network,
    terms: Terms,
    progress: Callable[[str], None] = lambda stage: None,
) -> DayParcels:
    """Typed order rows to a day's plan; the rows that cannot be planned are named."""
    accepted, problems = orders_of(orders, unparsed, name, network)
    return DayParcels(plan_parcels(accepted, network, terms, progress), problems)


def keep_plan(
    bind: Bind,
    caller: Caller,
    plan_id: str,
    plan: ParcelPlan,
    network: Network,
    sheets_per_waybill: int,
    day: date | None = None,
) -> int:
    """Store the plan's totals and a waybill per shipped parcel; the paper sheets avoided.

    ``day`` defaults to the day of the first order placed (today for an empty plan).
    """
    sheets = plan.shipped * sheets_per_waybill
    placed = (o.placed_at.date() for _, s in plan.parcels for o in s.orders)
    first = min(placed, default=date.today())
    bills = waybill_rows(plan, network)
    store_plan(bind, caller, plan_id, day or first, plan_sums(plan, sheets), bills)
    return sheets
