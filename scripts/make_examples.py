"""Write docs/examples/: one small input file for every command the README shows.

Most files come from a seeded one-day scenario (``greenlane scenario generate``); the rest are
built here from it (route stops, relief scenarios, kit reads, park devices) or from the
project's own iLEAP test documents. Everything is synthetic and under the project's licence.
The README's commands run as written from that folder (``tests/test_readme.py`` runs them).

    .venv/bin/python scripts/make_examples.py [docs/examples]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import polars as pl

from greenlane.scenario.generate import generate
from greenlane.scenario.tces import sample_tces

ROOT = Path(__file__).resolve().parents[1]
ILEAP = ROOT / "tests" / "data"
COPIED = {  # example name -> the scenario's file
    "cartons.csv": "network/cartons.csv",
    "routes.csv": "network/routes.csv",
    "fleet.csv": "network/fleet.csv",
    "park.json": "network/park.json",
    "event.json": "relief/event.json",
    "network.json": "relief/network.json",
    "bom.csv": "relief/bom.csv",
    "ledger.csv": "esg/ledger.csv",
    "targets.csv": "esg/targets.csv",
}
STOPS = 40  # route stops drawn from the day's addresses near the depot


def main(out: Path) -> None:
    """Generate the scenario in a temporary folder and write every example into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        world = Path(work)
        manifest = generate(world, 7, 1, 60)
        day = manifest["days"][0]
        for name, source in COPIED.items():
            shutil.copyfile(world / source, out / name)
        shutil.copyfile(world / day["orders"], out / "orders.csv")
        shutil.copyfile(world / day["items"], out / "items.csv")
        shutil.copyfile(world / day["containers"], out / "events.jsonld")
        shutil.copyfile(world / day["cartons"], out / "collections.csv")
    with tempfile.TemporaryDirectory() as work:  # a busier day: enough stops near the depot
        world = Path(work)
        busy = generate(world, 7, 1, 600)["days"][0]
        _places(world, busy["addresses"], out / "places.csv")
    for name in ("ileap_shipments.json", "tocs_ileap.csv", "hocs_ileap.csv"):
        target = {"ileap_shipments.json": "shipments.json"}.get(name, name.replace("_ileap", ""))
        shutil.copyfile(ILEAP / name, out / target)
    tces = sample_tces(300, seed=7).drop("shipper_id")  # the uploader's own shipments
    tces.write_csv(out / "tces.csv")
    (out / "tces").mkdir(exist_ok=True)
    for part in range(2):
        tces.slice(150 * part, 150).write_parquet(out / "tces" / f"part-{part}.parquet")
    _relief_scenarios(out)
    _kit_reads(out)
    park = json.loads((out / "park.json").read_text())["park_id"]
    (out / "devices.csv").write_text(
        "park,device,kind\n"
        + "".join(f"{park},{d},{k}\n" for d, k in (("m1", "import_meter"), ("inv", "pv_inverter"),
                                                    ("b", "battery"), ("c", "charger")))
    )  # fmt: skip


def _places(world: Path, addresses: str, path: Path) -> None:
    """The depot and charger, and the nearest day's addresses as stops (2 kg, 08:00-19:00)."""
    places = pl.read_csv(world / "network/places.csv")
    depot = places.filter(pl.col("kind") == "depot").row(0, named=True)
    near = (
        pl.read_csv(world / addresses)
        .with_columns(far=(pl.col("lat") - depot["lat"]) ** 2 + (pl.col("lon") - depot["lon"]) ** 2)
        .sort("far", "consignee_id")
        .head(STOPS)
    )
    stops = near.select(
        place_id=pl.col("consignee_id"), kind=pl.lit("stop"), lat="lat", lon="lon",
        demand_kg=pl.lit(2.0), service_min=pl.lit(3.0), ready_h=pl.lit(8.0), due_h=pl.lit(19.0),
    )  # fmt: skip
    pl.concat([places, stops], how="diagonal").write_csv(path)


def _relief_scenarios(out: Path) -> None:
    """Two scenarios of the event (the whole of it, its first area) and the stock to place."""
    event = json.loads((out / "event.json").read_text())
    kits = [k["kit_id"] for k in json.loads((out / "network.json").read_text())["kits"]]
    smaller = event | {"event_id": f"{event['event_id']}-small", "areas": event["areas"][:1]}
    scenarios = {
        "scenarios": [{"probability": 0.6, "event": event}, {"probability": 0.4, "event": smaller}],
        "totals": dict.fromkeys(kits, 5000),
    }
    (out / "scenarios.json").write_text(json.dumps(scenarios, indent=1) + "\n")


def _kit_reads(out: Path) -> None:
    """Tag reads of three kits of the first kit type: two complete, one an item short."""
    bom = pl.read_csv(out / "bom.csv", schema_overrides={"kit_type": pl.String, "item": pl.String})
    kit_type = bom["kit_type"][0]
    parts = bom.filter(pl.col("kit_type") == kit_type).select("item", "quantity").rows()
    rows = [
        (f"K{kit + 1}", kit_type, f"epc-{kit}-{item}-{unit}", item)
        for kit in range(3)
        for n, (item, quantity) in enumerate(parts)
        for unit in range(quantity - (kit == 2 and n == 0))  # the third kit is one unit short
    ]
    lines = ["kit_id,kit_type,epc,item", *(",".join(r) for r in rows)]
    (out / "reads.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "examples")
