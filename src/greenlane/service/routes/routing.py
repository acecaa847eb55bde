"""Route planning over the API: the same planner as ``greenlane route plan``.

A request is bounded (500 stops, 30 s of solver time) so it cannot hold a worker for long;
larger plans run with the CLI. With ``store=true`` the plan is kept for the dashboard's route
map (storing the same plan id again replaces it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from greenlane.app.routing import plan_routes as routes_for
from greenlane.app.routing import problems_record, routing_problem
from greenlane.errors import ForbiddenError, TooLargeError
from greenlane.io import parse_rows
from greenlane.routing.schema import FLEET_COLUMNS, PLACE_COLUMNS
from greenlane.service import models
from greenlane.service.common import Db, Who, errors
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
        raise ForbiddenError("auditors read; they cannot store plans")
    return await run_in_threadpool(_plan, engine, who, request, store)


def _plan(
    engine: sa.Engine, who: Caller, request: models.RoutePlanRequest, store: bool
) -> dict[str, Any]:
    problem, problems = routing_problem(
        parse_rows(request.places, "places", PLACE_COLUMNS),
        "places",
        parse_rows(request.fleet, "fleet", FLEET_COLUMNS),
        "fleet",
    )
    if len(problem.stops) > models.MAX_ROUTE_STOPS:
        raise TooLargeError(f"at most {models.MAX_ROUTE_STOPS} stops a request")
    routed = routes_for(
        problem, request.carbon_price, request.time_limit_s, request.seed, request.plan_id
    )
    if store:
        day = request.day or datetime.now(UTC).date()
        store_route_plan(engine, who, request.plan_id, day, routed.record)
    return routed.record | {"plan_id": request.plan_id, "problems": problems_record(problems)}
