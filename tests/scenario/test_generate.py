"""The seeded world: the same seed, the same files; files the modules' own commands accept."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.scenario.generate import generate

runner = CliRunner()


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_same_seed_writes_the_same_files_and_another_seed_other_orders(tmp_path: Path) -> None:
    """Two runs with seed 7 are byte-identical; seed 8 changes the orders, not the network."""
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generate(tmp_path / name, seed, days=2, orders_per_day=50)
    a, b, c = (_digests(tmp_path / n) for n in "abc")
    assert a == b
    assert a["days/2026-11-16/orders.csv"] != c["days/2026-11-16/orders.csv"]
    assert a["network/routes.csv"] == c["network/routes.csv"]


def test_the_manifest_lists_every_file_and_each_day(tmp_path: Path) -> None:
    """scenario.json names files that exist, one set per day, from the first day on."""
    manifest = generate(tmp_path, 3, days=3, orders_per_day=20)
    assert json.loads((tmp_path / "scenario.json").read_text()) == manifest
    assert [d["day"] for d in manifest["days"]] == ["2026-11-16", "2026-11-17", "2026-11-18"]
    named = [v for d in manifest["days"] for k, v in d.items() if k != "day"]
    named += [v for k, v in manifest.items() if isinstance(v, str) and "/" in v]
    assert named and all((tmp_path / n).is_file() for n in named)


def test_the_files_are_what_the_modules_commands_read(tmp_path: Path) -> None:
    """The parcels, packing, relief, energy and EPCIS commands take the scenario's files as-is."""
    generate(tmp_path, 5, days=1, orders_per_day=60)
    day, net = tmp_path / "days" / "2026-11-16", tmp_path / "network"
    commands = [
        ["parcels", "plan", str(day / "orders.csv"), "--routes", str(net / "routes.csv"),
         "--cartons", str(net / "cartons.csv"), "--out", str(tmp_path / "plan.json")],
        ["pack", str(day / "items.csv"), "--cartons", str(net / "cartons.csv"),
         "--out", str(tmp_path / "packed.json")],
        ["relief", "plan", str(tmp_path / "relief" / "event.json"), "--network",
         str(tmp_path / "relief" / "network.json"), "--out", str(tmp_path / "relief.json"),
         "--time-limit", "2"],
        ["energy", "plan", str(net / "park.json"), "--first-day", "2026-11-16", "--days", "1",
         "--out", str(tmp_path / "park.json")],
    ]  # fmt: skip
    for command in commands:
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
    assert json.loads((tmp_path / "plan.json").read_text())["problems"] == []


def test_parquet_days_hold_the_same_tables_as_csv(tmp_path: Path) -> None:
    """--tables parquet: the same orders, items and addresses, value for value, as CSV."""
    csv = generate(tmp_path / "csv", 4, days=1, orders_per_day=300)
    parquet = generate(tmp_path / "pq", 4, days=1, orders_per_day=300, tables="parquet")
    for key in ("orders", "items", "addresses"):
        assert parquet["days"][0][key].endswith(".parquet")
        a = pl.read_csv(tmp_path / "csv" / csv["days"][0][key], infer_schema=False)
        b = pl.read_parquet(tmp_path / "pq" / parquet["days"][0][key]).cast(pl.String)
        assert_frame_equal(a, b)
    assert (tmp_path / "csv" / csv["days"][0]["fuel_receipts"]).read_bytes() == (
        tmp_path / "pq" / parquet["days"][0]["fuel_receipts"]
    ).read_bytes()


def test_the_fleet_grows_with_the_orders_and_a_day_has_a_ceiling(tmp_path: Path) -> None:
    """The demo fleet per 2,000 orders a day (rounded up); over a million a day is refused."""
    small = generate(tmp_path / "s", 1, days=1, orders_per_day=2_000)
    large = generate(tmp_path / "l", 1, days=1, orders_per_day=2_001)
    fleets = [pl.read_csv(tmp_path / n / m["fleet"]) for n, m in (("s", small), ("l", large))]
    assert (fleets[1]["available"] == fleets[0]["available"] * 2).all()
    for bad in (0, 1_000_001):
        with pytest.raises(ValueError, match="orders_per_day"):
            generate(tmp_path / "x", 1, days=1, orders_per_day=bad)
    refused = runner.invoke(app, ["scenario", "generate", "--out", str(tmp_path / "y"),
                                  "--orders-per-day", "1000001"])  # fmt: skip
    assert refused.exit_code == 2 and not (tmp_path / "y").exists()
