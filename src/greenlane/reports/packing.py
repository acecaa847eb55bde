"""The packing plan as a self-contained HTML page: totals, and a 3D view of packed cartons.

Plotly.js is inlined from the installed plotly package, so the page opens without a network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from greenlane.io import write_text
from greenlane.packing.savings import Footprint
from greenlane.packing.select import Plan, plan_record
from greenlane.reports.safe import report_environment

COLOURS = ["#2a7d3a", "#d08c2b", "#3b6ea5", "#a5463b", "#7a5ea8", "#4d9c9c", "#9c8a4d"]
_ENV = report_environment()


def carton_figure(carton: dict[str, Any]) -> dict[str, Any]:
    """A Plotly 3D figure of one packed carton (as in a plan record): units solid, edges drawn."""
    placements = carton["placements"]
    items = sorted({p["item_id"] for p in placements})
    colour = {item: COLOURS[n % len(COLOURS)] for n, item in enumerate(items)}
    solids = [_solid(p, colour[p["item_id"]]) for p in placements]
    length, width, height = carton["length_cm"], carton["width_cm"], carton["height_cm"]
    title = f"{carton['carton_id']}: fill {carton['fill_rate']:.0%}"
    layout = {
        "title": {"text": title, "font": {"size": 13}},
        "scene": {
            "aspectmode": "data",
            "xaxis": {"range": [0, length], "title": "length cm"},
            "yaxis": {"range": [0, width], "title": "width cm"},
            "zaxis": {"range": [0, height], "title": "height cm"},
        },
        "margin": {"t": 30, "l": 0, "r": 0, "b": 0},
        "showlegend": False,
    }
    return {"data": [*solids, _edges(length, width, height)], "layout": layout}


def render_plan_html(
    plans: Sequence[Plan],
    plan: Footprint,
    baseline: Footprint,
    orders: Sequence[str] = (),
    shown: int = 12,
) -> str:
    """The page: totals against the baseline and cartons in 3D.

    The cartons drawn are those of the named ``orders``, or without names the first ``shown``.
    """
    wanted = set(orders)
    records = [plan_record(p) for p in plans if not wanted or p.order_id in wanted]
    boxes = [(r["order_id"], box) for r in records for box in r["cartons"]]
    boxes = boxes if wanted else boxes[:shown]
    figures = {f"carton{n}": carton_figure(box) for n, (_, box) in enumerate(boxes)}
    return _ENV.get_template("packing.html").render(
        plan=plan,
        baseline=baseline,
        saved=baseline - plan,
        boxes=boxes,
        figures=figures,
        orders=len(plans),
    )


def write_plan_html(
    path: str | Path,
    plans: Sequence[Plan],
    plan: Footprint,
    baseline: Footprint,
    orders: Sequence[str] = (),
) -> Path:
    """Write the page atomically (cartons of ``orders``, or the first twelve)."""
    return write_text(path, render_plan_html(plans, plan, baseline, orders))


def _solid(p: dict[str, Any], colour: str) -> dict[str, Any]:
    x0, y0, z0 = p["x"], p["y"], p["z"]
    x1, y1, z1 = x0 + p["dx"], y0 + p["dy"], z0 + p["dz"]
    label = f"{p['item_id']}#{p['unit']}"
    return {
        "type": "mesh3d",
        "x": [x0, x0, x1, x1, x0, x0, x1, x1],  # the corner order of Plotly's cube example
        "y": [y0, y1, y1, y0, y0, y1, y1, y0],
        "z": [z0, z0, z0, z0, z1, z1, z1, z1],
        "i": [7, 0, 0, 0, 4, 4, 6, 6, 4, 0, 3, 2],
        "j": [3, 4, 1, 2, 5, 6, 5, 2, 0, 1, 6, 3],
        "k": [0, 7, 2, 3, 6, 7, 1, 1, 5, 5, 7, 6],
        "color": colour,
        "opacity": 0.85,
        "flatshading": True,
        "name": label,
        "hovertext": f"{label}: {p['dx']:g} x {p['dy']:g} x {p['dz']:g} cm",
        "hoverinfo": "text",
    }


def _edges(length: float, width: float, height: float) -> dict[str, Any]:
    corners = [(0, 0), (length, 0), (length, width), (0, width), (0, 0)]
    xs, ys, zs = [], [], []
    for z in (0, height):
        xs += [c[0] for c in corners] + [None]
        ys += [c[1] for c in corners] + [None]
        zs += [z] * 5 + [None]
    for cx, cy in corners[:4]:
        xs += [cx, cx, None]
        ys += [cy, cy, None]
        zs += [0, height, None]
    return {
        "type": "scatter3d",
        "mode": "lines",
        "x": xs,
        "y": ys,
        "z": zs,
        "line": {"color": "#555", "width": 2},
        "hoverinfo": "skip",
    }
