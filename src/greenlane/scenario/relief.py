"""The disaster of the week: a flash flood around Zhengzhou, and the relief network that answers.

Three hubs hold relief stock (Zhengzhou airport, Wuhan, Hangzhou); each can reach each
affected area by road, Wuhan also by rail and Hangzhou by air charter. Norms follow Sphere
(15 L of water a person a day for three days, three rations a day, a hygiene kit and a tent
per five people). The response must arrive within 72 hours of the event. The hygiene kits
at Hangzhou are packed and tagged (RFID, EPCIS aggregations) the day before; a few miss an
item, and the kit check holds them back from dispatch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np

from greenlane.geo import great_circle_km
from greenlane.gs1 import gtin_of

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


KIT_PREFIX = "6901234"  # a GS1 China company prefix (690-699) for the kits and their items
HYGIENE_KIT = "000001"
HYGIENE_ITEMS = {"000011": 2, "000012": 1, "000013": 1, "000014": 1}  # soap x2, brush, paste, towel
PACKED_AT = "HGH"  # the hub where the hygiene kits are packed and tagged


def sgtin(item_reference: str, serial: int) -> str:
    """An SGTIN EPC URI of the kit company prefix."""
    return f"urn:epc:id:sgtin:{KIT_PREFIX}.{item_reference}.{serial}"


def kit_events(
    rng: np.random.Generator, kits: int, faulty: int, packed: datetime
) -> list[dict[str, Any]]:
    """Hygiene kits packed at the hub, tag by tag; ``faulty`` of them miss one item."""
    wrong = set(rng.choice(kits, size=faulty, replace=False).tolist()) if faulty else set()
    events = []
    for n in range(kits):
        children = [
            sgtin(item, n * 10 + k) for item, count in HYGIENE_ITEMS.items() for k in range(count)
        ]
        if n in wrong:
            children.pop(int(rng.integers(len(children))))
        at = packed + timedelta(seconds=20 * n)
        events.append(
            {"type": "AggregationEvent", "eventTime": at.isoformat() + "Z",
             "eventTimeZoneOffset": "+08:00", "parentID": sgtin(HYGIENE_KIT, n + 1),
             "childEPCs": children, "action": "ADD", "bizStep": "packing",
             "readPoint": {"id": f"urn:epc:id:sgln:{KIT_PREFIX}.00001.0"}}
        )  # fmt: skip
    return events


def bom_rows() -> list[dict[str, Any]]:
    """The hygiene kit's bill of materials, by GTIN."""
    kit = gtin_of(sgtin(HYGIENE_KIT, 1))
    return [
        {"kit_type": kit, "item": gtin_of(sgtin(item, 1)), "quantity": count}
        for item, count in HYGIENE_ITEMS.items()
    ]


def kit_types() -> dict[str, str]:
    """The relief kit type each tagged kit GTIN is."""
    return {str(gtin_of(sgtin(HYGIENE_KIT, 1))): "hygiene"}
