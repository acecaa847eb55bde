"""Trajectories and gaps by hand; the report's pillars, KPIs and gaps; the PDF and its images.

The report has every pillar and every KPI with data, and says which have none; the PDF is the
page printed, and its first pages are kept as images.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from greenlane.esg.fiscal import FiscalCalendar
from greenlane.esg.kpis import PILLARS
from greenlane.esg.ledger import Entry
from greenlane.esg.report import Inputs, build
from greenlane.esg.targets import EsgTarget, gaps
from greenlane.reports.esg import render_esg_html, render_esg_pdf

OUTPUT = Path(os.environ.get("GREENLANE_TEST_OUTPUT", "test-output")) / "esg"


def test_the_aca_and_linear_trajectories_and_their_gaps_by_hand() -> None:
    """Base 40 t in FY2024, 10 t by FY2030: ACA and straight-line paths, gaps, by hand.

    ACA allows 38.32 t in FY2025 and 36.64 t in FY2026 (40 x (1 - 0.042 n)); the straight line
    35 t and 30 t. Measured 39 and 35 t against ACA: gaps +0.68 and -1.64.
    """
    aca = EsgTarget("s1", "scope1_t", "absolute", "Scope 1", 2024, 40, 2030, 10, "aca")
    line = EsgTarget("s1", "scope1_t", "absolute", "Scope 1", 2024, 40, 2030, 10, "linear")
    assert [aca.allowed(y) for y in (2024, 2025, 2026)] == pytest.approx([40, 38.32, 36.64])
    assert [line.allowed(y) for y in (2025, 2026, 2030, 2035)] == pytest.approx([35, 30, 10, 10])
    assert aca.allowed(2030) == pytest.approx(40 * (1 - 0.042 * 6))  # 29.92: above the target
    measured = gaps(aca, {2025: 39.0, 2026: 35.0})
    assert [round(g.gap, 2) for g in measured] == [0.68, -1.64]
    with pytest.raises(ValueError, match="reduction"):
        EsgTarget("x", "scope1_t", "absolute", "", 2024, 10, 2030, 20)


def inputs() -> Inputs:
    year = (date(2024, 4, 1), date(2025, 3, 31))
    entries = [
        Entry("d", "park", *year, "fuel.diesel", 12_000, "l", "fuel cards"),
        Entry("g", "park", *year, "electricity.grid", 1_000_000, "kWh", "bills"),
        Entry("v", "group", *year, "volunteer.hours", 3100, "h", "CSR"),
        Entry(
            "v0", "group", date(2023, 4, 1), date(2024, 3, 31), "volunteer.hours", 2500, "h", "CSR"
        ),
        Entry(
            "h",
            "group",
            date(2025, 3, 31),
            date(2025, 3, 31),
            "headcount.total",
            1200,
            "people",
            "HR",
        ),
    ]
    transport = [{"key": "road", "co2e_wtw_kg": 5000.0, "primary_wtw_kg": 1000.0}]
    target = EsgTarget("s1", "scope1_t", "absolute", "Scope 1", 2024, 40, 2030, 10, "aca")
    return Inputs("acme", "FY2025", FiscalCalendar(4), entries, transport, [target])


def test_the_report_has_every_pillar_and_says_which_kpis_have_no_data() -> None:
    """Five pillars; KPIs with data show values; each without data is listed with what it lacks."""
    model = build(inputs())
    html = render_esg_html(model)
    for pillar, name in PILLARS.items():
        assert f'id="pillar-{pillar}"' in html and name in html
    values = {k["kpi_id"]: k["value"] for p in model["pillars"] for k in p["kpis"]}
    assert values["scope1_t"] == pytest.approx(31.5732)  # 12,000 l x 2.6311 kg/l
    assert values["volunteer_hours"] == 3100 and values["headcount"] == 1200
    missing = {k["kpi_id"] for k in model["no_data"]}
    assert missing == {k for k, v in values.items() if v is None} and "on_time_rate" in missing
    for kpi_id in missing:
        assert f'id="nodata-{kpi_id}"' in html
    assert "GRI 305-1" in html and "20% from primary data" in html
    assert model["targets"][0]["gaps"][0]["year"] == "FY2025"


def test_the_pdf_is_the_page_printed_and_its_first_pages_are_kept_as_images() -> None:
    """Chromium prints it; pdfium renders pages 1-2 to PNG under the test output."""
    pdf = render_esg_pdf(build(inputs()))
    assert pdf.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf)
    assert len(document) >= 3
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for n in range(2):
        image = document[n].render(scale=1.2).to_pil()
        assert image.width > 500
        image.save(OUTPUT / f"esg-report-page{n + 1}.png")
    text = document[0].get_textpage().get_text_range()
    assert "ESG report FY2025" in text and "Green logistics" in text


def test_the_first_and_last_fiscal_years_build_and_others_are_refused() -> None:
    """FY1000 and FY9998 build (history cut at FY1000); FY0999 and FY9999 are not fiscal years."""
    for label in ("FY1000", "FY9998"):
        assert build(Inputs("acme", label, FiscalCalendar(12), [], []))["year"] == label
    for label in ("FY0999", "FY9999", "2025"):
        with pytest.raises(ValueError, match="fiscal year"):
            build(Inputs("acme", label, FiscalCalendar(1), [], []))
