"""What every router shares: errors, limits, authentication, roles and the upload body."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from greenlane.emissions.report import build_report
from greenlane.errors import ForbiddenError, TooLargeError
from greenlane.factors import DEFAULT_PACK
from greenlane.service import models
from greenlane.service.throttle import Throttle, client_of, throttles_of
from greenlane.settings import Settings
from greenlane.store.access import (
    Caller,
    authenticate,
)
from greenlane.store.key_cache import KeyCache
from greenlane.store.policy import may_write
from greenlane.store.queries import results_frame
from greenlane.store.tables import Role

logger = logging.getLogger(__name__)
FORMATS = {
    "text/csv": ".csv",
    "application/json": ".json",
    "application/vnd.apache.parquet": ".parquet",
    "application/x-parquet": ".parquet",
}
STATUS = {  # the one table from an error's code to its HTTP status
    "input": 422,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "forbidden": 403,
    "unavailable": 503,
    "internal": 500,
}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": models.ErrorBody, "description": text}
    for code, text in {
        400: "The body is not parseable JSON",
        401: "No valid API key",
        403: "The caller's role may not do this",
        404: "Not found (or not the caller's)",
        409: "Conflicts with what is stored",
        413: "Body or row count over the limit",
        415: "Unsupported content type",
        422: "Invalid input: every problem with row, column and reason",
        429: "Too many requests from this client (see Retry-After)",
        503: "The database is unavailable: retry later",
    }.items()
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of these error codes."""
    return {code: ERRORS[code] for code in codes}


def document_access(routes: list[Any]) -> None:
    """Add to each route the answers its access checks can give, so the document says them.

    A key checked: 401, and 429 for a client showing many invalid keys; a role checked: 403;
    every route reads the database: 503 when it is down.
    """
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        checks = _dependency_names(route.dependant)
        codes = [503]
        codes += [401, 429] if "caller" in checks else []
        codes += [403] if checks & {"writer", "operator"} else []
        for code in codes:
            route.responses.setdefault(code, ERRORS[code])


def _dependency_names(dependant: Any) -> set[str]:
    names = set()
    for sub in dependant.dependencies:
        names |= {getattr(sub.call, "__name__", "")} | _dependency_names(sub)
    return names


EXAMPLE_ROW = {
    "shipment_id": "SH-001",
    "tce_id": "SH-001-1",
    "kind": "transport",
    "mass_kg": 1200,
    "toc_id": "road.eu.artic_le40t.diesel.average",
    "distance_km": 350,
    "departure_at": "2026-03-02T08:00:00Z",
}
UPLOAD = {
    "requestBody": {
        "required": True,
        "description": "TCE rows (columns in docs/data-formats.md) as CSV, JSON or Parquet",
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": ",".join(EXAMPLE_ROW) + "\n" + ",".join(map(str, EXAMPLE_ROW.values())),
            },
            "application/json": {
                "schema": {"type": "array", "items": {"type": "object"}},
                "example": [EXAMPLE_ROW],
            },
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
INLINE_BYTES = 64 * 1024
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]
ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$"
Moment = Annotated[
    str | None,
    Query(pattern=ISO_MOMENT, description="ISO 8601 date or date-time; without a zone, UTC"),
]


