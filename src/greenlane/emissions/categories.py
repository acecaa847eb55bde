"""The category table: every TOC and HOC the kernel can join on, with its intensity.

Pack categories are expanded over the two TCE attributes that change a default factor
(temperature control and an Asian/African operating region, GLEC p.94); user categories come
from TOC/HOC files of primary data, either as intensities or as energy totals that the
kernel allocates over the TCEs by tonne-km (ISO 14083, GLEC p.107).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from greenlane.emissions.schema import (
    ACTIVITY_UNITS,
    DATA_TYPES,
    DISTANCE_TYPES,
    ENERGY_UNITS,
    MODES,
)
from greenlane.errors import Problem
from greenlane.factors import FactorPack

Row = Mapping[str, Any]
UNIT_LABEL = {
    "tkm": "kg_co2e_per_tkm",
    "teu_km": "kg_co2e_per_teu_km",
    "t": "kg_co2e_per_t",
    "container": "kg_co2e_per_container",
}
KEYS = ((False, False), (False, True), (True, False), (True, True))  # (reefer, asia_africa)


class EnergyFactor(NamedTuple):
    """kg CO2e per unit of an energy: WTW, and its WTT/TTW split when known."""

    wtt: float | None
    ttw: float | None
    wtw: float


NO_ENERGY = EnergyFactor(0.0, 0.0, 0.0)  # a category priced by intensity


@dataclass(slots=True, weakref_slot=True)  # the kernel caches its join table per object
class Categories:
    """Category rows for the kernel, plus the problems found in user TOC/HOC files."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    toc_modes: dict[str, str] = field(default_factory=dict)
    hoc_ids: set[str] = field(default_factory=set)


def _ref(row: Row) -> str:
    return f"{row['source_table']}, p.{row['source_page']}"


def _pack_transport(pack: FactorPack) -> Iterable[dict[str, Any]]:
    """Pack TOCs, one row per (reefer, asia_africa) key, with GLEC's p.94 uplifts applied."""
    tocs = {r["toc_id"]: r for r in pack.tocs.iter_rows(named=True)}
    uplift = {
        (r["uplift_type"], "van" if "van" in r["uplift_id"] else "heavy"): r["multiplier"]
        for r in pack.uplifts.iter_rows(named=True)
    }
    for toc in tocs.values():
        for reefer, asia in KEYS:
            base, notes, factor = toc, [], 1.0
            if reefer and toc["reefer_toc_id"]:
                base = tocs[toc["reefer_toc_id"]]
                notes.append(f"reefer lane {base['toc_id']}")
            elif reefer and toc["road_size"]:
                step = uplift[("temperature_controlled", toc["road_size"])]
                factor *= step
                notes.append(f"x{step} temperature-controlled (p.94)")
            if asia and toc["road_size"]:
                step = uplift[("region", toc["road_size"])]
                factor *= step
                notes.append(f"x{step} Asia/Africa (p.94)")
            wtt, ttw = _split(base["wtt_kg"], base["ttw_kg"], base["wtw_kg"])
            yield _row(
                toc["toc_id"],
                "transport",
                toc["mode"],
                reefer,
                asia,
                basis=toc["distance_basis"],
                unit=base["activity_unit"],
                wtt=_scale(wtt, factor),
                ttw=_scale(ttw, factor),
                wtw=base["wtw_kg"] * factor,
                data_type="default",
                ref="; ".join([f"{pack.name}: {toc['toc_id']}, {_ref(base)}", *notes]),
            )


def _pack_hubs(pack: FactorPack) -> Iterable[dict[str, Any]]:
    for hoc in pack.hocs.iter_rows(named=True):
        for reefer, asia in KEYS:
            yield _row(
                hoc["hoc_id"],
                "hub",
                "hub",
                reefer,
                asia,
                basis=None,
                unit=hoc["activity_unit"],
                wtt=hoc["wtt_kg"],
                ttw=hoc["ttw_kg"],
                wtw=hoc["wtw_kg"],
                data_type="default",
                ref=f"{pack.name}: {hoc['hoc_id']}, {_ref(hoc)}",
            )


