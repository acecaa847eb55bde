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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from greenlane.errors import FieldError
from greenlane.parcels.merge import Shipment

CHAIN_SCHEMA = {  # the TCE columns of a chain, typed up front (no inference pass)
    "shipment_id": pl.String,
    "tce_id": pl.String,
    "kind": pl.String,
    "mass_kg": pl.Float64,
    "toc_id": pl.String,
    "hoc_id": pl.String,
    "distance_km": pl.Float64,
    "origin": pl.String,
    "destination": pl.String,
    "sequence": pl.Int64,
}


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
    origin_hoc: str | None = None  # the origin hub's own HOC, where it is not ``hub_hoc``

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

    def last_leg(self, to: str) -> tuple[float, str]:
        """The last mile's distance and transport category, to the ``door`` or a ``station``."""
        if to == "door":
            return self.last_mile_km, self.last_mile_toc
        if to == "station" and self.station_km is not None and self.station_toc is not None:
            return self.station_km, self.station_toc
        raise ValueError(f"last mile must be 'door' or, where the route has one, 'station': {to!r}")


Chain = tuple[str, Shipment, Route, float]  # a parcel's id, its orders, its route, packaging kg


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
    distance, toc = route.last_leg(to)
    return {
        "shipment_id": parcel_id,
        "tce_id": f"{parcel_id}-lm",
        "kind": "transport",
        "mass_kg": mass_kg,
        "toc_id": toc,
        "distance_km": distance,
        "sequence": 5,
    }


def chain_frame(chains: Sequence[Chain], last_mile: str = "door") -> pl.DataFrame:
    """The TCE rows of outbound parcels (``shipment_id`` is the parcel), parcel after parcel.

    A parcel's orders travel the first mile on their own (each its weight); from the origin
    hub on, the parcel's mass is its orders' weight plus its packaging: the origin hub, the
    line haul to the gateway, the gateway hub and the last mile. Built as columns, with one
    row a route rather than a parcel made in Python (a day holds millions of these rows).

    Parameters
    ----------
    chains
        Each parcel's id, orders, route and packaging kg.
    last_mile
        ``door`` or ``station``.

    Returns
    -------
    polars.DataFrame
        The chains' TCE rows in :data:`CHAIN_SCHEMA`: a parcel's first miles in its orders'
        order, then its hubs, line haul and last mile.

    References
    ----------
    ISO 14083:2023, 12.1 (a chain's total over its elements); GLEC Framework v3.0, Module 4,
    pp.103-123.

    """
    routes: dict[Route, int] = {}
    parcel_ids, masses, route_of = [], [], []
    legs_of, order_ids, order_kg = [], [], []
    for n, (parcel_id, shipment, route, packaging_kg) in enumerate(chains):
        parcel_ids.append(parcel_id)
        masses.append(shipment.weight_kg + packaging_kg)
        route_of.append(routes.setdefault(route, len(routes)))
        for order in shipment.orders:
            legs_of.append(n)
            order_ids.append(order.order_id)
            order_kg.append(order.weight_kg)
    legs = [(r, *r.last_leg(last_mile)) for r in routes]
    by_route = pl.DataFrame(
        {
            "first_mile_toc": [r.first_mile_toc for r, _, _ in legs],
            "first_mile_km": [r.first_mile_km for r, _, _ in legs],
            "origin_hoc": [r.origin_hoc or r.hub_hoc for r, _, _ in legs],
            "hub_hoc": [r.hub_hoc for r, _, _ in legs],
            "line_haul_toc": [r.line_haul_toc for r, _, _ in legs],
            "origin": [r.origin_hub for r, _, _ in legs],
            "destination": [r.gateway for r, _, _ in legs],
            "last_km": [km for _, km, _ in legs],
            "last_toc": [toc for _, _, toc in legs],
        },
        schema_overrides={"first_mile_km": pl.Float64, "last_km": pl.Float64},
    )
    parcels = pl.DataFrame(
        {"shipment_id": parcel_ids, "mass_kg": masses},
        schema={"shipment_id": pl.String, "mass_kg": pl.Float64},
    ).with_columns(by_route[route_of], n=pl.int_range(pl.len(), dtype=pl.Int64))
    first_miles = parcels[legs_of].with_columns(
        pl.Series("order_id", order_ids, pl.String), pl.Series("mass_kg", order_kg, pl.Float64)
    )
    parts = [
        _elements(first_miles, "-fm-", "transport", 1, toc="first_mile_toc", km="first_mile_km"),
        _elements(parcels, "-hub-origin", "hub", 2, hoc="origin_hoc"),
        _elements(parcels, "-lh", "transport", 3, toc="line_haul_toc", lane=True),
        _elements(parcels, "-hub-gateway", "hub", 4, hoc="hub_hoc"),
        _elements(parcels, "-lm", "transport", 5, toc="last_toc", km="last_km"),
    ]
    return pl.concat(parts).sort("n", "sequence", maintain_order=True).drop("n")


def _elements(
    frame: pl.DataFrame,
    suffix: str,
    kind: str,
    sequence: int,
    toc: str | None = None,
    hoc: str | None = None,
    km: str | None = None,
    lane: bool = False,
) -> pl.DataFrame:
    """One element of every chain in ``frame``: its TCE rows in :data:`CHAIN_SCHEMA`, and ``n``."""
    ids = [pl.col("shipment_id"), pl.lit(suffix)]
    ids += [pl.col("order_id")] if "order_id" in frame.columns else []

    def column(name: str | None, dtype: type[pl.DataType]) -> pl.Expr:
        return pl.lit(None, dtype) if name is None else pl.col(name).cast(dtype)

    return frame.select(
        "shipment_id",
        pl.concat_str(ids).alias("tce_id"),
        pl.lit(kind).alias("kind"),
        "mass_kg",
        column(toc, pl.String).alias("toc_id"),
        column(hoc, pl.String).alias("hoc_id"),
        column(km, pl.Float64).alias("distance_km"),
        column("origin" if lane else None, pl.String).alias("origin"),
        column("destination" if lane else None, pl.String).alias("destination"),
        pl.lit(sequence, pl.Int64).alias("sequence"),
        "n",
    )
