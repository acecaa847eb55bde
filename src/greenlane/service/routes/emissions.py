"""Summaries, the ISO 14083 report and the iLEAP export of the caller's shipments."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse, JSONResponse

from greenlane.errors import NotFoundError
from greenlane.reports.iso14083 import render_html
from greenlane.reports.pdf import html_to_pdf
from greenlane.service import models
from greenlane.service.common import (
    ERRORS,
    Db,
    Month,
    Who,
    caller_report,
    errors,
    jsonable,
)
from greenlane.service.ileap import shipment_footprints
from greenlane.store.queries import results_frame, summary

router = APIRouter(prefix="/v1", responses=errors(401))


@router.get("/emissions/summary", response_model=list[models.SummaryRow], tags=["emissions"])
def emissions_summary(
    engine: Db,
    who: Who,
    group_by: Literal["month", "mode", "lane", "mode_lane", "hub", "shipper"] = "month",
    start: Annotated[Month, Query(alias="from")] = None,
    end: Annotated[Month, Query(alias="to")] = None,
) -> Any:
    """Totals and intensity grouped by month, mode, lane, mode and lane, hub or shipper.

    ``mode_lane`` keys join the two, ``road|CNSHA-CNNGB``.
    """
    return summary(engine, who, group_by, start, end)


@router.get(
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
    model = caller_report(engine, who, start, end)
    if model is None:
        raise NotFoundError("no shipments in this period")
    if format == "json":
        return JSONResponse(jsonable(model))
    html = render_html(model)
    if format == "html":
        return HTMLResponse(html)
    return Response(html_to_pdf(html), media_type="application/pdf")  # 503 without Chromium


@router.get("/exports/ileap", tags=["emissions"])
def export_ileap(
    engine: Db,
    who: Who,
    start: Annotated[Month, Query(alias="from")] = None,
    end: Annotated[Month, Query(alias="to")] = None,
) -> dict[str, Any]:
    """The caller's shipments as iLEAP ShipmentFootprints: ``{"data": [...]}``."""
    return {"data": shipment_footprints(results_frame(engine, who, start, end))}
