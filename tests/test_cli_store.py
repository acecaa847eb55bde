"""A command pointed at no store, or an unmigrated one, says so in one line and exits 2.

And every file greenlane writes gets the mode the user's umask gives new files.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from greenlane.io import write_bytes, write_table, write_text

GREENLANE = str(Path(sys.executable).parent / "greenlane")  # the installed command
COMMAND = [GREENLANE, "esg", "report", "--organization", "acme", "--year", "FY2025",
           "--out", "r.html"]  # fmt: skip


def _run(folder: Path, url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENLANE_")}
    if url:
        env["GREENLANE_DATABASE_URL"] = url
    return subprocess.run(COMMAND, cwd=folder, env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def test_no_store_is_one_line_exit_2_and_no_stray_file(tmp_path: Path) -> None:
    """The default embedded store does not exist here: said once, nothing created."""
    done = _run(tmp_path)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(" ".join(lines)) < 300 and "no greenlane store at greenlane.db" in done.stderr
    assert "Traceback" not in done.stderr and "out/demo/greenlane.db" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no greenlane.db, no report


def test_an_unmigrated_store_says_to_upgrade(tmp_path: Path) -> None:
    """An SQLite file without greenlane's schema: 'not migrated: run greenlane db upgrade'."""
    sqlite3.connect(tmp_path / "empty.db").close()
    done = _run(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}")
    assert done.returncode == 2, done.stderr
    assert "not migrated: run greenlane db upgrade" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_written_files_follow_the_umask(tmp_path: Path, mask: int) -> None:
    """Text, bytes and tables: 0644 under umask 022, 0640 under 027 (not mkstemp's 0600)."""
    before = os.umask(mask)
    try:
        paths = [
            write_text(tmp_path / "a.json", "{}"),
            write_bytes(tmp_path / "b.pdf", b"%PDF-"),
        ]
        write_table(pl.DataFrame({"x": [1]}), tmp_path / "c.csv")
        paths.append(tmp_path / "c.csv")
    finally:
        os.umask(before)
    assert {p.stat().st_mode & 0o777 for p in paths} == {0o666 & ~mask}
