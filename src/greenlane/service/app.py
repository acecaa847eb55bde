"""The REST API (FastAPI): every read and write scoped to the caller's organization.

Authentication is an API key in ``Authorization: Bearer <key>`` or ``X-API-Key``. Another
organization's shipment is answered 404, exactly as a shipment that does not exist, so the
answer leaks nothing; an operation the role may not perform is 403.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any, Literal

import polars as pl
import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from greenlane.emissions import warm_up
from greenlane.emissions.report import build_report
from greenlane.errors import InputError
from greenlane.reports.iso14083 import render_html
from greenlane.reports.pdf import RendererMissingError, html_to_pdf
from greenlane.service import models
from greenlane.service.ileap import shipment_footprints
from greenlane.store import connect, current_revision
from greenlane.store.access import (
    AccessError,
    Caller,
    authenticate,
    create_organization,
    issue_key,
    list_keys,
    revoke_key,
)
from greenlane.store.factors import replace_factors
from greenlane.store.ingest import ConflictError, TooLargeError, ingest, quote
from greenlane.store.queries import results_frame, shipment, shipments, summary

logger = logging.getLogger(__name__)
FORMATS = {
    "text/csv": ".csv",
    "application/json": ".json",
    "application/vnd.apache.parquet": ".parquet",
    "application/x-parquet": ".parquet",
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
    }.items()
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of these error codes."""
    return {code: ERRORS[code] for code in codes}


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


@dataclass(frozen=True)
class Limits:
    """Upload limits; the environment may override the defaults."""

    max_bytes: int = field(
        default_factory=lambda: int(os.environ.get("GREENLANE_MAX_UPLOAD_BYTES", 64 * 2**20))
    )
    max_rows: int = field(
        default_factory=lambda: int(os.environ.get("GREENLANE_MAX_UPLOAD_ROWS", 2_000_000))
    )


