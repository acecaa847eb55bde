"""The route the parcel tests ship on: Shanghai to Liège by freighter, vans at both ends."""

from __future__ import annotations

from dataclasses import replace

from greenlane.parcels.chains import Route

FREIGHTER = Route(
    origin_hub="PVG",
    gateway="LGG",
    first_mile_km=40,
    last_mile_km=25,
    first_mile_toc="road.eu.van_lt3p5t.starting_point",
    line_haul_toc="air.freighter.long_haul",
    last_mile_toc="road.eu.van_lt3p5t.starting_point",
    hub_hoc="hub.transshipment.ambient",
)
BELLY = replace(FREIGHTER, line_haul_toc="air.belly.long_haul")  # each order alone, express
