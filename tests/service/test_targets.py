"""Targets over the API, and the data-quality sums behind the primary-data share."""

from __future__ import annotations

import pytest

from tests.service.conftest import ROAD, World, csv
from tests.service.test_api import upload

DATED = "shipment_id,tce_id,kind,mass_kg,toc_id,distance_km,departure_at"
TOCS = csv(
    "my.truck,road,diesel,100,l,EU,,,1000",
    header="toc_id,mode,source,quantity,unit,region,ef_wtw_kg_per_unit,ef_ttw_kg_per_unit,transport_activity_tkm",
)


def _two_years(world: World) -> None:
    """Acme ships the same road leg in 2025 and twice in 2026."""
    body = csv(
        f"A,a1,transport,10000,{ROAD},100,2025-03-01",
        f"B,b1,transport,10000,{ROAD},100,2026-03-01",
        f"B,b2,transport,10000,{ROAD},100,2026-04-01",
        header=DATED,
    )
    assert upload(world, "acme", body).status_code == 201


def test_a_target_measures_its_base_and_reports_each_years_gap(world: World) -> None:
    """Without base_value the base year's stored WTW sets it; 2026 doubled, so it is behind."""
    _two_years(world)
    put = world.client.put(
        "/v1/targets/halve",
        json={"metric": "co2e_wtw_t", "base_year": 2025, "target_year": 2030, "target_value": 0.0},
        headers=world.as_("acme"),
    )
    assert put.status_code == 200, put.text
    body = put.json()
    base = body["base_value"]
    assert base > 0 and body["reduction_pct"] == pytest.approx(100.0)
    y2025, y2026 = body["progress"]
    assert (y2025["year"], y2025["actual"], y2025["gap"]) == (2025, pytest.approx(base), 0.0)
    # 2026 emitted twice the base; the path allows 4/5 of it: the gap is 1.2 x base
    assert y2026["actual"] == pytest.approx(2 * base)
    assert y2026["allowed"] == pytest.approx(0.8 * base)
    assert y2026["gap"] == pytest.approx(1.2 * base) and y2026["on_track"] is False
    listed = world.client.get("/v1/targets", headers=world.as_("acme")).json()
    assert listed == [body]
    assert world.client.get("/v1/targets", headers=world.as_("globex")).json() == []


def test_targets_are_refused_when_untrackable_or_for_auditors(world: World) -> None:
    """No data in the base year and no base_value, not a reduction, or an auditor: refused."""
    target = {"metric": "co2e_wtw_t", "base_year": 2020, "target_year": 2030, "target_value": 1}
    no_base = world.client.put("/v1/targets/t", json=target, headers=world.as_("acme"))
    assert no_base.status_code == 422 and "give base_value" in no_base.json()["message"]
    rising = target | {"base_value": 1, "target_value": 2}
    assert (
        world.client.put("/v1/targets/t", json=rising, headers=world.as_("acme")).status_code == 422
    )
    stated = target | {"base_value": 5}
    assert (
        world.client.put("/v1/targets/t", json=stated, headers=world.as_("audit")).status_code
        == 403
    )
    assert world.client.get("/v1/targets", headers=world.as_("acme")).json() == []


def test_summaries_split_wtw_by_data_category(world: World) -> None:
    """A leg priced on the shipper's own TOC counts as primary, a GLEC leg as default."""
    headers = world.as_("acme") | {"Content-Type": "text/csv"}
    assert world.client.put("/v1/factors/tocs", content=TOCS, headers=headers).status_code == 200
    body = csv("P,p1,transport,1000,my.truck,100", f"D,d1,transport,1000,{ROAD},100")
    assert upload(world, "acme", body).status_code == 201
    (row,) = world.client.get(
        "/v1/emissions/summary?group_by=shipper", headers=world.as_("acme")
    ).json()
    by_tce = {
        t["tce_id"]: t["co2e_wtw_kg"]
        for s in ("P", "D")
        for t in world.client.get(f"/v1/shipments/acme/{s}", headers=world.as_("acme")).json()[
            "tces"
        ]
    }
    assert row["primary_wtw_kg"] == pytest.approx(by_tce["p1"])
    assert row["default_wtw_kg"] == pytest.approx(by_tce["d1"])
    assert row["modelled_wtw_kg"] == 0.0
    total = row["primary_wtw_kg"] + row["default_wtw_kg"]
    assert total == pytest.approx(row["co2e_wtw_kg"])


def test_a_shipment_across_batches_is_listed_once_with_its_sums(world: World) -> None:
    """A later batch adding an earlier TCE to a shipment moves its month back and adds up."""
    first = csv(f"S,s1,transport,1000,{ROAD},100,2026-03-01", header=DATED)
    second = csv(f"S,s0,transport,1000,{ROAD},50,2026-01-15", header=DATED)
    assert upload(world, "acme", first, key="1").status_code == 201
    assert upload(world, "acme", second, key="2").status_code == 201
    assert upload(world, "acme", second, key="3").json()["stored"] == 0  # the same TCE again
    (listed,) = world.client.get("/v1/shipments", headers=world.as_("acme")).json()
    chain = world.client.get("/v1/shipments/acme/S", headers=world.as_("acme")).json()
    assert (listed["tces"], listed["month"]) == (2, "2026-01")
    assert listed["co2e_wtw_kg"] == pytest.approx(chain["totals"]["co2e_wtw_kg"])
    assert world.client.get("/v1/shipments", headers=world.as_("globex")).json() == []


def test_a_target_with_a_boolean_for_a_number_is_422(world: World) -> None:
    """``"target_value": false`` is refused, not read as 0 (the API accepts what it documents)."""
    target = {"metric": "co2e_wtw_t", "base_year": 2025, "base_value": 120.0, "target_year": 2030}
    answer = world.client.put(
        "/v1/targets/t", json=target | {"target_value": False}, headers=world.as_("acme")
    )
    assert answer.status_code == 422
    answer = world.client.put(
        "/v1/targets/t", json=target | {"target_value": 60}, headers=world.as_("acme")
    )
    assert answer.status_code == 200, answer.text
