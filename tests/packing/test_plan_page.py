"""The plan page draws every shown carton in 3D in real headless Chromium, offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

from greenlane.cli import app
from tests.packing.test_cli_pack import ITEMS, catalogue, write

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("GREENLANE_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(os.environ.get("GREENLANE_TEST_OUTPUT", "test-output")) / "screenshots"


def test_greenlane_pack_writes_a_page_with_each_carton_in_3d(tmp_path: Path) -> None:
    """Two orders, two cartons: two WebGL scenes with their units, and the totals table."""
    orders = write(
        tmp_path, "orders.csv", ITEMS + "o1,cube,10,10,10,0.5,8,,\no2,big,30,30,30,1,1,,\n"
    )
    page_path = tmp_path / "plan.html"
    args = ["pack", str(orders), "--cartons", str(catalogue(tmp_path))]
    result = CliRunner().invoke(
        app, [*args, "--out", str(tmp_path / "p.json"), "--html", str(page_path)]
    )
    assert result.exit_code == 0, result.output
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route(
            "**/*",
            lambda route: (
                route.abort() if not route.request.url.startswith("file:") else route.continue_()
            ),
        )
        page.goto(page_path.as_uri())
        for n in range(2):
            page.wait_for_selector(f"#carton{n} canvas", state="attached")
        assert errors == []
        traces = [
            page.evaluate(f"document.getElementById('carton{n}').data.length") for n in range(2)
        ]
        assert traces == [9, 2]  # each unit a solid, plus the carton's edges
        assert page.locator("#totals tr").count() == 4
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT / "packing-plan.png"), full_page=True)
        browser.close()


def test_the_page_draws_the_cartons_of_the_orders_asked_for(tmp_path: Path) -> None:
    """--view o2 draws o2's carton only: any packed carton can be looked at."""
    orders = write(
        tmp_path, "orders.csv", ITEMS + "o1,cube,10,10,10,0.5,8,,\no2,big,30,30,30,1,1,,\n"
    )
    page_path = tmp_path / "plan.html"
    args = [
        "pack",
        str(orders),
        "--cartons",
        str(catalogue(tmp_path)),
        "--out",
        str(tmp_path / "p.json"),
    ]
    result = CliRunner().invoke(app, [*args, "--html", str(page_path), "--view", "o2"])
    assert result.exit_code == 0, result.output
    html = page_path.read_text()
    assert 'id="carton0"' in html and 'id="carton1"' not in html and "Order o2" in html
