"""A small relief network: Liège and Dubai hubs, three areas hit by an earthquake."""

from __future__ import annotations

from greenlane.relief.model import Area, Event, Hub, KitType, Network, Option

KITS = {
    "water": KitType("water", 1.0, 0.001),
    "hygiene": KitType("hygiene", 5.0, 0.02),
    "tent": KitType("tent", 40.0, 0.2),
}
AREAS = (
    Area("A1", 36.20, 36.16, 4000, priority=2),
    Area("A2", 37.00, 37.40, 6000),
    Area("A3", 36.50, 36.90, 2000),
)
AIR, ROAD = "air.freighter.long_haul", "road.eu.artic_le40t.diesel.average"


def network(air_kg: float = 40_000) -> Network:
    """Two hubs; to every area a 30 h charter and a 96 h road option."""
    hubs = (
        Hub("LGG", 50.64, 5.44, {"water": 50_000, "hygiene": 800, "tent": 100}),
        Hub("DXB", 25.25, 55.36, {"water": 20_000, "hygiene": 2000, "tent": 500}),
    )
    options = tuple(
        Option(
            f"{h.hub_id}-{a.area_id}-{mode}", h.hub_id, a.area_id, mode, toc, km, lead, cap, cost
        )
        for h in hubs
        for a in AREAS
        for mode, toc, km, lead, cap, cost in (
            ("air_charter", AIR, 3000, 30, air_kg, 3.0),
            ("road", ROAD, 3500, 96, 200_000, 0.3),
        )
    )
    return Network(KITS, hubs, options)


def quake(deadline_h: float = 72, norms: dict[str, float] | None = None) -> Event:
    """Water 45 L a person (Sphere, 3 days), a hygiene kit and a tent per five people."""
    return Event("quake", AREAS, norms or {"water": 45, "hygiene": 0.2, "tent": 0.2}, deadline_h)
