"""Waybill labels: HTML with an SVG QR code and GS1-128 barcode, and a PDF print job.

The PDF is drawn with ReportLab, one 100 x 150 mm page a label, the bars and the QR modules
as filled rectangles from the same encoders as the HTML (python-barcode's GS1-128 with its
FNC1, segno's QR): a printer gets vector codes, and 2,000 labels take seconds without a
browser. Text outside Latin-1 (a Chinese consignee) is set in the PDF's built-in Adobe Song
font, which every reader has.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import segno
from barcode import get_barcode_class  # type: ignore[import-untyped]
from barcode.writer import SVGWriter  # type: ignore[import-untyped]

from greenlane.parcels.waybill import Waybill
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


def labels_pdf(
    waybills: Sequence[Waybill],
    tracking_base: str,
    done: Callable[[int], None] | None = None,
) -> bytes:
    """One 100 x 150 mm PDF page per waybill; ``done`` is told after each label (progress)."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    page = Canvas(out, pagesize=(100 * mm, 150 * mm), pageCompression=1)
    page.setTitle("greenlane e-waybills")
    base = tracking_base.rstrip("/")
    for n, waybill in enumerate(waybills, start=1):
        _label(page, waybill, f"{base}/{waybill.sscc}")
        page.showPage()
        if done is not None:
            done(n)
    page.save()
    return out.getvalue()


def _label(page: Any, waybill: Waybill, tracking_url: str) -> None:
    """Title, consignee and address, QR code, service line, GS1-128 barcode, SSCC."""
    from reportlab.lib.units import mm

    top = 146 * mm
    _text(page, "greenlane e-waybill", 4 * mm, top - 5 * mm, 14, bold=True)
    lines = [waybill.consignee, *waybill.address_lines, waybill.country]
    for k, line in enumerate(lines[:7]):
        _text(page, line[:40], 4 * mm, top - (14 + 6 * k) * mm, 11, bold=k == 0)
    matrix = [list(row) for row in segno.make(tracking_url, error="m").matrix]
    _modules(page, matrix, 68 * mm, top - 40 * mm, 28 * mm)
    orders = ", ".join(waybill.order_ids)
    meta = f"{waybill.service} · {waybill.weight_kg:.2f} kg · from {waybill.origin_hub} · {orders}"
    _text(page, meta[:70], 4 * mm, 60 * mm, 8)
    bars = get_barcode_class("gs1_128")(waybill.gs1_128).build()[0]
    width = 92 * mm / len(bars)
    for start, length in _runs(bars == "1" for bars in bars):
        page.rect(4 * mm + start * width, 25 * mm, length * width, 28 * mm, stroke=0, fill=1)
    _text(page, f"(00) {waybill.sscc}", 4 * mm, 18 * mm, 12)


def _modules(page: Any, matrix: list[list[int]], x: float, y: float, size: float) -> None:
    """A QR code's dark modules as squares in a ``size`` square whose lower left is (x, y)."""
    cell = size / len(matrix)
    for r, row in enumerate(matrix):
        for start, length in _runs(bool(dark) for dark in row):
            page.rect(x + start * cell, y + size - (r + 1) * cell, length * cell, cell,
                      stroke=0, fill=1)  # fmt: skip


def _runs(dark: Iterable[bool]) -> list[tuple[int, int]]:
    """Where each run of dark modules starts and how long it is: one rectangle a run."""
    runs: list[tuple[int, int]] = []
    start = None
    for n, on in enumerate([*dark, False]):
        if on and start is None:
            start = n
        elif not on and start is not None:
            runs.append((start, n - start))
            start = None
    return runs


def _text(page: Any, text: str, x: float, y: float, size: float, bold: bool = False) -> None:
    """A line in Helvetica, or in the CJK font when Helvetica cannot set it."""
    try:
        text.encode("latin-1")
        font = "Helvetica-Bold" if bold else "Helvetica"
    except UnicodeEncodeError:
        font = _cjk_font()
    page.setFont(font, size)
    page.drawString(x, y, text)


def _cjk_font() -> str:
    """The PDF's built-in Adobe Song font (registered once)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"
