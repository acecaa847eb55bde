"""The columns of the routing tables (docs/data-formats.md lists them)."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

STR, NUM, INT = nw.String, nw.Float64, nw.Int64

PLACE_COLUMNS = [
    Column("place_id", STR, "", True, "A stop, depot, charger or post station; unique."),
    Column("kind", STR, "", False, "stop (default), depot, charger or post_station."),
    Column("lat", NUM, "deg", True, "Latitude, WGS84."),
    Column("lon", NUM, "deg", True, "Longitude, WGS84."),
    Column("demand_kg", NUM, "kg", False, "Stops: what is delivered, > 0."),
    Column("demand_m3", NUM, "m3", False, "Stops: its volume (default 0)."),
    Column("service_min", NUM, "min", False, "Stops: time spent there (default 0)."),
    Column(
        "ready_h", NUM, "h", False, "Stops: time window opens, hours after midnight (default 0)."
    ),
    Column("due_h", NUM, "h", False, "Stops: latest start of service (default 24)."),
    Column("shipper_id", STR, "", False, "Stops: whose delivery it is (for the ISO 14083 report)."),
    Column(
        "stop_kind", STR, "", False, "Stops: campus, locker ... (vehicle types may be limited)."
    ),
]

FLEET_COLUMNS = [
    Column("type_id", STR, "", True, "The vehicle type; unique."),
    Column(
        "carrier",
        STR,
        "",
        True,
        "diesel, battery_electric, hydrogen_fuel_cell, e_cargo_bike or campus_robot.",
    ),
    Column("capacity_kg", NUM, "kg", True, "Payload, > 0."),
    Column("capacity_m3", NUM, "m3", True, "Load space, > 0."),
    Column(
        "energy_per_km_empty", NUM, "unit/km", True, "l diesel, kWh or kg hydrogen per km, empty."
    ),
    Column("energy_per_km_full", NUM, "unit/km", True, "The same fully loaded (>= empty)."),
    Column("fixed_cost", NUM, "", True, "Cost of using one vehicle for the day."),
    Column("cost_per_km", NUM, "1/km", True, "Cost per km driven (energy, wear)."),
    Column("cost_per_hour", NUM, "1/h", True, "Cost per hour on the road (driver)."),
    Column("depot", STR, "", True, "place_id of its depot (or post station, for robots)."),
    Column("shift_start_h", NUM, "h", True, "Shift start, hours after midnight."),
    Column("shift_end_h", NUM, "h", True, "Shift end (back at the depot by then)."),
    Column("available", INT, "", True, "How many there are."),
    Column("speed_kmh", NUM, "km/h", True, "Average speed on the road network."),
    Column("range_km", NUM, "km", False, "Battery vehicles: distance on a full charge."),
    Column("charge_kw", NUM, "kW", False, "Battery vehicles: charging power at a charger."),
    Column("group", STR, "", False, "Types that replace each other in fleet-mix comparisons."),
    Column("region", STR, "", False, "Region of the energy factor (default EU)."),
    Column("service_radius_km", NUM, "km", False, "Delivers only within this road distance."),
    Column("stop_kinds", STR, "", False, "Serves only these stop kinds, ';'-separated."),
]
