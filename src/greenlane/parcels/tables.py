"""Parcel orders from typed rows, every bad row reported; and hold windows from text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl

from greenlane.errors import FieldError, Problem, row_problem
from greenlane.parcels.merge import Order

HOLD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)\s*$")
UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days"}


def parse_hold(text: str) -> timedelta:
    """A hold window such as '30m', '2h' or '3d'.

    Parameters
    ----------
    text
        A number and a unit (m, h or d).

    Returns
    -------
    timedelta
        The window.

    Raises
    ------
    ValueError
        If the text is not such a window.

    """
    match = HOLD.match(text)
    if match is None:
        raise FieldError("hold", f"must be a number and m, h or d (30m, 2h, 3d), got {text!r}")
    return timedelta(**{UNITS[match.group(2)]: float(match.group(1))})


def orders_from_frame(
    frame: pl.DataFrame, problems: list[Problem], file: str, countries: set[str] | None
) -> tuple[list[Order], list[Problem]]:
    """Orders of a typed frame whose unparsed values are ``problems``; rows keep their numbers.

    Parameters
    ----------
    frame
        Typed order rows.
    problems
        The values that did not parse (their rows are left out).
    file
        The file's name, used in problems.
    countries
        The destinations served; None accepts any.

    Returns
    -------
    tuple of list of Order and list of Problem
        The orders, and every problem.

    """
    unparsed = {p.row for p in problems}
    rows = [r for n, r in enumerate(frame.to_dicts(), start=1) if n not in unparsed]
    numbers = [n for n in range(1, frame.height + 1) if n not in unparsed]
    accepted, more = orders_from_rows(rows, file, countries)
    more = [Problem(p.file, numbers[p.row - 1], p.column, p.reason) for p in more if p.row]
    return accepted, sorted(problems + more, key=lambda p: (p.row or 0, p.column))


def orders_from_rows(
    rows: Iterable[Mapping[str, Any]], file: str, countries: set[str] | None
) -> tuple[list[Order], list[Problem]]:
    """Valid orders and the problems of the rows left out (a duplicate id: every copy).

    ``countries`` are the destinations served (any other is a problem of that row); None
    accepts every country.

    Parameters
    ----------
    rows
        Typed order rows.
    file
        The file's name, used in problems.
    countries
        The destinations served.

    Returns
    -------
    tuple of list of Order and list of Problem
        The orders, and the problems.

    """
    rows = list(rows)
    seen: dict[str, int] = {}
    for row in rows:
        key = str(row.get("order_id"))
        seen[key] = seen.get(key, 0) + 1
    orders, problems = [], []
    for n, row in enumerate(rows, start=1):
        try:
            if seen[str(row.get("order_id"))] > 1:
                raise FieldError(
                    "order_id", f"{row.get('order_id')!r} appears more than once", ": "
                )
            orders.append(_order(row, countries))
        except ValueError as e:
            problems.append(row_problem(file, n, e))
    return orders, problems


def _order(row: Mapping[str, Any], countries: set[str] | None) -> Order:
    for name in ("order_id", "merchant_id", "consignee_id", "address", "country", "service"):
        if not str(row.get(name) or "").strip():
            raise FieldError(name, "required", ": ")
    for name in ("weight_kg", "volume_cm3"):
        if row.get(name) is None:
            raise FieldError(name, "required", ": ")
    country = str(row["country"]).strip().upper()
    if countries is not None and country not in countries:
        raise FieldError(
            "country", f"{country!r} is not a destination served ({sorted(countries)})", ": "
        )
    return Order(
        order_id=str(row["order_id"]),
        merchant_id=str(row["merchant_id"]),
        consignee_id=str(row["consignee_id"]),
        address=str(row["address"]),
        country=country,
        service=str(row["service"]),
        placed_at=_when(row, "placed_at"),
        promised_by=_when(row, "promised_by"),
        weight_kg=row["weight_kg"],
        volume_cm3=row["volume_cm3"],
        dims_cm=_dims(row),
    )


def _dims(row: Mapping[str, Any]) -> tuple[float, float, float] | None:
    given = [row.get(name) for name in ("length_cm", "width_cm", "height_cm")]
    sides = [float(side) for side in given if side is not None]
    if not sides:
        return None
    if len(sides) < 3:
        raise FieldError("length_cm", "length, width and height go together", ": ")
    return (sides[0], sides[1], sides[2])


def _when(row: Mapping[str, Any], name: str) -> datetime:
    """An ISO 8601 time in UTC without its zone (a time without a zone is taken as UTC)."""
    text = str(row.get(name) or "")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise FieldError(name, f"not an ISO 8601 time: {text!r}", ": ") from None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
