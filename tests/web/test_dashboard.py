"""The dashboard in real headless Chromium (Debian's), driven by Playwright, on a real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Browser, Page

from greenlane.store import connect, upgrade
from greenlane.store.access import create_organization, issue_key, revoke_key
from greenlane.store.parcels import register_prefix
from tests.io.test_workbook import read_workbook
from tests.service.conftest import ROAD, csv, free_port, start_server, wait_ready
from tests.service.test_parcels_api import PERSONAL, plan_body
from tests.service.test_relief_api import relief_body
from tests.service.test_routing_api import body as route_body
from tests.traceability.world import document, pool
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser
BATCH = csv(
    f"S1,t1,transport,1000,{ROAD},,2026-01-10,CNSHA,CNNGB,",
    "S1,t2,transport,1000,air.unknown.long_haul,,2026-02-10,PVG,LGG,",
    "S1,t3,hub,1000,,,2026-02-11,,,hub.transshipment.ambient",
    f"S2,u1,transport,500,{ROAD},,2026-03-05,CNNGB,CNSHA,",
    header="shipment_id,tce_id,kind,mass_kg,toc_id,distance_km,departure_at,origin,destination,hoc_id",
)
TARGET = {
    "metric": "intensity_wtw_g_per_tkm",
    "base_year": 2025,
    "base_value": 900.0,
    "target_year": 2030,
    "target_value": 450.0,
}
PACKING = {
    "orders": [
        {
            "order_id": "ORD-1",
            "items": [
                {
                    "item_id": "mug",
                    "length_cm": 12.0,
                    "width_cm": 9.0,
                    "height_cm": 10.0,
                    "weight_kg": 0.4,
                    "quantity": 3,
                },
                {
                    "item_id": "book",
                    "length_cm": 24.0,
                    "width_cm": 17.0,
                    "height_cm": 3.0,
                    "weight_kg": 0.6,
                },
            ],
        }
    ],
    "cartons": [
        {
            "carton_id": "M",
            "length_cm": 30.0,
            "width_cm": 20.0,
            "height_cm": 15.0,
            "max_weight_kg": 20.0,
            "board_kg": 0.25,
        },
        {
            "carton_id": "L",
            "length_cm": 50.0,
            "width_cm": 40.0,
            "height_cm": 30.0,
            "max_weight_kg": 30.0,
            "board_kg": 0.6,
        },
    ],
}
DRAWN = {  # each chart and what Plotly draws for its data points
    "#by_month": ".bars path",
    "#intensity": ".scatterlayer .point",
    "#data_quality": ".slice path",
    "#target_halve": ".scatterlayer .point",
    "#by_mode": ".bars path",
    "#by_hub": ".bars path",
    "#top_lanes": ".bars path",
    "#lane_map": ".scattergeo .js-line",
    "#packing": ".bars path",
    "#consolidation": ".bars path",
    "#route_map": ".scattergeo .js-line",
    "#relief": ".bars path",
    "#containers": ".bars path",
}
OUTPUT = Path(os.environ.get("GREENLANE_TEST_OUTPUT", "test-output")) / "screenshots"


def _shot(page: Page, name: str) -> None:
    """Save a full-page screenshot under the test run's output folder."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A server with two shippers, one holding a batch: its base URL and the keys."""
    url = f"sqlite:///{tmp_path / 'greenlane.db'}"
    upgrade(url)
    engine = connect(url)
    keys = {}
    for org, role in (("acme", "shipper"), ("globex", "shipper"), ("net", "operator")):
        create_organization(engine, org, org.title(), role)
        keys[org] = issue_key(engine, org)[1]
    register_prefix(engine, "acme", "0614141")
    keys["revoked-id"], keys["revoked"] = issue_key(engine, "acme")
    revoke_key(engine, keys["revoked-id"])
    engine.dispose()
    port = free_port()
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    headers = {"X-API-Key": keys["acme"], "Idempotency-Key": "b", "Content-Type": "text/csv"}
    assert httpx2.post(f"{base}/v1/batches", content=BATCH, headers=headers).status_code == 201
    auth = {"X-API-Key": keys["acme"]}
    target = httpx2.put(f"{base}/v1/targets/halve", json=TARGET, headers=auth)
    assert target.status_code == 200, target.text
    packed = httpx2.post(f"{base}/v1/packing/plans?store=true", json=PACKING, headers=auth)
    assert packed.status_code == 200, packed.text
    parcels = httpx2.post(f"{base}/v1/parcels/plan?store=true", json=plan_body(), headers=auth)
    assert parcels.status_code == 200, parcels.text
    routes = httpx2.post(f"{base}/v1/routes/plan?store=true", json=route_body(), headers=auth)
    assert routes.status_code == 200, routes.text
    relief = httpx2.post(f"{base}/v1/relief/plan?store=true", json=relief_body(), headers=auth)
    assert relief.status_code == 200, relief.text
    captured = httpx2.post(f"{base}/epcis/capture", json=document(pool()), headers=auth)
    assert captured.status_code == 202, captured.text
    job = f"{base}{captured.headers['Location']}"
    for _ in range(100):  # the capture job runs after the answer: wait for it
        if not httpx2.get(job, headers=auth).json()["running"]:
            break
        time.sleep(0.05)
    report = httpx2.post(f"{base}/v1/containers/report?as_of=2026-03-25T00:00:00Z", headers=auth)
    assert report.status_code == 200 and report.json()["fleet"]["trips"] == 12, report.text
    yield base, keys
    server.kill()
    server.wait()


