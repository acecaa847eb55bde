"""Dashboard pages: sign-in with an API key, the overview, shipments, downloads, sign-out.

A sign-in opens a session in the store (``greenlane.store.sessions``); the HttpOnly,
SameSite=strict cookie holds only its random id, Secure unless served on plain HTTP to this
machine. The key is checked again on every page (a revoked key ends the session at once), and
every form carries the session's CSRF token, made anew at sign-in. Charts are drawn by
Plotly.js served from the installed plotly package (no CDN), from JSON data blocks.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from greenlane.app.esg import esg_model
from greenlane.esg.fiscal import FiscalCalendar, parse_year
from greenlane.io.tables import spreadsheet_safe
from greenlane.io.workbook import Sheet, workbook
from greenlane.parcels.tracking import FINAL
from greenlane.reports.esg import target_figure
from greenlane.reports.iso14083 import render_html
from greenlane.reports.packing import carton_figure
from greenlane.reports.pdf import RendererMissingError, html_to_pdf
from greenlane.reports.safe import CHARTS_JS, PLOTLY_JS, chart_block
from greenlane.service.common import Db, caller_report
from greenlane.service.throttle import client_of, throttles_of
from greenlane.service.web.charts import (
    ENERGY_METRICS,
    SPARK_HEIGHT,
    SPARK_WIDTH,
    Panel,
    chain_label,
    consolidation_panel,
    containers_panel,
    energy_panel,
    lane_map,
    lanes_panel,
    levers_panel,
    packing_panel,
    quality_panel,
    relief_panel,
    route_map,
    sparkline,
    summary_panel,
    target_panel,
)
from greenlane.service.web.formats import amount, moment, utc
from greenlane.store.access import Caller, authenticate
from greenlane.store.epcis import containers_in
from greenlane.store.esg import entries_of
from greenlane.store.packing import packing_totals, recent_plans, stored_plan
from greenlane.store.parcels import plan_days, public_tracking
from greenlane.store.pipeline import day_figures
from greenlane.store.queries import (
    month_days,
    results_frame,
    shipment,
    shipment_totals,
    shipments,
    summary,
)
from greenlane.store.relief import latest_relief_plan
from greenlane.store.routes import latest_route_plan
from greenlane.store.sessions import LIFETIME, Session, close_session, open_session, session_of
from greenlane.store.tables import ROLLUP_SUMS, Role
from greenlane.store.targets import list_targets, target_progress

router = APIRouter(prefix="/dashboard", include_in_schema=False)
public = APIRouter(include_in_schema=False)  # pages anyone may open, without signing in
BASEMAP = Path(__file__).parent / "data" / "world_110m.json"
LOCAL_TIME_JS = Path(__file__).parent / "static" / "local-time.js"
_ENV = Environment(
    loader=PackageLoader("greenlane.service.web", "templates"), autoescape=select_autoescape()
)
_ENV.globals["chart_block"] = chart_block
_ENV.filters["amount"] = amount
_ENV.globals["moment"] = moment
_ENV.globals["config"] = {
    "responsive": True,
    "displaylogo": False,
    "topojsonURL": "/dashboard/assets/topojson/",
}


SESSION_COOKIE = "greenlane_session"  # a random id; the session itself is in the store
FORM_COOKIE = "greenlane_form"  # the sign-in form's CSRF token, before there is a session
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _page(
    request: Request, template: str, session: Session | None, status: int = 200, **values: Any
) -> HTMLResponse:
    """A page for a signed-in session (its caller and CSRF token in the template)."""
    csrf = session.csrf if session else ""
    caller = session.caller if session else None
    html = _ENV.get_template(template).render(csrf=csrf, caller=caller, **values)
    return HTMLResponse(html, status_code=status)


def _signed_in(request: Request, engine: Any) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    return session_of(engine, token) if token and len(token) <= 64 else None


def _to_sign_in() -> RedirectResponse:
    return RedirectResponse("/dashboard/sign-in", status_code=303)


def _secure(request: Request) -> bool:
    """Whether cookies are Secure: yes, unless served on plain HTTP to this machine.

    The setting ``secure_cookies`` (GREENLANE_SECURE_COOKIES) decides instead when set.
    """
    forced: bool | None = request.app.state.secure_cookies
    if forced is not None:
        return forced
    return not (request.url.scheme == "http" and request.url.hostname in LOCAL_HOSTS)


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/dashboard",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


@public.get("/track/{sscc}", response_model=None)
def tracking_page(
    request: Request, engine: Db, sscc: str, t: Annotated[str, Query(max_length=32)] = ""
) -> Response:
    """A parcel's public tracking page: journey, estimate and CO2e, no personal data."""
    if not throttles_of(request).tracking.allow(client_of(request)):
        detail = "Too many look-ups from here: wait a minute."
        return _page(request, "message.html", None, 429, heading="Wait", detail=detail)
    view = public_tracking(engine, sscc, t) if re.fullmatch(r"[0-9]{18}", sscc) else None
    if view is None:
        detail = "Check the number and the tracking code printed on the label."
        return _page(request, "message.html", None, 404, heading="No such parcel", detail=detail)
    eta = view["estimated_arrival"]
    late = eta is not None and utc(eta) < datetime.now(UTC)
    return _page(request, "track.html", None, view=view, final=FINAL, late=late)


