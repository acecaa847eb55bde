"""Batches, quotes and shipments: what shippers and carriers send and read."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from greenlane.app.ingest import ingest, quote
from greenlane.errors import NotFoundError
from greenlane.service import models
from greenlane.service.common import (
    INLINE_BYTES,
    UPLOAD,
    Db,
    Who,
    Writer,
    errors,
    max_rows,
    totals_of,
    upload,
)
from greenlane.store.queries import shipment, shipments

router = APIRouter(prefix="/v1", responses=errors(401))


@router.post(
    "/batches",
    status_code=201,
    response_model=models.BatchBody,
    openapi_extra=UPLOAD,
    responses=errors(403, 409, 413, 415, 422)
    | {200: {"model": models.BatchBody, "description": "A replay"}},
    tags=["shipments"],
)
async def upload_batch(
    request: Request,
    response: Response,
    engine: Db,
    who: Writer,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=200)],
) -> models.BatchBody:
    """Upload a batch of TCEs (CSV, Parquet, JSON or iLEAP); stored all-or-nothing."""
    body, suffix = await upload(request)
    result = await run_in_threadpool(
        ingest, engine, who, body, suffix, idempotency_key, "upload", max_rows(request)
    )
    if result.replayed:
        response.status_code = 200
    return models.BatchBody(**dataclasses.asdict(result))


@router.post(
    "/quote",
    response_model=models.QuoteBody,
    openapi_extra=UPLOAD,
    responses=errors(413, 415, 422),
    tags=["shipments"],
)
async def quote_shipment(request: Request, engine: Db, who: Who) -> models.QuoteBody:
    """Calculate TCEs without storing them (a quote), with the caller's own TOCs/HOCs."""
    body, suffix = await upload(request)
    job = (engine, who, body, suffix, "quote", max_rows(request))
    # A small quote (the common one) is a millisecond of work: cheaper inline than handed to
    # the thread pool; a large one must not hold the event loop.
    inline = len(body) <= INLINE_BYTES
    results = quote(*job) if inline else await run_in_threadpool(quote, *job)
    return models.QuoteBody(tces=results, totals=totals_of(results))


@router.get("/shipments", response_model=list[models.ShipmentRow], tags=["shipments"])
def list_shipments(
    engine: Db,
    who: Who,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Any:
    """The caller's shipments by shipper and shipment id (the index's order: pages stay fast)."""
    return shipments(engine, who, limit, offset)


@router.get(
    "/shipments/{shipper_id}/{shipment_id}",
    response_model=models.ShipmentBody,
    responses=errors(404),
    tags=["shipments"],
)
def get_shipment(engine: Db, who: Who, shipper_id: str, shipment_id: str) -> models.ShipmentBody:
    """One shipment's transport chain, each element with its factor and source."""
    rows = shipment(engine, who, shipper_id, shipment_id)
    if not rows:
        raise NotFoundError("no such shipment")
    return models.ShipmentBody(
        shipper_id=shipper_id, shipment_id=shipment_id, totals=totals_of(rows), tces=rows
    )
