"""The ISO 14083 report model (clause 13; GLEC pp.56-64) computed from TCE results.

Every figure is an aggregate of the result rows, so the report and the per-TCE file can never
disagree. Rendering (HTML, JSON) lives in greenlane.reports.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

from greenlane.emissions.backend import collect

CONFORMITY = "These calculation results have been established in accordance with ISO 14083:2023"
SUMS = {
    "co2e_wtw_kg": "co2e_wtw_kg",
    "co2e_wtt_kg": "co2e_wtt_kg",
    "co2e_ttw_kg": "co2e_ttw_kg",
    "transport_activity_tkm": "transport_activity_tkm",
    "mass_t": "__mass_t",
    "co2e_unsplit_wtw_kg": "__unsplit",
}
KEYS = ("shipper_id", "kind", "mode", "distance_type", "hoc_id", "data_type", "factor_ref")
NOTES = [
    "WTW = WTT (energy provision) + TTW (operation) for every element whose factor "
    "publishes the split; hub defaults, road starting-point values and supplier factors "
    "given as WTW alone have none and are shown as 'WTW without split'.",
    "Road and container trade-lane defaults already include the distance uplift; "
    "no distance adjustment factor is added on top of them (GLEC pp.98, 117).",
    "Radiative forcing of aviation is excluded (GLEC p.36).",
]


def rollup(results: Any, by: tuple[str, ...] = ()) -> nw.LazyFrame:
    """Result rows summed by the report's keys (and ``by``, e.g. month): its only input.

    A yearly report built from monthly rollups equals the one built from the detail rows,
    so the detail never has to be in one process.

    Parameters
    ----------
    results
        A results frame of :func:`greenlane.emissions.calculate` (any backend).
    by
        Extra keys to keep (``month``).

    Returns
    -------
    nw.LazyFrame
        The sums by mode, category, data category, lane and hub.

    """
    frame = _with_helpers(results)
    sums = [nw.col(src).sum().alias(name) for name, src in SUMS.items()]
    return frame.group_by(*by, *KEYS).agg(*sums, nw.len().alias("tces"))


def _sums(rollups: nw.LazyFrame, by: list[str]) -> list[dict[str, Any]]:
    """Sums of emissions, activity and element counts grouped by ``by``, largest first."""
    aggs = [nw.col(name).sum() for name in (*SUMS, "tces")]
    grouped = rollups.group_by(*by).agg(*aggs) if by else rollups.select(*aggs)
    rows = collect(grouped).rows(named=True)
    return sorted(rows, key=lambda r: -(r["co2e_wtw_kg"] or 0.0))


def _with_helpers(results: Any) -> nw.LazyFrame:
    frame = nw.from_native(results).lazy()
    unsplit = nw.col("co2e_wtt_kg").is_null() | nw.col("co2e_ttw_kg").is_null()
    return frame.with_columns(
        (nw.col("mass_kg") / 1000).alias("__mass_t"),
        nw.when(unsplit).then(nw.col("co2e_wtw_kg")).otherwise(nw.lit(0.0)).alias("__unsplit"),
    )


def _intensity(row: dict[str, Any], activity: str, per: float = 1.0) -> float | None:
    """WTW per unit of activity, times ``per`` (1000 gives g from kg); None without activity."""
    value = row.get(activity) or 0.0
    return per * row["co2e_wtw_kg"] / value if value > 0 else None


def build_report(
    results: Any, *, scope: str = "all shippers", pack: str = "", shipper_id: str | None = None
) -> dict[str, Any]:
    """The report model as plain data (JSON-ready).

    Parameters
    ----------
    results
        Result frame of :func:`greenlane.emissions.calculate` (any backend).
    scope
        What the report covers, printed in its title.
    pack
        Name of the factor pack used for default data.
    shipper_id
        Report for one shipper only.

    Returns
    -------
    dict
        Totals, breakdowns, data-category shares, top shipments and notes.

    References
    ----------
    ISO 14083:2023, clause 13 (reporting); GLEC Framework v3.0, pp.56-64.

    """
    frame = nw.from_native(results).lazy()
    if shipper_id is not None:
        frame = frame.filter(nw.col("shipper_id") == shipper_id)
        scope = f"shipper {shipper_id}"
    shipments = (
        _with_helpers(frame)
        .group_by("shipment_id")
        .agg(*(nw.col(src).sum().alias(name) for name, src in SUMS.items()), nw.len().alias("tces"))
    )
    top = collect(shipments.sort("co2e_wtw_kg", descending=True).head(20)).rows(named=True)
    count = collect(frame.select(nw.col("shipment_id").n_unique())).item()
    return report_from_rollups(rollup(frame), count, top, scope=scope, pack=pack)


def report_from_rollups(
    rollups: Any,
    shipments: int,
    top_shipments: list[dict[str, Any]],
    *,
    scope: str = "all shippers",
    pack: str = "",
    notes: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The report model from rollups (:func:`rollup`, any extra keys summed away).

    Parameters
    ----------
    rollups
        The rollup rows.
    shipments
        How many shipments the rollups cover.
    top_shipments
        The shipments with the most CO2e, with their sums.
    scope
        What the report covers.
    pack
        The factor pack's name.
    notes
        Notes on the data to print.

    Returns
    -------
    dict
        The report model, as :func:`build_report` gives it.

    References
    ----------
    ISO 14083:2023, clause 13 (reporting); GLEC Framework v3.0, pp.56-64.

    """
    frame = nw.from_native(rollups).lazy()
    total = _sums(frame, [])[0]
    transport = frame.filter(nw.col("kind") == "transport")
    modes = _sums(transport, ["mode", "distance_type"])
    for row in modes:
        row["intensity_wtw_g_per_tkm"] = _intensity(row, "transport_activity_tkm", 1000)
    hub_rows = _sums(frame.filter(nw.col("kind") == "hub"), ["hoc_id"])
    for row in hub_rows:
        row["intensity_wtw_kg_per_t"] = _intensity(row, "mass_t")
    transport_total = _sums(transport, [])[0]
    data_types = _sums(frame, ["data_type"])
    wtw = total["co2e_wtw_kg"] or 0.0
    for row in data_types:
        row["share_of_wtw"] = (row["co2e_wtw_kg"] or 0.0) / wtw if wtw else None
    return {
        "title": "GHG emissions of transport chains (ISO 14083:2023)",
        "scope": scope,
        "factor_pack": pack,
        "shipments": shipments,
        "totals": total,
        "transport": {
            **transport_total,
            "intensity_wtw_g_per_tkm": _intensity(transport_total, "transport_activity_tkm", 1000),
        },
        "by_mode": modes,
        "by_hub": hub_rows,
        "by_shipper": _sums(frame, ["shipper_id"])[:50],
        "top_shipments": top_shipments,
        "data_quality": data_types,
        "factor_sources": _sums(frame, ["factor_ref", "data_type"])[:40],
        "conformity": CONFORMITY,
        "notes": [*NOTES, *notes],
    }