def missing_page() -> HTMLResponse:
    """The page a browser gets for an address that is no page (404)."""
    detail = "There is no such page: start again from the overview."
    html = _ENV.get_template("message.html").render(heading="Not found", detail=detail)
    return HTMLResponse(html, status_code=404)


CACHED = {"Cache-Control": "public, max-age=86400"}  # the package's files: a day in caches


@router.get("/assets/plotly.min.js")
def plotly_js() -> FileResponse:
    """Plotly.js from the installed plotly package."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers=CACHED)


@router.get("/assets/charts.js")
def charts_script() -> FileResponse:
    """The script that draws each page's charts from its JSON data blocks."""
    return FileResponse(CHARTS_JS, media_type="text/javascript", headers=CACHED)


@router.get("/assets/local-time.js")
def local_time_script() -> FileResponse:
    """The script that shows times in the reader's time zone."""
    return FileResponse(LOCAL_TIME_JS, media_type="text/javascript", headers=CACHED)


@router.get("/assets/topojson/world_110m.json")
def basemap() -> FileResponse:
    """The lane map's basemap (Natural Earth, shipped with the package: see data/README.md)."""
    return FileResponse(BASEMAP, media_type="application/json", headers=CACHED)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return _sign_in_page(request, 200, None)


def _sign_in_page(request: Request, status: int, error: str | None) -> HTMLResponse:
    """The form with a fresh CSRF token, kept in a cookie of its own until the sign-in."""
    token = secrets.token_urlsafe(32)
    html = _ENV.get_template("sign_in.html").render(csrf=token, error=error)
    response = HTMLResponse(html, status_code=status)
    _cookie(response, request, FORM_COOKIE, token, 3600)
    return response


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request,
    engine: Db,
    api_key: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    """Check the form's CSRF token and the key; open a session in the store.

    The session gets a new id and a new CSRF token: nothing from before the sign-in survives
    it (no session fixation).
    """
    throttle, client = throttles_of(request).sign_in, client_of(request)
    if throttle.over(client):
        return _sign_in_page(request, 429, "Too many failed sign-ins from here: wait a minute.")
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf, expected):
        throttle.allow(client)
        return _sign_in_page(request, 403, "The form expired; please try again.")
    caller = authenticate(engine, api_key.strip())
    if caller is None:
        throttle.allow(client)
        return _sign_in_page(request, 401, "That key is not valid.")
    token, _ = open_session(engine, caller)
    response = RedirectResponse("/dashboard", status_code=303)
    _cookie(response, request, SESSION_COOKIE, token, int(LIFETIME.total_seconds()))
    response.delete_cookie(FORM_COOKIE, path="/dashboard")
    return response


@router.post("/sign-out")
def sign_out(request: Request, engine: Db, csrf: Annotated[str, Form()]) -> RedirectResponse:
    """End the session in the store (the form's CSRF token must match)."""
    session = _signed_in(request, engine)
    response = _to_sign_in()
    if session is not None and secrets.compare_digest(csrf, session.csrf):
        close_session(engine, request.cookies[SESSION_COOKIE])
        response.delete_cookie(SESSION_COOKIE, path="/dashboard")
    return response


