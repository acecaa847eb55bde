"""The fixed part of the synthetic world: hubs, routes, cartons, the last-mile city, the park.

Shaped like Cainiao's cross-border network: merchants around Hangzhou, Yiwu and Shenzhen ship
to Europe through origin hubs; Liège (LGG) is the European e-Hub, where the last mile is
planned vehicle by vehicle: electric and diesel vans, a hydrogen and a diesel truck, cargo
bikes, and robots based at the campus post station of Sart-Tilman (100 km on a charge, like
Cainiao's Xiaomanlv). Other countries' destination hubs are their main cargo airports;
Poland's is Warsaw, by China-Europe rail from Yiwu. Locations are real IATA codes and
coordinates; distances and energy figures are planning values chosen by us (documented in
docs/scenario.md), not measured data.
"""

from __future__ import annotations

from typing import Any

# country: (share of orders, origin hub, gateway, first-mile km, line-haul TOC, transit days)
COUNTRIES: dict[str, tuple[float, str, str, float, str, float]] = {
    "BE": (0.14, "HGH", "LGG", 180, "air.freighter.long_haul", 4),
    "NL": (0.12, "HGH", "AMS", 180, "air.freighter.long_haul", 5),
    "DE": (0.20, "HGH", "FRA", 180, "air.freighter.long_haul", 5),
    "FR": (0.18, "SZX", "CDG", 60, "air.freighter.long_haul", 5),
    "ES": (0.12, "SZX", "MAD", 60, "air.freighter.long_haul", 6),
    "IT": (0.10, "SZX", "MXP", 60, "air.freighter.long_haul", 6),
    "PL": (0.09, "CNYIW", "WAW", 30, "rail.eu.electric.container", 18),
    "HU": (0.05, "HGH", "BUD", 180, "air.freighter.long_haul", 6),
}
ROUTED = "BE"  # the country whose last mile the routing module plans (from Liège)
CITY_OF = {
    "BE": "Liège",
    "NL": "Amsterdam",
    "DE": "Frankfurt",
    "FR": "Paris",
    "ES": "Madrid",
    "IT": "Milano",
    "PL": "Warszawa",
    "HU": "Budapest",
}
VAN = "road.eu.van_lt3p5t.diesel"
STATION_RUN = "road.eu.rigid_3p5_7p5t.diesel.average"
CUTOFF = "18:00"
LIEGE = (50.6326, 5.5797)  # city centre; the consignees of the routed country live around it


def route_rows() -> list[dict[str, Any]]:
    """One route per destination country (the parcels module's routes file).

    The routed country's last mile is 0 km here: its parcels are delivered by the routing
    module's vehicles, whose TCEs are priced from their own energy (no double count).
    """
    rows = []
    for country, (_, origin, gateway, first_km, line_haul, days) in COUNTRIES.items():
        station = country in ("FR", "DE", "NL")  # where post stations take parcels in bulk
        rows.append(
            {
                "country": country,
                "origin_hub": origin,
                "gateway": gateway,
                "first_mile_km": first_km,
                "last_mile_km": 0.0 if country == ROUTED else 28.0,
                "first_mile_toc": VAN,
                "line_haul_toc": line_haul,
                "baseline_line_haul_toc": "air.belly.long_haul",
                "last_mile_toc": VAN,
                "station_km": 12.0 if station else None,
                "station_toc": STATION_RUN if station else None,
                "hub_hoc": "hub.transshipment.ambient",
                "transit_days": days,
                "cutoff": CUTOFF,
            }
        )
    return rows


STANDARD_CARTON = "L1"  # what a warehouse without carton selection packs every order in


def carton_rows() -> list[dict[str, Any]]:
    """The carton catalogue (inner sizes, cm; FEFCO 0201 board by grammage)."""
    sizes = [
        ("S1", 20, 15, 8, 5, 380),
        ("S2", 25, 20, 10, 8, 380),
        ("M1", 30, 25, 15, 15, 440),
        ("M2", 40, 30, 20, 20, 440),
        ("L1", 50, 40, 30, 25, 540),
        ("XL", 60, 50, 40, 30, 640),
    ]
    return [
        {"carton_id": c, "length_cm": length, "width_cm": w, "height_cm": h,
         "max_weight_kg": kg, "board_gsm": gsm, "cost": round(0.2 + length * w * h / 1e5, 2)}
        for c, length, w, h, kg, gsm in sizes
    ]  # fmt: skip


DEPOT = ("LGG-DC", 50.6375, 5.4432)  # the e-Hub's delivery centre at the airport
CHARGERS = [
    ("CHG-ROCOURT", 50.6720, 5.5470),
    ("CHG-ANGLEUR", 50.6130, 5.5960),
]
STATIONS = [
    ("PS-SART-TILMAN", 50.5820, 5.5650),  # the university campus: robots are based here
    ("PS-CENTRE", 50.6410, 5.5710),
    ("PS-OUTREMEUSE", 50.6390, 5.5890),
    ("PS-HERSTAL", 50.6650, 5.6240),
]


def site_rows() -> list[dict[str, Any]]:
    """The depot, chargers and post stations of the routed city (routing places file)."""
    return [
        {"place_id": p, "kind": kind, "lat": lat, "lon": lon}
        for kind, places in (("depot", [DEPOT]), ("charger", CHARGERS), ("post_station", STATIONS))
        for p, lat, lon in places
    ]


