"""The REST API (FastAPI): every read and write scoped to the caller's organization.

Authentication is an API key in ``Authorization: Bearer <key>`` or ``X-API-Key``. Another
organization's shipment is answered 404, exactly as a shipment that does not exist, so the
answer leaks nothing; an operation the role may not perform is 403.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from greenlane.emissions import warm_up
from greenlane.errors import GreenlaneError, InputError
from greenlane.logs import configure
from greenlane.service.common import (
    STATUS,
    ApiError,
    Limits,
    document_access,
    error_response,
)
from greenlane.service.headers import SecurityHeaders
from greenlane.service.routes import (
    access,
    containers,
    emissions,
    epcis,
    esg,
    factors,
    health,
    packing,
    parcels,
    relief,
    routing,
    shipments,
    targets,
)
from greenlane.service.throttle import per_minute
from greenlane.service.web import pages
from greenlane.service.web.pages import missing_page
from greenlane.settings import Settings, settings
from greenlane.store import connect
from greenlane.store.key_cache import KeyCache

PAGES = ("/dashboard", "/track")  # addresses browsers open: their 404 is a page
logger = logging.getLogger(__name__)


def create_app(
    url: str | None = None, limits: Limits | None = None, current: Settings | None = None
) -> FastAPI:
    """The application on the database at ``url`` (default: the settings' database URL).

    The settings are read once here (``current``, else the environment) and kept on the app.
    """
    current = current or settings()
    configure(current.log_level, current.log_json)
    engine = connect(url or current.database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warm_up()  # the first request should not pay for reading the factor pack
        logger.info("service ready", extra={"database": engine.url.render_as_string()})
        yield
        engine.dispose()

    app = FastAPIOffline(  # /docs draws with Swagger UI from the package: no CDN
        redoc_url=None,  # ReDoc fetches its logo from its CDN even when served locally
        lifespan=lifespan,
        title="greenlane",
        version="0.1.0",
        summary="ISO 14083 freight emissions per shipment, lane and month, per organization.",
    )
    app.state.engine = engine
    app.state.keys = KeyCache(current.auth_cache_seconds)
    app.state.limits = limits or Limits.of(current)
    app.state.secure_cookies = current.secure_cookies
    app.state.throttles = per_minute(
        app.state.limits.sign_ins, app.state.limits.bad_keys, app.state.limits.tracking
    )

    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(
            error.status, error.code, error.message, error.problems, error.headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404 and request.url.path.startswith(PAGES):
            return missing_page()  # a browser's unknown page is a page, not JSON
        code = "bad_request" if error.status_code == 400 else f"http_{error.status_code}"
        headers = dict(error.headers or {})
        if error.status_code == 405:  # every method of every route on this path, not the first's
            headers["Allow"] = ", ".join(_allowed(request))
        return error_response(error.status_code, code, str(error.detail), headers=headers)

    @app.exception_handler(sa.exc.DBAPIError)
    async def database_error(_: Request, error: sa.exc.DBAPIError) -> JSONResponse:
        return _database_answer(error)

    @app.exception_handler(GreenlaneError)
    async def greenlane_error(_: Request, error: GreenlaneError) -> JSONResponse:
        return error_response(STATUS[error.code], error.code, str(error))

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        problems = [_problem(p) for p in error.problems]
        only = (
            f": {error.problems[0].column}: {error.problems[0].reason}"
            if len(problems) == 1
            else ""
        )
        message = f"{len(problems)} input problem(s){only}"
        return error_response(422, "invalid_input", message, problems)

    @app.exception_handler(RequestValidationError)
    async def request_error(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "file": "request",
                "row": None,
                "column": _quoted(".".join(str(x) for x in e["loc"])),
                "reason": _quoted(e["msg"]),
            }
            for e in error.errors()
        ]
        return error_response(422, "invalid_request", "the request is not valid", problems)

    for routes in (
        health,
        shipments,
        emissions,
        factors,
        targets,
        packing,
        parcels,
        routing,
        relief,
        esg,
        epcis,
        containers,
        access,
    ):
        document_access(routes.router.routes)
        app.include_router(routes.router)
    app.include_router(pages.router)
    app.include_router(pages.public)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        """The address people type goes to the dashboard."""
        return RedirectResponse("/dashboard", status_code=307)

    app.add_middleware(GZipMiddleware, minimum_size=1400)  # Plotly.js: 4.8 MB, 1.4 MB gzipped
    app.add_middleware(SecurityHeaders)
    return app


def _quoted(text: str, most: int = 300) -> str:
    """Input quoted back in an error: enough to find it, not a copy of a huge field name."""
    return text if len(text) <= most else f"{text[: most - 3]}..."


def _database_answer(error: sa.exc.DBAPIError) -> JSONResponse:
    """What the database refused, as the API answers it (never a bare 500).

    The readers refuse bad values before the database sees them; this is the net under them:
    a value the database rejects is 422, a write that lost a race with another is 409, a
    database that cannot be reached is 503 (retry later).
    """
    if isinstance(error, sa.exc.IntegrityError):
        return error_response(409, "conflict", "another request changed the same records: retry")
    if isinstance(error, sa.exc.DataError):
        return error_response(422, "invalid_input", "a value is out of the store's range")
    if error.connection_invalidated or isinstance(
        error, sa.exc.OperationalError | sa.exc.InterfaceError
    ):
        logger.error("database unavailable: %s", error.orig)
        return error_response(503, "unavailable", "the database is unavailable: retry later")
    logger.exception("database error", exc_info=error)
    return error_response(500, "internal", "an internal error; it is logged")


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
