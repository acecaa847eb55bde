"""Great-circle distances and location codes (IATA airports, UN/LOCODE subset, 'lat,lon')."""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

import airportsdata
import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula.

    Notes
    -----
    d = 2 R asin(sqrt(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))), R = 6371.0088 km.

    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def great_circle_from_km(
    lat: float, lon: float, lats: Sequence[float], lons: Sequence[float]
) -> np.ndarray:
    """Great-circle distances from one point to many (the same haversine, vectorised)."""
    here, there = np.radians([lat, lon]), (np.radians(lats), np.radians(lons))
    h = (np.sin((there[0] - here[0]) / 2) ** 2
         + np.cos(here[0]) * np.cos(there[0]) * np.sin((there[1] - here[1]) / 2) ** 2)  # fmt: skip
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def great_circle_matrix_km(lats: Sequence[float], lons: Sequence[float]) -> np.ndarray:
    """Great-circle distances between every pair of points (the same haversine, vectorised)."""
    lat, lon = np.radians(lats), np.radians(lons)
    dlat, dlon = lat[:, None] - lat[None, :], lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@cache
def _airports() -> dict[str, tuple[float, float]]:
    return {code: (a["lat"], a["lon"]) for code, a in airportsdata.load("IATA").items()}


@cache
def _locodes() -> dict[str, tuple[float, float]]:
    text = resources.files("greenlane").joinpath("data/unlocode-subset.csv").read_text("utf-8")
    return {
        r["locode"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(text.splitlines())
    }


def resolve_location(code: str) -> tuple[float, float] | None:
    """Coordinates of an IATA airport code, a UN/LOCODE or a 'lat,lon' pair; None if unknown.

    Three letters are read as IATA, five as UN/LOCODE (with or without the space after the
    country, 'CN SHA'), and two numbers as latitude and longitude in degrees.
    """
    text = code.strip()
    match = _LATLON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
    key = text.upper().replace(" ", "")
    if len(key) == 3:
        return _airports().get(key)
    if len(key) == 5:
        return _locodes().get(key)
    return None
