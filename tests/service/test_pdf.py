"""The ISO 14083 report as PDF, printed by a real headless Chromium."""

from __future__ import annotations

import pytest

from tests.service.conftest import ROAD, World, csv

pytestmark = pytest.mark.browser


def test_report_pdf(world: World) -> None:
    """The ISO 14083 report comes as a real PDF printed by Chromium."""
    headers = world.as_("acme") | {"Idempotency-Key": "p", "Content-Type": "text/csv"}
    body = csv(f"S,t1,transport,1000,{ROAD},100")
    assert world.client.post("/v1/batches", content=body, headers=headers).status_code == 201
    pdf = world.client.get(
        "/v1/reports/iso14083", params={"format": "pdf"}, headers=world.as_("acme")
    )
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 5_000
