"""Great-circle distances for TCEs that give origin and destination instead of a distance."""

from __future__ import annotations

from typing import Any

import narwhals as nw

from greenlane.emissions.backend import collect
from greenlane.geo import great_circle_km, resolve_location


def lane_table(pairs: list[tuple[str | None, str | None]]) -> dict[str, list[Any]]:
    """Columns of a lane table: origin, destination, the GCD, and whether each end resolved.

    Distinct lanes are few even in large files, so each is resolved once in Python.

    Parameters
    ----------
    pairs
        Distinct (origin, destination) location codes.

    Returns
    -------
    dict of str to list
        The table's columns: ``origin``, ``destination``, ``gcd_km``, ``origin_known``,
        ``destination_known``.

    """
    out: dict[str, list[Any]] = {
        "origin": [],
        "destination": [],
        "__gcd_km": [],
        "__origin_ok": [],
        "__destination_ok": [],
    }
    for origin, destination in pairs:
        a = resolve_location(origin) if origin else None
        b = resolve_location(destination) if destination else None
        out["origin"].append(origin)
        out["destination"].append(destination)
        out["__gcd_km"].append(great_circle_km(*a, *b) if a and b else None)
        out["__origin_ok"].append(a is not None)
        out["__destination_ok"].append(b is not None)
    return out


def needed_lanes(frame: nw.LazyFrame) -> list[tuple[str | None, str | None]]:
    """Distinct (origin, destination) of transport rows that have no distance_km.

    Parameters
    ----------
    frame
        The TCE frame.

    Returns
    -------
    list of tuple
        The lanes whose great-circle distance is needed.

    """
    needed = frame.filter((nw.col("kind") == "transport") & nw.col("distance_km").is_null())
    lanes = collect(needed.select("origin", "destination").unique())
    return list(zip(lanes["origin"].to_list(), lanes["destination"].to_list(), strict=True))
