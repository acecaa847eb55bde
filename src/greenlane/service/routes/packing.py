"""Carton selection at pack time: the cartons and placements for orders.

With ``store=true`` the packed orders are kept for the caller (replacing earlier plans of the
same orders) with their saving against the smallest-carton-by-volume rule, for the dashboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from greenlane.app import packing as packing_use
from greenlane.errors import ForbiddenError
from greenlane.packing.model import Carton, Item
from greenlane.packing.savings import smallest_by_volume_boxes
from greenlane.service import models
from greenlane.service.common import Db, Who, errors
from greenlane.store.access import Caller
from greenlane.store.policy import may_write

router = APIRouter(prefix="/v1", responses=errors(400, 401, 422), tags=["packing"])
Store = Annotated[bool, Query(description="keep the plans for the dashboard (not for auditors)")]


@router.post("/packing/plan", response_model=models.PlanBody, responses=errors(403))
async def pack_one(
    engine: Db, who: Who, request: models.PackOrderRequest, store: Store = False
) -> dict[str, Any]:
    """The cartons of least objective for one order, with every unit's placement."""
    plans = await run_in_threadpool(_plans, engine, who, [request], request, store)
    return plans[0]


@router.post("/packing/plans", response_model=list[models.PlanBody], responses=errors(403))
async def pack_orders(
    engine: Db, who: Who, request: models.PackRequest, store: Store = False
) -> list[dict[str, Any]]:
    """The cartons of least objective for each order of a batch (up to 100 orders)."""
    return await run_in_threadpool(_plans, engine, who, request.orders, request, store)


def _plans(
    engine: sa.Engine,
    who: Caller,
    orders: Sequence[models.PackOrder],
    choice: models.PackChoice,
    store: bool,
) -> list[dict[str, Any]]:
    if store and not may_write(who):
        raise ForbiddenError("auditors read; they cannot store plans")
    cartons = [Carton(**c.model_dump()) for c in choice.cartons]
    packed = packing_use.pack_orders(
        {order.order_id: [_item(i) for i in order.items] for order in orders},
        cartons,
        lambda plan, items: smallest_by_volume_boxes([(plan.order_id, items)], cartons),
        choice.objective,
        choice.divisor_cm3_per_kg,
    )
    if store:
        packing_use.keep_packing(engine, who, packed, choice.objective, "smallest_by_volume")
    return [p.record for p in packed]


def _item(body: models.PackItem) -> Item:
    fields = body.model_dump()
    return Item(**fields | {"excludes": frozenset(fields["excludes"])})
