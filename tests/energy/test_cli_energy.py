"""`greenlane energy` on files and the real broker: plan with HOC rows, simulate, listen."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.emissions import calculate
from greenlane.store import connect
from greenlane.store.tables import telemetry
from tests.energy.test_mqtt import forget

runner = CliRunner()
PARK = {
    "park_id": "hz-park", "lat": 30.27, "lon": 120.15, "utc_offset_h": 8,
    "arrays": [{"kwp": 2000.0, "tilt": 20.0, "azimuth": 180.0}],
    "battery": {"kwh": 2000.0, "kw": 500.0},
    "load_kw_profile": [300.0] * 6 + [550.0] * 16 + [300.0] * 2,
    "tariff_by_hour": [0.05] * 8 + [0.16] * 14 + [0.05] * 2,
    "grid_ef": 0.5366, "grid_ef_source": "MEE 2022 national average",
    "sessions": [{"vehicle": "van1", "arrive_hour": 19, "leave_hour": 6, "kwh": 60.0,
                  "charger_kw": 22.0}],
    "import_kw": 3000.0, "export_kw": 1000.0, "feed_in": 0.03, "weather": "clearsky",
}  # fmt: skip


def test_a_plan_beats_the_rule_and_its_hoc_rows_price_the_hub(tmp_path: Path) -> None:
    """A week at 15 minutes: cost at most the rule's; the HOC rows give the hub's CO2e."""
    (tmp_path / "park.json").write_text(json.dumps(PARK))
    out, hocs = tmp_path / "plan.json", tmp_path / "hocs.csv"
    args = ["energy", "plan", str(tmp_path / "park.json"), "--days", "7", "--step-minutes", "15"]
    result = runner.invoke(app, [*args, "--out", str(out), "--hocs", str(hocs)])
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    assert "upper bound" in plan["weather"] and plan["optimised"]["cost"] <= plan["rule"]["cost"]
    rows = pl.read_csv(hocs).to_dicts()
    hub = pl.DataFrame(
        [{"shipment_id": "s", "tce_id": "h", "kind": "hub", "mass_kg": 1000.0, "hoc_id": "hz-park"}]
    )
    priced = calculate(hub, hocs=rows)
    assert priced["co2e_wtw_kg"][0] == pytest.approx(plan["optimised"]["co2e_kg"], rel=1e-9)


def test_a_bad_park_document_names_the_field(tmp_path: Path) -> None:
    """A tilt over 90 degrees: exit 2, the array's row and field named."""
    bad = PARK | {"arrays": [{"kwp": 100.0, "tilt": 95.0, "azimuth": 180.0}]}
    (tmp_path / "park.json").write_text(json.dumps(bad))
    result = runner.invoke(app, ["energy", "plan", str(tmp_path / "park.json"), "--days", "1"])
    assert result.exit_code == 2 and "row 1, column 'arrays.tilt'" in " ".join(
        result.output.split()
    )


def test_simulate_then_listen_stores_a_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A day of five devices (480 readings) published by simulate, stored by listen."""
    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.setenv("GREENLANE_DATABASE_URL", url)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    (tmp_path / "devices.csv").write_text(
        "park,device,kind\nhz,m1,import_meter\nhz,inv,pv_inverter\nhz,b,battery\nhz,c,charger\nhz,x,export_meter\n"
    )
    client = f"test-cli-{uuid.uuid4().hex[:8]}"
    devices = ["--devices", str(tmp_path / "devices.csv")]
    try:
        assert (
            runner.invoke(
                app, ["energy", "listen", *devices, "--idle", "0.5", "--client-id", client]
            ).exit_code
            == 0
        )
        sent = runner.invoke(
            app, ["energy", "simulate", "--park", "hz", "--day", "2026-06-21", *devices]
        )
        assert sent.exit_code == 0 and "published 480" in sent.output
        got = runner.invoke(
            app, ["energy", "listen", *devices, "--idle", "2", "--client-id", client]
        )
        assert got.exit_code == 0, got.output
    finally:
        forget(client)
    with connect(url).connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(telemetry)).scalar_one() == 480


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hub": "HGH"}, "handled_t_per_day"),  # a hub's energy with nothing to share it by
        ({"hub": "HGH", "handled_t_per_day": -5.0}, "handled_t_per_day"),
        ({"refrigerants": [{"gas": "freon", "kg_per_year": 3.0}]}, "refrigerants"),
        ({"refrigerants": [{"gas": "R-410A", "kg_per_year": float("inf")}]}, "refrigerants"),
    ],
)
def test_a_park_serving_a_hub_says_what_its_energy_is_shared_by(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    """A hub without its tonnes, negative tonnes, an unknown gas, an endless leak: exit 2."""
    park = tmp_path / "park.json"
    park.write_text(json.dumps(PARK | change).replace("Infinity", "1e999"))
    result = runner.invoke(app, ["energy", "plan", str(park), "--days", "1"])
    assert result.exit_code == 2 and field in result.output, result.output
