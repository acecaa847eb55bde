"""Waybill labels as HTML with an SVG QR code and GS1-128 barcode, and as PDF (via Chromium)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from barcode import get_barcode_class  # type: ignore[import-untyped]
from barcode.writer import SVGWriter  # type: ignore[import-untyped]

from greenlane.parcels.waybill import Waybill
from greenlane.reports.pdf import html_to_pdf
from greenlane.reports.safe import report_environment

_ENV = report_environment()


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as inline SVG."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=3, xmldecl=False)
    return out.getvalue().decode()


def gs1_128_svg(content: str) -> str:
    """A GS1-128 (Code 128 with FNC1) barcode of ``content`` as inline SVG."""
    out = io.BytesIO()
    barcode = get_barcode_class("gs1_128")(content, writer=SVGWriter())
    barcode.write(
        out,
        options={"module_width": 0.4, "module_height": 18.0, "font_size": 8, "text_distance": 4},
    )
    text = out.getvalue().decode()
    return text[text.index("<svg") :]  # inline: without the XML declaration and doctype


def labels_html(waybills: Sequence[Waybill], tracking_base: str) -> str:
    """One 100 x 150 mm label per waybill, each on its own page."""
    labels = [
        {
            "waybill": w,
            "qr": qr_svg(f"{tracking_base.rstrip('/')}/{w.sscc}"),
            "barcode": gs1_128_svg(w.gs1_128),
        }
        for w in waybills
    ]
    return _ENV.get_template("waybill.html").render(labels=labels)


def labels_pdf(waybills: Sequence[Waybill], tracking_base: str) -> bytes:
    """The labels printed to PDF by headless Chromium."""
    return html_to_pdf(labels_html(waybills, tracking_base))