def test_sign_in_overview_with_drawn_charts_and_sign_out(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """A shipper signs in, sees every chart drawn with data over the basemap, and signs out."""
    base, keys = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/dashboard")
    assert page.url.endswith("/dashboard/sign-in")
    _shot(page, "sign-in")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits(page, 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("input[name=api_key]", keys["acme"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard")
    for chart, points in DRAWN.items():  # every chart has data points drawn, not an empty frame
        page.wait_for_selector(f"{chart} {points}", state="attached")
        assert page.locator(f"{chart} {points}").count() > 0, chart
    bars = page.locator("#top_lanes .bars path").evaluate_all(
        "paths => paths.filter(p => !/H0V/.test(p.getAttribute('d'))).length"
    )  # Plotly keeps an empty (zero-width) bar where a lane has no TCE of a mode
    assert bars == 3  # both ways on one lane, and air
    assert page.locator("#lane_map .scattergeo .js-line").count() == 3
    assert page.locator("#lane_map .layer.land path, #lane_map path.land").count() > 0  # basemap
    assert page.locator("#target_halve .scatterlayer .point").count() == 1  # 2026 measured
    assert page.inner_text("#total").endswith("t CO2e")
    assert page.inner_text("#primary_share") == "0.0 % of WTW"  # all GLEC default factors
    _shot(page, "overview")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits(page, 390)
    _shot(page, "overview-390")
    page.click("text=Sign out")
    page.wait_for_url(f"{base}/dashboard/sign-in")
    page.goto(f"{base}/dashboard")
    assert page.url.endswith("/dashboard/sign-in")


def test_a_period_narrows_every_figure_and_the_downloads(
    site: tuple[str, dict[str, str]], browser: Browser, tmp_path: Path
) -> None:
    """Choosing March only leaves March's one lane; the CSV download holds March's one TCE."""
    base, keys = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, keys["acme"])
    everything = page.inner_text("#total")
    page.fill("input[name=from]", "2026-03")
    page.fill("input[name=to]", "2026-03")
    page.click("text=Show")
    page.wait_for_url(f"{base}/dashboard?from=2026-03&to=2026-03")
    page.wait_for_selector("#by_month .bars path", state="attached")
    assert page.inner_text("#total") != everything
    assert page.locator("#top_lanes .bars path").count() == 1
    assert page.locator("#by_hub").count() == 0  # the hub stop was in February: no panel
    _shot(page, "overview-march")
    with page.expect_download() as table:
        page.click("text=TCEs (CSV)")
    table.value.save_as(tmp_path / "march.csv")
    lines = (tmp_path / "march.csv").read_text().strip().split("\n")
    assert len(lines) == 2 and ",u1," in lines[1]
    page.goto(f"{base}/dashboard?from=March")
    assert "must be a month" in page.inner_text("[role=alert]")
    assert page.inner_text("#total") == everything  # a bad period is reported, not applied


def test_bad_and_revoked_keys_are_refused(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """Neither a wrong nor a revoked key signs in."""
    base, keys = site
    page = browser.new_page()
    for key in ("gl_0000000000000000_" + "x" * 43, keys["revoked"]):
        page.goto(f"{base}/dashboard/sign-in")
        page.fill("input[name=api_key]", key)
        page.click("button[type=submit]")
        assert "not valid" in page.inner_text("[role=alert]")


def test_a_forged_form_without_the_session_token_is_refused(
    site: tuple[str, dict[str, str]],
) -> None:
    """A sign-in posted without the session's CSRF token does not sign in."""
    base, keys = site
    with httpx2.Client(base_url=base) as client:
        answer = client.post("/dashboard/sign-in", data={"api_key": keys["acme"], "csrf": "x"})
        assert answer.status_code == 403
        after = client.get("/dashboard", follow_redirects=False)
    assert after.status_code == 303 and after.headers["location"] == "/dashboard/sign-in"


def _dashboard_client(base: str, key: str) -> httpx2.Client:
    """An HTTP client signed in to the dashboard through its form (with the CSRF token)."""
    client = httpx2.Client(base_url=base)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/dashboard/sign-in").text)
    assert csrf is not None
    answer = client.post("/dashboard/sign-in", data={"api_key": key, "csrf": csrf.group(1)})
    assert answer.status_code == 303
    return client


def _fits(page: Page, width: int) -> bool:
    """No horizontal scrolling of the page at this width (wide tables scroll on their own)."""
    page.wait_for_timeout(300)  # charts follow the window's resize event
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)


def test_drill_down_shows_the_chain_with_its_factors(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """From the shipment list to one shipment: a drawn waterfall and each element's source."""
    base, keys = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, keys["acme"])
    page.click("text=Shipments")
    page.click("#shipments >> text=S1")
    page.wait_for_url(f"{base}/dashboard/shipments/acme/S1")
    page.wait_for_selector("#waterfall .point path, #waterfall .bars path", state="attached")
    assert page.locator("#waterfall .point path, #waterfall .bars path").count() >= 3
    sources = page.locator("#chain td:last-child").all_inner_texts()
    assert len(sources) == 3 and all(s.startswith("glec-v3.0") for s in sources)
    _shot(page, "shipment")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits(page, 390)
    _shot(page, "shipment-390")
    page.goto(f"{base}/dashboard/shipments")
    assert _fits(page, 390)
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "shipments")


def test_a_shipper_cannot_reach_another_shippers_shipment_by_editing_the_url(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """Globex editing URLs reaches none of acme's pages, figures or downloads."""
    base, keys = site
    page = browser.new_page()
    sign_in(page, base, keys["globex"])
    answer = page.goto(f"{base}/dashboard/shipments/acme/S1")
    assert answer is not None and answer.status == 404
    assert "t1" not in page.content() and "glec-v3.0" not in page.content()
    _shot(page, "not-found")
    page.goto(f"{base}/dashboard/shipments")
    assert page.locator("#shipments tbody a").count() == 0  # no shipment at all: none of acme's
    assert page.locator("#none").count() == 1 and "0 shipments" in page.inner_text("#totals")
    page.goto(f"{base}/dashboard/shipments?after_shipper=acme&after_shipment=")
    assert page.locator("#shipments tbody a").count() == 0
    page.goto(f"{base}/dashboard?from=2026-01&to=2026-12")
    assert page.locator("#empty").count() == 1 and page.locator(".chart").count() == 0
    report = page.context.request.get(f"{base}/dashboard/downloads/report.html")
    assert report.status == 404 and "CNSHA" not in report.text()
    table = page.context.request.get(f"{base}/dashboard/downloads/tces.csv")  # an empty table
    lines = table.text().strip().splitlines()
    assert table.status == 200 and len(lines) == 1 and lines[0].startswith("shipper_id,")


def test_downloads_of_the_report_and_the_table(
    site: tuple[str, dict[str, str]], browser: Browser, tmp_path: Path
) -> None:
    """The report downloads as PDF and the TCE table as CSV holding the caller's rows."""
    base, keys = site
    page = browser.new_page()
    sign_in(page, base, keys["acme"])
    with page.expect_download() as pdf:
        page.click("text=report (PDF)")
    pdf.value.save_as(tmp_path / "report.pdf")
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    with page.expect_download() as table:
        page.click("text=TCEs (CSV)")
    table.value.save_as(tmp_path / "tces.csv")
    lines = (tmp_path / "tces.csv").read_text().strip().split("\n")
    assert len(lines) == 5 and "co2e_wtw_kg" in lines[0]
    report = page.context.request.get(f"{base}/dashboard/downloads/report.html")
    page.set_content(report.text())  # the report as a page, for its screenshot
    _shot(page, "report")


def test_edge_periods_are_pages_or_said_wrong_never_errors(
    site: tuple[str, dict[str, str]],
) -> None:
    """Year 0, the last month there is, month 13: every panel and download answers."""
    base, keys = site
    with closing(_dashboard_client(base, keys["acme"])) as client:
        for start, end in (("0000-01", "2026-12"), ("2026-01", "9999-12"), ("2026-13", None)):
            period = {"from": start} | ({"to": end} if end else {})
            for path in ("/dashboard", "/dashboard/downloads/tables.xlsx",
                         "/dashboard/downloads/tces.csv"):  # fmt: skip
                answer = client.get(path, params=period)
                assert answer.status_code == 200, (path, period, answer.text[:200])
            if start in ("0000-01", "2026-13"):
                assert "must be a month" in client.get("/dashboard", params=period).text


def test_every_table_downloads_as_excel_to_its_owner_only(
    site: tuple[str, dict[str, str]], browser: Browser, tmp_path: Path
) -> None:
    """The overview's charts' numbers, the TCEs and the ESG tables as workbooks.

    Globex's are its own: no acme lane, no acme TCE.
    """
    base, keys = site
    page = browser.new_page()
    sign_in(page, base, keys["acme"])
    with page.expect_download() as tables:
        page.click("text=every chart's numbers (Excel)")
    tables.value.save_as(tmp_path / "tables.xlsx")
    sheets = read_workbook((tmp_path / "tables.xlsx").read_bytes())
    shown = page.locator(".chart").evaluate_all("charts => charts.map(c => c.id)")
    assert list(sheets) == shown  # one sheet per chart on the page, in its order
    assert sheets["top_lanes"][0][:2] == ["lane", "mode"]
    assert {row[0] for row in sheets["top_lanes"][1:]} == {"CNSHA-CNNGB", "CNNGB-CNSHA", "PVG-LGG"}
    with page.expect_download() as tces:
        page.click("text=TCEs (Excel)")
    tces.value.save_as(tmp_path / "tces.xlsx")
    (table,) = read_workbook((tmp_path / "tces.xlsx").read_bytes()).values()
    assert len(table) == 5 and "co2e_wtw_kg" in table[0]
    page.goto(f"{base}/dashboard/esg")
    with page.expect_download() as esg:
        page.click("text=the KPIs and targets (Excel)")
    esg.value.save_as(tmp_path / "esg.xlsx")
    assert len(read_workbook((tmp_path / "esg.xlsx").read_bytes())) == 6  # 5 pillars, targets
    with closing(_dashboard_client(base, keys["globex"])) as client:
        theirs = read_workbook(client.get("/dashboard/downloads/tables.xlsx").content)
        their_tces = read_workbook(client.get("/dashboard/downloads/tces.xlsx").content)
    assert "top_lanes" not in theirs and len(next(iter(their_tces.values()))) == 1  # header


def test_the_operator_sees_the_network_by_shipper(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """The operator's overview adds a per-shipper panel; a shipper's does not have one."""
    base, keys = site
    page = browser.new_page()
    sign_in(page, base, keys["net"])
    page.wait_for_selector("#by_shipper .bars path", state="attached")
    assert page.locator("#by_shipper .bars path").count() == 1  # only acme has shipments
    assert page.locator("[id^=target_]").count() == 0  # the operator set no target
    _shot(page, "operator-overview")
    sign_in(page, base, keys["acme"])
    assert page.locator("#by_shipper").count() == 0


def test_a_session_holds_on_every_worker_of_greenlane_serve(tmp_path: Path) -> None:
    """With two workers, a sign-in (a session in the store) is honoured by both workers."""
    url = f"sqlite:///{tmp_path / 'greenlane.db'}"
    upgrade(url)
    engine = connect(url)
    create_organization(engine, "acme", "Acme", "shipper")
    key = issue_key(engine, "acme")[1]
    engine.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "GREENLANE_SECRET_KEY"}
    env["GREENLANE_DATABASE_URL"] = url
    greenlane = str(Path(sys.executable).parent / "greenlane")
    serve = [greenlane, "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(serve, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base)
        with closing(_dashboard_client(base, key)) as client:
            answers = [client.get("/dashboard/shipments").status_code for _ in range(40)]
            connections = {
                httpx2.get(f"{base}/dashboard/shipments", cookies=client.cookies).status_code
                for _ in range(40)  # new connections: the kernel spreads them over the workers
            }
    finally:
        server.terminate()
        server.wait()
    assert set(answers) == {200} and connections == {200}


def test_the_shipment_list_pages_through_every_shipment(
    site: tuple[str, dict[str, str]],
) -> None:
    """101 shipments: a full first page with a next link, then the last one on page two."""
    base, keys = site
    body = csv(*(f"P{i:03d},p{i},transport,1000,{ROAD},10" for i in range(101)))
    headers = {"X-API-Key": keys["globex"], "Idempotency-Key": "p", "Content-Type": "text/csv"}
    assert httpx2.post(f"{base}/v1/batches", content=body, headers=headers).status_code == 201
    with closing(_dashboard_client(base, keys["globex"])) as client:
        first = client.get("/dashboard/shipments").text
        following = re.search(r'href="(/dashboard/shipments\?[^"]+)" rel="next"', first)
        assert following is not None
        second = client.get(following.group(1).replace("&amp;", "&")).text
    assert first.count("/dashboard/shipments/globex/") == 100 and "P099" in first
    assert second.count("/dashboard/shipments/globex/") == 1 and "P100" in second
    assert 'rel="first"' in second and 'rel="next"' not in second


def test_the_shipment_list_searches_sorts_and_totals(
    site: tuple[str, dict[str, str]],
) -> None:
    """120 shipments of growing CO2e: a prefix finds ten, heaviest first pages, totals add up.

    A wildcard is taken literally and acme's shipments never show.
    """
    base, keys = site
    body = csv(*(f"P{i:03d},p{i},transport,1000,{ROAD},{10 + i}" for i in range(120)))
    headers = {"X-API-Key": keys["globex"], "Idempotency-Key": "p", "Content-Type": "text/csv"}
    assert httpx2.post(f"{base}/v1/batches", content=body, headers=headers).status_code == 201

    def ids(page: str) -> list[str]:
        return re.findall(r"/dashboard/shipments/globex/(P\d+)", page)

    with closing(_dashboard_client(base, keys["globex"])) as client:
        found = client.get("/dashboard/shipments", params={"q": "P11"}).text
        heavy = client.get("/dashboard/shipments", params={"sort": "co2e"}).text
        following = re.search(r'href="(/dashboard/shipments\?[^"]+)" rel="next"', heavy)
        assert following is not None
        light = client.get(following.group(1).replace("&amp;", "&")).text
        every = client.get("/dashboard/shipments").text
        literal = client.get("/dashboard/shipments", params={"q": "P_%"}).text
        foreign = client.get("/dashboard/shipments", params={"q": "S"}).text
        too_long = client.get("/dashboard/shipments", params={"q": "P" * 201})
    with closing(_dashboard_client(base, keys["net"])) as client:
        network = client.get("/dashboard/shipments").text  # every shipper's: not counted
        searched = client.get("/dashboard/shipments", params={"q": "P11"}).text
    assert ids(found) == [f"P{i}" for i in range(110, 120)] and "10 shipments whose id" in found
    assert ids(heavy)[:2] == ["P119", "P118"] and len(ids(heavy)) == 100
    assert ids(light) == [f"P{i:03d}" for i in range(19, -1, -1)]  # page 2: the lightest 20
    assert "120 shipments: 120 TCEs" in every
    total = httpx2.get(f"{base}/v1/emissions/summary", headers={"X-API-Key": keys["globex"]})
    kg = sum(r["co2e_wtw_kg"] for r in total.json())
    assert f"{kg:,.1f} kg CO2e WTW" in every
    assert ids(literal) == [] and "0 shipments" in literal
    assert "0 shipments" in foreign  # acme's S1 and S2 are not globex's
    assert too_long.status_code == 422
    assert "Every shipper's shipments: 124 TCEs" in network and "search to count" in network
    assert "10 shipments whose id starts with" in searched


def test_the_packing_page_shows_each_carton_in_3d_to_its_owner_only(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """Acme's packed order is drawn in 3D with its units; globex gets a 404 and an empty list."""
    base, keys = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, keys["acme"])
    page.click("text=Packing")
    page.wait_for_url(f"{base}/dashboard/packing")
    page.wait_for_selector("#carton0 canvas", state="attached")
    units = page.evaluate("document.getElementById('carton0').data.length - 1")
    assert units == 4  # three mugs and a book, each a solid
    assert page.locator("#packed tr").count() == 2
    _shot(page, "packing")
    sign_in(page, base, keys["globex"])
    answer = page.goto(f"{base}/dashboard/packing?organization=acme&order=ORD-1")
    assert answer is not None and answer.status == 404 and "mug" not in page.content()
    page.goto(f"{base}/dashboard/packing")
    assert page.locator("#empty").count() == 1 and page.locator("#packing").count() == 0


def test_the_public_tracking_page_shows_the_journey_without_personal_data(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """Anyone with the label opens the parcel's page: status, estimate, CO2e; no name or address."""
    base, keys = site
    auth = {"X-API-Key": keys["acme"]}
    unknown = httpx2.get(f"{base}/v1/public/tracking/000000000000000000?t={'A' * 22}")
    assert unknown.status_code == 404
    plan = httpx2.post(f"{base}/v1/parcels/plan", json=plan_body(), headers=auth).json()
    waybill = plan["parcels"][0]["sscc"]
    scan = {"waybill": waybill, "status": "at_hub", "at": "2026-11-11T19:00:00", "place": "PVG"}
    sent = httpx2.post(f"{base}/v1/tracking/events", json={"events": [scan]}, headers=auth)
    assert sent.status_code == 200, sent.text
    page = browser.new_page(viewport={"width": 390, "height": 844})
    token = httpx2.get(f"{base}/v1/waybills/{waybill}", headers=auth).json()["tracking_token"]
    page.goto(f"{base}/track/{waybill}?t={token}")
    assert page.inner_text("#status") == "at hub"
    assert float(page.inner_text("#co2e")) > 0
    assert page.locator("#journey tbody tr").count() == 1
    assert not any(word in page.content() for word in PERSONAL)
    assert _fits(page, 390)
    _shot(page, "tracking")


def test_the_esg_page_shows_kpis_trends_and_targets_for_a_fiscal_year(
    site: tuple[str, dict[str, str]], browser: Browser
) -> None:
    """Two years of ledger rows: KPIs in a table, trends, counts whole, targets with their path.

    A trend where two years have data, no data explained, a target drawn with its gaps.
    """
    base, keys = site
    year = {"FY2025": ("2024-04-01", "2025-03-31"), "FY2026": ("2025-04-01", "2026-03-31")}
    rows = [
        {"entry_id": f"{metric}-{fy}", "site": "park", "period_start": start, "period_end": end,
         "metric": metric, "quantity": q, "unit": unit, "source": "books"}
        for fy, (start, end) in year.items()
        for metric, q, unit in (("fuel.diesel", 1200 if fy == "FY2025" else 1000, "l"),
                                ("volunteer.hours", 500, "h"))
    ]  # fmt: skip
    auth = {"X-API-Key": keys["acme"]}
    sent = httpx2.post(f"{base}/v1/esg/ledger", json={"rows": rows}, headers=auth)
    assert sent.status_code == 200, sent.text
    target = {"kpi_id": "scope1_t", "kind": "absolute", "scope": "Scope 1", "base_year": "FY2024",
              "base_value": 4.0, "target_year": "FY2030", "target_value": 1.0}  # fmt: skip
    put = httpx2.put(f"{base}/v1/esg/targets/fuel-cut", json=target, headers=auth)
    assert put.status_code == 200, put.text
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, keys["acme"])
    page.click("text=ESG")
    page.goto(f"{base}/dashboard/esg?year=FY2026&fiscal_start=4")
    for pillar in ("green_logistics", "emergency_response", "user_experience", "community",
                   "quality_employment"):  # fmt: skip
        assert page.locator(f"#pillar-{pillar} table.kpis tbody tr").count() > 0, pillar
    assert page.locator(".chart .bars path").count() == 0  # no single-bar chart per KPI
    assert page.locator("#kpi-scope1_t svg.spark polyline").count() == 1  # two years: a trend
    label = page.get_attribute("#kpi-scope1_t svg.spark", "aria-label") or ""
    assert label.startswith("FY2025: ") and ", FY2026: " in label
    assert page.inner_text("#kpi-volunteer_hours td:nth-child(2)") == "500"  # a count
    assert "revenue in the ledger for FY2026" in page.inner_text("#kpi-revenue_intensity")
    page.wait_for_selector("#target-0 .scatterlayer .point", state="attached")
    assert "fuel-cut" in page.inner_text("#targets h3")
    gaps = page.locator("#target-section-0 table.gaps tbody tr")
    assert gaps.count() == 2 and "FY2026" in gaps.nth(1).inner_text()
    _shot(page, "esg")
