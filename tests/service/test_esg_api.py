"""The ESG ledger and KPIs over the API, on SQLite and PostgreSQL, per organization."""

from __future__ import annotations

import pytest

from tests.service.conftest import World
from tests.service.test_parcels_api import plan_body
from tests.service.test_relief_api import relief_body

ROWS = [
    {"site": "park", "period_start": "2025-01-01", "period_end": "2025-12-31",
     "metric": "fuel.diesel", "quantity": 1000, "unit": "l", "source": "fuel cards"},
    {"site": "group", "period_start": "2025-12-31", "period_end": "2025-12-31",
     "metric": "headcount.total", "quantity": 80, "unit": "people", "source": "HR"},
]  # fmt: skip


def test_ledger_rows_become_the_organizations_kpis(world: World) -> None:
    """Acme's diesel is its Scope 1; globex has no data; an auditor may not write."""
    sent = world.client.post("/v1/esg/ledger", json={"rows": ROWS}, headers=world.as_("acme"))
    assert sent.status_code == 200 and sent.json() == {"rows": 2}, sent.text
    mine = world.client.get("/v1/esg/kpis?year=FY2025", headers=world.as_("acme")).json()
    values = {k["kpi_id"]: k["value"] for p in mine["pillars"] for k in p["kpis"]}
    assert round(values["scope1_t"], 4) == 2.6311 and values["headcount"] == 80
    theirs = world.client.get("/v1/esg/kpis?year=FY2025", headers=world.as_("globex")).json()
    assert all(k["value"] is None for p in theirs["pillars"] for k in p["kpis"])
    audit = world.client.post("/v1/esg/ledger", json={"rows": ROWS}, headers=world.as_("audit"))
    assert audit.status_code == 403


def test_a_bad_row_is_422_and_nothing_is_kept(world: World) -> None:
    """A wrong unit in row 2: 422 naming it; row 1 is not kept either."""
    bad = [ROWS[0], ROWS[1] | {"unit": "heads"}]
    answer = world.client.post("/v1/esg/ledger", json={"rows": bad}, headers=world.as_("acme"))
    assert answer.status_code == 422
    assert [(p["row"], p["column"]) for p in answer.json()["problems"]] == [(2, "unit")]
    kpis = world.client.get("/v1/esg/kpis?year=FY2025", headers=world.as_("acme")).json()
    assert all(k["value"] is None for p in kpis["pillars"] for k in p["kpis"])
    assert world.client.get("/v1/esg/kpis?year=2025", headers=world.as_("acme")).status_code == 422


def test_a_target_on_a_kpi_is_kept_with_its_trajectory_and_gaps(world: World) -> None:
    """Scope 1 from 4 t (FY2024) to 1 t (FY2030) on the 4.2% path: FY2025 allows 3.832 t."""
    world.client.post("/v1/esg/ledger", json={"rows": ROWS}, headers=world.as_("acme"))
    body = {
        "kpi_id": "scope1_t",
        "kind": "absolute",
        "scope": "Scope 1",
        "base_year": "FY2024",
        "base_value": 4.0,
        "target_year": "FY2030",
        "target_value": 1.0,
        "trajectory": "aca",
    }
    put = world.client.put("/v1/esg/targets/s1", json=body, headers=world.as_("acme"))
    assert put.status_code == 200, put.text
    (target,) = world.client.get("/v1/esg/targets?year=FY2025", headers=world.as_("acme")).json()
    (gap,) = target["gaps"]
    assert gap["year"] == "FY2025" and round(gap["allowed"], 3) == 3.832
    assert round(gap["gap"], 4) == round(2.6311 - 3.832, 4)  # below the path: ahead of plan
    assert world.client.get("/v1/esg/targets?year=FY2025", headers=world.as_("globex")).json() == []
    wrong = world.client.put(
        "/v1/esg/targets/s2", json=body | {"kpi_id": "happiness"}, headers=world.as_("acme")
    )
    up = world.client.put(
        "/v1/esg/targets/s3", json=body | {"target_value": 9.0}, headers=world.as_("acme")
    )
    assert wrong.status_code == 422 and up.status_code == 422


