"""Transport chains of parcels as TCEs, so the emissions engine prices plans and baselines alike.

A consolidated parcel's chain: each of its orders' first mile (merchant to the origin hub, by
road), the origin hub, the line haul to the destination gateway, the gateway hub, and the last
mile. The baseline ships each order alone and directly: first mile to the departure airport,
the line haul booked as express, the last mile. Which transport and hub category each element
uses is stated in a :class:`Route`, never assumed.

The last mile goes to the door (a van calling at each address) or to a post station (a bulk
drop that the consignee collects from). The consignee's own trip to the station is not freight
transport and stays outside ISO 14083's scope, so it is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from greenlane.errors import FieldError
from greenlane.parcels.merge import Shipment


@dataclass(frozen=True, slots=True)
class Route:
    """How parcels for one country travel: locations, distances and the category of each leg."""

    origin_hub: str  # IATA code, UN/LOCODE or 'lat,lon'
    gateway: str
    first_mile_km: float
    last_mile_km: float
    first_mile_toc: str
    line_haul_toc: str
    last_mile_toc: str
    hub_hoc: str
    station_km: float | None = None  # destination hub to the post station
    station_toc: str | None = None  # the bulk drop run to post stations

    def __post_init__(self) -> None:
        """Refuse distances that cannot be driven, and half a post-station option."""
        if not (self.first_mile_km >= 0 and self.last_mile_km >= 0):
            raise ValueError("first_mile_km and last_mile_km must be >= 0")
        if (self.station_km is None) != (self.station_toc is None):
            raise ValueError("station_km and station_toc go together")
        if self.station_km is not None and not self.station_km >= 0:
            raise FieldError("station_km", "must be >= 0")

    @property
    def has_station(self) -> bool:
        """Whether post-station delivery is an option on this route."""
        return self.station_km is not None


def last_mile_tce(parcel_id: str, mass_kg: float, route: Route, to: str = "door") -> dict[str, Any]:
    """The last-mile TCE of a parcel, to the ``door`` or to a post ``station``.

    Parameters
    ----------
    parcel_id
        The parcel (its shipment id).
    mass_kg
        The parcel's mass.
    route
        Its route (the last mile's distance and vehicle category).
    to
        ``door`` or ``station``.

    Returns
    -------
    dict
        The TCE row.

    References
    ----------
    ISO 14083:2023, 5.4.2 (tonne-km of a transport chain element); GLEC Framework v3.0,
    Module 4, pp.103-123 (worked examples, among them a parcel chain).

    """
    distance: float | None
    toc: str | None
    if to == "door":
        distance, toc = route.last_mile_km, route.last_mile_toc
    elif to == "station" and route.has_station:
        distance, toc = route.station_km, route.station_toc
    else:
        raise ValueError(f"last mile must be 'door' or, where the route has one, 'station': {to!r}")
    return _transport(f"{parcel_id}-lm", parcel_id, mass_kg, str(toc)) | {
        "distance_km": distance,
        "sequence": 5,
    }


def parcel_tces(
    parcel_id: str,
    shipment: Shipment,
    route: Route,
    packaging_kg: float = 0.0,
    last_mile: str = "door",
) -> list[dict[str, Any]]:
    """The TCE rows of one outbound parcel (``shipment_id`` is the parcel).

    Its orders travel the first mile on their own (each its weight); from the origin hub on,
    the parcel's mass is its orders' weight plus its packaging.

    Parameters
    ----------
    parcel_id
        The parcel.
    shipment
        Its orders.
    route
        Its route (first mile, hubs, line haul, last mile).
    packaging_kg
        The parcel's packaging.
    last_mile
        ``door`` or ``station``.

    Returns
    -------
    list of dict
        The chain's TCE rows, transport and hub.

    References
    ----------
    ISO 14083:2023, 12.1 (a chain's total over its elements); GLEC Framework v3.0, Module 4,
    pp.103-123.

    """
    mass = shipment.weight_kg + packaging_kg
    rows = [
        _transport(f"{parcel_id}-fm-{o.order_id}", parcel_id, o.weight_kg, route.first_mile_toc)
        | {"distance_km": route.first_mile_km, "sequence": 1}
        for o in shipment.orders
    ]
    rows += [
        _hub(f"{parcel_id}-hub-origin", parcel_id, mass, route.hub_hoc) | {"sequence": 2},
        _transport(f"{parcel_id}-lh", parcel_id, mass, route.line_haul_toc)
        | {"origin": route.origin_hub, "destination": route.gateway, "sequence": 3},
        _hub(f"{parcel_id}-hub-gateway", parcel_id, mass, route.hub_hoc) | {"sequence": 4},
        last_mile_tce(parcel_id, mass, route, last_mile),
    ]
    return rows


def _transport(tce_id: str, shipment_id: str, mass_kg: float, toc_id: str) -> dict[str, Any]:
    return {
        "shipment_id": shipment_id,
        "tce_id": tce_id,
        "kind": "transport",
        "mass_kg": mass_kg,
        "toc_id": toc_id,
    }


def _hub(tce_id: str, shipment_id: str, mass_kg: float, hoc_id: str) -> dict[str, Any]:
    return {
        "shipment_id": shipment_id,
        "tce_id": tce_id,
        "kind": "hub",
        "mass_kg": mass_kg,
        "hoc_id": hoc_id,
    }
