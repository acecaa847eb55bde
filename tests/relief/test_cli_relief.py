"""`greenlane relief` on files: a plan with traces, bad documents named, kits verified."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from greenlane.cli import app
from tests.relief.world import AREAS, network
from tests.traceability.world import document, event

runner = CliRunner()


def write_documents(tmp_path: Path) -> tuple[Path, Path]:
    net = network()
    network_doc = {
        "kits": [asdict(k) for k in net.kits.values()],
        "hubs": [asdict(h) for h in net.hubs],
        "options": [asdict(o) for o in net.options],
    }
    event_doc = {
        "event_id": "quake",
        "starts_at": "2026-02-06T04:00:00Z",
        "norms": {"water": 45, "hygiene": 0.2, "tent": 0.2},
        "areas": [asdict(a) for a in AREAS],
    }
    (tmp_path / "network.json").write_text(json.dumps(network_doc))
    (tmp_path / "event.json").write_text(json.dumps(event_doc))
    return tmp_path / "event.json", tmp_path / "network.json"


def test_a_plan_file_has_arrivals_shortfalls_and_donor_traces(tmp_path: Path) -> None:
    """Consignments trace hub -> area with times after the start; no recipient anywhere."""
    event, net = write_documents(tmp_path)
    out = tmp_path / "plan.json"
    result = runner.invoke(
        app, ["relief", "plan", str(event), "--network", str(net), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    first = plan["consignments"][0]
    assert [step["step"] for step in first["trace"]] == ["dispatched", "arrived"]
    assert first["trace"][1]["at"] == "2026-02-07T10:00:00+00:00"  # 30 h after the start
    assert plan["shortfalls"] and all(s["cause"] for s in plan["shortfalls"])


def test_a_bad_document_names_the_entry_and_field(tmp_path: Path) -> None:
    """A negative population in the second area: exit 2, row 2, field population."""
    event, net = write_documents(tmp_path)
    doc = json.loads(event.read_text())
    doc["areas"][1]["population"] = -5
    event.write_text(json.dumps(doc))
    result = runner.invoke(app, ["relief", "plan", str(event), "--network", str(net)])
    assert result.exit_code == 2
    assert "row 2, column 'areas.population'" in " ".join(result.output.split())


def test_verify_kits_blocks_failed_kits_and_bounds_the_rate(tmp_path: Path) -> None:
    """Two kits, one short of soap: one blocked, the rate 50% with its exact interval."""
    (tmp_path / "bom.csv").write_text("kit_type,item,quantity\nhygiene,soap,2\nhygiene,towel,1\n")
    (tmp_path / "reads.csv").write_text(
        "kit_id,kit_type,epc,item\nK1,hygiene,e1,soap\nK1,hygiene,e2,soap\nK1,hygiene,e3,towel\n"
        "K1,hygiene,e3,towel\nK2,hygiene,e4,soap\nK2,hygiene,e5,towel\n"
    )
    out = tmp_path / "checks.json"
    args = [
        "relief",
        "verify-kits",
        str(tmp_path / "reads.csv"),
        "--bom",
        str(tmp_path / "bom.csv"),
    ]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    checks = json.loads(out.read_text())
    assert checks["blocked"] == ["K2"] and checks["kits"][1]["missing"] == {"soap": 1}
    assert checks["error_rate"]["rate"] == 0.5 and not checks["error_rate"]["supports_target"]
    assert checks["error_free_kits_needed_for_target"] == 9985


def test_kits_that_fail_their_check_stay_at_the_hub(tmp_path: Path) -> None:
    """800 hygiene kits at Liège, 2 fail their check: at most 798 leave Liège."""
    event, net = write_documents(tmp_path)
    (tmp_path / "bom.csv").write_text("kit_type,item,quantity\nhygiene,soap,1\n")
    (tmp_path / "reads.csv").write_text(
        "kit_id,kit_type,epc,item\nK1,hygiene,e1,soap\nK2,hygiene,e2,towel\nK3,hygiene,e3,spoon\n"
    )
    checks = tmp_path / "checks.json"
    args = [
        "relief",
        "verify-kits",
        str(tmp_path / "reads.csv"),
        "--bom",
        str(tmp_path / "bom.csv"),
    ]
    assert runner.invoke(app, [*args, "--out", str(checks)]).exit_code == 0
    out = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        ["relief", "plan", str(event), "--network", str(net), "--out", str(out),
         "--checks", str(checks), "--checked-at", "LGG"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "{'hygiene': 2}" in result.output
    plan = json.loads(out.read_text())
    from_liege = sum(
        c["units"]
        for c in plan["consignments"]
        if c["hub_id"] == "LGG" and c["kit_id"] == "hygiene"
    )
    assert from_liege <= 798


def test_preposition_reports_coverage_per_scenario(tmp_path: Path) -> None:
    """Two scenarios over the quake areas: a placement within the totals, coverage for each."""
    event, net = write_documents(tmp_path)
    quake = json.loads(event.read_text())
    smaller = quake | {"event_id": "aftershock", "areas": quake["areas"][:1]}
    scenarios = {
        "scenarios": [{"probability": 0.6, "event": quake}, {"probability": 0.4, "event": smaller}],
        "totals": {"water": 60_000, "hygiene": 2000, "tent": 500},
    }
    (tmp_path / "scenarios.json").write_text(json.dumps(scenarios))
    out = tmp_path / "placement.json"
    args = ["relief", "preposition", str(tmp_path / "scenarios.json"), "--network", str(net)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    placement = json.loads(out.read_text())
    assert set(placement["coverage"]) == {"quake", "aftershock"}
    assert sum(hub["water"] for hub in placement["stock"].values()) <= 60_000
    assert placement["coverage"]["aftershock"] >= placement["coverage"]["quake"]
    bad = scenarios | {"totals": {"blanket": 10}}
    (tmp_path / "scenarios.json").write_text(json.dumps(bad))
    assert runner.invoke(app, args).exit_code == 2  # an unknown kit type is named


def test_kits_verified_from_epcis_aggregation_events(tmp_path: Path) -> None:
    """Kits packed by AggregationEvents, one item taken out, one packing declared in error."""
    kit_gtin, soap, towel = "10614141999993", "00614141000012", "00614141000029"

    def kit(n: int) -> str:
        return f"urn:epc:id:sgtin:0614141.199999.{n}"

    def tag(item: str, n: int) -> str:
        return f"https://id.gs1.org/01/{item}/21/{n}"

    def pack(n: int, children: list[str], action: str = "ADD", hour: int = 8) -> dict:
        at = datetime(2026, 2, 6, hour, n, tzinfo=UTC)
        return event("AggregationEvent", at, "packing", "urn:epc:id:sgln:4012345.00001.0",
                     action=action, parentID=kit(n), childEPCs=children)  # fmt: skip

    full = [tag(soap, 1), tag(soap, 2), tag(towel, 3)]
    wrong = pack(3, [tag(towel, 30)])
    events = [
        pack(1, full),
        pack(2, [*full[:2], tag(towel, 4)]),
        pack(2, [tag(soap, 2)], action="DELETE", hour=9),  # taken out again: K2 misses soap
        pack(3, [tag(soap, 31), tag(soap, 32), tag(towel, 33)]),
        wrong,
        wrong
        | {
            "errorDeclaration": {
                "declarationTime": "2026-02-07T00:00:00Z",
                "reason": "did_not_occur",
            }
        },
    ]
    (tmp_path / "kits.jsonld").write_text(json.dumps(document(events)))
    (tmp_path / "bom.csv").write_text(
        f"kit_type,item,quantity\n{kit_gtin},{soap},2\n{kit_gtin},{towel},1\n"
    )
    out = tmp_path / "checks.json"
    args = [
        "relief",
        "verify-kits",
        str(tmp_path / "kits.jsonld"),
        "--bom",
        str(tmp_path / "bom.csv"),
    ]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    checks = json.loads(out.read_text())
    assert checks["checked"] == 3
    assert checks["blocked"] == ["https://id.gs1.org/01/10614141999993/21/2"]
    assert checks["kits"][1]["missing"] == {soap: 1}
    assert all(k["kit_type"] == kit_gtin for k in checks["kits"])
