"""Organizations and API keys (the operator's); grants (a shipper's, or the operator's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from greenlane.errors import NotFoundError
from greenlane.service import models
from greenlane.service.common import (
    Db,
    Operator,
    Who,
    errors,
    keys_of,
)
from greenlane.store.access import (
    create_organization,
    issue_key,
    list_keys,
    organization,
    revoke_key,
)
from greenlane.store.parcels import prefixes, register_prefix
from greenlane.store.policy import grant, list_grants, revoke

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
    create_organization(engine, org.id, org.name, org.role)
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
    key_id, key = issue_key(engine, request.organization_id, request.label, valid)
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
def delete_key(request: Request, engine: Db, _: Operator, key_id: str) -> Response:
    """Revoke a key (operator only); it stops working at once.

    At once in this worker; in the others within ``GREENLANE_AUTH_CACHE_SECONDS``.
    """
    if not revoke_key(engine, key_id):
        raise NotFoundError("no such active key")
    keys_of(request).forget(key_id=key_id)
    return Response(status_code=204)


@router.post(
    "/grants",
    status_code=201,
    response_model=models.Grant,
    responses=errors(400, 404, 422)
    | {200: {"model": models.Grant, "description": "It stood already"}},
    tags=["access"],
)
def new_grant(engine: Db, who: Who, body: models.NewGrant, response: Response) -> Any:
    """Let a carrier report for a shipper, or an auditor read its books.

    A shipper grants for itself; the operator names the shipper. Anyone else, or a grantee
    that is not a carrier or an auditor, gets 404.
    """
    shipper = body.shipper_id or who.organization_id
    if not grant(engine, who, shipper, body.grantee_id):
        response.status_code = 200
    return next(
        g
        for g in list_grants(engine, who)
        if (g["shipper_id"], g["grantee_id"]) == (shipper, body.grantee_id)
    )


@router.get("/grants", response_model=list[models.Grant], tags=["access"])
def grants(engine: Db, who: Who) -> Any:
    """The grants the caller gave or holds (the operator: every grant)."""
    return list_grants(engine, who)


@router.delete("/grants/{grantee_id}", status_code=204, responses=errors(404, 422), tags=["access"])
def delete_grant(
    engine: Db,
    who: Who,
    grantee_id: str,
    shipper_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """End a grant at once: the grantee reads and writes nothing more of the shipper's."""
    if not revoke(engine, who, shipper_id or who.organization_id, grantee_id):
        raise NotFoundError("no such grant")
    return Response(status_code=204)


@router.post(
    "/prefixes",
    status_code=201,
    response_model=models.Prefix,
    responses=errors(400, 403, 404, 409, 422)
    | {200: {"model": models.Prefix, "description": "Held"}},
    tags=["access"],
)
def new_prefix(engine: Db, _: Operator, body: models.Prefix, response: Response) -> Any:
    """Register a GS1 company prefix to an organization (operator only): its SSCCs only."""
    if organization(engine, body.organization_id) is None:
        raise NotFoundError(f"no organization {body.organization_id!r}")
    if not register_prefix(engine, body.organization_id, body.prefix):
        response.status_code = 200
    return body


@router.get("/prefixes", response_model=list[models.Prefix], tags=["access"])
def list_prefixes(engine: Db, who: Who) -> Any:
    """The company prefixes the caller may number parcels under (the operator: every one)."""
    return prefixes(engine, who)
