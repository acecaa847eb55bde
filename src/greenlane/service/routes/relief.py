"""Relief dispatch, kit verification and the donors' trace over the API.

A plan request is bounded (the documents' own limits, 30 s a solver step). With
``store=true`` the plan is kept for the dashboard's relief panel and for donors, who read
``/v1/public/relief/{organization}/{event}`` without a key: consignments and their journeys,
nothing about the people who receive them.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from greenlane.app.relief import plan_response
from greenlane.errors import ForbiddenError, NotFoundError
from greenlane.esg.ledger import Entry
from greenlane.relief.documents import event_of, network_of
from greenlane.relief.kits import KitCheck, Read, error_rate, kits_to_demonstrate, verify
from greenlane.service import models
from greenlane.service.common import Db, Who, errors
from greenlane.store.access import Caller
from greenlane.store.esg import import_entries
from greenlane.store.policy import may_write
from greenlane.store.relief import donor_view, store_relief_plan

router = APIRouter(responses=errors(400, 422), tags=["relief"])
Store = Annotated[bool, Query(description="keep the plan for the dashboard and donors")]
Id = Annotated[str, Path(min_length=1, max_length=200)]
StoreChecks = Annotated[bool, Query(description="add the checks to the ESG ledger (not auditors)")]


@router.post("/v1/relief/plan", responses=errors(401, 403))
async def plan_relief(
    engine: Db, who: Who, request: models.ReliefPlanRequest, store: Store = False
) -> dict[str, Any]:
    """What goes from which hub to which area within the deadline, and what is missing, why."""
    if store and not may_write(who):
        raise ForbiddenError("auditors read; they cannot store plans")
    return await run_in_threadpool(_plan, engine, who, request, store)


@router.post("/v1/relief/verify-kits", responses=errors(401, 403))
async def verify_kits(
    engine: Db, who: Who, request: models.KitCheckRequest, store: StoreChecks = False
) -> dict[str, Any]:
    """Each kit against its bill of materials; the error rate with its exact bounds."""
    if store and not may_write(who):
        raise ForbiddenError("auditors read; they cannot store checks")
    reads = [Read(**r.model_dump()) for r in request.reads]
    checks = verify(reads, request.boms)
    failed = [c.kit_id for c in checks if not c.passed]
    rate = error_rate(len(failed), len(checks), request.level)
    if store:
        await run_in_threadpool(import_entries, engine, who, _ledger(checks, len(failed)))
    return {
        "checked": len(checks),
        "blocked": failed,
        "error_rate": {
            "rate": rate.rate,
            "lower": rate.lower,
            "upper": rate.upper,
            "upper_one_sided": rate.upper_one_sided,
            "supports_target": rate.supports(request.target),
        },
        "error_free_kits_needed_for_target": kits_to_demonstrate(request.target, request.level),
    }


@router.get("/v1/public/relief/{organization_id}/{event_id}", responses=errors(404))
async def donor_trace(engine: Db, organization_id: Id, event_id: Id) -> dict[str, Any]:
    """For donors: every consignment of a stored plan, what went where and when."""
    found = await run_in_threadpool(donor_view, engine, organization_id, event_id)
    if found is None:
        raise NotFoundError(f"no relief plan {event_id}")
    return found


def _ledger(checks: list[KitCheck], failed: int) -> list[Entry]:
    """The checks as today's ESG ledger entries (the same kits checked again replace them)."""
    today = date.today()
    batch = hashlib.sha256("|".join(sorted(c.kit_id for c in checks)).encode()).hexdigest()[:12]
    return [
        Entry(f"kits:{batch}:{metric}", "relief", today, today, f"kits.{metric}", float(n), "kits",
              "kit verification (RFID reads)")
        for metric, n in (("checked", len(checks)), ("failed", failed))
    ]  # fmt: skip


def _plan(
    engine: sa.Engine, who: Caller, request: models.ReliefPlanRequest, store: bool
) -> dict[str, Any]:
    event, network = event_of(request.event), network_of(request.network)
    _, record = plan_response(event, network, request.carbon_price, request.time_limit_s)
    if store:
        day = (event.starts_at or datetime.now(UTC)).date()
        store_relief_plan(engine, who, day, record)
    return record
