"""`greenlane esg` on the embedded store: import (a bad row stops the file), HTML and PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from greenlane.cli import app

runner = CliRunner()
LEDGER = """site,period_start,period_end,metric,quantity,unit,source
park,2025-01-01,2025-12-31,fuel.diesel,1000,l,fuel cards
group,2025-12-31,2025-12-31,headcount.total,80,people,HR
group,2025-01-01,2025-12-31,training.hours,1600,h,HR
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GREENLANE_DATABASE_URL", f"sqlite:///{tmp_path / 'g.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["org", "create", "acme", "--role", "shipper"]).exit_code == 0
    return tmp_path


def test_import_then_report_html_and_pdf(store: Path) -> None:
    """Three entries in; the report shows Scope 1 and training hours per employee; a PDF too."""
    (store / "ledger.csv").write_text(LEDGER)
    result = runner.invoke(
        app, ["esg", "import", str(store / "ledger.csv"), "--organization", "acme"]
    )
    assert result.exit_code == 0 and "3 ledger entries" in result.output
    again = runner.invoke(
        app, ["esg", "import", str(store / "ledger.csv"), "--organization", "acme"]
    )
    assert again.exit_code == 0  # the same ids replace themselves
    html = store / "r.html"
    args = ["esg", "report", "--organization", "acme", "--year", "FY2025"]
    result = runner.invoke(app, [*args, "--out", str(html)])
    assert result.exit_code == 0, result.output
    page = html.read_text()
    assert 'id="kpi-scope1_t"' in page and "2.63" in page  # 1,000 l x 2.6311 kg/l
    assert "20.00" in page  # 1,600 h / 80 people
    pdf = store / "r.pdf"
    assert runner.invoke(app, [*args, "--out", str(pdf)]).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_bad_row_stops_the_import_and_names_it(store: Path) -> None:
    """A unit that does not fit its metric: exit 2, row 2, column unit; nothing stored."""
    (store / "ledger.csv").write_text(LEDGER.replace("80,people", "80,heads"))
    result = runner.invoke(
        app, ["esg", "import", str(store / "ledger.csv"), "--organization", "acme"]
    )
    assert result.exit_code == 2 and "row 2, column 'unit'" in " ".join(result.output.split())
    out = store / "r.html"
    empty = runner.invoke(
        app, ["esg", "report", "--organization", "acme", "--year", "FY2025", "--out", str(out)]
    )
    assert empty.exit_code == 3 and not out.exists()  # the file's good rows were not kept either
    bad = runner.invoke(app, ["esg", "report", "--organization", "nobody", "--year", "FY2025"])
    assert bad.exit_code == 2


def test_a_year_without_data_says_so_and_writes_nothing(store: Path) -> None:
    """FY2019 holds nothing: exit 3, one line saying what to do, no report file."""
    (store / "ledger.csv").write_text(LEDGER)
    runner.invoke(app, ["esg", "import", str(store / "ledger.csv"), "--organization", "acme"])
    out = store / "r.html"
    args = ["esg", "report", "--organization", "acme", "--year", "FY2019", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output
    assert "no data for FY2019" in " ".join(result.output.split()) and not out.exists()
    wrong = runner.invoke(app, [*args[:-1], str(store / "r.docx")])
    assert wrong.exit_code == 2 and "unsupported output type" in wrong.output