def utc_moment(text: str | None) -> datetime | None:
    """An ISO 8601 query value as a naive UTC datetime (a value without a zone is UTC)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as e:
        raise ApiError(422, "invalid_request", f"not an ISO 8601 date-time: {text!r}") from e
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _default(name: str) -> Any:
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class Limits:
    """Upload and rate limits (the settings' defaults unless given)."""

    max_bytes: int = _default("max_upload_bytes")
    max_rows: int = _default("max_upload_rows")
    # per client and minute: failed sign-ins, requests with an invalid key, public look-ups
    sign_ins: int = _default("limit_sign_ins")
    bad_keys: int = _default("limit_bad_keys")
    tracking: int = _default("limit_tracking")

    @classmethod
    def of(cls, current: Settings) -> Limits:
        """The limits the settings state."""
        return cls(
            current.max_upload_bytes,
            current.max_upload_rows,
            current.limit_sign_ins,
            current.limit_bad_keys,
            current.limit_tracking,
        )


class ApiError(Exception):
    """An error answered with the common error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        problems: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.problems = problems or []
        self.headers = headers


def throttled(throttle: Throttle, request: Request) -> None:
    """429 with Retry-After once the request's client is over the throttle's limit."""
    if not throttle.allow(client_of(request)):
        raise ApiError(
            429,
            "too_many_requests",
            f"over {throttle.limit} requests in {throttle.seconds:.0f} s: wait and retry",
            headers={"Retry-After": str(int(throttle.seconds))},
        )


def error_response(
    status: int,
    code: str,
    message: str,
    problems: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The common error body with its status."""
    body = models.ErrorBody(code=code, message=message, problems=problems or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
header_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key")


def keys_of(request: Request) -> KeyCache:
    """The application's cache of verified API keys."""
    keys: KeyCache = request.app.state.keys
    return keys


async def engine_of(request: Request) -> sa.Engine:
    """The app's database engine."""
    return request.app.state.engine


def limits_of(request: Request) -> Limits:
    """The app's upload limits."""
    return request.app.state.limits


def max_rows(request: Request) -> int:
    """The most TCEs one request may carry."""
    return limits_of(request).max_rows


Db = Annotated[sa.Engine, Depends(engine_of)]


async def caller(
    request: Request,
    engine: Db,
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    key: Annotated[str | None, Depends(header_key)],
) -> Caller:
    """The caller behind the presented API key; 401 without a valid one, 429 after many.

    Runs on the event loop: one indexed lookup costs less than a hop to the thread pool, and
    a key verified a moment ago is not looked up again (``app.state.keys``).
    """
    presented = token.credentials if token else key
    found = authenticate(engine, presented, keys_of(request)) if presented else None
    if found is None:
        if presented:  # guessing keys: a client showing many invalid ones is slowed down
            throttled(throttles_of(request).bad_keys, request)
        raise ApiError(401, "unauthorized", "a valid API key is required")
    return found


Who = Annotated[Caller, Depends(caller)]


async def writer(who: Who) -> Caller:
    """Any role but the auditor."""
    if not may_write(who):
        raise ForbiddenError("auditors read; they cannot write")
    return who


async def operator(who: Who) -> Caller:
    """The operator only."""
    if who.role != Role.OPERATOR:
        raise ForbiddenError("only the operator may do this")
    return who


Writer = Annotated[Caller, Depends(writer)]
Operator = Annotated[Caller, Depends(operator)]


async def upload(request: Request) -> tuple[bytes, str]:
    """The body and its format; 415 for an unknown type, 413 over the size limit."""
    limit = limits_of(request).max_bytes
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORMATS:
        raise ApiError(415, "unsupported_media_type", f"use one of {sorted(FORMATS)}")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLargeError(f"the body is over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLargeError(f"the body is over {limit} bytes")
    return bytes(body), FORMATS[kind]


def totals_of(rows: Sequence[Mapping[str, Any]]) -> models.Totals:
    """WTT, TTW and WTW kg CO2e summed over result rows (a missing value counts as 0)."""

    def total(column: str) -> float:
        return float(sum(row.get(column) or 0.0 for row in rows))

    return models.Totals(
        co2e_wtt_kg=total("co2e_wtt_kg"),
        co2e_ttw_kg=total("co2e_ttw_kg"),
        co2e_wtw_kg=total("co2e_wtw_kg"),
    )


def jsonable(value: Any) -> Any:
    """Plain JSON types (the report model may hold non-finite floats or dates)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def caller_report(
    engine: sa.Engine, caller: Caller, start: str | None, end: str | None
) -> dict[str, Any] | None:
    """The ISO 14083 report model of the caller's shipments over a period; None if none."""
    frame = results_frame(engine, caller, start, end)
    if frame.height == 0:
        return None
    scope = f"{caller.organization_id} ({caller.role}), {start or 'start'} to {end or 'today'}"
    return build_report(frame, scope=scope, pack=DEFAULT_PACK)
