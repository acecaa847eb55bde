"""Dashboard pages: sign-in with an API key, the overview, sign-out.

The key is kept in a signed, HttpOnly, SameSite=strict session cookie and checked again on
every page (a revoked key ends the session at once). Every form carries a CSRF token bound to
the session. Charts are drawn by Plotly.js served from the installed plotly package: no CDN.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated, Any

import plotly  # type: ignore[import-untyped]
from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from greenlane.service.common import Db
from greenlane.store.access import Caller, authenticate
from greenlane.store.queries import summary

router = APIRouter(prefix="/dashboard", include_in_schema=False)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
_ENV = Environment(
    loader=PackageLoader("greenlane.web", "templates"), autoescape=select_autoescape()
)


def _csrf(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token: str | None = request.session.get("csrf")
    if token is None:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = _ENV.get_template(template).render(csrf=_csrf(request), **values)
    return HTMLResponse(html, status_code=status)


def _signed_in(request: Request, engine: Any) -> Caller | None:
    key = request.session.get("api_key")
    return authenticate(engine, key) if key else None


@router.get("/assets/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly.js from the installed plotly package."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript")


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return _page(request, "sign_in.html", error=None)


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request,
    engine: Db,
    api_key: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    """Check the CSRF token and the key; keep the key in the session cookie."""
    if not secrets.compare_digest(csrf, _csrf(request)):
        return _page(request, "sign_in.html", 403, error="The form expired; please try again.")
    if authenticate(engine, api_key.strip()) is None:
        return _page(request, "sign_in.html", 401, error="That key is not valid.")
    request.session["api_key"] = api_key.strip()
    return RedirectResponse("/dashboard", status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, csrf: Annotated[str, Form()]) -> RedirectResponse:
    """End the session (the form's CSRF token must match)."""
    if secrets.compare_digest(csrf, _csrf(request)):
        request.session.clear()
    return RedirectResponse("/dashboard/sign-in", status_code=303)


@router.get("", response_model=None)
def overview(request: Request, engine: Db) -> Response:
    """The caller's emissions: totals, the trend by month and the split by mode."""
    caller = _signed_in(request, engine)
    if caller is None:
        return RedirectResponse("/dashboard/sign-in", status_code=303)
    months = summary(engine, caller, "month", None, None)
    modes = summary(engine, caller, "mode", None, None)
    charts = {
        "by_month": _bars(months, "Well-to-wheel t CO2e by month"),
        "by_mode": _bars(modes, "Well-to-wheel t CO2e by transport mode"),
    }
    total = sum(r["co2e_wtw_kg"] for r in months)
    return _page(
        request,
        "overview.html",
        caller=caller,
        total_t=total / 1000,
        months=months,
        modes=modes,
        charts={k: json.dumps(v) for k, v in charts.items()},
    )


def _bars(rows: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """A Plotly bar chart of WTW tonnes per group."""
    return {
        "data": [
            {
                "type": "bar",
                "x": [r["key"] or "(none)" for r in rows],
                "y": [r["co2e_wtw_kg"] / 1000 for r in rows],
                "name": "t CO2e WTW",
            }
        ],
        "layout": {
            "title": {"text": title},
            "xaxis": {"type": "category"},  # months and modes are labels, not dates
            "margin": {"t": 40, "r": 10, "b": 40, "l": 50},
        },
    }
