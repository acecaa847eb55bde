"""`greenlane parcels plan` on files: a repeatable plan, bad rows named, routes checked."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.gs1 import is_valid

runner = CliRunner()
ROUTES = (
    "country,origin_hub,gateway,first_mile_km,last_mile_km,first_mile_toc,line_haul_toc,"
    "baseline_line_haul_toc,last_mile_toc,hub_hoc,transit_days,cutoff\n"
    "BE,PVG,LGG,40,25,road.eu.van_lt3p5t.starting_point,air.freighter.long_haul,"
    "air.belly.long_haul,road.eu.van_lt3p5t.starting_point,hub.transshipment.ambient,6,18:00\n"
)
HEADER = (
    "order_id,merchant_id,consignee_id,address,country,service,placed_at,promised_by,"
    "weight_kg,volume_cm3\n"
)


def files(tmp_path: Path, rows: str, routes: str = ROUTES) -> list[str]:
    (tmp_path / "orders.csv").write_text(HEADER + rows)
    (tmp_path / "routes.csv").write_text(routes)
    return [str(tmp_path / "orders.csv"), "--routes", str(tmp_path / "routes.csv")]


def test_a_days_plan_merges_bags_and_prices_and_repeats_exactly(tmp_path: Path) -> None:
    """Two of ann's orders merge; bad rows (no weight, unknown country, duplicate) are named."""
    rows = (
        "o1,m1,ann,1 Elm St,BE,standard,2026-11-11T09:00,2026-11-25T00:00,0.8,4000\n"
        "o2,m2,ann,1 Elm St,BE,standard,2026-11-11T09:20,2026-11-25T00:00,0.5,2000\n"
        "o3,m3,bob,2 Oak Rd,BE,standard,2026-11-11T10:00,2026-11-25T00:00,,2000\n"
        "o4,m4,cy,3 Ash Ln,XX,standard,2026-11-11T10:00,2026-11-25T00:00,1,2000\n"
        "o5,m5,dee,4 Fir Ct,BE,standard,2026-11-11T11:00,2026-11-25T00:00,1,2000\n"
        "o5,m5,dee,4 Fir Ct,BE,standard,2026-11-11T11:00,2026-11-25T00:00,1,2000\n"
    )
    plans = []
    for name in ("a.json", "b.json"):
        result = runner.invoke(
            app, ["parcels", "plan", *files(tmp_path, rows), "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
        plans.append(json.loads((tmp_path / name).read_text()))
    plan = plans[0]
    assert plans[0] == plans[1]  # the same orders, the same plan
    assert [p["orders"] for p in plan["parcels"]] == [["o1", "o2"]]
    assert all(is_valid(p["sscc"]) for p in plan["parcels"])
    assert {(p["row"], p["column"]) for p in plan["problems"]} == {
        (3, "weight_kg"),
        (4, "country"),
        (5, "order_id"),
        (6, "order_id"),
    }
    totals = plan["totals"]
    assert totals["consolidation_ratio"] == 2.0
    assert totals["co2e_wtw_kg_per_order"] < totals["baseline_co2e_wtw_kg_per_order"]


def test_a_bad_route_file_stops_with_its_problems(tmp_path: Path) -> None:
    """A route without a cut-off time: exit 2 naming the row and column, nothing written."""
    bad = ROUTES.replace(",18:00", ",six pm")
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["parcels", "plan", *files(tmp_path, "", bad), "--out", str(out)])
    assert result.exit_code == 2 and "row 1, column 'cutoff'" in result.output
    assert not out.exists()


def test_waybills_print_for_every_parcel_of_a_plan(tmp_path: Path) -> None:
    """ZPL labels, one per parcel with its SSCC, and the paper they avoid; then a PDF."""
    rows = (
        'o1,m1,ann,"1 Elm St, Lyon",BE,standard,2026-11-11T09:00,2026-11-25T00:00,0.8,4000\n'
        "o2,m2,bob,2 Oak Rd,BE,standard,2026-11-11T10:00,2026-11-25T00:00,0.5,2000\n"
    )
    args = files(tmp_path, rows)
    plan_path = tmp_path / "plan.json"
    assert runner.invoke(app, ["parcels", "plan", *args, "--out", str(plan_path)]).exit_code == 0
    ssccs = [p["sscc"] for p in json.loads(plan_path.read_text())["parcels"]]
    zpl_path = tmp_path / "labels.zpl"
    result = runner.invoke(
        app, ["waybill", "print", str(plan_path), "--orders", args[0], "--out", str(zpl_path)]
    )
    assert result.exit_code == 0, result.output
    labels = zpl_path.read_text()
    assert labels.count("^XA") == 2 and all(f">;>800{s}" in labels for s in ssccs)
    assert "10 paper sheets avoided" in " ".join(result.output.split())  # Rich wraps lines
    pdf_path = tmp_path / "labels.pdf"
    printed = runner.invoke(
        app, ["waybill", "print", str(plan_path), "--orders", args[0], "--out", str(pdf_path)]
    )
    assert printed.exit_code == 0 and pdf_path.read_bytes().startswith(b"%PDF-")


def test_a_plan_packs_with_a_carton_catalogue_and_compares_post_stations(tmp_path: Path) -> None:
    """--cartons packs ann's two orders into one carton; the route's post stations are priced."""
    routes = ROUTES.replace(
        "hub_hoc,transit_days,cutoff", "hub_hoc,transit_days,cutoff,station_km,station_toc"
    )
    routes = routes.replace(",6,18:00", ",6,18:00,5,road.eu.urban_truck_3p5_7p5t.starting_point")
    (tmp_path / "cartons.csv").write_text(
        "carton_id,length_cm,width_cm,height_cm,max_weight_kg,board_kg\n"
        "S,20,15,10,10,0.10\nM,30,20,15,15,0.18\n"
    )
    rows = (
        "o1,m1,ann,1 Elm St,BE,standard,2026-11-11T09:00,2026-11-25T00:00,0.8,1000\n"
        "o2,m2,ann,1 Elm St,BE,standard,2026-11-11T09:20,2026-11-25T00:00,0.5,1000\n"
    )
    out = tmp_path / "plan.json"
    args = [*files(tmp_path, rows, routes), "--cartons", str(tmp_path / "cartons.csv")]
    result = runner.invoke(app, ["parcels", "plan", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert plan["totals"]["packaging_kg"] == 0.10  # both 10 cm cubes side by side in one S
    assert plan["totals"]["baseline_packaging_kg"] == 0.20  # each alone in an S
    last = plan["last_mile"]
    assert last["parcels"] == 1 and 0 < last["station_co2e_wtw_kg"] < last["door_co2e_wtw_kg"]
    assert "post station" in " ".join(result.output.split())
