"""The disaster of the week: a flash flood around Zhengzhou, and the relief network that answers.

Three hubs hold relief stock (Zhengzhou airport, Wuhan, Hangzhou); each can reach each
affected area by road, Wuhan also by rail and Hangzhou by air charter. Norms follow Sphere
(15 L of water a person a day for three days, three rations a day, a hygiene kit and a tent
per five people). The response must arrive within 72 hours of the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from greenlane.geo import great_circle_km

HUBS = {  # hub: (lat, lon, stock by kit)
    "CGO": (34.5197, 113.8410, {"water": 120_000, "food": 30_000, "hygiene": 600, "tent": 500}),
    "WUH": (30.7838, 114.2081, {"water": 300_000, "food": 90_000, "hygiene": 2_000, "tent": 1_200}),
    "HGH": (30.2295, 120.4340, {"water": 260_000, "food": 70_000, "hygiene": 2_500, "tent": 1_500}),
}
AREAS = [  # area: (lat, lon, population, priority)
    ("xinmi", 34.5390, 113.3900, 3_200, 2),
    ("gongyi", 34.7480, 113.0220, 2_600, 1),
    ("xingyang", 34.7870, 113.3830, 2_100, 1),
    ("dengfeng", 34.4530, 113.0500, 1_800, 2),
    ("zhongmu", 34.7190, 113.9760, 1_500, 1),
]
KITS = [
    {"kit_id": "water", "weight_kg": 1.0, "volume_m3": 0.001},
    {"kit_id": "food", "weight_kg": 0.6, "volume_m3": 0.0012},
    {"kit_id": "hygiene", "weight_kg": 2.5, "volume_m3": 0.012},
    {"kit_id": "tent", "weight_kg": 16.0, "volume_m3": 0.09},
]
ROAD = "road.eu.artic_le40t.diesel.average"


def event_document(starts_at: datetime) -> dict[str, Any]:
    """The flood: affected areas, their people, Sphere norms, the 72-hour deadline."""
    return {
        "event_id": f"flood-zhengzhou-{starts_at:%Y%m%d}",
        "starts_at": starts_at.isoformat() + "Z",
        "deadline_h": 72,
        "norms": {"water": 45, "food": 9, "hygiene": 0.2, "tent": 0.2},
        "areas": [
            {"area_id": a, "lat": lat, "lon": lon, "population": people, "priority": p}
            for a, lat, lon, people, p in AREAS
        ],
    }


def network_document() -> dict[str, Any]:
    """Kits, hubs with their stock, and every hub-to-area option with lead time and capacity."""
    options = []
    for hub, (hlat, hlon, _) in HUBS.items():
        for area, alat, alon, _, _ in AREAS:
            km = great_circle_km(hlat, hlon, alat, alon) * 1.3
            options.append(_option(hub, area, "road", ROAD, km, 4 + km / 55, 120_000, 0.35))
            if hub == "WUH":
                options.append(
                    _option(hub, area, "rail", "rail.eu.diesel.container", km, 30, 200_000, 0.15)
                )
            if hub == "HGH":
                options.append(
                    _option(
                        hub, area, "air_charter", "air.freighter.short_haul", km / 1.3, 20,
                        40_000, 3.0,
                    )
                )  # fmt: skip
    return {
        "kits": KITS,
        "hubs": [
            {"hub_id": h, "lat": lat, "lon": lon, "stock": stock}
            for h, (lat, lon, stock) in HUBS.items()
        ],
        "options": options,
    }


def _option(
    hub: str, area: str, mode: str, toc: str, km: float, lead_h: float, kg: float, cost: float
) -> dict[str, Any]:
    return {
        "option_id": f"{hub}-{area}-{mode}",
        "hub_id": hub,
        "area_id": area,
        "mode": mode,
        "toc_id": toc,
        "distance_km": round(km, 1),
        "lead_h": round(lead_h, 1),
        "capacity_kg": kg,
        "cost_per_kg": cost,
    }