def _split(wtt: float | None, ttw: float | None, wtw: float) -> tuple[float | None, float | None]:
    """WTT and TTW scaled to add up to the printed WTW.

    GLEC prints each of the three rounded, so WTT + TTW may miss WTW by one rounding step
    (70 of 308 triples). WTW is the headline figure; the split keeps its printed proportion.
    """
    if wtt is None or ttw is None or wtt + ttw == 0:
        return wtt, ttw
    return wtt * wtw / (wtt + ttw), ttw * wtw / (wtt + ttw)


def _scale(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _row(
    factor_id: str,
    kind: str,
    mode: str,
    reefer: bool,
    asia: bool,
    *,
    basis: str | None,
    unit: str,
    wtt: float | None,
    ttw: float | None,
    wtw: float | None,
    data_type: str,
    ref: str,
    alloc: bool = False,
    energy: EnergyFactor = NO_ENERGY,
) -> dict[str, Any]:
    return {
        "factor_id": factor_id,
        "cat_kind": kind,
        "cat_mode": mode,
        "reefer": reefer,
        "asia_africa": asia,
        "basis": basis,
        "unit": unit,
        "intensity_unit": UNIT_LABEL[unit],
        "wtt": wtt,
        "ttw": ttw,
        "wtw": wtw,
        "cat_data_type": data_type,
        "factor_ref": ref,
        "alloc": alloc,
        "energy_wtt_kg": energy.wtt,
        "energy_ttw_kg": energy.ttw,
        "energy_wtw_kg": energy.wtw,
    }


def _every_variant(cid: str, kind: str, mode: str, **fields: Any) -> list[dict[str, Any]]:
    """A user category's rows: identical for every key, as no default uplift applies to it."""
    return [_row(cid, kind, mode, reefer, asia, **fields) for reefer, asia in KEYS]


def energy_factor(pack: FactorPack, row: Row) -> EnergyFactor | str:
    """The kg CO2e per unit of an energy row's energy, or the reason it has none.

    A supplier's factor may be WTW only (as the pack's own hub defaults are): its split is
    then unknown, and the report says so, as for those defaults.

    Parameters
    ----------
    pack
        The factor pack (its energy carriers by region).
    row
        A TOC or HOC row naming an energy ``source``, ``unit`` and ``region``, or giving
        ``ef_wtw_kg_per_unit`` (and optionally ``ef_ttw_kg_per_unit``).

    Returns
    -------
    EnergyFactor, or str
        WTT, TTW (None when not split) and WTW kg CO2e per unit, or why no factor applies.

    References
    ----------
    GLEC Framework v3.0, Module 1, pp.75-83 (fuel and electricity emission factors, WTT and
    TTW); ISO 14083:2023, clauses 10-11.

    """
    wtw_ef, ttw_ef = row.get("ef_wtw_kg_per_unit"), row.get("ef_ttw_kg_per_unit")
    if wtw_ef is not None or ttw_ef is not None:
        if wtw_ef is None:
            return "ef_ttw_kg_per_unit needs ef_wtw_kg_per_unit (the total it is part of)"
        if wtw_ef < 0:
            return "ef_wtw_kg_per_unit must be >= 0"
        if ttw_ef is None:
            return EnergyFactor(None, None, wtw_ef)
        if ttw_ef > wtw_ef or ttw_ef < 0:
            return "ef_ttw_kg_per_unit must be in [0, ef_wtw_kg_per_unit]"
        return EnergyFactor(wtw_ef - ttw_ef, ttw_ef, wtw_ef)
    source, unit = str(row.get("source") or "").casefold(), row.get("unit")
    candidates = _energy_by_source(pack).get(source, [])
    if not candidates:
        return f"unknown energy source {row.get('source')!r} in pack {pack.name}"
    fitting = [e for e in candidates if e["unit"] == unit]
    if not fitting:
        units = sorted({e["unit"] for e in candidates})
        return f"unit {unit!r} does not fit source {row.get('source')!r} (use one of {units})"
    region = str(row.get("region") or "GLOBAL").casefold()
    for wanted in (region, "global"):
        for e in fitting:
            if e["region"].casefold() == wanted:
                wtt, ttw = float(e["wtt_kg_per_unit"]), float(e["ttw_kg_per_unit"])
                return EnergyFactor(wtt, ttw, wtt + ttw)
    regions = sorted({e["region"] for e in fitting})
    return (
        f"no factor for {row.get('source')!r} in region {row.get('region')!r} "
        f"(pack has {regions}); give ef_wtw_kg_per_unit (and ef_ttw_kg_per_unit)"
    )


@functools.lru_cache(maxsize=8)  # asked for every TOC and HOC row: a day's routes are thousands
def _energy_by_source(pack: FactorPack) -> dict[str, list[Row]]:
    """The pack's energy rows by case-folded source, in the table's order."""
    by_source: dict[str, list[Row]] = {}
    for e in pack.energy.iter_rows(named=True):
        by_source.setdefault(e["source"].casefold(), []).append(e)
    return by_source


def _check(
    ok: bool, problems: list[Problem], file: str, row: int, column: str, reason: str
) -> bool:
    if not ok:
        problems.append(Problem(file, row, column, reason))
    return ok


def _energy_totals(
    pack: FactorPack, rows: list[tuple[int, Row]], file: str, problems: list[Problem]
) -> EnergyFactor:
    """Sum kg CO2e over the energy rows of one category (no split if any row has none)."""
    wtt: float | None = 0.0
    ttw: float | None = 0.0
    wtw = 0.0
    for n, row in rows:
        quantity, unit = row.get("quantity"), row.get("unit")
        if not _check(
            quantity is not None and quantity >= 0,
            problems,
            file,
            n,
            "quantity",
            "energy rows need a quantity >= 0",
        ):
            continue
        if not _check(
            unit in ENERGY_UNITS,
            problems,
            file,
            n,
            "unit",
            f"unit must be one of {list(ENERGY_UNITS)}, got {unit!r}",
        ):
            continue
        factor = energy_factor(pack, row)
        if isinstance(factor, str):
            problems.append(Problem(file, n, "source", factor))
            continue
        amount = float(quantity or 0.0)
        wtw += amount * factor.wtw
        if wtt is None or ttw is None or factor.wtt is None or factor.ttw is None:
            wtt = ttw = None
        else:
            wtt, ttw = wtt + amount * factor.wtt, ttw + amount * factor.ttw
    return EnergyFactor(wtt, ttw, wtw)


def _one_value(rows: list[tuple[int, Row]], column: str, file: str, problems: list[Problem]) -> Any:
    """The single value a category gives for a column; a problem if its rows disagree."""
    values = {r.get(column) for _, r in rows} - {None}
    if len(values) > 1:
        problems.append(
            Problem(
                file,
                rows[0][0],
                column,
                f"rows of one category disagree: {sorted(map(str, values))}",
            )
        )
    return next(iter(values)) if values else None


def _user_category(
    pack: FactorPack,
    cid: str,
    kind: str,
    mode: str,
    rows: list[tuple[int, Row]],
    file: str,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    """Category rows for one user TOC or HOC, from an intensity row or from energy rows."""
    start = len(problems)
    first = rows[0][0]
    data_type = _one_value(rows, "data_type", file, problems) or "primary"
    _check(
        data_type in DATA_TYPES[:2],
        problems,
        file,
        first,
        "data_type",
        f"data_type must be primary or modelled, got {data_type!r}",
    )
    activity_col = "transport_activity_tkm" if kind == "transport" else "hub_activity_t"
    activity = _one_value(rows, activity_col, file, problems)
    _check(activity is None or activity > 0, problems, file, first, activity_col, "must be > 0")
    unit = "t"
    basis: str | None = None
    if kind == "transport":
        unit = _one_value(rows, "transport_activity_unit", file, problems) or "tkm"
        _check(
            unit in ACTIVITY_UNITS,
            problems,
            file,
            first,
            "transport_activity_unit",
            f"must be one of {list(ACTIVITY_UNITS)}, got {unit!r}",
        )
        basis = _one_value(rows, "distance_type", file, problems) or "sfd"
        _check(
            basis in DISTANCE_TYPES,
            problems,
            file,
            first,
            "distance_type",
            f"must be one of {list(DISTANCE_TYPES)}, got {basis!r}",
        )
    intensity = [(n, r) for n, r in rows if r.get("co2e_intensity_wtw") is not None]
    ref = f"{file}: {cid}"
    if intensity:
        if not _check(
            len(intensity) == len(rows) == 1,
            problems,
            file,
            first,
            "co2e_intensity_wtw",
            "a category is either one intensity row or energy rows, not both",
        ):
            return []
        n, r = intensity[0]
        wtw, ttw = r["co2e_intensity_wtw"], r.get("co2e_intensity_ttw")
        _check(
            wtw >= 0 and (ttw is None or 0 <= ttw <= wtw),
            problems,
            file,
            n,
            "co2e_intensity_ttw",
            "intensities must satisfy 0 <= ttw <= wtw",
        )
        if len(problems) > start:
            return []
        return _every_variant(
            cid,
            kind,
            mode,
            basis=basis,
            unit=unit,
            wtt=None if ttw is None else wtw - ttw,
            ttw=ttw,
            wtw=wtw,
            data_type=data_type,
            ref=f"{ref} (intensity)",
        )
    wtt_kg, ttw_kg, wtw_kg = _energy_totals(pack, rows, file, problems)
    if len(problems) > start:
        return []
    note = "" if wtt_kg is not None else "; WTW only: a supplier factor without its TTW split"
    if activity is None:  # allocate the energy over the TCEs that reference the category
        return _every_variant(
            cid,
            kind,
            mode,
            basis=None,
            unit=unit,
            wtt=None,
            ttw=None,
            wtw=None,
            data_type=data_type,
            ref=f"{ref} (energy, allocated by activity{note})",
            alloc=True,
            energy=EnergyFactor(wtt_kg, ttw_kg, wtw_kg),
        )
    return _every_variant(
        cid,
        kind,
        mode,
        basis=basis,
        unit=unit,
        wtt=None if wtt_kg is None else wtt_kg / activity,
        ttw=None if ttw_kg is None else ttw_kg / activity,
        wtw=wtw_kg / activity,
        data_type=data_type,
        ref=f"{ref} (energy / {activity:g} {unit}{note})",
    )


def _group(
    rows: Iterable[Row], key: str, file: str, problems: list[Problem]
) -> dict[str, list[tuple[int, Row]]]:
    groups: dict[str, list[tuple[int, Row]]] = {}
    for n, row in enumerate(rows, start=1):
        cid = row.get(key)
        if _check(bool(cid), problems, file, n, key, "required"):
            groups.setdefault(str(cid), []).append((n, row))
    return groups


def build_categories(
    pack: FactorPack,
    tocs: Iterable[Row] = (),
    hocs: Iterable[Row] = (),
    toc_file: str = "tocs",
    hoc_file: str = "hocs",
) -> Categories:
    """All categories: the pack's, then the user's (a user id replaces a pack id).

    Raises nothing: problems in the user files are returned in ``Categories.problems``.

    Parameters
    ----------
    pack
        The factor pack (default data).
    tocs, hocs
        Rows of the user's TOC and HOC files (primary or modelled data).
    toc_file, hoc_file
        Names of those files, used in problems.

    Returns
    -------
    Categories
        Every category by id, with its intensity or energy, and the problems found.

    References
    ----------
    ISO 14083:2023, 6.3 (transport and hub operation categories) and 7.2.3-7.2.6 (data
    categories); GLEC Framework v3.0, pp.23-29.

    """
    out = Categories()
    user: list[dict[str, Any]] = []
    for cid, rows in _group(tocs, "toc_id", toc_file, out.problems).items():
        mode = _one_value(rows, "mode", toc_file, out.problems)
        if _check(
            mode in MODES,
            out.problems,
            toc_file,
            rows[0][0],
            "mode",
            f"mode must be one of {list(MODES)}, got {mode!r}",
        ):
            user += _user_category(pack, cid, "transport", mode, rows, toc_file, out.problems)
    for cid, rows in _group(hocs, "hoc_id", hoc_file, out.problems).items():
        user += _user_category(pack, cid, "hub", "hub", rows, hoc_file, out.problems)
    user_ids = {r["factor_id"] for r in user}
    both = {r["factor_id"] for r in user if r["cat_kind"] == "hub"} & {
        r["factor_id"] for r in user if r["cat_kind"] == "transport"
    }
    out.problems += [Problem(hoc_file, None, "hoc_id", f"{cid!r} is also a toc_id") for cid in both]
    pack_rows = [
        r for r in (*_pack_transport(pack), *_pack_hubs(pack)) if r["factor_id"] not in user_ids
    ]
    out.rows = pack_rows + user
    out.toc_modes = {
        r["factor_id"]: r["cat_mode"] for r in out.rows if r["cat_kind"] == "transport"
    }
    out.hoc_ids = {r["factor_id"] for r in out.rows if r["cat_kind"] == "hub"}
    return out
