"""Pack orders into cartons and keep the plans: one use case for the API and the main job.

Each order is packed with the carton engine and priced, with the same footprint code, against
a stated baseline (the boxes a user would otherwise ship it in); kept plans carry both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from greenlane.packing.model import Carton, Item
from greenlane.packing.savings import Baseline, Footprint, against
from greenlane.packing.select import Plan, plan_order, plan_record
from greenlane.store.access import Caller
from greenlane.store.packing import plan_row, store_plans
from greenlane.store.unit import Bind


@dataclass(frozen=True, slots=True)
class PackedOrder:
    """An order's plan, its record, and its footprint beside the baseline's."""

    plan: Plan
    record: dict[str, Any]
    footprint: Footprint
    baseline: Footprint


def pack_orders(
    orders: Mapping[str, Sequence[Item]],
    cartons: Sequence[Carton],
    baseline: Baseline,
    objective: str = "board",
    divisor_cm3_per_kg: float = 5000.0,
) -> list[PackedOrder]:
    """Every order packed by ``objective`` and priced against ``baseline``, in order."""
    packed = []
    for order_id, items in orders.items():
        plan = plan_order(order_id, list(items), cartons, objective, divisor_cm3_per_kg)
        mine, theirs = against(plan, items, baseline, divisor_cm3_per_kg)
        packed.append(PackedOrder(plan, plan_record(plan), mine, theirs))
    return packed


@dataclass(frozen=True, slots=True)
class PackedBatch:
    """Packed orders as the store keeps them, with each one's footprint and its baseline's.

    What a worker sends back: plain rows unpickle some 15 times faster than the plans they
    are made of, and the driver, which stores every batch, is the stage's bottleneck.
    """

    rows: list[dict[str, Any]]
    footprints: list[Footprint]
    baselines: list[Footprint]


def as_batch(packed: Sequence[PackedOrder], objective: str, baseline: str) -> PackedBatch:
    """Packed orders as rows to store, with their footprints."""
    return PackedBatch(
        [plan_row(p.record, objective, baseline, p.footprint, p.baseline) for p in packed],
        [p.footprint for p in packed],
        [p.baseline for p in packed],
    )


def keep_packing(
    bind: Bind,
    caller: Caller,
    packed: Sequence[PackedOrder],
    objective: str,
    baseline: str,
    packed_at: datetime | None = None,
) -> None:
    """Store each packed order for the caller (packing an order again replaces it)."""
    keep_batches(bind, caller, [as_batch(packed, objective, baseline)], packed_at)


def keep_batches(
    bind: Bind, caller: Caller, batches: Iterable[PackedBatch], packed_at: datetime | None = None
) -> None:
    """Store batches of packed orders as they come, in one transaction (see ``store_plans``)."""
    store_plans(bind, caller, (batch.rows for batch in batches), packed_at)
