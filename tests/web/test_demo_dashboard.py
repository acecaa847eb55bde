"""`greenlane demo` as a newcomer runs it: the served dashboard, every module's panel drawn."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from greenlane.scenario.generate import FIRST_DAY
from tests.service.conftest import free_port, wait_ready
from tests.web.conftest import sign_in
from tests.web.test_dashboard import OUTPUT, _fits, _shot

pytestmark = pytest.mark.browser
KEY = re.compile(r"^gl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$")
PANELS = {  # every panel of the overview and what Plotly draws for its data
    "#by_month": ".bars path",
    "#intensity": ".scatterlayer .point",
    "#data_quality": ".slice path",
    "#by_mode": ".bars path",
    "#by_hub": ".bars path",
    "#top_lanes": ".bars path",
    "#lane_map": ".scattergeo .js-line",
    "#by_shipper": ".bars path",
    "#packing": ".bars path",  # carton choice
    "#consolidation": ".bars path",  # order merging, consolidation, e-waybills
    "#route_map": ".scattergeo .js-line",  # last-mile routing
    "#relief": ".bars path",  # relief dispatch
    "#containers": ".bars path",  # reusable containers from EPCIS
    "#energy": ".bars path",  # park energy
    "#levers": ".bars path",  # each lever against its baseline
}
PILLARS = ("green_logistics", "emergency_response", "user_experience", "community",
           "quality_employment")  # fmt: skip


@dataclass(frozen=True)
class Demo:
    """A served demo: its address, its printed key and summary, its store."""

    base: str
    key: str
    summary: list[str]
    store: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`greenlane demo` serving a small week: the dashboard's address and the printed key."""
    out = tmp_path_factory.mktemp("demo")
    port = free_port()
    greenlane = str(Path(sys.executable).parent / "greenlane")
    command = [greenlane, "demo", "--out-dir", str(out), "--days", "2", "--orders-per-day",
               "150", "--port", str(port)]  # fmt: skip
    env = os.environ | {"COLUMNS": "200"}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert server.stdout is not None
    key, summary = "", []
    for line in server.stdout:  # the demo prints its summary and the key, then serves
        if KEY.match(line.strip()):
            key = line.strip()
            break
        summary.append(line.rstrip("\n"))
    assert key, "the demo printed no API key"
    base = f"http://127.0.0.1:{port}"
    wait_ready(base)
    yield Demo(base, key, summary, out / "greenlane.db")
    server.terminate()
    server.wait(timeout=30)
    server.stdout.close()


def test_every_modules_panel_shows_data_on_the_demos_dashboard(
    demo: Demo, browser: Browser
) -> None:
    """Signed in with the demo's key, each panel has drawn data points; the ESG page its KPIs."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, demo.base, demo.key)
    _drawn(page, PANELS)
    rows = page.locator("#data_quality + details table tr")
    cells = [rows.nth(n).locator("td").all_text_contents() for n in range(1, rows.count())]
    assert [c[0] for c in cells] == ["primary data", "modelled data", "default"]
    assert all(float(c[1]) > 0 for c in cells), cells  # own data in the accounts (t CO2e)
    assert sum(float(c[2].rstrip(" %")) for c in cells) == pytest.approx(100, abs=0.15)
    _shot(page, "demo-overview")
    page.goto(f"{demo.base}/dashboard/esg?year=FY2026")
    for pillar in PILLARS:
        assert page.locator(f"#pillar-{pillar} table.kpis tbody tr").count() > 0, pillar
    _shot(page, "demo-esg")


def test_one_period_drives_every_panel(demo: Demo, browser: Browser) -> None:
    """The demo's month shows every module's panel; the month after it shows none at all."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, demo.base, demo.key)
    month = f"{FIRST_DAY:%Y-%m}"
    following = f"{FIRST_DAY.year + FIRST_DAY.month // 12}-{FIRST_DAY.month % 12 + 1:02d}"
    page.fill("input[name=from]", month)
    page.fill("input[name=to]", month)
    page.click("text=Show")
    page.wait_for_url(f"{demo.base}/dashboard?from={month}&to={month}")
    _drawn(page, PANELS)
    page.fill("input[name=from]", following)
    page.fill("input[name=to]", following)
    page.click("text=Show")
    page.wait_for_url(f"{demo.base}/dashboard?from={following}&to={following}")
    drawn = page.locator(".chart").evaluate_all("els => els.map(e => e.id)")
    annual = [d for d in drawn if d.startswith("target_")]  # a target's year touches the month
    assert drawn == annual and len(annual) == 1  # no packing, routes, relief, containers, energy
    assert page.inner_text("#empty").startswith("No emissions stored for this period")


