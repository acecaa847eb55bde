"""Write a seeded world as the files a user would bring, so the pipeline reads them for real.

``DIR/scenario.json`` lists the days and every file; the same seed gives the same files.
A day's orders, items and addresses are CSV, or Parquet (``tables="parquet"``) for large
days, where CSV is slow to write and read. The routed city's fleet grows with the orders:
its demo size for every 2,000 orders a day.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
import polars as pl

from greenlane.io import read_columns, write_table, write_text
from greenlane.scenario import demand, events, ledger, network, relief

FIRST_DAY = date(2026, 11, 16)  # a Monday; fixed so that a seed always gives the same world
ORGANIZATION = "greenlane-demo"
MOST_ORDERS_PER_DAY = 1_000_000  # a day's SSCC serials are a block of a million (see pipeline)
FLEET_PER_ORDERS = 2_000  # orders a day the demo's fleet is sized for


def generate(
    out: Path,
    seed: int = 7,
    days: int = 7,
    orders_per_day: int = 2_000,
    first_day: date = FIRST_DAY,
    progress: Callable[[str], None] = lambda step: None,
    tables: Literal["csv", "parquet"] = "csv",
) -> dict[str, Any]:
    """Write the scenario under ``out``; its manifest (also written as scenario.json)."""
    if days < 1 or not 1 <= orders_per_day <= MOST_ORDERS_PER_DAY:
        raise ValueError(f"days must be at least 1, orders_per_day 1 to {MOST_ORDERS_PER_DAY:,}")
    if tables not in ("csv", "parquet"):
        raise ValueError(f"tables must be csv or parquet, got {tables!r}")
    rng = np.random.default_rng(seed)
    progress("network")
    fixed = _network(out, math.ceil(orders_per_day / FLEET_PER_ORDERS))
    buyers = _buyers(rng, orders_per_day * days)
    receipts_rng = np.random.default_rng([seed, 27])  # its own stream: the rest stays as it was
    day_files = []
    for n in range(days):
        day = first_day + timedelta(days=n)
        progress(f"day {day}")
        files = _day(out, rng, day, orders_per_day, buyers, first=n == 0, suffix=tables)
        day_files.append(files | _receipts(out, receipts_rng, day, files["orders"]))
    progress("relief and ledger")
    quake_at = datetime.combine(first_day + timedelta(days=min(3, days - 1)), time(2, 0))
    fixed |= _relief(out, rng, quake_at) | _ledger(out, first_day, first_day + timedelta(days - 1))
    manifest = {
        "seed": seed,
        "first_day": first_day.isoformat(),
        "days": day_files,
        "organization": ORGANIZATION,
        "routed_country": network.ROUTED,
        "standard_carton": network.STANDARD_CARTON,
        **fixed,
    }
    write_text(out / "scenario.json", json.dumps(manifest, indent=1))
    return manifest


def _table(rows: list[dict[str, Any]], out: Path, name: str, columns: Sequence[str] = ()) -> str:
    """Write a table under ``out`` (its columns even without rows); its path relative to ``out``.

    The name's suffix (.csv, .parquet) picks the format.
    """
    frame = (
        pl.DataFrame(rows, infer_schema_length=None)
        if rows
        else pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    )
    write_table(frame, out / name)
    return name


def _json(document: dict[str, Any], out: Path, name: str) -> str:
    """Write a JSON document under ``out``; its path relative to ``out``."""
    write_text(out / name, json.dumps(document, indent=1))
    return name


def _network(out: Path, fleet_scale: int) -> dict[str, str]:
    folder = "network"
    return {
        "routes": _table(network.route_rows(), out, f"{folder}/routes.csv"),
        "cartons": _table(network.carton_rows(), out, f"{folder}/cartons.csv"),
        "places": _table(network.site_rows(), out, f"{folder}/places.csv"),
        "fleet": _table(network.fleet_rows(fleet_scale), out, f"{folder}/fleet.csv"),
        "park": _json(network.park_document(), out, f"{folder}/park.json"),
        "carrier_fuel": _table(network.carrier_fuel_rows(), out, f"{folder}/carrier-fuel.csv"),
    }


def _buyers(rng: np.random.Generator, orders: int) -> dict[str, list[demand.Consignee]]:
    per_country = {
        c: max(5, int(orders * share * 0.6)) for c, (share, *_) in network.COUNTRIES.items()
    }
    people = demand.consignees(rng, per_country)
    return {c: [p for p in people if p.country == c] for c in network.COUNTRIES}


def _day(
    out: Path,
    rng: np.random.Generator,
    day: date,
    count: int,
    buyers: dict[str, list[demand.Consignee]],
    first: bool,
    suffix: str,
) -> dict[str, str]:
    folder = f"days/{day}"
    orders, items = demand.day_orders(rng, day, count, buyers)
    routed = {o["consignee_id"] for o in orders if o["country"] == network.ROUTED}
    addresses = [
        {"consignee_id": p.consignee_id, "lat": round(p.lat, 6), "lon": round(p.lon, 6)}
        for p in buyers[network.ROUTED]
        if p.consignee_id in routed
    ]
    morning = datetime.combine(day, time(23, 0))
    return {
        "day": day.isoformat(),
        "orders": _table(orders, out, f"{folder}/orders.{suffix}"),
        "items": _table(items, out, f"{folder}/items.{suffix}"),
        "addresses": _table(
            addresses, out, f"{folder}/addresses.{suffix}", ("consignee_id", "lat", "lon")
        ),
        "containers": _json(
            events.epcis_document(events.tote_events(rng, day, first), morning),
            out,
            f"{folder}/containers.jsonld",
        ),
        "cartons": _table(
            events.carton_collections(rng, day), out, f"{folder}/carton-collections.csv"
        ),
    }


def _receipts(out: Path, rng: np.random.Generator, day: date, orders: str) -> dict[str, str]:
    """The first-mile vans' fuel receipts of the day, one TOC per origin hub (primary data).

    The litres are the day's pickups (each order's weight over its first-mile km) at
    ``PICKUP_L_PER_TKM``, give or take 5%; the tonne-km are the fleet's own, greenlane's orders.
    """
    frame = read_columns(out / orders, ["country", "weight_kg"])
    rows = []
    for origin in sorted({hub for _, hub, *_ in network.COUNTRIES.values()}):
        countries = [c for c, (_, hub, *_) in network.COUNTRIES.items() if hub == origin]
        km = {c: network.COUNTRIES[c][3] for c in countries}
        tkm = sum(w / 1000 * km[c] for c, w in frame.filter(pl.col("country").is_in(countries))
                  .iter_rows())  # fmt: skip
        if tkm:
            litres = tkm * network.PICKUP_L_PER_TKM * rng.uniform(0.95, 1.05)
            rows.append({"toc_id": f"fleet.{origin}-pickup.{day}", "origin_hub": origin,
                         "mode": "road", "source": "diesel", "quantity": round(litres, 2),
                         "unit": "l", "region": "EU", "transport_activity_tkm": round(tkm, 3),
                         "data_type": "primary"})  # fmt: skip
    return {"fuel_receipts": _table(rows, out, f"days/{day}/fuel-receipts.csv")}


def _relief(out: Path, rng: np.random.Generator, starts_at: datetime) -> dict[str, Any]:
    folder = "relief"
    packed = starts_at - timedelta(hours=20)
    kits = events.epcis_document(relief.kit_events(rng, 400, 3, packed), starts_at)
    return {
        "relief_event": _json(relief.event_document(starts_at), out, f"{folder}/event.json"),
        "relief_network": _json(relief.network_document(), out, f"{folder}/network.json"),
        "relief_kits": _json(kits, out, f"{folder}/kits.jsonld"),
        "relief_bom": _table(relief.bom_rows(), out, f"{folder}/bom.csv"),
        "kit_types": relief.kit_types(),
        "kits_packed_at": relief.PACKED_AT,
    }


def _ledger(out: Path, first: date, last: date) -> dict[str, str]:
    folder = "esg"
    return {
        "ledger": _table(ledger.ledger_rows(first, last), out, f"{folder}/ledger.csv"),
        "targets": _table(ledger.target_rows(), out, f"{folder}/targets.csv"),
    }
