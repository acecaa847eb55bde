"""Figures and times as the dashboard's pages show them to people."""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup


def amount(value: float | None) -> str:
    """A figure for people: whole numbers without decimals, small ones with enough digits."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{value + 0.0:,.0f}"
    if abs(value) < 1:
        return f"{value:.3g}"
    return f"{value:,.2f}"


def utc(iso: str) -> datetime:
    """A stored time (naive times are UTC) as an aware datetime."""
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def moment(iso: str) -> Markup:
    """A time as ``<time>``: UTC in the text, shown in the reader's zone by local-time.js."""
    at = utc(iso).astimezone(UTC)
    stamp = at.isoformat().replace("+00:00", "Z")
    return Markup('<time datetime="{}">{}</time>').format(stamp, f"{at:%Y-%m-%d %H:%M} UTC")
