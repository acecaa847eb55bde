"""HTML to PDF with headless Chromium (Debian's ``chromium``), the same renderer as the browser."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from greenlane.errors import UnavailableError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


class RendererMissingError(UnavailableError):
    """No headless Chromium on this machine: the PDF cannot be made."""


def chromium() -> str:
    """The path of a Chromium executable."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise RendererMissingError("PDF needs Chromium: install the Debian package 'chromium'")


def html_to_pdf(html: str, timeout: float = 60.0) -> bytes:
    """Print ``html`` (a self-contained page: no network is touched) to PDF bytes."""
    with tempfile.TemporaryDirectory() as folder:
        page, pdf = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                "--virtual-time-budget=10000",  # let the page's scripts (charts) finish first
                f"--user-data-dir={folder}/profile",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return pdf.read_bytes()
