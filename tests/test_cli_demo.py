"""`greenlane demo`: a busy port said before any work; the key kept between runs."""

from __future__ import annotations

import re
import socket
from pathlib import Path

from typer.testing import CliRunner

from greenlane.cli import app

runner = CliRunner()


def test_a_busy_port_is_said_at_once_and_nothing_is_made(tmp_path: Path) -> None:
    """Another server on the port: exit 2, the port and one to try, no scenario written."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = tmp_path / "demo"
        result = runner.invoke(app, ["demo", "--out-dir", str(out), "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert f"127.0.0.1:{port} cannot be used" in result.output
    assert f"--port {port + 1}" in " ".join(result.output.split())
    assert not out.exists()


def test_the_demo_keeps_its_key_and_says_how_to_use_its_store(tmp_path: Path) -> None:
    """Run twice: the same key (kept 0600), and the export line for the next commands."""
    out = tmp_path / "demo"
    args = ["demo", "--out-dir", str(out), "--days", "1", "--orders-per-day", "40", "--no-serve"]
    keys = []
    for _ in range(2):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        keys += re.findall(r"gl_[0-9a-f]{16}_\S+", result.output)
        assert f"export GREENLANE_DATABASE_URL=sqlite:///{out / 'greenlane.db'}" in result.output
    assert len(keys) == 2 and keys[0] == keys[1]
    assert (out / "demo-key.txt").stat().st_mode & 0o777 == 0o600
