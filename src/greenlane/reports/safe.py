r"""Data into pages without letting it become markup or script.

Charts reach a page as JSON in ``<script type="application/json">`` blocks that one static
script (``static/charts.js``) draws; the JSON is written so that no value can close the
element (``<``, ``>``, ``&`` and the JavaScript line separators are escaped as ``\\uXXXX``),
and non-finite numbers become null (JSON has none). Self-contained reports inline Plotly and
``charts.js`` and allow exactly those two scripts by hash in their Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import plotly  # type: ignore[import-untyped]
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHARTS_JS = Path(__file__).parent / "static" / "charts.js"
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a script element (and valid for JSON.parse)."""
    text = json.dumps(_finite(value), allow_nan=False, default=str)
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def chart_block(
    target: str, figure: dict[str, Any], config: dict[str, Any] | None = None
) -> Markup:
    """The data block ``charts.js`` draws into the element with id ``target``."""
    payload = {"data": figure.get("data", []), "layout": figure.get("layout", {})}
    payload["config"] = config or {}
    return Markup('<script type="application/json" data-chart="{}">{}</script>').format(
        escape(target), Markup(script_json(payload))
    )


@cache
def plotly_js() -> str:
    """Plotly.js from the installed plotly package."""
    return PLOTLY_JS.read_text(encoding="utf-8")


@cache
def charts_js() -> str:
    """The script that draws the data blocks."""
    return CHARTS_JS.read_text(encoding="utf-8")


@cache
def report_csp() -> str:
    """The policy of a self-contained report: no network, only Plotly and charts.js run."""
    hashes = " ".join(_hash(s) for s in (plotly_js(), charts_js()))
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
    )


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _finite(value: Any) -> Any:
    """JSON-ready values: NaN and infinities as null, containers walked."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def report_environment() -> Environment:
    """The Jinja2 environment of every report template: autoescaped, charts as data blocks.

    Templates get ``chart_block``, the inline scripts (``plotly_js``, ``charts_js``) and the
    report's Content-Security-Policy (``csp``) for its ``<meta http-equiv>``.
    """
    env = Environment(
        loader=PackageLoader("greenlane.reports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    env.globals |= {
        "chart_block": chart_block,
        "plotly_js": lambda: Markup(plotly_js()),  # our own scripts, allowed by their hash
        "charts_js": lambda: Markup(charts_js()),
        "csp": report_csp,
    }
    return env
