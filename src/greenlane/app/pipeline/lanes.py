"""Merging and consolidation lane by lane: each destination country's orders a partition.

Orders merge only with the same buyer's (who lives in one country) and parcels are bagged per
departure (one country and service), so a country's orders are planned alone exactly as
beside the others. Each lane numbers its parcels from its own block of SSCC serials: the
day's first serial plus the orders of the lanes before it (a lane has at most as many parcels
as orders), so the numbers depend on the orders alone, not on the runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from greenlane.app.parcel_packing import carton_packer
from greenlane.app.parcels import Terms, plan_parcels
from greenlane.app.pipeline.partitions import Runner, Tick
from greenlane.app.pipeline.world import BAG, COMPANY_PREFIX, HOLD
from greenlane.packing.model import Carton
from greenlane.parcels.merge import Order
from greenlane.parcels.network import Network
from greenlane.parcels.plan import ParcelPlan, combined


@dataclass(frozen=True, slots=True)
class Lane:
    """A destination country's orders of the day and the first serial its parcels take."""

    orders: tuple[Order, ...]
    first_serial: int


def plan_lanes(
    orders: Sequence[Order],
    network: Network,
    cartons: Sequence[Carton],
    first_serial: int,
    runner: Runner,
    tick: Tick,
) -> ParcelPlan:
    """The day's parcel plan, each lane (destination country) a partition on the runner."""
    by_country: dict[str, list[Order]] = {}
    for order in orders:
        by_country.setdefault(order.country, []).append(order)
    lanes, serial = [], first_serial
    for country in sorted(by_country):
        lanes.append((f"lane to {country}", Lane(tuple(by_country[country]), serial)))
        serial += len(by_country[country])
    return combined(runner.map(partial(plan_lane, network, tuple(cartons)), lanes, tick))


def plan_lane(network: Network, cartons: tuple[Carton, ...], lane: Lane) -> ParcelPlan:
    """A lane's orders merged, packed, bagged and priced (a partition of the stage)."""
    terms = Terms(HOLD, BAG, COMPANY_PREFIX, lane.first_serial, carton_packer(cartons))
    return plan_parcels(lane.orders, network, terms)
