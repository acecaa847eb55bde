"""Route planning over the API, on SQLite and PostgreSQL: same planner, bad rows named, kept."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import polars as pl

from greenlane.store.access import Caller
from greenlane.store.routes import latest_route_plan
from tests.routing.test_cli_routing import FLEET, PLACES
from tests.service.conftest import World


def rows(csv: str) -> list[dict[str, Any]]:
    return pl.read_csv(io.StringIO(csv)).to_dicts()


def body(**changes: Any) -> dict[str, Any]:
    return {
        "plan_id": "hz-1",
        "places": rows(PLACES),
        "fleet": rows(FLEET),
        "time_limit_s": 0.5,
    } | changes


def test_a_plan_comes_back_with_its_routes_unserved_stops_and_bad_rows(world: World) -> None:
    """Four stops served, the heavy one unserved with its reason, two bad rows named; stored."""
    answer = world.client.post("/v1/routes/plan?store=true", json=body(), headers=world.as_("acme"))
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["totals"]["stops_served"] == 4
    assert [u["place_id"] for u in plan["unserved"]] == ["heavy"]
    assert {(p["row"], p["column"]) for p in plan["problems"]} == {(8, "lon"), (9, "due_h")}
    assert sum(r["co2e_wtw_kg"] for r in plan["routes"]) == plan["totals"]["co2e_wtw_kg"]
    stored = latest_route_plan(world.engine, Caller("acme", "shipper", "k"))
    assert stored is not None and stored["totals"] == plan["totals"]
    assert latest_route_plan(world.engine, Caller("globex", "shipper", "k")) is None


def test_a_stored_plan_counts_on_its_day(world: World) -> None:
    """Plans for 4 March and 9 April: a month shows its own; a bad day is refused."""
    acme = Caller("acme", "shipper", "k")
    for plan_id, day, price in (("march", "2026-03-04", 0.0), ("april", "2026-04-09", 0.5)):
        sent = world.client.post(
            "/v1/routes/plan?store=true", json=body(plan_id=plan_id, day=day, carbon_price=price),
            headers=world.as_("acme"),
        )  # fmt: skip
        assert sent.status_code == 200, sent.text
    march = latest_route_plan(world.engine, acme, (date(2026, 3, 1), date(2026, 3, 31)))
    until_may = latest_route_plan(world.engine, acme, (None, date(2026, 5, 31)))
    assert march is not None and until_may is not None
    assert march["totals"]["carbon_price_per_kg"] == 0.0  # the March plan
    assert until_may["totals"]["carbon_price_per_kg"] == 0.5  # the latest day: April's
    assert latest_route_plan(world.engine, acme, (date(2026, 5, 1), None)) is None
    for bad in ("2026-13-01", "1066-10-14", "tomorrow"):
        refused = world.client.post(
            "/v1/routes/plan", json=body(day=bad), headers=world.as_("acme")
        )
        assert refused.status_code == 422, bad


def test_a_bad_fleet_is_422_and_auditors_cannot_store(world: World) -> None:
    """A vehicle without capacity stops the plan; an auditor may plan but not keep."""
    fleet = rows(FLEET)
    fleet[0]["capacity_kg"] = None
    bad = world.client.post("/v1/routes/plan", json=body(fleet=fleet), headers=world.as_("acme"))
    assert bad.status_code == 422
    assert any(p["column"] == "capacity_kg" for p in bad.json()["problems"])
    audit = world.client.post("/v1/routes/plan?store=true", json=body(), headers=world.as_("audit"))
    assert audit.status_code == 403
    slow = world.client.post(
        "/v1/routes/plan", json=body(time_limit_s=600), headers=world.as_("acme")
    )
    assert slow.status_code == 422


EV_PLACES = """place_id,kind,lat,lon,demand_kg,demand_m3,service_min,ready_h,due_h,shipper_id
HZ,depot,30.27,120.15,,,,,,
C1,charger,30.45,120.15,,,,,,
n1,stop,30.55,120.16,20,0.1,3,8,18,acme
n2,stop,30.56,120.14,20,0.1,3,8,18,acme
s1,stop,30.29,120.16,20,0.1,3,8,18,acme
"""
EV_FLEET = (
    "type_id,carrier,capacity_kg,capacity_m3,energy_per_km_empty,energy_per_km_full,fixed_cost,"
    "cost_per_km,cost_per_hour,depot,shift_start_h,shift_end_h,available,speed_kmh,range_km,"
    "charge_kw\nev-van,battery_electric,750,8,0.18,0.25,35,0.1,20,HZ,7,19,2,30,60,50\n"
)


def test_one_battery_type_charges_on_the_way_and_a_bad_power_is_named(world: World) -> None:
    """One battery van type: every stop served, a charging visit on the way; -5 kW refused."""
    sent = body(places=rows(EV_PLACES), fleet=rows(EV_FLEET))
    answer = world.client.post("/v1/routes/plan", json=sent, headers=world.as_("acme"))
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["totals"]["stops_served"] == 3 and plan["unserved"] == []
    visits = [v for r in plan["routes"] for v in r["visits"]]
    assert any(v["kind"] == "charge" and v["charge_kwh"] > 0 for v in visits)
    for power in (-5, 0):
        fleet = [row | {"charge_kw": power} for row in rows(EV_FLEET)]
        refused = world.client.post(
            "/v1/routes/plan", json=body(places=rows(EV_PLACES), fleet=fleet),
            headers=world.as_("acme"),
        )  # fmt: skip
        assert refused.status_code == 422, refused.text
        assert "charge_kw" in refused.text
