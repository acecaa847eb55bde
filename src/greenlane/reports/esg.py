"""The ESG report as one self-contained HTML page (Plotly inlined); the PDF is that page printed.

Charts: each KPI with data over the last fiscal years, and each target's trajectory with the
years measured against it.
"""

from __future__ import annotations

from typing import Any

from greenlane.reports.pdf import html_to_pdf
from greenlane.reports.safe import report_environment

_ENV = report_environment()
LAYOUT = {"margin": {"t": 30, "r": 10, "b": 30, "l": 45}, "showlegend": False}


def render_esg_html(model: dict[str, Any]) -> str:
    """The report page."""
    kpis = [k for p in model["pillars"] for k in p["kpis"]]
    figures = {
        f"chart-{k['kpi_id']}": _kpi_figure(k)
        for k in kpis
        if any(v is not None for v in k["history"].values())
    }
    figures |= {f"target-{t['target_id']}": target_figure(t) for t in model["targets"]}
    return _ENV.get_template("esg.html").render(
        m=model,
        figures=figures,
        reported=sum(1 for k in kpis if k["value"] is not None),
        total=len(kpis),
    )


def render_esg_pdf(model: dict[str, Any]) -> bytes:
    """The same page printed to PDF by headless Chromium."""
    return html_to_pdf(render_esg_html(model))


def _kpi_figure(kpi: dict[str, Any]) -> dict[str, Any]:
    years = [y for y, v in kpi["history"].items() if v is not None]
    values = [kpi["history"][y] for y in years]
    title = f"{kpi['name']} ({kpi['unit']})"
    return {
        "data": [{"type": "bar", "x": years, "y": values, "marker": {"color": "#2a7d3a"}}],
        "layout": LAYOUT
        | {"title": {"text": title, "font": {"size": 11}}, "xaxis": {"type": "category"}},
    }


def target_figure(target: dict[str, Any]) -> dict[str, Any]:
    """A target's trajectory (dashed) and the years measured against it (report and page)."""
    path = {
        "type": "scatter",
        "mode": "lines",
        "x": [p["year"] for p in target["path"]],
        "y": [p["allowed"] for p in target["path"]],
        "line": {"dash": "dash", "color": "#3b6ea5"},
        "name": "trajectory",
    }
    actual = {
        "type": "scatter",
        "mode": "markers",
        "x": [g["year"] for g in target["gaps"]],
        "y": [g["actual"] for g in target["gaps"]],
        "marker": {"size": 9, "color": "#2a7d3a"},
        "name": "measured",
    }
    return {
        "data": [path, actual],
        "layout": LAYOUT | {"showlegend": True, "xaxis": {"type": "category"}},
    }
