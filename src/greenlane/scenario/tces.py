"""A seeded sample of transport chains over a realistic China-Europe e-commerce network.

Shipments run from Chinese origin hubs (Hangzhou, Yiwu, Shenzhen, ...) by road to a port or
airport, by sea, air or China-Europe rail to Europe, through the Liège e-Hub or a port hub,
and by road to the destination city. Codes are real IATA airports and UN/LOCODEs, so the
sample exercises great-circle distances as well as given road distances.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from greenlane.geo import great_circle_km, resolve_location

ORIGINS = ["CNHGH", "CNYIW", "CNSZX", "CNCAN", "CNWUH", "CNCTU"]
SEA_LANES = [("CNSHA", "NLRTM"), ("CNNGB", "DEHAM"), ("CNYTN", "BEANR"), ("CNSHA", "GRPIR")]
AIR_LANES = [("PVG", "LGG"), ("HGH", "LGG"), ("SZX", "LGG"), ("CAN", "FRA"), ("PVG", "AMS")]
RAIL_LANES = [("CNXIA", "DEDUI"), ("CNCKG", "DEDUI"), ("CNZGZ", "PLWAW")]
DESTINATIONS = ["FRPAR", "DEFRA", "ESMAD", "ITMIL", "PLWAW", "CZPRG", "HUBUD", "GBLON"]
ROAD_CIRCUITY = 1.25  # road SFD over great circle, a typical planning factor (documented as ours)


def _code_of(code: str) -> tuple[float, float]:
    place = resolve_location(code)
    if place is None:
        raise ValueError(f"scenario location {code!r} is not resolvable")
    return place


def _road_km(a: str, b: str) -> float:
    return great_circle_km(*_code_of(a), *_code_of(b)) * ROAD_CIRCUITY


def _chain(rng: np.random.Generator, shipment: str, year: int) -> list[dict[str, object]]:
    """The transport chain elements of one shipment, leaving on a day of ``year``."""
    mass_kg = float(np.round(rng.lognormal(mean=6.0, sigma=1.2), 1))
    origin, destination = rng.choice(ORIGINS), rng.choice(DESTINATIONS)
    main = rng.choice(["sea", "air", "rail"], p=[0.6, 0.15, 0.25])
    lanes = {"sea": SEA_LANES, "air": AIR_LANES, "rail": RAIL_LANES}[main]
    start, end = lanes[rng.integers(len(lanes))]
    reefer = rng.random() < 0.05
    toc = {
        "sea": "sea.container.trade_lane.asia_north_europe.dry",
        "air": "air.unknown.long_haul",
        "rail": "rail.eu.unknown_traction.headline",
    }[main]
    base = {
        "shipment_id": shipment,
        "shipper_id": f"shipper-{rng.integers(1, 41):02d}",
        "mass_kg": mass_kg,
        "temperature_control": "refrigerated" if reefer else "ambient",
        "departure_at": str(np.datetime64(f"{year}-01-01") + rng.integers(0, 365)),
    }
    pre_code = start if main != "air" else "CNSHA"
    legs: list[dict[str, object]] = [
        {
            "kind": "transport",
            "mode": "road",
            "toc_id": "road.eu.rigid_12_20t.diesel.average",
            "distance_km": round(_road_km(origin, pre_code), 1),
            "distance_type": "sfd",
            "operating_region": "asia",
            "origin": origin,
            "destination": pre_code,
        },
        {"kind": "hub", "hoc_id": "hub.transshipment.ambient"},
        {"kind": "transport", "mode": main, "toc_id": toc, "origin": start, "destination": end},
        {
            "kind": "hub",
            "hoc_id": "hub.storage_transshipment.ambient"
            if main != "air"
            else "hub.warehouse.ambient",
        },
        {
            "kind": "transport",
            "mode": "road",
            "toc_id": "road.eu.van_lt3p5t.electric"
            if rng.random() < 0.3
            else "road.eu.artic_le40t.diesel.average",
            "distance_km": round(_road_km(end if main != "air" else "BELGG", destination), 1),
            "distance_type": "sfd",
            "operating_region": "europe",
            "origin": end if main != "air" else "BELGG",
            "destination": destination,
        },
    ]
    return [
        {**base, **leg, "tce_id": f"{shipment}-{i}", "sequence": i}
        for i, leg in enumerate(legs, start=1)
    ]


def sample_tces(n_tces: int = 100_000, seed: int = 7, year: int = 2026) -> pl.DataFrame:
    """About ``n_tces`` TCEs (five per shipment, spread over ``year``) from a seeded generator."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for k in range(max(1, n_tces // 5)):
        rows += _chain(rng, f"SHP{seed:02d}{k:07d}", year)
    return pl.DataFrame(rows, infer_schema_length=None)