def test_the_levers_panel_shows_the_summarys_figures(demo: Demo, browser: Browser) -> None:
    """Each lever's baseline, plan, saving and share on the page equal the demo's printed table."""
    printed = {}
    for line in demo.summary:  # rows of the summary's lever table: name (vs baseline) | ...
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 5 and " (vs " in cells[0]:
            printed[cells[0]] = tuple(cells[1:])
    assert len(printed) == 5, demo.summary
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, demo.base, demo.key)
    rows = page.locator("#levers + details table tr")
    shown = {}
    for n in range(1, rows.count()):
        name, against, *figures = rows.nth(n).locator("td").all_text_contents()
        shown[f"{name} (vs {against})"] = tuple(figures)
    assert shown == printed
    savings = [float(v[2].replace(",", "")) for v in shown.values()]
    assert savings == sorted(savings, reverse=True)  # largest first
    route = page.get_attribute("#route_map", "aria-label") or ""
    assert "against" in route and "(diesel vans, cost only)" in route  # the route's baseline


def test_the_esg_page_shows_the_demos_targets(demo: Demo, browser: Browser) -> None:
    """The demo's ESG targets, each drawn with its trajectory and its measured year's gap."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, demo.base, demo.key)
    page.goto(f"{demo.base}/dashboard/esg?year=FY{FIRST_DAY.year}")
    titles = page.locator("#targets h3").all_inner_texts()
    assert len(titles) == 2 and all(" from FY" in t for t in titles)
    for n in range(2):
        page.wait_for_selector(f"#target-{n} .scatterlayer .point", state="attached")
        gaps = page.locator(f"#target-section-{n} table.gaps tbody tr").all_inner_texts()
        assert len(gaps) == 1 and gaps[0].startswith(f"FY{FIRST_DAY.year}"), gaps


def test_every_page_fits_a_phone_and_is_photographed(demo: Demo, browser: Browser) -> None:
    """At 390 px no page scrolls sideways; each page is photographed at desktop and phone size."""
    with sqlite3.connect(demo.store) as db:
        sscc, token = db.execute("SELECT sscc, tracking_token FROM waybills LIMIT 1").fetchone()
        chain = db.execute("SELECT shipper_id, shipment_id FROM tces WHERE kind = 'hub' LIMIT 1")
        shipper, shipment = chain.fetchone()
    pages = {
        "sign-in": "/dashboard/sign-in",
        "overview": "/dashboard",
        "shipments": "/dashboard/shipments",
        "shipment": f"/dashboard/shipments/{shipper}/{shipment}",
        "packing": "/dashboard/packing",
        "esg": f"/dashboard/esg?year=FY{FIRST_DAY.year}",
        "not-found": "/dashboard/shipments/nobody/nothing",
        "no-such-page": "/dashboard/no/such/page",
        "tracking": f"/track/{sscc}?t={token}",
        "tracking-not-found": f"/track/{sscc}?t=wrong",
        "api-docs": "/docs",
    }
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, demo.base, demo.key)
    for name, path in pages.items():
        for width, height, size in ((1280, 900, "desktop"), (390, 844, "phone")):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{demo.base}{path}")
            page.wait_for_load_state("networkidle")
            viewport = page.locator("meta[name=viewport]").get_attribute("content") or ""
            assert "width=device-width" in viewport, name
            if size == "phone":
                fits = _fits(page, 390)
                assert fits, (name, page.evaluate(WIDE))
                assert page.locator(".modebar-group").count() == 0, name  # no toolbar on titles
            _photo(page, f"page-{name}-{size}")


def test_the_api_docs_render_with_the_network_blocked(demo: Demo, browser: Browser) -> None:
    """/docs (Swagger UI) draws the API from this server alone: nothing else is asked for."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    elsewhere: list[str] = []

    def only_here(route: Route) -> None:
        if route.request.url.startswith(demo.base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.goto(f"{demo.base}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "greenlane" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 20  # every operation listed
    assert elsewhere == []


WIDE = """[...document.querySelectorAll('*')].map(e => [e.tagName, e.getAttribute('class'),
 e.getBoundingClientRect().right, e.scrollWidth, e.clientWidth])
 .filter(x => x[2] > 392 || x[3] > x[4] + 2).slice(0, 15)"""  # what sticks out of its box


def _drawn(page: Page, panels: dict[str, str]) -> None:
    """Every panel has data points drawn, not an empty frame."""
    for chart, points in panels.items():
        page.wait_for_selector(f"{chart} {points}", state="attached")
        assert page.locator(f"{chart} {points}").count() > 0, chart


def _photo(page: Page, name: str) -> None:
    """A full-page JPEG under the test run's output folder (docs/screenshots copies these)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.jpg"), full_page=True, type="jpeg", quality=70)
