"""The ISO 14083 report as HTML and JSON files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from greenlane.io import check_output, write_text
from greenlane.reports.safe import report_environment

REPORT_OUTPUTS = (".html", ".json")

_ENV = report_environment()


def _number(value: float | None, digits: int = 1) -> str:
    """Thousands-separated number for people; an em dash where there is none."""
    return "—" if value is None else f"{value:,.{digits}f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


_ENV.filters["num"] = _number
_ENV.filters["pct"] = _percent


def render_html(report: dict[str, Any]) -> str:
    """The report as a self-contained HTML page."""
    return _ENV.get_template("iso14083.html").render(r=report)


def write_report(report: dict[str, Any], path: str | Path) -> Path:
    """Write the report as HTML (.html) or JSON (.json), atomically."""
    path = Path(path)
    check_output(path, REPORT_OUTPUTS)
    if path.suffix.lower() == ".json":
        write_text(path, json.dumps(report, indent=2, default=str))
    else:
        write_text(path, render_html(report))
    return path
