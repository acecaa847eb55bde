"""Idempotent, all-or-nothing batches.

Replays, conflicts and overlaps, and rollups that never count a TCE twice.
"""

from __future__ import annotations

import pytest

from tests.service.conftest import ROAD, World, csv


def _post(world: World, body: bytes, key: str):  # type: ignore[no-untyped-def]
    headers = world.as_("acme") | {"Idempotency-Key": key, "Content-Type": "text/csv"}
    return world.client.post("/v1/batches", content=body, headers=headers)


def _total(world: World) -> float:
    rows = world.client.get(
        "/v1/emissions/summary", params={"group_by": "shipper"}, headers=world.as_("acme")
    ).json()
    return sum(r["co2e_wtw_kg"] for r in rows)


def _tce_ids(world: World) -> set[str]:
    ids = set()
    for s in world.client.get("/v1/shipments", headers=world.as_("acme")).json():
        detail = world.client.get(
            f"/v1/shipments/acme/{s['shipment_id']}", headers=world.as_("acme")
        )
        ids |= {t["tce_id"] for t in detail.json()["tces"]}
    return ids


BODY = csv(f"S,t1,transport,1000,{ROAD},100", f"S,t2,transport,1000,{ROAD},200")


def test_same_batch_twice_is_a_replay(world: World) -> None:
    """The same batch under the same key is a replay and stores nothing new."""
    first = _post(world, BODY, "k")
    again = _post(world, BODY, "k")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() | {"replayed": True}
    assert _tce_ids(world) == {"t1", "t2"}
    assert _total(world) == pytest.approx(28.5)


def test_same_key_other_body_is_409_and_stores_nothing(world: World) -> None:
    """A key reused for another body is a conflict and stores nothing."""
    assert _post(world, BODY, "k").status_code == 201
    other = csv(f"S,t3,transport,1000,{ROAD},100")
    answer = _post(world, other, "k")
    assert answer.status_code == 409 and answer.json()["code"] == "conflict"
    assert _tce_ids(world) == {"t1", "t2"}


def test_resent_tces_under_a_new_key_change_nothing_and_say_so(world: World) -> None:
    """Re-sent TCEs are reported as already stored and not counted twice."""
    assert _post(world, BODY, "k1").status_code == 201
    answer = _post(world, BODY, "k2")
    assert answer.status_code == 201
    assert (answer.json()["stored"], answer.json()["already_stored"]) == (0, 2)
    assert _total(world) == pytest.approx(28.5)  # the rollups did not count them twice


def test_overlap_stores_only_the_new_tces(world: World) -> None:
    """A batch overlapping stored TCEs stores only the new ones."""
    assert _post(world, BODY, "k1").status_code == 201
    overlap = csv(f"S,t2,transport,1000,{ROAD},200", f"S,t3,transport,1000,{ROAD},300")
    answer = _post(world, overlap, "k2").json()
    assert (answer["stored"], answer["already_stored"]) == (1, 1)
    assert _tce_ids(world) == {"t1", "t2", "t3"}
    assert _total(world) == pytest.approx(57.0)


def test_changed_content_under_a_stored_tce_id_is_409_and_stores_nothing(world: World) -> None:
    """A stored TCE sent with other content refuses the whole batch."""
    assert _post(world, BODY, "k1").status_code == 201
    changed = csv(f"S,t2,transport,5000,{ROAD},200", f"S,t9,transport,1000,{ROAD},300")
    answer = _post(world, changed, "k2")
    assert answer.status_code == 409 and "t2" in answer.json()["message"]
    assert _tce_ids(world) == {"t1", "t2"}  # t9 was not stored either
    assert _total(world) == pytest.approx(28.5)
    assert _post(world, changed, "k2").status_code == 409  # a refused key is not spent
