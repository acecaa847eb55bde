"""Parcel planning, e-waybills and tracking.

``POST /v1/parcels/plan`` plans a day's orders exactly as ``greenlane parcels plan`` does (bad
order rows are named, the others planned); with ``store=true`` the plan's totals and a waybill
per shipped parcel are kept, and storing the same plan id again replaces them. Carriers post
scans to ``/v1/tracking/events``; ``/v1/public/tracking/{sscc}`` needs no key and shows the
journey, the estimate and the CO2e, never a name or an address.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from greenlane.app.parcels import Terms, hold_of, keep_plan, network_of, packer_for, plan_day
from greenlane.errors import ForbiddenError, InputError, NotFoundError
from greenlane.io import parse_rows
from greenlane.packing.model import Carton
from greenlane.parcels.consolidate import Container
from greenlane.parcels.record import plan_record
from greenlane.parcels.schema import ORDER_COLUMNS, ROUTE_COLUMNS
from greenlane.parcels.tracking import Event
from greenlane.parcels.waybill import Waybill, zpl
from greenlane.service import models
from greenlane.service.common import Db, Who, Writer, errors, throttled
from greenlane.service.throttle import throttles_of
from greenlane.store.access import Caller
from greenlane.store.parcels import add_events, public_tracking, stored_waybill
from greenlane.store.policy import may_write

router = APIRouter(responses=errors(400, 422), tags=["parcels"])
Sscc = Annotated[str, Path(pattern=r"^[0-9]{18}$", description="the waybill's SSCC")]
Token = Annotated[
    str,
    Query(pattern=r"^[A-Za-z0-9_-]{16,32}$", description="the tracking token on the label"),
]
Store = Annotated[bool, Query(description="keep the plan and its waybills (not for auditors)")]


@router.post(
    "/v1/parcels/plan", response_model=models.ParcelPlanBody, responses=errors(401, 403, 409)
)
async def plan_parcels(
    engine: Db, who: Who, request: models.ParcelPlanRequest, store: Store = False
) -> dict[str, Any]:
    """Merge, pack, bag and price a day's orders against each order shipped alone."""
    if store and not may_write(who):
        raise ForbiddenError("auditors read; they cannot store plans")
    return await run_in_threadpool(_plan, engine, who, request, store)


@router.get("/v1/waybills/{sscc}", response_model=models.WaybillBody, responses=errors(401, 404))
async def waybill(engine: Db, who: Who, sscc: Sscc) -> dict[str, Any]:
    """A stored waybill with its tracking events (the caller's own)."""
    found = await run_in_threadpool(stored_waybill, engine, who, sscc)
    if found is None:
        raise NotFoundError(f"no waybill {sscc}")
    return found


@router.get(
    "/v1/waybills/{sscc}/label",
    response_class=Response,
    responses=errors(401, 404)
    | {200: {"content": {"text/plain": {}}, "description": "The label in ZPL II"}},
)
async def waybill_label(engine: Db, who: Who, sscc: Sscc, tracking_base: str = "") -> Response:
    """The waybill's label in ZPL II (4 x 6 inch, 203 dpi), its QR code the tracking page."""
    found = await run_in_threadpool(stored_waybill, engine, who, sscc)
    if found is None:
        raise NotFoundError(f"no waybill {sscc}")
    bill = Waybill(
        sscc=sscc,
        order_ids=tuple(found["order_ids"]),
        consignee=found["consignee"],
        address_lines=tuple(line.strip() for line in found["address"].split(",")),
        country=found["country"],
        service=found["service"],
        weight_kg=found["weight_kg"],
        origin_hub=found["origin_hub"],
        created_at=found["created_at"],
    )
    base = tracking_base.rstrip("/") or "/track"
    label = zpl(bill, f"{base}/{sscc}?t={found['tracking_token']}")
    return PlainTextResponse(label)


@router.post("/v1/tracking/events", response_model=models.Stored, responses=errors(401, 403))
async def record_events(engine: Db, who: Writer, body: models.TrackingEvents) -> dict[str, int]:
    """Record scans of the caller's waybills; a scan sent again is kept once."""
    events = [Event(e.waybill, e.status, _utc(e.at), e.place) for e in body.events]
    stored, problems = await run_in_threadpool(add_events, engine, who, events)
    if problems:
        raise InputError(problems)
    return {"rows": stored}


@router.get(
    "/v1/public/tracking/{sscc}",
    response_model=models.PublicTracking,
    responses=errors(404, 429),
)
async def track(request: Request, engine: Db, sscc: Sscc, t: Token) -> dict[str, Any]:
    """A parcel's journey, estimated arrival and CO2e, for anyone with its label.

    The label carries the SSCC and a tracking token (``t``); both are needed, and a client
    may look up 60 parcels a minute.
    """
    throttled(throttles_of(request).tracking, request)
    found = await run_in_threadpool(public_tracking, engine, sscc, t)
    if found is None:
        raise NotFoundError(f"no waybill {sscc}")
    return found


def _utc(when: datetime) -> datetime:
    """Stored times are UTC without a zone (a time without a zone is taken as UTC)."""
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def _plan(
    engine: sa.Engine, who: Caller, request: models.ParcelPlanRequest, store: bool
) -> dict[str, Any]:
    network = network_of(*parse_rows(request.routes, "routes", ROUTE_COLUMNS), "routes")
    bag = request.bag
    terms = Terms(
        hold_of(request.hold, "request"),
        Container(bag.kind, bag.max_weight_kg, bag.max_volume_cm3),
        request.company_prefix,
        request.first_serial,
        packer_for([Carton(**c.model_dump()) for c in request.cartons or []], request.packaging_kg),
    )
    day = plan_day(*parse_rows(request.orders, "orders", ORDER_COLUMNS), "orders", network, terms)
    sheets = day.plan.shipped * request.paper_sheets
    if store:
        keep_plan(engine, who, request.plan_id, day.plan, network, request.paper_sheets)
    return plan_record(day.plan) | {
        "plan_id": request.plan_id,
        "paper_sheets_avoided": sheets,
        "problems": [
            {"file": p.file, "row": p.row, "column": p.column, "reason": p.reason}
            for p in day.problems
        ],
    }
