"""Script planted in stored strings never runs, in real Chromium, on SQLite and PostgreSQL.

A carrier that acme granted reports a TCE whose id and hub category are script; acme stores a
packed order, ledger rows, an ESG target's scope, a route plan's stop and a relief plan's area
with script in them; acme and the operator then open every page that shows them, and the
ISO 14083 report. The payload must show as text, no script of it may run, and our own pages
must cause no Content-Security-Policy violation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Browser, Page

from greenlane.store import connect
from greenlane.store.access import Caller, create_organization, issue_key
from greenlane.store.policy import grant
from greenlane.store.tables import Role
from tests.routing.test_cli_routing import PLACES
from tests.service.conftest import (
    DATABASES,
    ROAD,
    empty_database,
    free_port,
    postgres_url,
    start_server,
)
from tests.service.test_relief_api import relief_body
from tests.service.test_routing_api import body as route_body
from tests.service.test_routing_api import rows as csv_rows
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser
__all__ = ["postgres_url"]  # the PostgreSQL database fixture, shared with the service tests
PAYLOAD = "</script><script>window.__pwned=1</script><img src=x onerror=window.__pwned=2>"
PAGES = {  # each page that shows the payload, and who sees it draw charts
    "/dashboard": {"acme", "net"},
    "/dashboard/shipments": set(),
    "/dashboard/shipments/acme/S1": {"acme", "net"},
    "/dashboard/packing": {"acme", "net"},
    "/dashboard/esg": {"acme"},  # acme's ESG target; the operator's own ESG has none
}


@pytest.fixture(params=DATABASES)
def planted(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A server whose store holds the payload in every string a page shows; base URL, keys."""
    url = empty_database(request, tmp_path)
    engine = connect(url)
    keys = {}
    for org, role in (("acme", "shipper"), ("haul", "carrier"), ("net", "operator")):
        create_organization(engine, org, org.title(), role)
        keys[org] = issue_key(engine, org)[1]
    grant(engine, Caller("net", Role.OPERATOR, "test"), "acme", "haul")
    engine.dispose()
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        _plant(base, keys)
        yield base, keys
    finally:
        server.kill()
        server.wait()


def _plant(base: str, keys: dict[str, str]) -> None:
    haul, acme = {"X-API-Key": keys["haul"]}, {"X-API-Key": keys["acme"]}
    hocs = f'hoc_id,co2e_intensity_wtw\n"{PAYLOAD}",5\n'
    put = httpx2.put(f"{base}/v1/factors/hocs", content=hocs,
                     headers=haul | {"Content-Type": "text/csv"})  # fmt: skip
    assert put.status_code == 200, put.text
    rows = [
        {"shipper_id": "acme", "shipment_id": "S1", "tce_id": PAYLOAD, "kind": "transport",
         "mass_kg": 1000, "toc_id": ROAD, "distance_km": 100,
         "departure_at": "2026-03-02T08:00:00Z", "origin": "CNSHA", "destination": "CNNGB"},
        {"shipper_id": "acme", "shipment_id": "S1", "tce_id": "hub", "kind": "hub",
         "mass_kg": 1000, "hoc_id": PAYLOAD, "departure_at": "2026-03-03T08:00:00Z"},
    ]  # fmt: skip
    sent = httpx2.post(f"{base}/v1/batches", json=rows, headers=haul | {"Idempotency-Key": "p"})
    assert sent.status_code == 201, sent.text
    order = {
        "order_id": PAYLOAD,
        "items": [{"item_id": PAYLOAD, "length_cm": 10.0, "width_cm": 10.0, "height_cm": 10.0,
                   "weight_kg": 1.0}],
    }  # fmt: skip
    carton = {"carton_id": "M", "length_cm": 30.0, "width_cm": 20.0, "height_cm": 15.0,
              "max_weight_kg": 20.0, "board_kg": 0.25}  # fmt: skip
    packed = httpx2.post(
        f"{base}/v1/packing/plans?store=true",
        json={"orders": [order], "cartons": [carton]},
        headers=acme,
    )
    assert packed.status_code == 200, packed.text
    ledger = [{"site": PAYLOAD, "period_start": "2026-01-01", "period_end": "2026-01-31",
               "metric": "fuel.diesel", "quantity": 10, "unit": "l",
               "source": PAYLOAD}]  # fmt: skip
    kept = httpx2.post(f"{base}/v1/esg/ledger", json={"rows": ledger}, headers=acme)
    assert kept.status_code == 200, kept.text
    target = {"kpi_id": "scope1_t", "kind": "absolute", "scope": PAYLOAD, "base_year": "FY2024",
              "base_value": 4.0, "target_year": "FY2030", "target_value": 1.0}  # fmt: skip
    aimed = httpx2.put(f"{base}/v1/esg/targets/cut", json=target, headers=acme)
    assert aimed.status_code == 200, aimed.text
    places = csv_rows(PLACES.replace("\ns1,", f"\n{PAYLOAD.replace(',', ' ')},"))
    routed = httpx2.post(
        f"{base}/v1/routes/plan?store=true", json=route_body(places=places), headers=acme
    )
    assert routed.status_code == 200, routed.text
    event = relief_body()
    event["event"]["areas"][0]["area_id"] = PAYLOAD
    planned = httpx2.post(f"{base}/v1/relief/plan?store=true", json=event, headers=acme)
    assert planned.status_code == 200, planned.text


def _watched(browser: Browser) -> tuple[Page, list[str]]:
    """A page that records console errors, page errors and dialogs."""
    page = browser.new_page()
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    page.on("dialog", lambda d: (seen.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("response", lambda r: seen.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    return page, seen


@pytest.mark.parametrize("org", ["acme", "net"])
def test_planted_script_shows_as_text_and_never_runs(
    planted: tuple[str, dict[str, str]], browser: Browser, org: str
) -> None:
    """On every page that shows the payload: no script of it runs, no CSP violation."""
    base, keys = planted
    page, seen = _watched(browser)
    sign_in(page, base, keys[org])
    for path, charts in PAGES.items():
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None, path
        if org in charts:  # our own scripts did run
            assert page.locator(".js-plotly-plot").count() > 0, path
    page.goto(f"{base}/dashboard/shipments/acme/S1")
    assert PAYLOAD in page.inner_text("body")  # shown, as text
    assert seen == [], seen


def test_the_report_holds_the_payload_as_data(
    planted: tuple[str, dict[str, str]], browser: Browser, tmp_path: Path
) -> None:
    """The downloaded ISO 14083 report opened from disk: the payload is text, nothing runs."""
    base, keys = planted
    page, seen = _watched(browser)
    sign_in(page, base, keys["acme"])
    report = page.request.get(f"{base}/dashboard/downloads/report.html")
    assert report.status == 200
    saved = tmp_path / "report.html"
    saved.write_bytes(report.body())
    page.goto(saved.as_uri())
    assert page.evaluate("window.__pwned") is None
    assert PAYLOAD in page.inner_text("body")
    assert seen == [], seen
