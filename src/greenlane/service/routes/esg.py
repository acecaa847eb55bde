"""The ESG ledger and KPIs over the API.

``POST /v1/esg/ledger`` adds rows to the caller's ledger (all or nothing: a bad row is 422
with every problem; an entry id sent again replaces its entry). ``GET /v1/esg/kpis`` gives the
five pillars' KPIs of a fiscal year, each with its value or the metrics it lacks.
``PUT /v1/esg/targets/{id}`` sets a target on a KPI; ``GET /v1/esg/targets`` gives each with its
trajectory and the gap of every fiscal year with data. Emission targets on the stored transport
emissions are at ``/v1/targets``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool

from greenlane.app.esg import esg_model
from greenlane.errors import InputError, Problem, row_problem
from greenlane.esg.fiscal import FiscalCalendar, parse_year
from greenlane.esg.kpis import catalogue
from greenlane.esg.ledger import entries_from_rows
from greenlane.esg.schema import LEDGER_COLUMNS
from greenlane.esg.targets import EsgTarget
from greenlane.io import parse_rows
from greenlane.service import models
from greenlane.service.common import Db, Who, Writer, errors
from greenlane.store.esg import (
    import_entries,
    set_esg_target,
)

router = APIRouter(prefix="/v1/esg", responses=errors(400, 401, 422), tags=["esg"])
Year = Annotated[str, Query(pattern=r"^FY\d{4}$", description="the fiscal year, e.g. FY2025")]
Start = Annotated[int, Query(ge=1, le=12, description="month the fiscal year starts")]
TargetId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]


@router.post("/ledger", response_model=models.Stored, responses=errors(403))
async def add_to_ledger(engine: Db, who: Writer, body: models.LedgerRows) -> dict[str, int]:
    """Add figures to the caller's ledger (rows as in docs/data-formats.md)."""
    frame, problems = parse_rows(body.rows, "ledger", LEDGER_COLUMNS)
    entries, more = entries_from_rows(frame.to_dicts(), "ledger")
    if problems or more:
        raise InputError(sorted(problems + more, key=lambda p: (p.row or 0, p.column)))
    stored = await run_in_threadpool(import_entries, engine, who, entries)
    return {"rows": stored}


@router.get("/kpis")
async def kpis(engine: Db, who: Who, year: Year, fiscal_start: Start = 1) -> dict[str, Any]:
    """The KPIs of a fiscal year by pillar, with the data-quality notes."""
    _checked(year)
    calendar = FiscalCalendar(fiscal_start)

    built = await run_in_threadpool(esg_model, engine, who, calendar, year)
    return {k: built[k] for k in ("year", "period", "pillars", "no_data", "notes")}


@router.put("/targets/{target_id}", responses=errors(403))
async def put_target(
    engine: Db, who: Writer, target_id: TargetId, body: models.EsgTargetBody
) -> dict[str, Any]:
    """Create or replace a target on a KPI (years written FY2022)."""
    try:
        target = EsgTarget(
            target_id,
            body.kpi_id,
            body.kind,
            body.scope,
            parse_year(body.base_year),
            body.base_value,
            parse_year(body.target_year),
            body.target_value,
            body.trajectory,
        )
    except ValueError as e:
        raise InputError([row_problem("request", 1, e)]) from e
    if body.kpi_id not in {k.kpi_id for k in catalogue()}:
        raise InputError([Problem("request", None, "kpi_id", f"no KPI {body.kpi_id!r}")])
    await run_in_threadpool(set_esg_target, engine, who, target)
    return asdict(target)


@router.get("/targets")
async def get_targets(
    engine: Db, who: Who, year: Year, fiscal_start: Start = 1
) -> list[dict[str, Any]]:
    """The caller's ESG targets with trajectories and the gap of each year up to ``year``."""
    _checked(year)
    calendar = FiscalCalendar(fiscal_start)

    built = await run_in_threadpool(esg_model, engine, who, calendar, year)
    return list(built["targets"])


def _checked(year: str) -> None:
    try:
        parse_year(year)
    except ValueError as e:
        raise InputError([Problem("request", None, "year", str(e))]) from e