def test_the_modules_feed_the_ledger(world: World) -> None:
    """A stored parcel plan, a delivered scan and a relief plan appear as this year's KPIs."""
    plan = world.client.post(
        "/v1/parcels/plan?store=true", json=plan_body(), headers=world.as_("acme")
    ).json()
    sscc = plan["parcels"][0]["sscc"]
    scan = {"waybill": sscc, "status": "delivered", "at": "2026-11-16T10:00:00Z", "place": "Bruges"}
    world.client.post("/v1/tracking/events", json={"events": [scan]}, headers=world.as_("acme"))
    world.client.post("/v1/relief/plan?store=true", json=relief_body(), headers=world.as_("acme"))
    kpis = world.client.get("/v1/esg/kpis?year=FY2026", headers=world.as_("acme")).json()
    values = {k["kpi_id"]: k["value"] for p in kpis["pillars"] for k in p["kpis"]}
    assert values["paper_sheets_avoided"] == 10  # two parcels, five sheets each
    assert values["parcels_tracked"] == 2 and values["parcels_delivered"] == 1
    assert 0 < values["relief_need_met"] < 100


def test_a_cn_grid_row_gives_scope_2_and_an_unknown_region_is_422(world: World) -> None:
    """A Hangzhou site's grid power is priced by the CN factor (no 500); region XX is refused."""
    grid = {"site": "hz", "period_start": "2025-01-01", "period_end": "2025-12-31",
            "metric": "electricity.grid", "quantity": 100_000, "unit": "kWh",
            "source": "bills", "region": "CN"}  # fmt: skip
    sent = world.client.post("/v1/esg/ledger", json={"rows": [grid]}, headers=world.as_("acme"))
    assert sent.status_code == 200, sent.text
    answer = world.client.get("/v1/esg/kpis?year=FY2025", headers=world.as_("acme"))
    assert answer.status_code == 200, answer.text
    values = {k["kpi_id"]: k["value"] for p in answer.json()["pillars"] for k in p["kpis"]}
    assert round(values["scope2_location_t"], 4) == 53.66
    bad = world.client.post(
        "/v1/esg/ledger", json={"rows": [grid | {"region": "XX"}]}, headers=world.as_("acme")
    )
    assert bad.status_code == 422 and "region" in bad.text
    huge = world.client.post(
        "/v1/esg/ledger",
        json={"rows": [grid | {"region": "x" * 10_000}]},
        headers=world.as_("acme"),
    )
    assert huge.status_code == 422 and len(huge.text) < 2000


def test_the_reports_transport_table_adds_up_to_scope_3_category_4(world: World) -> None:
    """Transport and hub TCEs: the table by mode (hubs as a row) totals the KPI exactly."""
    from greenlane.app.esg import esg_model
    from greenlane.esg.fiscal import FiscalCalendar
    from greenlane.store.access import Caller
    from tests.service.conftest import ROAD, csv

    body = csv(f"S,t1,transport,1000,{ROAD},,100", "S,h1,hub,1000,,hub.transshipment.ambient,",
               header="shipment_id,tce_id,kind,mass_kg,toc_id,hoc_id,distance_km")  # fmt: skip
    headers = world.as_("acme") | {"Idempotency-Key": "k", "Content-Type": "text/csv"}
    assert world.client.post("/v1/batches", content=body, headers=headers).status_code == 201
    month = world.client.get("/v1/emissions/summary", params={"group_by": "month"},
                             headers=world.as_("acme")).json()[0]["key"]  # fmt: skip
    model = esg_model(world.engine, Caller("acme", "shipper", "t"), FiscalCalendar(1),
                      f"FY{month[:4]}")  # fmt: skip
    kpi = next(k for p in model["pillars"] for k in p["kpis"] if k["kpi_id"] == "scope3_cat4_t")
    modes = {r["mode"]: r["co2e_wtw_t"] for r in model["transport"]["by_mode"]}
    assert set(modes) == {"road", "hubs"} and modes["hubs"] > 0
    assert model["transport"]["total_t"] == pytest.approx(kpi["value"], rel=1e-12)
