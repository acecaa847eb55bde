"""`greenlane epcis import`, `containers report` and `containers cartons` on the embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.store import connect
from greenlane.store.access import Caller
from greenlane.store.esg import ledger
from tests.traceability.world import document, pool

runner = CliRunner()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GREENLANE_DATABASE_URL", f"sqlite:///{tmp_path / 'g.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["org", "create", "acme", "--role", "operator"]).exit_code == 0
    return tmp_path


def test_import_twice_then_report(store: Path) -> None:
    """Events stored once; 12 trips of 4 boxes in the report's JSON and in the ESG ledger."""
    path = store / "pool.json"
    path.write_text(json.dumps(document(pool(boxes=4, trips=3))))
    first = runner.invoke(app, ["epcis", "import", str(path), "--organization", "acme"])
    assert first.exit_code == 0, first.output
    assert "88 events stored, 0 duplicates" in first.output
    again = runner.invoke(app, ["epcis", "import", str(path), "--organization", "acme"])
    assert "0 events stored, 88 duplicates" in again.output
    out = store / "containers.json"
    args = ["containers", "report", "--organization", "acme", "--as-of", "2026-03-25"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text())
    assert record["fleet"]["trips"] == 12 and record["fleet"]["containers"] == 4
    assert record["reuse"]["lifetime_trips"] == 100  # no loss: the design trips
    assert record["reuse"]["saving_kg"] == pytest.approx(12 * record["reuse"]["saving_per_trip_kg"])
    entries = ledger(connect(), Caller("acme", "operator", "t"))
    assert sum(e.quantity for e in entries if e.metric == "containers.trips") == 12


def test_a_bad_document_among_good_ones_stores_nothing(store: Path) -> None:
    """The invalid event is named with its file, event and field; the good file is not kept."""
    good, bad = store / "good.json", store / "bad.json"
    good.write_text(json.dumps(document(pool(boxes=1, trips=1))))
    events = pool(boxes=1, trips=1)
    bad.write_text(json.dumps(document([*events[:2], {**events[2], "bizStep": "flying"}])))
    result = runner.invoke(app, ["epcis", "import", str(good), str(bad), "--organization", "acme"])
    assert result.exit_code == 2
    assert "bad.json: row 3, column 'bizStep'" in " ".join(result.output.split())
    assert "events stored" not in result.output


def test_cartons_enter_the_ledger(store: Path) -> None:
    """Collections become cartons.recycled and packaging.avoided entries; a bad row stops all."""
    path = store / "cartons.csv"
    path.write_text(
        "station_id,date,collected,reused,recycled,carton_kg\n"
        "P1,2026-03-01,100,60,40,0.3\nP2,2026-03-01,50,10,30,0.2\n"
    )
    result = runner.invoke(app, ["containers", "cartons", str(path), "--organization", "acme"])
    assert result.exit_code == 0, result.output
    entries = ledger(connect(), Caller("acme", "operator", "t"))
    recycled = sum(e.quantity for e in entries if e.metric == "cartons.recycled")
    avoided = sum(e.quantity for e in entries if e.metric == "packaging.avoided")
    assert recycled == 150 and avoided == pytest.approx(60 * 0.3 + 10 * 0.2)
    path.write_text(
        "station_id,date,collected,reused,recycled,carton_kg\nP3,2026-03-02,5,9,0,0.3\n"
    )
    refused = runner.invoke(app, ["containers", "cartons", str(path), "--organization", "acme"])
    assert refused.exit_code == 2 and "reused + recycled exceeds collected" in refused.output


def test_the_report_sees_only_what_happened_by_its_date(store: Path) -> None:
    """As of 7 March (the whole day) only the first week's 4 trips are done; later ones unseen."""
    path = store / "pool.json"
    path.write_text(json.dumps(document(pool(boxes=4, trips=3))))
    assert (
        runner.invoke(app, ["epcis", "import", str(path), "--organization", "acme"]).exit_code == 0
    )
    out = store / "containers.json"
    args = ["containers", "report", "--organization", "acme", "--as-of", "2026-03-07"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["fleet"]["trips"] == 4
    zoned = ["containers", "report", "--organization", "acme", "--as-of",
             "2026-03-07T02:00:00+08:00", "--out", str(out)]  # fmt: skip
    assert runner.invoke(app, zoned).exit_code == 0  # 6 March 18:00 UTC: the same 4 trips
    assert json.loads(out.read_text())["fleet"]["trips"] == 4
