"""Grants, sessions and keys over the API on SQLite and PostgreSQL, as a tenant would try them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.service.conftest import ROAD, World, csv

CARRIED = "shipper_id,shipment_id,tce_id,kind,mass_kg,toc_id,distance_km"


def _report(world: World, org: str, shipper: str, key: str) -> int:
    body = csv(f"{shipper},S-{key},{key},transport,1000,{ROAD},10", header=CARRIED)
    headers = world.as_(org) | {"Content-Type": "text/csv", "Idempotency-Key": key}
    return world.client.post("/v1/batches", content=body, headers=headers).status_code


def test_a_grant_lets_a_carrier_report_and_read_and_its_revocation_ends_both(
    world: World,
) -> None:
    """Trucks may not report for acme; acme grants it; trucks reports and reads; revoked: 404."""
    assert _report(world, "trucks", "acme", "a") == 404
    granted = world.client.post(
        "/v1/grants", json={"grantee_id": "trucks"}, headers=world.as_("acme")
    )
    assert granted.status_code == 201 and granted.json()["grantee_role"] == "carrier"
    again = world.client.post(
        "/v1/grants", json={"grantee_id": "trucks"}, headers=world.as_("acme")
    )
    assert again.status_code == 200  # a grant stated twice stands once
    assert _report(world, "trucks", "acme", "b") == 201
    mine = world.client.get("/v1/shipments/acme/S-b", headers=world.as_("trucks"))
    assert mine.status_code == 200
    listed = world.client.get("/v1/grants", headers=world.as_("trucks")).json()
    assert [(g["shipper_id"], g["grantee_id"]) for g in listed] == [("acme", "trucks")]
    revoked = world.client.delete("/v1/grants/trucks", headers=world.as_("acme"))
    assert revoked.status_code == 204
    assert (
        world.client.get("/v1/shipments/acme/S-b", headers=world.as_("trucks")).status_code == 404
    )
    assert _report(world, "trucks", "acme", "c") == 404
    assert world.client.get("/v1/shipments/acme/S-b", headers=world.as_("acme")).status_code == 200


def test_refusals_do_not_tell_whether_another_organization_exists(world: World) -> None:
    """A carrier naming a real but unrelated shipper hears what it hears for a made-up one."""
    real = csv(f"acme,S,x1,transport,1000,{ROAD},10", header=CARRIED)
    made_up = csv(f"nobody,S,x1,transport,1000,{ROAD},10", header=CARRIED)
    answers = []
    for body in (real, made_up):
        headers = world.as_("trucks") | {"Content-Type": "text/csv", "Idempotency-Key": "same"}
        answer = world.client.post("/v1/batches", content=body, headers=headers)
        answers.append((answer.status_code, answer.json()["message"].replace("nobody", "acme")))
    assert answers[0] == answers[1] and answers[0][0] == 404


def test_only_carriers_and_auditors_are_granted_and_only_by_their_shipper(world: World) -> None:
    """A shipper cannot be granted, a carrier cannot grant, nor a shipper for another shipper."""
    to_shipper = world.client.post(
        "/v1/grants", json={"grantee_id": "globex"}, headers=world.as_("acme")
    )
    unknown = world.client.post(
        "/v1/grants", json={"grantee_id": "nobody"}, headers=world.as_("acme")
    )
    assert to_shipper.status_code == unknown.status_code == 404
    assert to_shipper.json()["message"].replace("globex", "nobody") == unknown.json()["message"]
    by_carrier = world.client.post(
        "/v1/grants",
        json={"grantee_id": "trucks", "shipper_id": "globex"},
        headers=world.as_("haul"),
    )
    for_another = world.client.post(
        "/v1/grants",
        json={"grantee_id": "trucks", "shipper_id": "globex"},
        headers=world.as_("acme"),
    )
    assert by_carrier.status_code == for_another.status_code == 404
    misspelt = world.client.post(
        "/v1/grants", json={"grantee": "trucks"}, headers=world.as_("acme")
    )
    assert misspelt.status_code == 422


def test_a_key_request_with_an_unknown_field_is_refused(world: World) -> None:
    """POST /v1/keys with ``days`` (not ``valid_days``) is 422, not a silent 365-day key."""
    answer = world.client.post(
        "/v1/keys", json={"organization_id": "acme", "days": 3}, headers=world.as_("net")
    )
    assert answer.status_code == 422 and "days" in answer.text


def _signed_in(world: World, org: str) -> tuple[TestClient, str]:
    browser = TestClient(world.client.app, base_url="https://testserver")
    form = browser.get("/dashboard/sign-in")
    before = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert before is not None
    signed = browser.post(
        "/dashboard/sign-in",
        data={"api_key": world.keys[org], "csrf": before.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    page = browser.get("/dashboard/shipments")
    after = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert after is not None and after.group(1) != before.group(1)  # renewed at sign-in
    return browser, after.group(1)


def test_the_cookie_is_a_random_id_and_a_copy_dies_with_sign_out(world: World) -> None:
    """The cookie holds no key; after sign-out a copied cookie opens nothing."""
    browser, csrf = _signed_in(world, "acme")
    cookie = browser.cookies.get("greenlane_session")
    assert cookie and world.keys["acme"] not in cookie and len(cookie) < 64
    thief = TestClient(world.client.app, base_url="https://testserver")
    thief.cookies.set("greenlane_session", cookie)
    assert thief.get("/dashboard/shipments", follow_redirects=False).status_code == 200
    browser.post("/dashboard/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert thief.get("/dashboard/shipments", follow_redirects=False).status_code == 303


def test_revoking_the_key_ends_its_sessions(world: World) -> None:
    """A session signed in with a key ends when the operator revokes the key."""
    browser, _ = _signed_in(world, "acme")
    keys = world.client.get("/v1/keys", headers=world.as_("net")).json()
    key_id = next(k["id"] for k in keys if k["organization_id"] == "acme")
    assert world.client.delete(f"/v1/keys/{key_id}", headers=world.as_("net")).status_code == 204
    assert browser.get("/dashboard/shipments", follow_redirects=False).status_code == 303


def test_cookies_are_secure_except_on_plain_http_to_this_machine(world: World) -> None:
    """Secure over HTTPS or to another host; not on plain http://127.0.0.1 (no TLS there)."""
    for base, secure in (
        ("https://testserver", True),
        ("http://greenlane.example", True),
        ("http://127.0.0.1:8000", False),
    ):
        browser = TestClient(world.client.app, base_url=base)
        header = browser.get("/dashboard/sign-in").headers["set-cookie"]
        assert ("secure" in header.lower()) == secure, (base, header)
        assert "httponly" in header.lower() and "samesite=strict" in header.lower()


