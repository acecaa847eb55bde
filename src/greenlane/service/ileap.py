"""Stored results as iLEAP ShipmentFootprints (the PACT extension for ISO 14083 data exchange).

Decimals are JSON strings, as iLEAP requires; a distance is a GLECDistance keyed by its type.
"""

from __future__ import annotations

from typing import Any

import polars as pl


def _decimal(value: float | None) -> str | None:
    return None if value is None else repr(float(value))


def _tce(row: dict[str, Any]) -> dict[str, Any]:
    """One TCE in iLEAP's field names; only the fields greenlane knows are given."""
    distance_type = row.get("distance_type") or "sfd"
    tce: dict[str, Any] = {
        "tceId": row["tce_id"],
        "shipmentId": row["shipment_id"],
        "mass": _decimal(row["mass_kg"]),
        "co2eWTW": _decimal(row["co2e_wtw_kg"]),
        "co2eTTW": _decimal(row["co2e_ttw_kg"]),
    }
    if row["kind"] == "hub":
        tce["hocId"] = row["hoc_id"]
        return tce
    tce["tocId"] = row["toc_id"]
    tce["distance"] = {distance_type: _decimal(row["distance_km_used"])}
    tce["transportActivity"] = _decimal(row["transport_activity_tkm"])
    if row.get("departure_at"):
        tce["departureAt"] = row["departure_at"]
    return tce


def shipment_footprints(results: pl.DataFrame) -> list[dict[str, Any]]:
    """One ShipmentFootprint per (shipper, shipment), its TCEs in sequence."""
    ordered = results.sort("shipper_id", "shipment_id", "sequence", "tce_id", nulls_last=True)
    footprints: dict[tuple[str, str], dict[str, Any]] = {}
    for row in ordered.iter_rows(named=True):
        key = (row["shipper_id"], row["shipment_id"])
        footprint = footprints.setdefault(
            key, {"shipmentId": row["shipment_id"], "mass": 0.0, "tces": []}
        )
        footprint["mass"] = max(footprint["mass"], row["mass_kg"] or 0.0)
        footprint["tces"].append(_tce(row))
    for footprint in footprints.values():
        footprint["mass"] = _decimal(footprint["mass"])
    return list(footprints.values())