@router.get("", response_model=None)
def overview(request: Request, engine: Db) -> Response:
    """The caller's emissions over a period: headline, charts, targets, lanes and downloads."""
    session = _signed_in(request, engine)
    if session is None:
        return _to_sign_in()
    caller = session.caller
    start, end, problem = _period(request)
    months = summary(engine, caller, "month", start, end)
    total = _total(months)
    shown = _panels(engine, caller, start, end, months, total)
    return _page(
        request,
        "overview.html",
        session,
        start=start,
        end=end,
        problem=problem,
        query=urlencode({k: v for k, v in (("from", start), ("to", end)) if v}),
        total=total,
        panels=shown,
        charts={p.id: p.figure for p in shown},
    )


def _panels(
    engine: Any,
    caller: Caller,
    start: str | None,
    end: str | None,
    months: list[dict[str, Any]],
    total: dict[str, Any] | None,
) -> list[Panel]:
    """The overview's panels for a period, in page order: those with data only."""
    mode_lanes = sorted(
        summary(engine, caller, "mode_lane", start, end), key=lambda r: -r["co2e_wtw_kg"]
    )
    panels = [
        summary_panel("by_month", "t CO2e by month, WTT + TTW", months),
        summary_panel("intensity", "Transport intensity by month, g CO2e per tonne-km", months),
        quality_panel(total),
        *(
            target_panel(t, target_progress(engine, caller, t, start, end))
            for t in list_targets(engine, caller)
        ),
        summary_panel(
            "by_mode", "t CO2e WTW by transport mode", summary(engine, caller, "mode", start, end)
        ),
        summary_panel(
            "by_hub", "t CO2e WTW by hub category", summary(engine, caller, "hub", start, end)
        ),
        lanes_panel(mode_lanes),
        lane_map(mode_lanes[:MAP_LANES]),
    ]
    if caller.role != Role.SHIPPER:  # the operator's, auditor's and carrier's view spans shippers
        by_shipper = summary(engine, caller, "shipper", start, end)
        panels.append(summary_panel("by_shipper", "t CO2e WTW by shipper", by_shipper))
    days = month_days(start, end)
    panels += [  # one per module with results in the period; plans: the period's latest day
        levers_panel(day_figures(engine, caller, days)),
        packing_panel(packing_totals(engine, caller, start, end)),
        consolidation_panel(plan_days(engine, caller, start, end)),
        route_map(latest_route_plan(engine, caller, days)),
        relief_panel(latest_relief_plan(engine, caller, days)),
        containers_panel(containers_in(engine, caller.organization_id, days)),
        energy_panel(entries_of(engine, caller, ENERGY_METRICS, start, end)),
    ]
    return [p for p in panels if p is not None]  # no data: no panel, rather than an empty one


