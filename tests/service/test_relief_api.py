"""Relief over the API, on SQLite and PostgreSQL: plans kept, donors' trace public, kits checked."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from greenlane.esg.fiscal import FiscalCalendar
from greenlane.store.access import Caller
from greenlane.store.relief import latest_relief_plan
from tests.relief.world import AREAS, network
from tests.service.conftest import World


def relief_body(**changes: Any) -> dict[str, Any]:
    net = network()
    return {
        "event": {
            "event_id": "quake",
            "starts_at": "2026-02-06T04:00:00Z",
            "norms": {"water": 45, "hygiene": 0.2, "tent": 0.2},
            "areas": [asdict(a) for a in AREAS],
        },
        "network": {
            "kits": [asdict(k) for k in net.kits.values()],
            "hubs": [asdict(h) for h in net.hubs],
            "options": [asdict(o) for o in net.options],
        },
        "time_limit_s": 5,
    } | changes


def test_a_stored_plan_is_the_organizations_and_its_trace_is_public(world: World) -> None:
    """Acme plans and keeps; globex sees nothing of it; anyone reads the donors' trace."""
    answer = world.client.post(
        "/v1/relief/plan?store=true", json=relief_body(), headers=world.as_("acme")
    )
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert 0 < plan["totals"]["share_met"] < 1 and plan["shortfalls"]
    assert latest_relief_plan(world.engine, Caller("acme", "shipper", "k")) == plan
    assert latest_relief_plan(world.engine, Caller("globex", "shipper", "k")) is None
    donors = world.client.get("/v1/public/relief/acme/quake")
    assert donors.status_code == 200
    first = donors.json()["consignments"][0]
    assert set(first) == {"consignment_id", "hub_id", "area_id", "mode", "kit_id", "units", "trace"}
    assert world.client.get("/v1/public/relief/acme/flood").status_code == 404


def test_bad_documents_are_422_naming_the_field_and_auditors_cannot_store(world: World) -> None:
    """A negative population: 422 with its location; an auditor's store is 403."""
    body = relief_body()
    body["event"]["areas"][0]["population"] = -1
    bad = world.client.post("/v1/relief/plan", json=body, headers=world.as_("acme"))
    assert bad.status_code == 422
    assert any("population" in p["column"] for p in bad.json()["problems"])
    audit = world.client.post(
        "/v1/relief/plan?store=true", json=relief_body(), headers=world.as_("audit")
    )
    assert audit.status_code == 403


def test_kits_are_verified_over_the_api(world: World) -> None:
    """One kit short of soap: blocked, rate 50%."""
    reads = [
        {"kit_id": "K1", "kit_type": "hygiene", "epc": "e1", "item": "soap"},
        {"kit_id": "K2", "kit_type": "hygiene", "epc": "e2", "item": "towel"},
    ]
    boms = {"hygiene": {"soap": 1}}
    answer = world.client.post(
        "/v1/relief/verify-kits", json={"reads": reads, "boms": boms}, headers=world.as_("acme")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["blocked"] == ["K2"] and answer.json()["error_rate"]["rate"] == 0.5


def test_stored_kit_checks_feed_the_esg_ledger(world: World) -> None:
    """Two kits checked, one failed, stored twice: the kit error rate KPI is 50% (kept once)."""
    reads = [
        {"kit_id": "K1", "kit_type": "hygiene", "epc": "e1", "item": "soap"},
        {"kit_id": "K2", "kit_type": "hygiene", "epc": "e2", "item": "towel"},
    ]
    body = {"reads": reads, "boms": {"hygiene": {"soap": 1}}}
    for _ in range(2):
        answer = world.client.post(
            "/v1/relief/verify-kits?store=true", json=body, headers=world.as_("acme")
        )
        assert answer.status_code == 200, answer.text
    year = FiscalCalendar(1).label_of(date.today())
    kpis = world.client.get(f"/v1/esg/kpis?year={year}", headers=world.as_("acme")).json()
    values = {k["kpi_id"]: k["value"] for p in kpis["pillars"] for k in p["kpis"]}
    assert values["kit_error_rate"] == 50.0
    audit = world.client.post(
        "/v1/relief/verify-kits?store=true", json=body, headers=world.as_("audit")
    )
    assert audit.status_code == 403
