"""E-waybills: a valid SSCC each, ZPL with both codes, labels printed to PDF, paper counted."""

from __future__ import annotations

import base64
import os
import re
import zlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import segno
from barcode import get_barcode_class  # type: ignore[import-untyped]
from playwright.sync_api import sync_playwright

from greenlane.parcels.sscc import make_sscc
from greenlane.parcels.waybill import Waybill, paper_avoided, zpl
from greenlane.reports.waybill import labels_html, labels_pdf

OUTPUT = Path(os.environ.get("GREENLANE_TEST_OUTPUT", "test-output")) / "screenshots"


def waybill(serial: int, consignee: str = "Ann Lee") -> Waybill:
    return Waybill(
        sscc=make_sscc("0614141", serial, extension=1),
        order_ids=(f"o{serial}", f"o{serial}b"),
        consignee=consignee,
        address_lines=("1 Elm St", "69001 Lyon"),
        country="FR",
        service="standard",
        weight_kg=1.25,
        origin_hub="CNHGH",
        created_at=datetime(2026, 11, 11, 9, 0),
    )


def test_a_waybill_needs_a_valid_sscc_and_counts_the_paper_it_saves() -> None:
    """A wrong check digit is refused; three e-waybills save 15 sheets of a five-part form."""
    good = waybill(1)
    wrong = good.sscc[:-1] + str((int(good.sscc[-1]) + 1) % 10)
    with pytest.raises(ValueError, match="valid check digit"):
        replace(good, sscc=wrong)
    assert paper_avoided([waybill(1), waybill(2), waybill(3)]) == 15
    assert paper_avoided([waybill(1)], sheets_per_waybill=3) == 3


def test_zpl_carries_the_gs1_128_code_and_the_tracking_qr() -> None:
    """The label starts and ends as ZPL, encodes (00) + SSCC with FNC1, and escapes carets."""
    label = zpl(waybill(7, consignee="Ann ^XZ Lee"), "https://track.example/376")
    assert label.startswith("^XA") and label.rstrip().endswith("^XZ")
    assert f"^FD>;>800{waybill(7).sscc}^FS" in label
    assert "^BQN,2,5^FDQA,https://track.example/376^FS" in label
    assert label.count("^XZ") == 1  # the caret in the name did not end the label early


def _page_streams(pdf: bytes) -> list[str]:
    """Every compressed content stream of the PDF, inflated."""
    found = re.findall(rb"stream\r?\n(.*?)\r?\n?endstream", pdf, flags=re.DOTALL)
    out = []
    for raw in found:
        data = raw.strip()
        if data.endswith(b"~>"):  # ReportLab wraps compressed streams in ASCII85
            data = base64.a85decode(data[:-2])
        try:
            out.append(zlib.decompress(data).decode("latin-1"))
        except zlib.error:
            continue
    return out


def test_labels_print_to_pdf_one_page_each_with_both_codes() -> None:
    """Two waybills: two 100 x 150 mm pages, each with its SSCC, the bars and the QR modules."""
    bills = [waybill(11), waybill(12, consignee="张伟")]
    pages: list[int] = []
    pdf = labels_pdf(bills, "https://track.example", pages.append)
    assert pdf.startswith(b"%PDF-") and pages == [1, 2]
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2
    assert b"/MediaBox [ 0 0 283.4646 425.1969 ]" in pdf  # 100 x 150 mm in points
    streams = [s for s in _page_streams(pdf) if " re " in s]
    assert len(streams) == 2
    for bill, stream in zip(bills, streams, strict=True):
        assert f"\\(00\\) {bill.sscc}) Tj" in stream  # PDF escapes the brackets
        bars = re.findall("1+", get_barcode_class("gs1_128")(bill.gs1_128).build()[0])
        qr = segno.make(f"https://track.example/{bill.sscc}", error="m").matrix
        modules = [run for row in qr for run in re.findall("1+", "".join(map(str, row)))]
        assert stream.count(" re ") == len(bars) + len(modules)  # a rectangle per dark run
    assert b"STSong-Light" in pdf  # the Chinese name set in the CJK font


@pytest.mark.browser
def test_the_label_page_shows_both_codes_as_svg() -> None:
    """The HTML label (the tracking page's twin) draws the QR code and the barcode as SVG."""
    bills = [waybill(11), waybill(12)]
    html = labels_html(bills, "https://track.example")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 420, "height": 640})
        page.set_content(html)
        label = page.locator(f"#label-{bills[0].sscc}")
        assert (
            label.locator(".qr svg").count() == 1
            and label.locator(".barcode svg rect").count() > 20
        )
        OUTPUT.mkdir(parents=True, exist_ok=True)
        label.screenshot(path=str(OUTPUT / "waybill-label.png"))
        browser.close()
