"""Data into pages as data, and reports that run only their own two scripts.

Chart JSON cannot close its script element; a report's policy allows Plotly and charts.js.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import sync_playwright

from greenlane.esg.report import build
from greenlane.reports.esg import render_esg_html
from greenlane.reports.safe import chart_block, report_csp, script_json
from tests.esg.test_trajectory_report import inputs
from tests.web.conftest import CHROMIUM

values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(values)
def test_script_json_never_closes_its_element_and_parses_back(value: object) -> None:
    """Any text, any nesting: no '<', '>' or '&' survives, and JSON.parse gets the value back."""
    text = script_json(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == _finite(value)


def _finite(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def test_a_chart_block_escapes_its_target_and_its_data() -> None:
    """Both the element id and the figure are inert: markup in either stays text."""
    block = str(chart_block('x"><script>', {"data": [{"x": ["</script><script>alert(1)"]}]}))
    assert block.count("<script") == 1 and block.count("</script>") == 1
    assert 'data-chart="x&#34;&gt;&lt;script&gt;"' in block


def test_a_report_allows_exactly_plotly_and_charts_js() -> None:
    """The report's policy names two script hashes, no inline or remote source."""
    policy = report_csp()
    assert policy.count("'sha256-") == 2
    assert "unsafe-inline" not in policy.split("style-src")[0]
    assert "default-src 'none'" in policy


@pytest.mark.browser
def test_the_esg_report_draws_its_charts_under_its_own_policy(tmp_path: Path) -> None:
    """Opened from disk with no network, every chart is drawn and nothing is blocked."""
    page_path = tmp_path / "esg.html"
    page_path.write_text(render_esg_html(build(inputs())), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        seen: list[str] = []
        page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.append(str(e)))
        page.goto(page_path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", state="attached")
        drawn = page.locator(".js-plotly-plot").count()
        blocks = page.locator('script[type="application/json"][data-chart]').count()
        browser.close()
    assert drawn == blocks > 0
    assert seen == []
