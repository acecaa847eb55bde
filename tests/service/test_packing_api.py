"""Packing over the API: one order at pack time, a batch, and refusals."""

from __future__ import annotations

from greenlane.packing.checker import check
from greenlane.packing.model import Carton, Item, Placement
from greenlane.store.access import Caller
from greenlane.store.packing import packing_totals, recent_plans
from tests.service.conftest import World

CARTONS = [
    {
        "carton_id": "S",
        "length_cm": 20.0,
        "width_cm": 20.0,
        "height_cm": 20.0,
        "max_weight_kg": 20.0,
        "board_kg": 0.3,
    },
    {
        "carton_id": "XL",
        "length_cm": 30.0,
        "width_cm": 30.0,
        "height_cm": 30.0,
        "max_weight_kg": 30.0,
        "board_kg": 0.5,
    },
]
CUBES = {
    "item_id": "c",
    "length_cm": 10.0,
    "width_cm": 10.0,
    "height_cm": 10.0,
    "weight_kg": 0.5,
    "quantity": 8,
}


def test_one_order_at_pack_time_gets_a_checked_plan(world: World) -> None:
    """Eight cubes: carton S, eight placements that pass the checker."""
    body = {"order_id": "o1", "items": [CUBES], "cartons": CARTONS}
    answer = world.client.post("/v1/packing/plan", json=body, headers=world.as_("acme"))
    assert answer.status_code == 200, answer.text
    (carton,) = answer.json()["cartons"]
    assert carton["carton_id"] == "S" and carton["fill_rate"] == 1.0
    cube = Item("c", 10, 10, 10, 0.5, quantity=8)
    placements = [
        Placement(cube, p["unit"], p["x"], p["y"], p["z"], p["dx"], p["dy"], p["dz"])
        for p in carton["placements"]
    ]
    assert len(placements) == 8 and check(Carton("S", 20, 20, 20, 20, 0.3), placements) == []


def test_a_batch_refuses_what_fits_no_carton_and_packs_the_rest(world: World) -> None:
    """A 50 cm rod is refused with its reason; the other order ships in S."""
    rod = {"item_id": "rod", "length_cm": 50.0, "width_cm": 2.0, "height_cm": 2.0, "weight_kg": 1.0}
    body = {
        "orders": [{"order_id": "o1", "items": [CUBES]}, {"order_id": "o2", "items": [rod]}],
        "cartons": CARTONS,
        "objective": "cost",
    }
    answer = world.client.post("/v1/packing/plans", json=body, headers=world.as_("audit"))
    assert answer.status_code == 200, answer.text
    first, second = answer.json()
    assert len(first["cartons"]) == 1 and second["cartons"] == []
    assert "larger than every carton" in second["refused"][0]["reason"]


def test_bad_items_are_422_naming_the_field_and_no_key_is_401(world: World) -> None:
    """A negative side is refused with its location; without a key nothing is computed."""
    bad = CUBES | {"length_cm": -1.0}
    body = {"order_id": "o1", "items": [bad], "cartons": CARTONS}
    answer = world.client.post("/v1/packing/plan", json=body, headers=world.as_("acme"))
    assert answer.status_code == 422
    assert any("length_cm" in p["column"] for p in answer.json()["problems"])
    assert world.client.post("/v1/packing/plan", json=body).status_code == 401


def test_stored_plans_are_kept_per_organization_and_replaced_when_repacked(world: World) -> None:
    """One row for o1 stored twice; globex sees none, the operator all; auditors may not store."""
    body = {"orders": [{"order_id": "o1", "items": [CUBES]}], "cartons": CARTONS}
    for _ in range(2):
        answer = world.client.post(
            "/v1/packing/plans?store=true", json=body, headers=world.as_("acme")
        )
        assert answer.status_code == 200, answer.text
    acme, globex = Caller("acme", "shipper", "k"), Caller("globex", "shipper", "k")
    totals = packing_totals(world.engine, acme)
    assert totals is not None and totals["orders"] == 1
    assert totals["board_kg"] == 0.3 and totals["baseline_board_kg"] == 0.3  # S both ways
    assert packing_totals(world.engine, globex) is None
    assert [r["order_id"] for r in recent_plans(world.engine, Caller("net", "operator", "k"))] == [
        "o1"
    ]
    audit = world.client.post("/v1/packing/plans?store=true", json=body, headers=world.as_("audit"))
    assert audit.status_code == 403
    twice = body | {"orders": body["orders"] * 2}
    assert (
        world.client.post("/v1/packing/plans", json=twice, headers=world.as_("acme")).status_code
        == 422
    )


def test_storing_an_order_whose_only_item_no_carton_carries_is_fine(world: World) -> None:
    """A 99,999 kg item refused by every carton: stored with nothing on either side (no 500)."""
    anvil = {
        "item_id": "anvil",
        "length_cm": 1.0,
        "width_cm": 1.0,
        "height_cm": 1.0,
        "weight_kg": 99999.0,
    }
    body = {"order_id": "o9", "items": [anvil], "cartons": CARTONS}
    answer = world.client.post("/v1/packing/plan?store=true", json=body, headers=world.as_("acme"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["cartons"] == [] and answer.json()["refused"][0]["item_id"] == "anvil"
    totals = packing_totals(world.engine, Caller("acme", "shipper", "k"))
    assert totals is not None and totals["board_kg"] == 0 and totals["baseline_board_kg"] == 0
    garbled = world.client.post(
        "/v1/packing/plan",
        content=b"\xff\x00{",
        headers=world.as_("acme") | {"Content-Type": "application/json"},
    )
    assert garbled.status_code == 400
