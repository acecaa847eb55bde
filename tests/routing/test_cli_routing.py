"""`greenlane route` on files: a plan with its TCEs, bad rows named, mixes and modes compared."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.emissions import calculate

runner = CliRunner()
PLACES = """place_id,kind,lat,lon,demand_kg,demand_m3,service_min,ready_h,due_h,shipper_id
HZ,depot,30.27,120.15,,,,,,
PS,post_station,30.31,120.19,,,,,,
s1,stop,30.30,120.18,20,0.1,3,8,12,acme
s2,stop,30.22,120.10,35,0.2,3,9,17,acme
s3,stop,30.312,120.192,15,0.1,3,8,18,globex
s4,stop,30.308,120.187,12,0.1,3,8,18,acme
heavy,stop,30.20,120.22,5000,1,3,8,18,acme
nolon,stop,30.25,,10,0.1,3,8,18,acme
late,stop,30.28,120.12,10,0.1,3,8,7,acme
"""
FLEET = (
    "type_id,carrier,capacity_kg,capacity_m3,energy_per_km_empty,energy_per_km_full,fixed_cost,"
    "cost_per_km,cost_per_hour,depot,shift_start_h,shift_end_h,available,speed_kmh,range_km,"
    "charge_kw,group\n"
    """diesel-van,diesel,800,8,0.08,0.11,30,0.3,20,HZ,7,19,2,30,,,van
ev-van,battery_electric,750,8,0.18,0.25,35,0.1,20,HZ,7,19,2,30,150,50,van
robot,campus_robot,60,0.5,0.015,0.02,1,0.01,0,PS,7,20,4,6,20,,
"""
)


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    (tmp_path / "places.csv").write_text(PLACES)
    (tmp_path / "fleet.csv").write_text(FLEET)
    return [str(tmp_path / "places.csv"), "--fleet", str(tmp_path / "fleet.csv")]


def test_a_plan_names_bad_rows_reports_unservable_stops_and_writes_its_tces(
    files: list[str], tmp_path: Path
) -> None:
    """Two rows left out, one stop too heavy; the TCE and TOC files re-price to the plan's CO2e."""
    out, tces, tocs = tmp_path / "plan.json", tmp_path / "tces.csv", tmp_path / "tocs.csv"
    args = ["route", "plan", *files, "--time-limit", "1s", "--out", str(out)]
    result = runner.invoke(app, [*args, "--tces", str(tces), "--tocs", str(tocs)])
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert {(p["row"], p["column"]) for p in plan["problems"]} == {(8, "lon"), (9, "due_h")}
    assert [u["place_id"] for u in plan["unserved"]] == ["heavy"]
    assert plan["totals"]["stops_served"] == 4
    priced = calculate(pl.read_csv(tces), tocs=pl.read_csv(tocs).to_dicts())
    assert priced["co2e_wtw_kg"].sum() == pytest.approx(plan["totals"]["co2e_wtw_kg"])


def test_fleet_mixes_and_last_mile_modes_are_tables_and_charts(
    files: list[str], tmp_path: Path
) -> None:
    """compare-fleets: one row per mix; last-mile: door, post station, robot; both drawn."""
    mixes, chart = tmp_path / "mixes.csv", tmp_path / "mixes.html"
    result = runner.invoke(
        app,
        ["route", "compare-fleets", *files, "--electric", "0,100", "--time-limit", "1s",
         "--out", str(mixes), "--chart", str(chart)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pl.read_csv(mixes)
    assert table["fleet_mix"].to_list() == ["0% electric", "100% electric"]
    assert table["co2e_wtw_kg"][1] < table["co2e_wtw_kg"][0]
    assert "Plotly.newPlot" in chart.read_text()
    modes = tmp_path / "modes.csv"
    result = runner.invoke(
        app, ["route", "last-mile", *files, "--time-limit", "1s", "--out", str(modes)]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_csv(modes)["last-mile_mode"].to_list() == ["door", "post_station", "robot"]


def test_a_vehicle_at_an_unknown_depot_stops_the_command(files: list[str], tmp_path: Path) -> None:
    """A fleet naming a depot that is not among the places: exit 2, the problem named."""
    (tmp_path / "fleet.csv").write_text(FLEET.replace(",HZ,7,19,2", ",XX,7,19,2"))
    result = runner.invoke(app, ["route", "plan", *files, "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 2 and "unknown depots" in " ".join(result.output.split())


def test_route_stops_is_route_plan_stops(files: list[str], tmp_path: Path) -> None:
    """The issue's face, `greenlane route STOPS --fleet FLEET`, plans as `route plan` does."""
    outs = [tmp_path / "a.json", tmp_path / "b.json"]
    short = runner.invoke(app, ["route", *files, "--time-limit", "1s", "--out", str(outs[0])])
    full = runner.invoke(
        app, ["route", "plan", *files, "--time-limit", "1s", "--out", str(outs[1])]
    )
    assert short.exit_code == 0 and full.exit_code == 0, short.output
    assert json.loads(outs[0].read_text())["routes"] == json.loads(outs[1].read_text())["routes"]


def test_a_window_opening_before_midnight_is_a_named_bad_row(tmp_path: Path) -> None:
    """A negative ready_h once reached the solver and ended in a traceback (exit 1)."""
    places = PLACES.replace(
        "s2,stop,30.22,120.10,35,0.2,3,9,17", "s2,stop,30.22,120.10,35,0.2,3,-1,17"
    )
    (tmp_path / "places.csv").write_text(places)
    (tmp_path / "fleet.csv").write_text(FLEET)
    out = tmp_path / "plan.json"
    args = ["route", "plan", str(tmp_path / "places.csv"), "--fleet", str(tmp_path / "fleet.csv")]
    result = runner.invoke(app, [*args, "--time-limit", "1s", "--out", str(out)])
    assert result.exit_code == 0, result.output
    problems = json.loads(out.read_text())["problems"]
    assert (4, "ready_h") in {(p["row"], p["column"]) for p in problems}
