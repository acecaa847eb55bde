"""An organization's primary data (TOC and HOC tables)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from greenlane.service import models
from greenlane.service.common import (
    UPLOAD,
    Db,
    Writer,
    errors,
    keys_of,
    upload,
)
from greenlane.store.factors import replace_factors

router = APIRouter(prefix="/v1", responses=errors(401))


@router.put(
    "/factors/{table}",
    response_model=models.Stored,
    openapi_extra=UPLOAD,
    responses=errors(403, 413, 415, 422),
    tags=["factors"],
)
async def put_factors(
    request: Request, engine: Db, who: Writer, table: Literal["tocs", "hocs"]
) -> models.Stored:
    """Replace the caller's TOC or HOC primary data (validated as the engine would)."""
    body, suffix = await upload(request)
    rows = await run_in_threadpool(
        replace_factors, engine, who.organization_id, table[:3], body, suffix, table
    )
    keys_of(request).forget(organization_id=who.organization_id)  # callers carry the version
    return models.Stored(rows=rows)