@router.get("/shipments", response_model=None)
def shipment_list(
    request: Request,
    engine: Db,
    after_shipper: Annotated[str | None, Query(max_length=64)] = None,
    after_shipment: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[Literal["id", "co2e"], Query()] = "id",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The caller's shipments a page at a time, searched by id, by id or heaviest first.

    By id, a page starts after the last one shown (as cheap on page 1,000 as on page 1);
    heaviest first sums every shipment, and pages by number.
    """
    session = _signed_in(request, engine)
    if session is None:
        return _to_sign_in()
    caller, prefix, heaviest = session.caller, q.strip(), sort == "co2e"
    after = (after_shipper, after_shipment) if after_shipper and after_shipment else None
    offset = (page - 1) * PAGE if heaviest else 0
    rows = shipments(engine, caller, PAGE + 1, offset, None if heaviest else after, prefix,
                     heaviest)  # fmt: skip
    more = len(rows) > PAGE  # one row past the page says whether there is a next one
    rows = rows[:PAGE]
    kept = {"q": prefix} if prefix else {}
    if heaviest:
        kept |= {"sort": "co2e"}
        following = urlencode(kept | {"page": page + 1}) if more else None
        first = page == 1
    else:
        last = rows[-1] if rows else {}
        following = (
            urlencode(
                kept | {"after_shipper": last["shipper_id"], "after_shipment": last["shipment_id"]}
            )
            if more
            else None
        )
        first = after is None
    return _page(
        request,
        "shipments.html",
        session,
        rows=rows,
        first=first,
        following=following,
        q=prefix,
        sort=sort,
        totals=shipment_totals(engine, caller, prefix),
        by_id=urlencode(kept | {"sort": "id"}),
        by_co2e=urlencode(kept | {"sort": "co2e"}),
        restart=urlencode(kept),
    )


@router.get("/shipments/{shipper_id}/{shipment_id}", response_model=None)
def shipment_page(request: Request, engine: Db, shipper_id: str, shipment_id: str) -> Response:
    """One shipment's chain as a waterfall of CO2e, element by element, with each factor."""
    session = _signed_in(request, engine)
    if session is None:
        return _to_sign_in()
    caller = session.caller
    chain = shipment(engine, caller, shipper_id, shipment_id)
    if not chain:  # another organization's shipment looks exactly like a missing one
        return _page(request, "not_found.html", session, 404)
    waterfall = {
        "data": [
            {
                "type": "waterfall",
                "x": [chain_label(n, t) for n, t in enumerate(chain, start=1)] + ["total"],
                "y": [t["co2e_wtw_kg"] or 0.0 for t in chain] + [0.0],
                "measure": ["relative"] * len(chain) + ["total"],
            }
        ],
        "layout": {
            "title": {"text": "kg CO2e WTW along the chain", "font": {"size": 14}},
            "xaxis": {"type": "category", "automargin": True},
            "margin": {"t": 40, "r": 10, "b": 40, "l": 50},
        },
    }
    return _page(
        request,
        "shipment.html",
        session,
        shipper_id=shipper_id,
        shipment_id=shipment_id,
        chain=chain,
        chart=waterfall,
    )


@router.get("/packing", response_model=None)
def packing_page(
    request: Request,
    engine: Db,
    organization: Annotated[str | None, Query(max_length=64)] = None,
    order: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Packed orders, newest first, and the chosen one's cartons in 3D."""
    session = _signed_in(request, engine)
    if session is None:
        return _to_sign_in()
    caller = session.caller
    rows = recent_plans(engine, caller)
    if organization is None and order is None and rows:
        organization, order = rows[0]["organization_id"], rows[0]["order_id"]
    record = stored_plan(engine, caller, organization or "", order or "") if order else None
    if order and record is None:  # another organization's order looks like a missing one
        return _page(request, "not_found.html", session, 404)
    cartons = record["cartons"] if record else []
    figures = {f"carton{n}": carton_figure(c) for n, c in enumerate(cartons)}
    return _page(
        request,
        "packing.html",
        session,
        rows=rows,
        record=record,
        chosen=(organization, order),
        figures=figures,
    )


@dataclass(frozen=True)
class FiscalYear:
    """The ESG page's query: a fiscal year (this one when none) and the month it starts."""

    year: Annotated[str | None, Query(max_length=10)] = None
    fiscal_start: Annotated[int, Query(ge=1, le=12)] = 1


Year = Annotated[FiscalYear, Depends()]


@router.get("/esg", response_model=None)
def esg_page(request: Request, engine: Db, asked: Year) -> Response:
    """The five pillars' KPIs for a fiscal year, from the ledger and greenlane's modules."""
    session = _signed_in(request, engine)
    if session is None:
        return _to_sign_in()
    model, problem = _esg_of(engine, session.caller, asked)
    kpis = [k for p in model["pillars"] for k in p["kpis"]]
    trends = {k["kpi_id"]: trend for k in kpis if (trend := sparkline(k["history"]))}
    figures = {f"target-{n}": target_figure(t) for n, t in enumerate(model["targets"])}
    return _page(
        request,
        "esg.html",
        session,
        m=model,
        fiscal_start=asked.fiscal_start,
        problem=problem,
        figures=figures,
        trends=trends,
        last_day=date.fromisoformat(model["period"][1]) - timedelta(days=1),  # bounds: end excluded
        spark=(SPARK_WIDTH, SPARK_HEIGHT),
        reported=sum(1 for k in kpis if k["value"] is not None),
        total=len(kpis),
    )


@router.get("/esg.xlsx", response_model=None)
def esg_workbook(request: Request, engine: Db, asked: Year) -> Response:
    """The ESG page's tables as a workbook: each pillar's KPIs over the years, the targets."""
    session = _signed_in(request, engine)
    if session is None:
        return _to_sign_in()
    model, _ = _esg_of(engine, session.caller, asked)
    sheets: dict[str, Sheet] = {}
    for p in model["pillars"]:
        years = list(p["kpis"][0]["history"]) if p["kpis"] else []
        rows = [(k["name"], k["unit"], *(k["history"][y] for y in years)) for k in p["kpis"]]
        sheets[p["name"]] = (("KPI", "unit", *years), rows)
    sheets["targets"] = (
        ("target", "KPI", "year", "measured", "trajectory allows", "gap (+ behind)"),
        [(t["target_id"], t["kpi_id"], g["year"], g["actual"], g["allowed"], g["gap"])
         for t in model["targets"] for g in t["gaps"]],
    )  # fmt: skip
    name = f"{session.caller.organization_id}-esg-{model['year']}.xlsx"
    attachment = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(workbook(sheets), media_type=XLSX, headers=attachment)


def _esg_of(engine: Any, caller: Caller, asked: FiscalYear) -> tuple[dict[str, Any], str | None]:
    """The ESG model of the fiscal year asked for (this one if none), and what was wrong."""
    calendar = FiscalCalendar(asked.fiscal_start)
    label, problem = asked.year or calendar.label_of(date.today()), None
    try:
        parse_year(label)
    except ValueError as e:
        label, problem = calendar.label_of(date.today()), str(e)
    return esg_model(engine, caller, calendar, label), problem


@router.get("/downloads/{name}", response_model=None)
def download(request: Request, engine: Db, name: str) -> Response:
    """The period's report (report.html, .pdf), TCEs (tces.csv, .xlsx) or charts' numbers.

    ``tables.xlsx`` holds the table behind every chart of the overview, a sheet each.
    """
    session = _signed_in(request, engine)
    if session is None:
        return _to_sign_in()
    caller = session.caller
    start, end, _ = _period(request)
    span = "-".join(m for m in (start, end) if m)
    filename = "-".join(part for part in (caller.organization_id, span, name) if part)
    attachment = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if name == "tces.csv":  # an empty period is an empty table: its header, no rows
        csv = spreadsheet_safe(results_frame(engine, caller, start, end)).write_csv()
        return Response(csv, media_type="text/csv", headers=attachment)
    if name == "tces.xlsx":
        frame = results_frame(engine, caller, start, end)
        sheets: dict[str, Sheet] = {"TCEs": (frame.columns, frame.rows())}
        return Response(workbook(sheets), media_type=XLSX, headers=attachment)
    if name == "tables.xlsx":  # the numbers behind every chart of the overview, a sheet each
        months = summary(engine, caller, "month", start, end)
        panels = _panels(engine, caller, start, end, months, _total(months))
        sheets = {p.id: (p.headers, p.cells) for p in panels}
        return Response(workbook(sheets or {"empty": ((), ())}), media_type=XLSX,
                        headers=attachment)  # fmt: skip
    model = caller_report(engine, caller, start, end) if name in REPORTS else None
    if model is None:
        return _page(request, "not_found.html", session, 404)
    html = render_html(model)
    if name == "report.html":
        return Response(html, media_type="text/html", headers=attachment)
    try:
        return Response(html_to_pdf(html), media_type="application/pdf", headers=attachment)
    except RendererMissingError as e:
        return Response(str(e), media_type="text/plain", status_code=503)


REPORTS = ("report.html", "report.pdf")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 100  # shipments per page of the list
MAP_LANES = 50  # the map draws the heaviest lanes by mode; the lanes panel lists them all
MONTH = re.compile(r"^(?!0000)\d{4}-(0[1-9]|1[0-2])$")  # year 0 is no date


def _period(request: Request) -> tuple[str | None, str | None, str | None]:
    """The period asked for (``from``, ``to``: YYYY-MM, either open) and what was wrong with it.

    A bad period is reported on the page and ignored (all months shown), not refused.
    """
    start = request.query_params.get("from") or None
    end = request.query_params.get("to") or None
    bad = [name for name, v in (("from", start), ("to", end)) if v and not MONTH.match(v)]
    if bad:
        return None, None, f"{' and '.join(bad)} must be a month, YYYY-MM: showing every month"
    if start and end and start > end:
        return None, None, "from is after to: showing every month"
    return start, end, None


def _total(months: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The period's totals from its months; None when it has none."""
    if not months:
        return None
    total = {s: sum(r[s] for r in months) for s in ROLLUP_SUMS}
    tkm = total["transport_activity_tkm"]
    return total | {"intensity_wtw_g_per_tkm": 1000 * total["co2e_wtw_kg"] / tkm if tkm else None}
