"""Route planning over the API: the same planner as ``greenlane route plan``.

A request is bounded (500 stops, 30 s of solver time) so it cannot hold a worker for long;
larger plans run with the CLI. With ``store=true`` the plan is kept for the dashboard's route
map (storing the same plan id again replaces it).
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from greenlane.errors import InputError
from greenlane.io import parse_rows
from greenlane.routing.planner import plan
from greenlane.routing.record import plan_record
from greenlane.routing.schema import FLEET_COLUMNS, PLACE_COLUMNS
from greenlane.routing.tables import problem_from_tables
from greenlane.routing.tces import price
from greenlane.service import models
from greenlane.service.common import ApiError, Db, Who, errors
from greenlane.store.access import Caller
from greenlane.store.policy import may_write
from greenlane.store.routes import store_route_plan

router = APIRouter(prefix="/v1", responses=errors(400, 401, 422), tags=["routing"])
Store = Annotated[bool, Query(description="keep the plan for the route map (not for auditors)")]


@router.post("/routes/plan", response_model=models.RoutePlanBody, responses=errors(403))
async def plan_routes(
    engine: Db, who: Who, request: models.RoutePlanRequest, store: Store = False
) -> dict[str, Any]:
    """Routes for a mixed fleet at least cost + carbon price x CO2e; bad stop rows named."""
    if store and not may_write(who):
        raise ApiError(403, "forbidden", "auditors read; they cannot store plans")
    return await run_in_threadpool(_plan, engine, who, request, store)


def _plan(
    engine: sa.Engine, who: Caller, request: models.RoutePlanRequest, store: bool
) -> dict[str, Any]:
    places, unparsed = parse_rows(request.places, "places", PLACE_COLUMNS)
    fleet, fleet_problems = parse_rows(request.fleet, "fleet", FLEET_COLUMNS)
    if fleet_problems:
        raise InputError(fleet_problems)
    problem, problems = problem_from_tables(places, unparsed, "places", fleet, "fleet")
    if len(problem.stops) > models.MAX_ROUTE_STOPS:
        raise ApiError(413, "too_large", f"at most {models.MAX_ROUTE_STOPS} stops a request")
    solved = plan(problem, request.carbon_price, request.time_limit_s, request.seed)
    record = plan_record(
        problem, solved, price(problem, solved, request.plan_id), request.carbon_price
    )
    if store:
        store_route_plan(engine, who, request.plan_id, record)
    return record | {
        "plan_id": request.plan_id,
        "problems": [
            {"file": p.file, "row": p.row, "column": p.column, "reason": p.reason} for p in problems
        ],
    }