def test_failed_sign_ins_and_bad_keys_are_rate_limited(world: World) -> None:
    """Ten failed sign-ins a minute, thirty invalid keys: then 429 with Retry-After."""
    browser = TestClient(world.client.app, base_url="https://testserver")
    statuses = [
        browser.post("/dashboard/sign-in", data={"api_key": "x", "csrf": "y"}).status_code
        for _ in range(11)
    ]
    assert statuses == [403] * 10 + [429]
    bad = {"X-API-Key": "gl_0000000000000000_" + "x" * 43}
    answers = [world.client.get("/v1/shipments", headers=bad) for _ in range(31)]
    assert [a.status_code for a in answers] == [401] * 30 + [429]
    assert answers[-1].headers["retry-after"] == "60"
    assert world.client.get("/v1/shipments", headers=world.as_("acme")).status_code == 200


def test_every_answer_carries_the_security_headers(world: World) -> None:
    """CSP without inline script, nosniff, no framing, no referrer, on pages and JSON alike."""
    for path in ("/dashboard/sign-in", "/v1/health", "/v1/shipments"):
        headers = world.client.get(path).headers
        assert "script-src 'self';" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"].split("style-src")[0]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_a_granted_carrier_numbers_its_tces_apart_from_the_shippers_own(world: World) -> None:
    """Globex's own t1 and the t1 its carrier reports are two TCEs; neither learns of the other."""
    own = csv(f"S,t1,transport,1000,{ROAD},10")
    headers = world.as_("globex") | {"Content-Type": "text/csv", "Idempotency-Key": "own"}
    assert world.client.post("/v1/batches", content=own, headers=headers).status_code == 201
    carried = csv(f"globex,S,t1,transport,2000,{ROAD},10", header=CARRIED)
    headers = world.as_("haul") | {"Content-Type": "text/csv", "Idempotency-Key": "carried"}
    answer = world.client.post("/v1/batches", content=carried, headers=headers)
    assert answer.status_code == 201 and answer.json()["stored"] == 1  # not "already stored"
    chain = world.client.get("/v1/shipments/globex/S", headers=world.as_("globex")).json()
    reporters = sorted((t["reporter_id"], t["mass_kg"]) for t in chain["tces"])
    assert reporters == [("globex", 1000.0), ("haul", 2000.0)]  # the shipper sees who said what
    seen = world.client.get("/v1/shipments/globex/S", headers=world.as_("haul")).json()
    assert [t["mass_kg"] for t in seen["tces"]] == [2000.0]
    changed = csv(f"globex,S,t1,transport,3000,{ROAD},10", header=CARRIED)
    headers = world.as_("haul") | {"Content-Type": "text/csv", "Idempotency-Key": "changed"}
    again = world.client.post("/v1/batches", content=changed, headers=headers)
    assert again.status_code == 409  # its own t1, changed