AREAS = {"campus-robot": 2.5}  # road km from the post station: the robots stay on the campus


def fleet_rows(scale: int = 1) -> list[dict[str, Any]]:
    """The routed city's mixed fleet (energy per km empty and full, in the carrier's unit).

    ``scale`` times the demo's vehicles of each type, for a day ``scale`` times as large.
    """
    depot, campus = DEPOT[0], STATIONS[0][0]
    rows = [
        ("ev-van", "battery_electric", 900, 9, 0.19, 0.26, 35, 0.10, 22, depot, 12, 180, 50, "van"),
        ("diesel-van", "diesel", 1000, 10, 0.085, 0.115, 30, 0.32, 22, depot, 6, None, None, "van"),
        ("h2-truck", "hydrogen_fuel_cell", 3000, 30, 0.07, 0.10, 60, 0.45, 24, depot, 1, None,
         None, "truck"),
        ("diesel-truck", "diesel", 3000, 30, 0.14, 0.20, 55, 0.40, 24, depot, 1, None, None,
         "truck"),
        ("cargo-bike", "e_cargo_bike", 120, 1.2, 0.012, 0.02, 8, 0.02, 18, depot, 6, 60, 0.5, None),
        ("campus-robot", "campus_robot", 25, 0.2, 0.025, 0.035, 2, 0.01, 1, campus, 4, 100, 1.0,
         None),
    ]  # fmt: skip
    speeds = {"ev-van": 28, "diesel-van": 28, "h2-truck": 25, "diesel-truck": 25, "cargo-bike": 15,
              "campus-robot": 5}  # fmt: skip
    return [
        {"type_id": t, "carrier": c, "capacity_kg": kg, "capacity_m3": m3,
         "energy_per_km_empty": e0, "energy_per_km_full": e1, "fixed_cost": fixed,
         "cost_per_km": per_km, "cost_per_hour": per_h, "depot": d, "shift_start_h": 7.0,
         "shift_end_h": 20.0, "available": n * scale, "speed_kmh": speeds[t], "range_km": rng,
         "charge_kw": kw, "group": g, "region": "EU", "service_radius_km": AREAS.get(t)}
        for t, c, kg, m3, e0, e1, fixed, per_km, per_h, d, n, rng, kw, g in rows
    ]  # fmt: skip


# Line-haul carriers that report their fuel per lane (a month: fuel burnt, tonne-km flown at
# great-circle distance, all their customers' freight): primary data for those lanes' TOCs.
# Synthetic figures in the range of a long-haul freighter (0.15 kg kerosene per tkm).
CARRIER_REPORTS = {  # (origin hub, gateway): (carrier, month's tkm, kg of jet kerosene per tkm)
    ("HGH", "LGG"): ("skybridge-cargo", 18_330_000.0, 0.150),
    ("HGH", "FRA"): ("rheinair-freight", 19_440_000.0, 0.155),
}
PICKUP_L_PER_TKM = 0.22  # the first-mile vans' diesel per tonne-km (receipts scatter around it)


def carrier_fuel_rows() -> list[dict[str, Any]]:
    """Each reporting carrier's month on its lane as a TOC energy row (primary data)."""
    return [
        {"toc_id": f"carrier.{carrier}.{origin}-{gateway}", "origin": origin,
         "destination": gateway, "mode": "air", "source": "jet_kerosene",
         "quantity": round(tkm * kg_per_tkm, 1), "unit": "kg", "region": "EU",
         "transport_activity_tkm": tkm, "distance_type": "gcd", "data_type": "primary"}
        for (origin, gateway), (carrier, tkm, kg_per_tkm) in CARRIER_REPORTS.items()
    ]  # fmt: skip


def park_document() -> dict[str, Any]:
    """The Hangzhou logistics park: rooftop PV, a battery, the sorting load, vans charging."""
    load = [420.0 if 8 <= h < 22 else 260.0 for h in range(24)]
    tariff = [0.38 if 8 <= h < 22 else 0.16 for h in range(24)]  # CNY/kWh, peak and valley
    return {
        "park_id": "hangzhou-park",
        "hub": "HGH",  # the origin hub whose handling the park's electricity serves
        "handled_t_per_day": 3000.0,  # every customer's tonnes: ~0.7 kg CO2e/t from the grid
        "refrigerants": [{"gas": "R-410A", "kg_per_year": 36.0}],  # the halls' air conditioning
        "lat": 30.27,
        "lon": 120.43,
        "utc_offset_h": 8,
        "arrays": [{"kwp": 3200, "tilt": 20, "azimuth": 180, "losses_pct": 14.08}],
        "battery": {"kwh": 2000, "kw": 500},
        "load_kw_profile": load,
        "tariff_by_hour": tariff,
        "grid_ef": 0.5366,
        "grid_ef_source": "China MEE 2022 national grid average, kg CO2/kWh (CO2 only)",
        "region": "CN",
        "sessions": [_session(n) for n in range(1, 13)],
        "import_kw": 2500,
        "export_kw": 800,
        "feed_in": 0.04,
        "weather": "clearsky",
    }


def _session(n: int) -> dict[str, Any]:
    """Van n charges overnight at the park: back at 19:00, out at 06:00, 55 kWh."""
    return {
        "vehicle": f"van{n:02d}",
        "arrive_hour": 19,
        "leave_hour": 6,
        "kwh": 55,
        "charger_kw": 22,
    }
