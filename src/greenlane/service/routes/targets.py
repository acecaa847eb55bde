"""An organization's transport-emission targets and its progress against them.

They are ESG targets on the transport KPIs (``/v1/esg/targets`` lists them with the others).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool

from greenlane.esg.targets import EsgTarget
from greenlane.service import models
from greenlane.service.common import Db, Who, Writer, errors
from greenlane.store.access import Caller
from greenlane.store.targets import list_targets, set_target, target_progress

router = APIRouter(prefix="/v1", responses=errors(401), tags=["targets"])
TargetId = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


@router.get("/targets", response_model=list[models.TargetBody])
def get_targets(engine: Db, who: Who) -> list[models.TargetBody]:
    """The caller's targets, each with its progress year by year."""
    return [_body(engine, who, t) for t in list_targets(engine, who)]


@router.put(
    "/targets/{target_id}", response_model=models.TargetBody, responses=errors(400, 403, 422)
)
async def put_target(
    engine: Db, who: Writer, target_id: TargetId, new: models.NewTarget
) -> models.TargetBody:
    """Create or replace one of the caller's targets."""
    target = await run_in_threadpool(set_target, engine, who, target_id, **new.model_dump())
    return await run_in_threadpool(_body, engine, who, target)


def _body(engine: Db, who: Caller, target: EsgTarget) -> models.TargetBody:
    years = target_progress(engine, who, target, None, None)
    return models.TargetBody(
        target_id=target.target_id,
        metric=target.metric,  # type: ignore[arg-type]
        base_year=target.base_year,
        base_value=target.base_value,
        target_year=target.target_year,
        target_value=target.target_value,
        reduction_pct=target.reduction_pct,
        progress=[
            models.YearProgressBody(
                year=y.year, actual=y.actual, allowed=y.allowed, gap=y.gap, on_track=y.on_track
            )
            for y in years
        ],
    )
