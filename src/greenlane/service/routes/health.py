"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from greenlane.service import models
from greenlane.service.common import (
    Db,
    errors,
    logger,
)
from greenlane.store import current_revision

router = APIRouter(prefix="/v1", responses=errors(401))


@router.get("/health", response_model=models.Health, tags=["service"])
def health() -> models.Health:
    """Liveness: the process answers."""
    return models.Health(status="ok")


@router.get(
    "/ready",
    response_model=models.Health,
    tags=["service"],
    responses={503: {"model": models.Health}},
)
def ready(engine: Db) -> Any:
    """Readiness: the database answers and is migrated."""
    try:
        revision = current_revision(engine)
    except sa.exc.SQLAlchemyError as e:  # the reason goes to the log, not to the network
        logger.warning("readiness: database unavailable: %s", e)
        return JSONResponse({"status": "unavailable", "detail": "database unavailable"}, 503)
    if revision is None:
        return JSONResponse({"status": "unavailable", "detail": "run greenlane db upgrade"}, 503)
    return models.Health(status="ready", detail=f"schema {revision}")
