"""Merging and consolidation lane by lane: each destination country's orders a partition.

Orders merge only with the same buyer's (who lives in one country) and parcels are bagged per
departure (one country and service), so a country's orders are planned alone exactly as
beside the others. Each lane numbers its parcels from its own block of SSCC serials: the
day's first serial plus the orders of the lanes before it (a lane has at most as many parcels
as orders), so the numbers depend on the orders alone, not on the runner.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Lanes:
    """The day's lanes set going on a runner; :meth:`plan` collects them."""

    lanes: list[Lane]
    planned: Iterator[bytes]

    def plan(self) -> ParcelPlan:
        """The day's parcel plan: each lane's plan unpickled as it comes, in the lanes' order."""
        pairs = zip(self.lanes, self.planned, strict=True)
        return combined([_unpickled(data, lane.orders) for lane, data in pairs])


def start_lanes(
    orders: Sequence[Order],
    network: Network,
    cartons: Sequence[Carton],
    first_serial: int,
    runner: Runner,
    tick: Tick,
) -> Lanes:
    """The day's lanes set going on the runner, to be collected by :meth:`Lanes.plan`.

    On a pool or Spark they run (after the partitions queued before them) while the driver
    does other work; in process each runs when :meth:`Lanes.plan` reads it.
    """
    by_country: dict[str, list[Order]] = {}
    for order in orders:
        by_country.setdefault(order.country, []).append(order)
    lanes, serial = [], first_serial
    for country in sorted(by_country):
        lanes.append((f"lane to {country}", Lane(tuple(by_country[country]), serial)))
        serial += len(by_country[country])
    planned = runner.iterate(partial(plan_lane, network, tuple(cartons)), lanes, tick)
    return Lanes([lane for _, lane in lanes], planned)


def plan_lane(network: Network, cartons: tuple[Carton, ...], lane: Lane) -> bytes:
    """A lane's orders merged, packed, bagged and priced (a partition of the stage).

    The plan comes back pickled with the lane's orders as references to them: the driver
    holds those orders already, and gets them back as the very same objects, not copies
    (a million orders' plan unpickled in the driver was a serial third of the stage).
    """
    terms = Terms(HOLD, BAG, COMPANY_PREFIX, lane.first_serial, carton_packer(cartons))
    plan = plan_parcels(lane.orders, network, terms)
    buffer = io.BytesIO()
    _OrdersByNumber(buffer, lane.orders).dump(plan)
    return buffer.getvalue()


class _OrdersByNumber(pickle.Pickler):
    """Pickles a lane's orders as their numbers in the lane (everything else as usual)."""

    def __init__(self, file: io.BytesIO, orders: tuple[Order, ...]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.numbers = {id(order): n for n, order in enumerate(orders)}  # they outlive this

    def persistent_id(self, obj: object) -> int | None:
        """The lane's number of one of its orders; None: pickled as usual."""
        return self.numbers.get(id(obj))


class _OrdersOfLane(pickle.Unpickler):
    """Unpickles a lane's plan with its orders taken from the lane."""

    def __init__(self, file: io.BytesIO, orders: tuple[Order, ...]) -> None:
        super().__init__(file)
        self.orders = orders

    def persistent_load(self, pid: Any) -> Order:
        """The lane's order of that number."""
        return self.orders[pid]


def _unpickled(data: bytes, orders: tuple[Order, ...]) -> ParcelPlan:
    plan = _OrdersOfLane(io.BytesIO(data), orders).load()
    if not isinstance(plan, ParcelPlan):
        raise TypeError(f"a lane's plan came back as {type(plan).__name__}")
    return plan
