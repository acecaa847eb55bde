"""The columns of the parcel order table (docs/data-formats.md lists them)."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

STR, NUM = nw.String, nw.Float64

ORDER_COLUMNS = [
    Column("order_id", STR, "", True, "The order; unique in the file."),
    Column("merchant_id", STR, "", True, "The merchant that sells it."),
    Column("consignee_id", STR, "", True, "The buyer it goes to."),
    Column(
        "address",
        STR,
        "",
        True,
        "The delivery address (compared without case or spacing).",
        max_length=500,
    ),
    Column("country", STR, "", True, "Destination country, ISO 3166-1 alpha-2.", max_length=2),
    Column("service", STR, "", True, "Service level, e.g. standard or economy.", max_length=64),
    Column("placed_at", STR, "ISO 8601", True, "When the order was placed."),
    Column("promised_by", STR, "ISO 8601", True, "The delivery promised to the buyer."),
    Column("weight_kg", NUM, "kg", True, "Weight, > 0."),
    Column("volume_cm3", NUM, "cm3", True, "Volume, > 0."),
    Column(
        "length_cm", NUM, "cm", False, "The order's box, for the carton packer (all three or none)."
    ),
    Column("width_cm", NUM, "cm", False, "See length_cm."),
    Column("height_cm", NUM, "cm", False, "See length_cm."),
]

ROUTE_COLUMNS = [
    Column("country", STR, "", True, "Destination country, ISO 3166-1 alpha-2."),
    Column(
        "origin_hub", STR, "", True, "Consolidation hub: IATA code, UN/LOCODE or 'lat,lon'.", 64
    ),
    Column("gateway", STR, "", True, "Destination hub: IATA code, UN/LOCODE or 'lat,lon'."),
    Column("first_mile_km", NUM, "km", True, "Merchant to origin hub, by road."),
    Column("last_mile_km", NUM, "km", True, "Destination hub to the consignee, by road."),
    Column("first_mile_toc", STR, "", True, "Transport category of the first mile."),
    Column("line_haul_toc", STR, "", True, "Transport category of the consolidated line haul."),
    Column("baseline_line_haul_toc", STR, "", True, "Line haul of an order shipped alone."),
    Column("last_mile_toc", STR, "", True, "Transport category of the last mile to the door."),
    Column(
        "station_km", NUM, "km", False, "Destination hub to the post station (with station_toc)."
    ),
    Column("station_toc", STR, "", False, "Transport category of the bulk drop to post stations."),
    Column("hub_hoc", STR, "", True, "Hub category at both ends."),
    Column("transit_days", NUM, "d", True, "Door-to-door time after departure, for promises."),
    Column("cutoff", STR, "HH:MM", True, "Daily cut-off of the line haul at the origin hub (UTC)."),
]
