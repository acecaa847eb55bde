"""`greenlane demo` as a newcomer runs it: the served dashboard, every module's panel drawn."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.service.conftest import free_port, wait_ready
from tests.web.conftest import sign_in
from tests.web.test_dashboard import _shot

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
}
PILLARS = ("green_logistics", "emergency_response", "user_experience", "community",
           "quality_employment")  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`greenlane demo` serving a small week: the dashboard's address and the printed key."""
    out = tmp_path_factory.mktemp("demo")
    port = free_port()
    greenlane = str(Path(sys.executable).parent / "greenlane")
    command = [greenlane, "demo", "--out-dir", str(out), "--days", "2", "--orders-per-day",
               "150", "--port", str(port)]  # fmt: skip
    env = os.environ | {"COLUMNS": "200"}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert server.stdout is not None
    key = ""
    for line in server.stdout:  # the demo prints the key, then serves until stopped
        if KEY.match(line.strip()):
            key = line.strip()
            break
    assert key, "the demo printed no API key"
    base = f"http://127.0.0.1:{port}"
    wait_ready(base)
    yield base, key
    server.terminate()
    server.wait(timeout=30)
    server.stdout.close()


def test_every_modules_panel_shows_data_on_the_demos_dashboard(
    demo: tuple[str, str],
    browser: Browser,
) -> None:
    """Signed in with the demo's key, each panel has drawn data points; so does each pillar."""
    base, key = demo
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, key)
    for chart, points in PANELS.items():
        page.wait_for_selector(f"{chart} {points}", state="attached")
        assert page.locator(f"{chart} {points}").count() > 0, chart
    _shot(page, "demo-overview")
    page.goto(f"{base}/dashboard/esg?year=FY2026")
    for pillar in PILLARS:
        page.wait_for_selector(f"#esg-{pillar} .bars path", state="attached")
        assert page.locator(f"#esg-{pillar} .bars path").count() > 0, pillar
    _shot(page, "demo-esg")
