"""Tenant isolation: role x endpoint x owner, every cell, against the real database.

Three shipments exist: acme's own (A1), globex's own (G1), and one the carrier ``haul``
uploaded for globex (C1), which granted ``haul`` and ``audit``. Each organization sees exactly
its cells; anything else is 404 (never 403, never a number).
"""

from __future__ import annotations

import pytest

from tests.service.conftest import ORGS, ROAD, World, csv

SHIPMENTS = {("acme", "A1"), ("globex", "G1"), ("globex", "C1")}
VISIBLE = {
    "net": SHIPMENTS,
    "audit": {("globex", "G1"), ("globex", "C1")},
    "acme": {("acme", "A1")},
    "globex": {("globex", "G1"), ("globex", "C1")},
    "haul": {("globex", "C1")},
    "trucks": set(),
}


def _post(world: World, org: str, body: bytes, key: str) -> int:
    headers = world.as_(org) | {"Idempotency-Key": key, "Content-Type": "text/csv"}
    return world.client.post("/v1/batches", content=body, headers=headers).status_code


@pytest.fixture
def network(world: World) -> World:
    """The three shipments, uploaded by their owners and by the carrier."""
    assert _post(world, "acme", csv(f"A1,a,transport,1000,{ROAD},100"), "a") == 201
    assert _post(world, "globex", csv(f"G1,g,transport,2000,{ROAD},100"), "g") == 201
    carried = csv(
        f"globex,C1,c,transport,3000,{ROAD},100",
        header="shipper_id,shipment_id,tce_id,kind,mass_kg,toc_id,distance_km",
    )
    assert _post(world, "haul", carried, "c") == 201
    return world


WTW = {("acme", "A1"): 9.5, ("globex", "G1"): 19.0, ("globex", "C1"): 28.5}


@pytest.mark.parametrize("org", sorted(ORGS))
@pytest.mark.parametrize("owner", sorted(SHIPMENTS))
def test_get_shipment(network: World, org: str, owner: tuple[str, str]) -> None:
    """A shipment is readable exactly by the organizations that may see it; others get 404."""
    answer = network.client.get(f"/v1/shipments/{owner[0]}/{owner[1]}", headers=network.as_(org))
    if owner in VISIBLE[org]:
        assert answer.status_code == 200
        assert answer.json()["totals"]["co2e_wtw_kg"] == pytest.approx(WTW[owner])
    else:
        assert answer.status_code == 404
        assert "co2e" not in answer.text


@pytest.mark.parametrize("org", sorted(ORGS))
def test_list_summary_report_export(network: World, org: str) -> None:
    """Lists, summaries, reports and exports hold exactly the caller's shipments."""
    headers = network.as_(org)
    listed = network.client.get("/v1/shipments", headers=headers).json()
    assert {(s["shipper_id"], s["shipment_id"]) for s in listed} == VISIBLE[org]
    expected = sum(WTW[s] for s in VISIBLE[org])
    by_shipper = network.client.get(
        "/v1/emissions/summary", params={"group_by": "shipper"}, headers=headers
    ).json()
    assert {r["key"] for r in by_shipper} == {s for s, _ in VISIBLE[org]}
    assert sum(r["co2e_wtw_kg"] for r in by_shipper) == pytest.approx(expected)
    report = network.client.get("/v1/reports/iso14083", headers=headers)
    if not VISIBLE[org]:  # nothing to report on is a 404, as for a period without data
        assert report.status_code == 404
        return
    assert report.json()["totals"]["co2e_wtw_kg"] == pytest.approx(expected)
    exported = network.client.get("/v1/exports/ileap", headers=headers).json()["data"]
    assert {f["shipmentId"] for f in exported} == {s for _, s in VISIBLE[org]}


@pytest.mark.parametrize("org", sorted(ORGS))
def test_writes_by_role(network: World, org: str) -> None:
    """Uploads succeed or are refused by role and owner, and a refusal stores nothing."""
    own = csv(f"W,w-{org},transport,1000,{ROAD},1")
    for_acme = csv(
        f"acme,W,w2-{org},transport,1000,{ROAD},1",
        header="shipper_id,shipment_id,tce_id,kind,mass_kg,toc_id,distance_km",
    )
    if org == "audit":
        assert _post(network, org, own, "w") == 403
        assert _post(network, org, for_acme, "w2") == 403
    elif org in ("acme", "globex"):
        assert _post(network, org, own, "w") == 201  # their own, shipper_id filled in
        assert _post(network, org, for_acme, "w2") == (201 if org == "acme" else 404)
    else:  # operator and carriers upload for a named shipper only; acme granted no carrier
        assert _post(network, org, own, "w") == 422
        assert _post(network, org, for_acme, "w2") == (201 if org == "net" else 404)
    stored = network.client.get("/v1/shipments/acme/W", headers=network.as_("net"))
    ids = {t["tce_id"] for t in stored.json()["tces"]} if stored.status_code == 200 else set()
    assert (f"w2-{org}" in ids) == (org in ("net", "acme"))  # refused: nothing stored


@pytest.mark.parametrize("org", sorted(ORGS))
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/v1/keys", None),
        ("post", "/v1/keys", {"organization_id": "acme"}),
        ("delete", "/v1/keys/0000000000000000", None),
        ("post", "/v1/organizations", {"id": "newco", "name": "N", "role": "shipper"}),
    ],
)
def test_access_management_is_operator_only(
    network: World, org: str, method: str, path: str, body: dict[str, str] | None
) -> None:
    """Only the operator manages organizations and keys."""
    kwargs = {"json": body} if body else {}
    answer = network.client.request(method, path, headers=network.as_(org), **kwargs)
    if org == "net":
        assert answer.status_code in (200, 201, 404)  # 404: the made-up key id to revoke
    else:
        assert answer.status_code == 403


@pytest.mark.parametrize("org", sorted(ORGS))
def test_primary_data_upload_by_role(network: World, org: str) -> None:
    """Every role but the auditor may upload its own primary data."""
    tocs = csv(
        "t,road,diesel,1,l,EU,1",
        header="toc_id,mode,source,quantity,unit,region,transport_activity_tkm",
    )
    answer = network.client.put(
        "/v1/factors/tocs", content=tocs, headers=network.as_(org) | {"Content-Type": "text/csv"}
    )
    assert answer.status_code == (403 if org == "audit" else 200)
