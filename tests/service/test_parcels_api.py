"""Parcel planning, waybills and tracking over the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from greenlane.gs1 import is_valid
from greenlane.store.access import Caller
from greenlane.store.parcels import plan_days
from tests.service.conftest import World

VAN = "road.eu.van_lt3p5t.starting_point"
ROUTE = {
    "country": "BE",
    "origin_hub": "PVG",
    "gateway": "LGG",
    "first_mile_km": 40,
    "last_mile_km": 25,
    "first_mile_toc": VAN,
    "line_haul_toc": "air.freighter.long_haul",
    "baseline_line_haul_toc": "air.belly.long_haul",
    "last_mile_toc": VAN,
    "hub_hoc": "hub.transshipment.ambient",
    "transit_days": 6,
    "cutoff": "18:00",
    "station_km": 5,
    "station_toc": "road.eu.urban_truck_3p5_7p5t.starting_point",
}
PERSONAL = ("Ann Smith", "1 Elm St", "Bruges")


def order(order_id: str, placed: str, **changes: Any) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "merchant_id": f"m-{order_id}",
        "consignee_id": "Ann Smith",
        "address": "1 Elm St, Bruges",
        "country": "BE",
        "service": "standard",
        "placed_at": f"2026-11-11T{placed}",
        "promised_by": "2026-11-25T00:00",
        "weight_kg": 0.8,
        "volume_cm3": 2000.0,
    } | changes


def plan_body(**changes: Any) -> dict[str, Any]:
    orders = [
        order("o1", "09:00"),
        order("o2", "09:20"),
        order("o3", "09:30", weight_kg=None),
        order("o4", "09:40", country="XX"),
        order("o5", "11:00", consignee_id="Bob", address="2 Oak Rd, Ghent"),
    ]
    return {"plan_id": "2026-11-11", "orders": orders, "routes": [ROUTE]} | changes


def test_a_plan_names_bad_rows_plans_the_rest_and_stores_idempotently(world: World) -> None:
    """o1+o2 merge; o3 and o4 are named by row; storing twice keeps one plan and two waybills."""
    answers = [
        world.client.post(
            "/v1/parcels/plan?store=true", json=plan_body(), headers=world.as_("acme")
        )
        for _ in range(2)
    ]
    assert all(a.status_code == 200 for a in answers), answers[0].text
    first, second = (a.json() for a in answers)
    assert first == second  # the same orders, the same plan
    assert sorted(p["orders"] for p in first["parcels"]) == [["o1", "o2"], ["o5"]]
    assert all(is_valid(p["sscc"]) for p in first["parcels"])
    assert {(p["row"], p["column"]) for p in first["problems"]} == {
        (3, "weight_kg"),
        (4, "country"),
    }
    totals = first["totals"]
    assert totals["consolidation_ratio"] == 1.5
    assert totals["co2e_wtw_kg_per_order"] < totals["baseline_co2e_wtw_kg_per_order"]
    assert first["paper_sheets_avoided"] == 2 * 5
    last = first["last_mile"]
    assert 0 < last["station_co2e_wtw_kg"] < last["door_co2e_wtw_kg"]
    (day,) = plan_days(world.engine, Caller("acme", "shipper", "k"))
    assert (day["orders"], day["parcels"]) == (3, 2)
    assert plan_days(world.engine, Caller("globex", "shipper", "k")) == []


def test_waybills_are_their_organizations_and_tracking_is_public_without_personal_data(
    world: World,
) -> None:
    """Acme reads its waybill and label; globex gets 404; anyone tracks it, without names."""
    plan = world.client.post(
        "/v1/parcels/plan?store=true", json=plan_body(), headers=world.as_("acme")
    ).json()
    sscc = next(p["sscc"] for p in plan["parcels"] if p["orders"] == ["o1", "o2"])
    mine = world.client.get(f"/v1/waybills/{sscc}", headers=world.as_("acme"))
    assert mine.status_code == 200 and mine.json()["order_ids"] == ["o1", "o2"]
    token = mine.json()["tracking_token"]
    assert world.client.get(f"/v1/waybills/{sscc}", headers=world.as_("globex")).status_code == 404
    label = world.client.get(f"/v1/waybills/{sscc}/label", headers=world.as_("acme"))
    assert label.status_code == 200 and f">;>800{sscc}" in label.text
    assert f"/track/{sscc}?t={token}" in label.text  # the QR code leads to the tracking page
    scans = [
        {"waybill": sscc, "status": "collected", "at": "2026-11-11T12:00:00Z", "place": "Shanghai"},
        {"waybill": sscc, "status": "departed", "at": "2026-11-11T20:00:00Z", "place": "PVG"},
    ]
    for expected in (2, 0):  # sent twice, kept once
        sent = world.client.post(
            "/v1/tracking/events", json={"events": scans}, headers=world.as_("acme")
        )
        assert sent.status_code == 200 and sent.json() == {"rows": expected}, sent.text
    for guess in ("A" * 22, token[:-1] + ("B" if token[-1] != "B" else "C")):
        refused = world.client.get(f"/v1/public/tracking/{sscc}", params={"t": guess})
        assert refused.status_code == 404  # the SSCC alone (sequential) tracks nothing
    assert world.client.get(f"/v1/public/tracking/{sscc}").status_code == 422
    public = world.client.get(f"/v1/public/tracking/{sscc}", params={"t": token})
    assert public.status_code == 200
    view = public.json()
    assert [e["status"] for e in view["events"]] == ["collected", "departed"]
    assert view["status"] == "departed" and view["co2e_wtw_kg"] > 0
    assert view["estimated_arrival"] == "2026-11-16T08:00:00"  # 20:00 + 0.75 x 6 days
    assert not any(word in public.text for word in PERSONAL)
    assert world.client.get(f"/track/{sscc}").status_code == 404
    page = world.client.get(f"/track/{sscc}", params={"t": token})
    assert page.status_code == 200 and "departed" in page.text
    assert not any(word in page.text for word in PERSONAL)
    unknown = world.client.get("/v1/public/tracking/000000000000000000", params={"t": token})
    assert unknown.status_code == 404


def test_scans_of_unknown_or_foreign_waybills_are_refused_whole(world: World) -> None:
    """Globex may not scan acme's parcel: 422 naming the row, nothing stored."""
    plan = world.client.post(
        "/v1/parcels/plan?store=true", json=plan_body(), headers=world.as_("acme")
    ).json()
    sscc = plan["parcels"][0]["sscc"]
    scan = {"waybill": sscc, "status": "at_hub", "at": "2026-11-12T08:00:00", "place": "LGG"}
    answer = world.client.post(
        "/v1/tracking/events", json={"events": [scan]}, headers=world.as_("globex")
    )
    assert answer.status_code == 422 and answer.json()["problems"][0]["row"] == 1
    token = world.client.get(f"/v1/waybills/{sscc}", headers=world.as_("acme")).json()
    public = world.client.get(f"/v1/public/tracking/{sscc}", params={"t": token["tracking_token"]})
    assert public.json()["events"] == []
    bad = scan | {"status": "teleported"}
    refused = world.client.post(
        "/v1/tracking/events", json={"events": [bad]}, headers=world.as_("acme")
    )
    assert refused.status_code == 422


def test_an_sscc_of_another_plan_is_a_conflict_and_auditors_cannot_store(world: World) -> None:
    """A second plan id reusing the same serials: 409, the first plan untouched."""
    first = world.client.post(
        "/v1/parcels/plan?store=true", json=plan_body(), headers=world.as_("acme")
    )
    assert first.status_code == 200
    again = world.client.post(
        "/v1/parcels/plan?store=true", json=plan_body(plan_id="other"), headers=world.as_("acme")
    )
    assert again.status_code == 409
    assert len(plan_days(world.engine, Caller("acme", "shipper", "k"))) == 1
    audit = world.client.post(
        "/v1/parcels/plan?store=true", json=plan_body(), headers=world.as_("audit")
    )
    assert audit.status_code == 403
    bad_route = plan_body(routes=[ROUTE | {"cutoff": "six"}])
    refused = world.client.post("/v1/parcels/plan", json=bad_route, headers=world.as_("acme"))
    assert refused.status_code == 422 and refused.json()["problems"][0]["column"] == "cutoff"
