"""iLEAP ShipmentFootprint JSON (PACT extension for ISO 14083 / GLEC data exchange) to TCE rows.

All iLEAP decimals are JSON strings; distances are a GLECDistance {actual, sfd, gcd}. The
transport mode is not part of an iLEAP TCE: it comes from the TOC.
"""

from __future__ import annotations

from typing import Any

DISTANCE_ORDER = ("actual", "sfd", "gcd")
TEU_TYPES = {"container-teu": 1.0, "container-feu": 2.0}


def is_ileap(document: Any) -> bool:
    """True for a ShipmentFootprint, a list of them, or a {"data": [...]} page of them."""
    items = _footprints(document)
    return bool(items) and all(
        isinstance(i, dict) and "tces" in i and "shipmentId" in i for i in items
    )


def _footprints(document: Any) -> list[Any]:
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        return list(document["data"])
    if isinstance(document, list):
        return document
    return [document]


def _location(place: Any) -> str | None:
    if not isinstance(place, dict):
        return None
    for key in ("iata", "locode", "unLocode"):
        if place.get(key):
            return str(place[key])
    if place.get("lat") is not None and place.get("lng") is not None:
        return f"{place['lat']},{place['lng']}"
    return None


def _distance(tce: dict[str, Any]) -> tuple[str | None, str | None]:
    distance = tce.get("distance") or {}
    for kind in DISTANCE_ORDER:
        if distance.get(kind) not in (None, ""):
            return str(distance[kind]), kind
    return None, None


def _teu(tce: dict[str, Any]) -> str | None:
    per_unit = TEU_TYPES.get(str(tce.get("packagingOrTrEqType", "")).lower())
    amount = tce.get("packagingOrTrEqAmount")
    return None if per_unit is None or amount in (None, "") else str(per_unit * float(amount))


def parse_ileap(document: Any) -> list[dict[str, Any]]:
    """TCE rows (all values as text, like a CSV) from iLEAP ShipmentFootprints."""
    rows = []
    for footprint in _footprints(document):
        for tce in footprint.get("tces", []):
            distance, distance_type = _distance(tce)
            hub = tce.get("hocId") not in (None, "")
            rows.append(
                {
                    "shipment_id": str(tce.get("shipmentId") or footprint.get("shipmentId")),
                    "tce_id": tce.get("tceId"),
                    "kind": "hub" if hub else "transport",
                    "mass_kg": tce.get("mass"),
                    "toc_id": tce.get("tocId"),
                    "hoc_id": tce.get("hocId"),
                    "distance_km": distance,
                    "distance_type": distance_type,
                    "origin": _location(tce.get("origin")),
                    "destination": _location(tce.get("destination")),
                    "teu": _teu(tce),
                    "departure_at": tce.get("departureAt"),
                }
            )
    return rows