class ApiError(Exception):
    """An error answered with the common error body."""

    def __init__(
        self, status: int, code: str, message: str, problems: list[Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.problems = problems or []


def _error(
    status: int,
    code: str,
    message: str,
    problems: list[Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = models.ErrorBody(code=code, message=message, problems=problems or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
header_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key")


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
    engine: Db,
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    key: Annotated[str | None, Depends(header_key)],
) -> Caller:
    """The caller behind the presented API key; 401 without a valid one.

    Runs on the event loop: one indexed lookup costs less than a hop to the thread pool.
    """
    presented = token.credentials if token else key
    found = authenticate(engine, presented) if presented else None
    if found is None:
        raise ApiError(401, "unauthorized", "a valid API key is required")
    return found


Who = Annotated[Caller, Depends(caller)]


async def writer(who: Who) -> Caller:
    """Any role but the auditor."""
    if who.role == "auditor":
        raise ApiError(403, "forbidden", "auditors read; they cannot write")
    return who


async def operator(who: Who) -> Caller:
    """The operator only."""
    if who.role != "operator":
        raise ApiError(403, "forbidden", "only the operator may do this")
    return who


Writer = Annotated[Caller, Depends(writer)]
Operator = Annotated[Caller, Depends(operator)]
v1 = APIRouter(prefix="/v1", responses=errors(401))


async def upload(request: Request) -> tuple[bytes, str]:
    """The body and its format; 415 for an unknown type, 413 over the size limit."""
    limit = limits_of(request).max_bytes
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORMATS:
        raise ApiError(415, "unsupported_media_type", f"use one of {sorted(FORMATS)}")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"the body is over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, "too_large", f"the body is over {limit} bytes")
    return bytes(body), FORMATS[kind]


@v1.get("/health", response_model=models.Health, tags=["service"])
def health() -> models.Health:
    """Liveness: the process answers."""
    return models.Health(status="ok")


@v1.get(
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


@v1.post(
    "/batches",
    status_code=201,
    response_model=models.BatchBody,
    openapi_extra=UPLOAD,
    responses=errors(403, 409, 413, 415, 422)
    | {200: {"model": models.BatchBody, "description": "A replay"}},
    tags=["shipments"],
)
async def upload_batch(
    request: Request,
    response: Response,
    engine: Db,
    who: Writer,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=200)],
) -> models.BatchBody:
    """Upload a batch of TCEs (CSV, Parquet, JSON or iLEAP); stored all-or-nothing."""
    body, suffix = await upload(request)
    result = await run_in_threadpool(
        _call, ingest, engine, who, body, suffix, idempotency_key, "upload", max_rows(request)
    )
    if result.replayed:
        response.status_code = 200
    return models.BatchBody(**dataclasses.asdict(result))


@v1.post(
    "/quote",
    response_model=models.QuoteBody,
    openapi_extra=UPLOAD,
    responses=errors(413, 415, 422),
    tags=["shipments"],
)
async def quote_shipment(request: Request, engine: Db, who: Who) -> models.QuoteBody:
    """Calculate TCEs without storing them (a quote), with the caller's own TOCs/HOCs."""
    body, suffix = await upload(request)
    job = (_call, quote, engine, who, body, suffix, "quote", max_rows(request))
    # A small quote (the common one) is a millisecond of work: cheaper inline than handed to
    # the thread pool; a large one must not hold the event loop.
    inline = len(body) <= INLINE_BYTES
    results = job[0](*job[1:]) if inline else await run_in_threadpool(job[0], *job[1:])
    return models.QuoteBody(tces=_records(results), totals=_totals(results))


@v1.get("/shipments", response_model=list[models.ShipmentRow], tags=["shipments"])
def list_shipments(
    engine: Db,
    who: Who,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Any:
    """The caller's shipments, newest month first."""
    return shipments(engine, who, limit, offset)


@v1.get(
    "/shipments/{shipper_id}/{shipment_id}",
    response_model=models.ShipmentBody,
    responses=errors(404),
    tags=["shipments"],
)
def get_shipment(engine: Db, who: Who, shipper_id: str, shipment_id: str) -> models.ShipmentBody:
    """One shipment's transport chain, each element with its factor and source."""
    rows = shipment(engine, who, shipper_id, shipment_id)
    if not rows:
        raise ApiError(404, "not_found", "no such shipment")
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return models.ShipmentBody(
        shipper_id=shipper_id,
        shipment_id=shipment_id,
        totals=_totals(frame),
        tces=_records(frame),
    )


@v1.get("/emissions/summary", response_model=list[models.SummaryRow], tags=["emissions"])
def emissions_summary(
    engine: Db,
    who: Who,
    group_by: Literal["month", "mode", "lane", "hub", "shipper"] = "month",
    start: Annotated[Month, Query(alias="from")] = None,
    end: Annotated[Month, Query(alias="to")] = None,
) -> Any:
    """Totals and intensity grouped by month, mode, lane, hub or shipper over a period."""
    return summary(engine, who, group_by, start, end)


@v1.get(
    "/reports/iso14083",
    responses={
        200: {
            "content": {"text/html": {}, "application/pdf": {}},
            "description": "The report model (JSON), or the rendered report",
        },
        404: ERRORS[404],
        503: {"model": models.ErrorBody, "description": "No PDF renderer on the server"},
    },
    tags=["emissions"],
)
def report(
    engine: Db,
    who: Who,
    start: Annotated[Month, Query(alias="from")] = None,
    end: Annotated[Month, Query(alias="to")] = None,
    format: Literal["json", "html", "pdf"] = "json",
) -> Any:
    """The ISO 14083 report of the caller's shipments over a period."""
    frame = results_frame(engine, who, start, end)
    period = f"{start or 'start'} to {end or 'today'}"
    scope = f"{who.organization_id} ({who.role}), {period}"
    model = build_report(frame, scope=scope, pack="glec-v3.0") if frame.height else None
    if model is None:
        raise ApiError(404, "not_found", "no shipments in this period")
    if format == "json":
        return JSONResponse(_jsonable(model))
    html = render_html(model)
    if format == "html":
        return HTMLResponse(html)
    try:
        pdf = html_to_pdf(html)
    except RendererMissingError as e:
        raise ApiError(503, "no_renderer", str(e)) from e
    return Response(pdf, media_type="application/pdf")


@v1.get("/exports/ileap", tags=["emissions"])
def export_ileap(
    engine: Db,
    who: Who,
    start: Annotated[Month, Query(alias="from")] = None,
    end: Annotated[Month, Query(alias="to")] = None,
) -> dict[str, Any]:
    """The caller's shipments as iLEAP ShipmentFootprints: ``{"data": [...]}``."""
    return {"data": shipment_footprints(results_frame(engine, who, start, end))}


@v1.put(
    "/factors/{table}",
    response_model=models.Stored,
    openapi_extra=UPLOAD,
    responses=errors(403, 413, 415, 422),
    tags=["factors"],
)
async def put_factors(
    request: Request, engine: Db, who: Writer, table: Literal["tocs", "hocs"]
) -> models.Stored:
    """Replace the caller's TOC or HOC primary data (validated as the engine would)."""
    body, suffix = await upload(request)
    rows = await run_in_threadpool(
        _call, replace_factors, engine, who.organization_id, table[:3], body, suffix, table
    )
    return models.Stored(rows=rows)


@v1.post(
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
    _call(create_organization, engine, org.id, org.name, org.role)
    return org


@v1.post(
    "/keys",
    status_code=201,
    response_model=models.IssuedKey,
    responses=errors(400, 403, 404),
    tags=["access"],
)
def new_key(engine: Db, _: Operator, request: models.NewKey) -> models.IssuedKey:
    """Issue an API key for an organization (operator only); the key is shown once."""
    valid = timedelta(days=request.valid_days) if request.valid_days else None
    key_id, key = _call(issue_key, engine, request.organization_id, request.label, valid)
    row = next(k for k in list_keys(engine) if k["id"] == key_id)
    return models.IssuedKey(
        id=key_id,
        organization_id=request.organization_id,
        key=key,
        expires_at=row["expires_at"],
    )


@v1.get("/keys", response_model=list[models.KeyRow], tags=["access"])
def keys(engine: Db, _: Operator) -> Any:
    """Every key, without secrets (operator only)."""
    return list_keys(engine)


@v1.delete(
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


def create_app(url: str | None = None, limits: Limits | None = None) -> FastAPI:
    """The application on the database at ``url`` (default: GREENLANE_DATABASE_URL)."""
    engine = connect(url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warm_up()  # the first request should not pay for reading the factor pack
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="greenlane",
        version="0.1.0",
        summary="ISO 14083 freight emissions per shipment, lane and month, per organization.",
    )
    app.state.engine = engine
    app.state.limits = limits or Limits()

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.code, error.message, error.problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = "bad_request" if error.status_code == 400 else f"http_{error.status_code}"
        headers = dict(error.headers or {})
        if error.status_code == 405:  # every method of every route on this path, not the first's
            headers["Allow"] = ", ".join(_allowed(request))
        return _error(error.status_code, code, str(error.detail), headers=headers)

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        problems = [_problem(p) for p in error.problems]
        return _error(422, "invalid_input", f"{len(problems)} input problem(s)", problems)

    @app.exception_handler(RequestValidationError)
    async def request_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "file": "request",
                "row": None,
                "column": ".".join(str(x) for x in e["loc"]),
                "reason": e["msg"],
            }
            for e in error.errors()
        ]
        return _error(422, "invalid_request", "the request is not valid", problems)

    app.include_router(v1)
    return app


def _call(fn: Any, *args: Any) -> Any:
    """Run a store function, turning its domain errors into API errors."""
    try:
        return fn(*args)
    except ConflictError as e:
        raise ApiError(409, "conflict", str(e)) from e
    except TooLargeError as e:
        raise ApiError(413, "too_large", str(e)) from e
    except AccessError as e:
        status = 404 if str(e).startswith("no organization") else 409
        raise ApiError(status, "not_found" if status == 404 else "conflict", str(e)) from e


def _allowed(request: Request) -> list[str]:
    """The methods the app serves on the request's path."""
    path = request.url.path
    return sorted(
        {
            method
            for route in request.app.routes
            if isinstance(route, APIRoute) and route.path_regex.match(path)
            for method in route.methods or ()
        }
    )


def _problem(p: Any) -> dict[str, Any]:
    return {"file": p.file, "row": p.row, "column": p.column, "reason": p.reason}


def _records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    strings = [pl.col(c).cast(pl.String) for c, t in frame.schema.items() if t == pl.Categorical]
    return frame.with_columns(strings).to_dicts()


def _totals(frame: pl.DataFrame) -> models.Totals:
    def total(column: str) -> float:
        return float(frame[column].fill_null(0.0).sum()) if column in frame.columns else 0.0

    return models.Totals(
        co2e_wtt_kg=total("co2e_wtt_kg"),
        co2e_ttw_kg=total("co2e_ttw_kg"),
        co2e_wtw_kg=total("co2e_wtw_kg"),
    )


def _jsonable(value: Any) -> Any:
    """Plain JSON types (the report model may hold non-finite floats or dates)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
