"""The kernel's arithmetic row by row, for small inputs such as a quote.

The relational kernel plans every call (about 25 ms, whatever the size); a quote of a few
TCEs needs microseconds. :func:`rows` computes the same output row by row and declines (None)
whenever any row is invalid or a category allocates a TOC's energy over its TCEs, so that the
kernel then gives the full answer and the full error report. A property test holds the two
paths to rtol 1e-9; the kernel benchmark times this module as its per-row baseline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from greenlane.emissions.categories import Categories
from greenlane.emissions.schema import (
    DISTANCE_TYPES,
    KINDS,
    MODES,
    TEMPERATURES,
    UPLIFT_REGIONS,
)
from greenlane.factors import FactorPack
from greenlane.geo import great_circle_km, resolve_location

Row = Mapping[str, Any]


class RowPath:
    """Categories and pack rules indexed once for row-by-row use."""

    def __init__(self, categories: Categories, pack: FactorPack) -> None:
        self.lookup = {(r["factor_id"], r["reefer"], r["asia_africa"]): r for r in categories.rows}
        self.allocates = any(r["alloc"] for r in categories.rows)
        self.offset = pack.rule("air.daf_offset_km")
        self.step = {"sea": pack.rule("sea.container.daf"), "road": pack.rule("road.mod5_daf")}
        self.teu_t = pack.rule("teu.mass_t.average")

    def daf(self, mode: str | None, basis: str | None, kind: str, distance: float) -> float:
        """The kernel's distance adjustment factor (see ``kernel._daf``)."""
        if basis is None or basis == kind:
            return 1.0
        if basis == "actual":  # an SFD or GCD distance meets an actual-distance intensity
            if mode == "air":
                return (distance + self.offset) / distance if distance > 0 else 1.0
            return self.step.get(mode or "", 1.0)
        if kind == "actual":
            if mode == "air":
                return (distance - self.offset) / distance if distance > self.offset else 1.0
            return 1.0 / self.step[mode] if mode in self.step else 1.0
        return 1.0

    def row(self, row: Row) -> dict[str, Any] | None:
        """The output of one TCE, or None if the kernel would flag it."""
        kind, mass, mode = row.get("kind"), row.get("mass_kg"), row.get("mode")
        if kind not in KINDS or mass is None or not mass >= 0:
            return None
        if _blank(row.get("shipment_id")) or _blank(row.get("tce_id")):
            return None
        if (row.get("teu") is not None and row["teu"] < 0) or row.get(
            "temperature_control"
        ) not in (None, *TEMPERATURES):
            return None
        transport = kind == "transport"
        factor_id = row.get("toc_id") if transport else row.get("hoc_id")
        if _blank(factor_id):
            return None
        reefer = row.get("temperature_control") == "refrigerated"
        asia_africa = (row.get("operating_region") or "").lower() in UPLIFT_REGIONS
        category = self.lookup.get((factor_id, reefer, asia_africa))
        if category is None or category["cat_kind"] != kind:
            return None
        distance, kind_of_distance = self._distance(row, transport)
        if kind_of_distance not in DISTANCE_TYPES:
            return None
        mass_t = mass / 1000
        teu: float = row["teu"] if row.get("teu") is not None else mass_t / self.teu_t
        out = dict(row)
        stated: str | None = kind_of_distance
        if transport:
            if distance is None or not distance >= 0:
                return None
            if mode is not None and (mode not in MODES or mode != category["cat_mode"]):
                return None
            mode = mode or category["cat_mode"]
            daf = self.daf(mode, category["basis"], kind_of_distance, distance)
            used = distance * daf
        else:
            mode, stated, daf, used = None, None, 1.0, 0.0
        tkm = mass_t * used
        unit = category["unit"]
        amounts: dict[str, float] = {"tkm": tkm, "teu_km": teu * used, "t": mass_t}
        amount = amounts.get(unit, teu)
        co2e_wtt = _times(amount, category["wtt"])
        co2e_ttw = _times(amount, category["ttw"])
        wtw = (
            co2e_wtt + co2e_ttw
            if co2e_wtt is not None and co2e_ttw is not None
            else _times(amount, category["wtw"])
        )
        out.update(
            mode=mode,
            distance_type=stated,
            transport_activity_tkm=tkm,
            distance_km_used=used,
            daf=daf,
            co2e_wtt_kg=co2e_wtt,
            co2e_ttw_kg=co2e_ttw,
            co2e_wtw_kg=wtw,
            co2e_intensity_wtw=category["wtw"],
            intensity_unit=category["intensity_unit"],
            data_type=category["cat_data_type"],
            factor_ref=category["factor_ref"],
        )
        return out

    @staticmethod
    def _distance(row: Row, transport: bool) -> tuple[float | None, str]:
        """Distance (given, else the great circle between the locations) and its type."""
        stated = row.get("distance_type") or "sfd"
        if row.get("distance_km") is not None or not transport:
            return row.get("distance_km"), stated
        origin, destination = row.get("origin"), row.get("destination")
        a = resolve_location(origin) if origin else None
        b = resolve_location(destination) if destination else None
        if a is None or b is None:
            return None, stated
        return great_circle_km(*a, *b), "gcd"


def rows(tces: Iterable[Row], path: RowPath) -> list[dict[str, Any]] | None:
    """Every TCE's output in order, or None to leave the input to the kernel.

    None when a row is invalid, an id repeats, or a category allocates energy.

    Parameters
    ----------
    tces
        The TCE rows.
    path
        The categories and pack, prepared once.

    Returns
    -------
    list of dict, or None
        Each TCE's output row, as the kernel would give it.

    """
    if path.allocates:
        return None
    seen: set[Any] = set()
    out = []
    for tce in tces:
        result = path.row(tce)
        if result is None or tce["tce_id"] in seen:
            return None
        seen.add(tce["tce_id"])
        out.append(result)
    return out


def _times(amount: float, intensity: float | None) -> float | None:
    return None if intensity is None else amount * intensity


def _blank(value: Any) -> bool:
    return value is None or value == ""
