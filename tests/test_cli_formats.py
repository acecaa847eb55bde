"""Every command that prints a table prints it as CSV or JSON on request, and -q silences it.

Run on docs/examples (the README's inputs) in a store of their own. With --format csv|json,
stdout holds only what a program reads (progress and notes go elsewhere or nowhere); with
--quiet, stdout holds nothing and the exit status says how it went.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {  # each command that prints a table, on the examples
    "emissions": ["emissions", "calc", "tces.csv", "--out", "results.csv"],
    "pack": ["pack", "items.csv", "--cartons", "cartons.csv"],
    "parcels": ["parcels", "plan", "orders.csv", "--routes", "routes.csv", "--cartons",
                "cartons.csv", "--out", "parcel-plan.json"],
    "route": ["route", "places.csv", "--fleet", "fleet.csv", "--time-limit", "1s"],
    "last-mile": ["route", "last-mile", "places.csv", "--fleet", "fleet.csv", "--time-limit",
                  "1s"],
    "preposition": ["relief", "preposition", "scenarios.json", "--network", "network.json"],
    "energy": ["energy", "plan", "park.json", "--days", "2"],
    "config": ["config", "show"],
    "factors": ["factors", "list", "--mode", "road"],
    "containers": ["containers", "report", "--organization", "acme", "--as-of", "2026-11-30"],
    "pipeline": ["pipeline", "run", "world"],
}  # fmt: skip


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A copy of the examples with a store holding acme's EPCIS events and a one-day world."""
    folder = tmp_path_factory.mktemp("formats") / "examples"
    shutil.copytree(ROOT / "docs" / "examples", folder)
    env = os.environ | {"GREENLANE_DATABASE_URL": f"sqlite:///{folder / 'greenlane.db'}"}
    for args in (["db", "upgrade"], ["org", "create", "acme", "--role", "shipper"],
                 ["epcis", "import", "events.jsonld", "--organization", "acme"],
                 ["scenario", "generate", "--days", "1", "--orders-per-day", "40", "--out",
                  "world"]):  # fmt: skip
        assert _greenlane(folder, env, args).returncode == 0, args
    return folder, env


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_table_prints_as_csv_or_json(
    walk: tuple[Path, dict[str, str]], name: str, fmt: str
) -> None:
    """Stdout parses as the format asked for, with at least one row."""
    folder, env = walk
    done = _greenlane(folder, env, [*COMMANDS[name], "--format", fmt])
    assert done.returncode == 0, done.stderr[-2000:]
    if fmt == "json":
        parsed = json.loads(done.stdout)
        assert parsed if isinstance(parsed, dict) else len(parsed) >= 1
    else:
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert len(rows) >= 1 and all(None not in r for r in rows), done.stdout[:500]


@pytest.mark.parametrize("name", ["pack", "route", "energy", "config"])
def test_quiet_prints_nothing_but_succeeds(walk: tuple[Path, dict[str, str]], name: str) -> None:
    """-q: no table, no note, no progress bar; the exit status still says it worked."""
    folder, env = walk
    done = _greenlane(folder, env, ["-q", *COMMANDS[name]])
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stderr


def test_quiet_still_says_what_went_wrong(walk: tuple[Path, dict[str, str]]) -> None:
    """-q on a missing input: exit 2 and one line on stderr."""
    folder, env = walk
    done = _greenlane(folder, env, ["-q", "pack", "missing.csv", "--cartons", "cartons.csv"])
    assert done.returncode == 2 and done.stdout == "" and "missing.csv" in done.stderr


def _greenlane(folder: Path, env: dict[str, str], args: list[str]) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "greenlane"), *args]
    return subprocess.run(command, cwd=folder, env=env | {"COLUMNS": "120"},
                          capture_output=True, text=True, timeout=600)  # fmt: skip
