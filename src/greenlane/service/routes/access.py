"""Organizations and API keys (the operator's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Response

from greenlane.service import models
from greenlane.service.common import (
    ApiError,
    Db,
    Operator,
    call_store,
    errors,
)
from greenlane.store.access import (
    create_organization,
    issue_key,
    list_keys,
    revoke_key,
)

router = APIRouter(prefix="/v1", responses=errors(401))


@router.post(
    "/organizations",
    status_code=201,
    response_model=models.NewOrganization,
    responses=errors(400, 403, 409),
    tags=["access"],
)
def new_organization(
    engine: Db, _: Operator, org: models.NewOrganization
) -> models.NewOrganization:
    """Register an organization (operator only)."""
    call_store(create_organization, engine, org.id, org.name, org.role)
    return org


@router.post(
    "/keys",
    status_code=201,
    response_model=models.IssuedKey,
    responses=errors(400, 403, 404),
    tags=["access"],
)
def new_key(engine: Db, _: Operator, request: models.NewKey) -> models.IssuedKey:
    """Issue an API key for an organization (operator only); the key is shown once."""
    valid = timedelta(days=request.valid_days) if request.valid_days else None
    key_id, key = call_store(issue_key, engine, request.organization_id, request.label, valid)
    row = next(k for k in list_keys(engine) if k["id"] == key_id)
    return models.IssuedKey(
        id=key_id,
        organization_id=request.organization_id,
        key=key,
        expires_at=row["expires_at"],
    )


@router.get("/keys", response_model=list[models.KeyRow], tags=["access"])
def keys(engine: Db, _: Operator) -> Any:
    """Every key, without secrets (operator only)."""
    return list_keys(engine)


@router.delete(
    "/keys/{key_id}",
    status_code=204,
    responses=errors(403, 404),
    tags=["access"],
)
def delete_key(engine: Db, _: Operator, key_id: str) -> Response:
    """Revoke a key (operator only); it stops working at once."""
    if not revoke_key(engine, key_id):
        raise ApiError(404, "not_found", "no such active key")
    return Response(status_code=204)
