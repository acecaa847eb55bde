"""Dashboard pages: sign-in with an API key, the overview, sign-out.

The key is kept in a signed, HttpOnly, SameSite=strict session cookie and checked again on
every page (a revoked key ends the session at once). Every form carries a CSRF token bound to
the session. Charts are drawn by Plotly.js served from the installed plotly package: no CDN.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import plotly  # type: ignore[import-untyped]
from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from greenlane.reports.iso14083 import render_html
from greenlane.reports.pdf import RendererMissingError, html_to_pdf
from greenlane.service.common import Db, caller_report
from greenlane.store.access import Caller, authenticate
from greenlane.store.queries import results_frame, shipment, shipments, summary

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
    """The caller's emissions: totals, the split and intensity by month, modes, hubs, lanes."""
    caller = _signed_in(request, engine)
    if caller is None:
        return RedirectResponse("/dashboard/sign-in", status_code=303)
    months = summary(engine, caller, "month", None, None)
    lanes = [r for r in summary(engine, caller, "lane", None, None) if r["key"]]
    lanes = sorted(lanes, key=lambda r: -r["co2e_wtw_kg"])[:10]
    panels = [
        Panel("by_month", "t CO2e by month, WTT + TTW", months),
        Panel("intensity", "Transport intensity by month, g CO2e per tonne-km", months),
        Panel(
            "by_mode", "t CO2e WTW by transport mode", summary(engine, caller, "mode", None, None)
        ),
        Panel("by_hub", "t CO2e WTW by hub category", summary(engine, caller, "hub", None, None)),
        Panel("top_lanes", "The ten lanes with the most t CO2e WTW", lanes),
    ]
    if caller.role != "shipper":  # the operator's, auditor's and carrier's view spans shippers
        by_shipper = summary(engine, caller, "shipper", None, None)
        panels.append(Panel("by_shipper", "t CO2e WTW by shipper", by_shipper))
    shown = [p for p in panels if p.rows]  # a panel without data is left out, not drawn empty
    return _page(
        request,
        "overview.html",
        caller=caller,
        total_t=sum(r["co2e_wtw_kg"] for r in months) / 1000,
        panels=shown,
        charts={p.id: json.dumps(p.spec()) for p in shown},
    )


@router.get("/shipments", response_model=None)
def shipment_list(request: Request, engine: Db) -> Response:
    """The caller's shipments, newest first, each linking to its drill-down."""
    caller = _signed_in(request, engine)
    if caller is None:
        return RedirectResponse("/dashboard/sign-in", status_code=303)
    rows = shipments(engine, caller, limit=200)
    return _page(request, "shipments.html", caller=caller, rows=rows)


@router.get("/shipments/{shipper_id}/{shipment_id}", response_model=None)
def shipment_page(request: Request, engine: Db, shipper_id: str, shipment_id: str) -> Response:
    """One shipment's chain as a waterfall of CO2e, element by element, with each factor."""
    caller = _signed_in(request, engine)
    if caller is None:
        return RedirectResponse("/dashboard/sign-in", status_code=303)
    chain = shipment(engine, caller, shipper_id, shipment_id)
    if not chain:  # another organization's shipment looks exactly like a missing one
        return _page(request, "not_found.html", 404, caller=caller)
    waterfall = {
        "data": [
            {
                "type": "waterfall",
                "x": [f"{t['tce_id']} ({t['mode'] or t['hoc_id']})" for t in chain] + ["total"],
                "y": [t["co2e_wtw_kg"] or 0.0 for t in chain] + [0.0],
                "measure": ["relative"] * len(chain) + ["total"],
            }
        ],
        "layout": {
            "title": {"text": "kg CO2e WTW along the chain", "font": {"size": 14}},
            "xaxis": {"type": "category"},
            "margin": {"t": 40, "r": 10, "b": 80, "l": 50},
        },
    }
    return _page(
        request,
        "shipment.html",
        caller=caller,
        shipper_id=shipper_id,
        shipment_id=shipment_id,
        chain=chain,
        chart=json.dumps(waterfall),
    )


@router.get("/downloads/{name}", response_model=None)
def download(request: Request, engine: Db, name: str) -> Response:
    """The caller's ISO 14083 report (report.html, report.pdf) or its TCE table (tces.csv)."""
    caller = _signed_in(request, engine)
    if caller is None:
        return RedirectResponse("/dashboard/sign-in", status_code=303)
    attachment = {"Content-Disposition": f'attachment; filename="{caller.organization_id}-{name}"'}
    if name == "tces.csv":
        frame = results_frame(engine, caller, None, None)
        if frame.height:
            return Response(frame.write_csv(), media_type="text/csv", headers=attachment)
    model = caller_report(engine, caller, None, None) if name in REPORTS else None
    if model is None:
        return _page(request, "not_found.html", 404, caller=caller)
    html = render_html(model)
    if name == "report.html":
        return Response(html, media_type="text/html", headers=attachment)
    try:
        return Response(html_to_pdf(html), media_type="application/pdf", headers=attachment)
    except RendererMissingError as e:
        return Response(str(e), media_type="text/plain", status_code=503)


REPORTS = ("report.html", "report.pdf")


@dataclass(frozen=True, slots=True)
class Panel:
    """One chart of the overview, with the rows behind it (shown as a table too)."""

    id: str
    title: str
    rows: list[dict[str, Any]]

    def spec(self) -> dict[str, Any]:
        """The Plotly figure: stacked split by month, intensity line, or WTW bars."""
        keys = [r["key"] or "(none)" for r in self.rows]
        if self.id == "by_month":
            data = [
                _bar(keys, [r[column] / 1000 for r in self.rows], name)
                for column, name in (
                    ("co2e_wtt_kg", "WTT"),
                    ("co2e_ttw_kg", "TTW"),
                    ("unsplit_wtw_kg", "WTW without split"),
                )
            ]
        elif self.id == "intensity":
            values = [r["intensity_wtw_g_per_tkm"] for r in self.rows]
            data = [{"type": "scatter", "mode": "lines+markers", "x": keys, "y": values}]
        else:
            data = [_bar(keys, [r["co2e_wtw_kg"] / 1000 for r in self.rows], "WTW")]
        return {
            "data": data,
            "layout": {
                "title": {"text": self.title, "font": {"size": 14}},
                "barmode": "stack",
                "xaxis": {"type": "category"},  # months, modes and lanes are labels
                "margin": {"t": 40, "r": 10, "b": 60, "l": 50},
                "legend": {"orientation": "h"},
            },
        }


def _bar(keys: list[str], values: list[float], name: str) -> dict[str, Any]:
    return {"type": "bar", "x": keys, "y": values, "name": name}
