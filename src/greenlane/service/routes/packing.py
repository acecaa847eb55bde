"""Carton selection at pack time: the cartons and placements for orders (nothing is stored)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from greenlane.packing.model import Carton, Item
from greenlane.packing.select import plan_order, plan_record
from greenlane.service import models
from greenlane.service.common import Who, errors

router = APIRouter(prefix="/v1", responses=errors(401, 422), tags=["packing"])


@router.post("/packing/plan", response_model=models.PlanBody)
async def pack_one(who: Who, request: models.PackOrderRequest) -> dict[str, object]:
    """The cartons of least objective for one order, with every unit's placement."""
    del who  # any signed-in organization may ask; the answer depends on the body alone
    plans = await run_in_threadpool(_plans, [request], request)
    return plans[0]


@router.post("/packing/plans", response_model=list[models.PlanBody])
async def pack_orders(who: Who, request: models.PackRequest) -> list[dict[str, object]]:
    """The cartons of least objective for each order of a batch (up to 1,000)."""
    del who
    return await run_in_threadpool(_plans, request.orders, request)


def _plans(
    orders: Sequence[models.PackOrder], choice: models.PackChoice
) -> list[dict[str, object]]:
    cartons = [Carton(**c.model_dump()) for c in choice.cartons]
    return [
        plan_record(
            plan_order(
                o.order_id,
                [_item(i) for i in o.items],
                cartons,
                choice.objective,
                choice.divisor_cm3_per_kg,
            )
        )
        for o in orders
    ]


def _item(body: models.PackItem) -> Item:
    fields = body.model_dump()
    return Item(**fields | {"excludes": frozenset(fields["excludes"])})
