"""`greenlane pack` on files: a plan for the good orders, every bad row reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.packing.tables import blank_board_kg, cartons_from_rows

runner = CliRunner()
ITEMS = "order_id,item_id,length_cm,width_cm,height_cm,weight_kg,quantity,upright,fragile\n"
CARTONS = "carton_id,length_cm,width_cm,height_cm,max_weight_kg,board_kg,board_gsm,cost\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def catalogue(folder: Path) -> Path:
    return write(
        folder,
        "cartons.csv",
        CARTONS + "S,20,20,20,20,0.30,,0.9\nXL,30,30,30,30,,450,1.2\n",
    )


def test_a_plan_for_the_good_orders_and_every_bad_row_reported(tmp_path: Path) -> None:
    """o1 packs; o2 refuses its rod and packs the rest; o3 and o4 are left out with reasons."""
    orders = write(
        tmp_path,
        "orders.csv",
        ITEMS
        + "o1,cube,10,10,10,0.5,8,,\n"
        + "o2,rod,50,2,2,1,1,,\n"
        + "o2,mug,10,8,9,0.3,2,true,true\n"
        + "o3,bad,-1,10,10,1,1,,\n"
        + "o4,odd,10,10,10,1,many,,\n",
    )
    out = tmp_path / "plan.json"
    result = runner.invoke(
        app, ["pack", str(orders), "--cartons", str(catalogue(tmp_path)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    by_order = {o["order_id"]: o for o in plan["orders"]}
    assert set(by_order) == {"o1", "o2"}
    assert by_order["o1"]["cartons"][0]["carton_id"] == "S"
    assert by_order["o2"]["refused"][0]["item_id"] == "rod"
    assert sum(len(c["placements"]) for c in by_order["o2"]["cartons"]) == 2
    problems = {(p["row"], p["column"]) for p in plan["problems"]}
    assert problems == {(4, "length_cm"), (5, "quantity")}  # data rows, header is row 0
    assert plan["totals"]["plan"]["board_kg"] <= plan["totals"]["baseline"]["board_kg"]


def test_board_from_grammage_is_the_blank_area_times_it(tmp_path: Path) -> None:
    """XL's board: the FEFCO 0201 blank (2(30+30)+3.5) x (30+30) cm at 450 g/m2."""
    assert blank_board_kg(30, 30, 30, 450) == pytest.approx(123.5 * 60 / 1e4 * 0.45)
    orders = write(tmp_path, "orders.csv", ITEMS + "o1,big,30,30,30,1,1,,\n")
    out = tmp_path / "plan.json"
    args = ["pack", str(orders), "--cartons", str(catalogue(tmp_path)), "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    totals = json.loads(out.read_text())["totals"]["plan"]
    assert totals["board_kg"] == pytest.approx(blank_board_kg(30, 30, 30, 450))


def test_a_bad_catalogue_stops_with_every_problem(tmp_path: Path) -> None:
    """A carton without board and one with a zero side: exit 2, both named, no plan written."""
    cartons = write(tmp_path, "cartons.csv", CARTONS + "A,20,20,20,20,,,1\nB,0,20,20,20,0.2,,1\n")
    orders = write(tmp_path, "orders.csv", ITEMS + "o1,cube,10,10,10,0.5,1,,\n")
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["pack", str(orders), "--cartons", str(cartons), "--out", str(out)])
    assert result.exit_code == 2
    assert (
        "row 1, column 'board_kg'" in result.output and "row 2, column 'length_cm'" in result.output
    )
    assert not out.exists()


def test_the_current_practice_is_a_baseline_over_the_orders_it_covers(tmp_path: Path) -> None:
    """o1 ships in XL today: the plan's S saves the board difference; o2 is not compared."""
    orders = write(
        tmp_path, "orders.csv", ITEMS + "o1,cube,10,10,10,0.5,8,,\no2,cube,10,10,10,0.5,1,,\n"
    )
    today = write(tmp_path, "today.csv", "order_id,carton_id\no1,XL\n")
    out = tmp_path / "plan.json"
    args = ["pack", str(orders), "--cartons", str(catalogue(tmp_path)), "--out", str(out)]
    result = runner.invoke(app, [*args, "--baseline", f"current:{today}"])
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert plan["compared_orders"] == 1
    saved = plan["totals"]["baseline"]["board_kg"] - plan["totals"]["plan"]["board_kg"]
    assert saved == pytest.approx(blank_board_kg(30, 30, 30, 450) - 0.30)
    unknown = write(tmp_path, "bad.csv", "order_id,carton_id\no1,HUGE\n")
    refused = runner.invoke(app, [*args, "--baseline", f"current:{unknown}"])
    assert refused.exit_code == 2 and "'HUGE'" in refused.output


def test_a_reusable_container_needs_no_board_in_the_catalogue(tmp_path: Path) -> None:
    """A catalogue row marked reusable without board_kg is read with 0 kg of board."""
    cartons, problems = cartons_from_rows(
        [
            {
                "carton_id": "TOTE",
                "length_cm": 40.0,
                "width_cm": 30.0,
                "height_cm": 20.0,
                "max_weight_kg": 25.0,
                "reusable": "true",
            }
        ],
        "cartons.csv",
    )
    assert problems == [] and cartons[0].reusable and cartons[0].board_kg == 0.0


def test_the_wrong_file_is_said_once_and_exits_2(tmp_path: Path) -> None:
    """A parcels orders file given as items: one problem per missing column, nothing written."""
    rows = "".join(f"o{n},m1,ann,addr,BE,standard,2026-11-11T09:00,2026-11-25,0.8,4000\n"
                   for n in range(2000))  # fmt: skip
    header = "order_id,merchant_id,consignee,address,country,service,placed_at,due,weight_kg,cm3\n"
    orders = write(tmp_path, "orders.csv", header + rows)
    out = tmp_path / "plan.json"
    args = ["pack", str(orders), "--cartons", str(catalogue(tmp_path)), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if "orders.csv" in line]
    assert 1 <= len(lines) <= 8 and "is this the right file?" in " ".join(result.output.split())
    assert not out.exists()


def test_a_file_without_one_valid_row_exits_2_naming_every_row(tmp_path: Path) -> None:
    """Every row bad (an infinite side, a NaN weight, a quantity of none): exit 2, no plan."""
    orders = write(
        tmp_path,
        "orders.csv",
        ITEMS
        + "o1,cube,1e309,10,10,0.5,1,,\n"
        + "o2,mug,10,8,9,NaN,2,,\n"
        + "o3,pen,9,1,1,0.1,0,,\n",
    )
    out = tmp_path / "plan.json"
    args = ["pack", str(orders), "--cartons", str(catalogue(tmp_path)), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "nothing was written" in said
    for row, column in ((1, "length_cm"), (2, "weight_kg"), (3, "quantity")):
        assert f"row {row}, column '{column}'" in said, said
    assert not out.exists()
