"""Reusable containers over the API: the report made from the caller's captured EPCIS events.

``POST /v1/containers/report`` computes it (greenlane's documented reuse parameters) and keeps
it for the dashboard's containers panel; ``GET`` reads the one kept.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from greenlane.errors import NotFoundError
from greenlane.service.common import Db, Moment, Who, Writer, errors, utc_moment
from greenlane.store.epcis import (
    containers_report,
    latest_containers_report,
    store_containers_report,
)
from greenlane.traceability.reuse import read_case

router = APIRouter(prefix="/v1/containers", tags=["containers"], responses=errors(401))


@router.post("/report", responses=errors(403, 422))
async def make_report(
    engine: Db,
    who: Writer,
    as_of: Moment = None,
    lost_after_days: Annotated[float, Query(ge=1, le=3650)] = 90,
) -> dict[str, Any]:
    """Trips, cycle and dwell times, losses, reuse against cartons; kept for the dashboard."""
    moment = utc_moment(as_of) or datetime.now(UTC).replace(tzinfo=None)
    record = await run_in_threadpool(
        containers_report,
        engine,
        who.organization_id,
        moment,
        timedelta(days=lost_after_days),
        read_case(),
    )
    await run_in_threadpool(store_containers_report, engine, who.organization_id, record)
    return record


@router.get("/report", responses=errors(404))
def last_report(engine: Db, who: Who) -> dict[str, Any]:
    """The caller's latest containers report."""
    found = latest_containers_report(engine, who.organization_id)
    if found is None:
        raise NotFoundError("no containers report yet (POST one)")
    return found
