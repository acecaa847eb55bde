"""Carton choice reads each batch's item rows in its worker: bad rows named by their file row."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from greenlane.app import pipeline
from greenlane.app.pipeline import day as day_module
from greenlane.scenario.generate import generate
from greenlane.store import connect, upgrade


def _run(folder: Path, url: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The day's rows left out, and every stored packing (order, cartons, board, plan)."""
    upgrade(url)
    engine = connect(url)
    (day,) = pipeline.run(folder, engine, levers=pipeline.Levers(0.1, 20, 3, 400))
    with engine.connect() as conn:
        packed = conn.execute(
            sa.text("SELECT order_id, cartons, board_kg, plan FROM packing_plans ORDER BY order_id")
        ).all()
    engine.dispose()
    return day.left_out, [tuple(p) for p in packed]


def test_bad_item_rows_are_named_by_file_row_whatever_the_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A weight that does not parse and a negative length, in different batches of 7 orders.

    Both rows are named with their row in the file, in file order; their orders are not
    packed, every other order is; batches of 7 and one batch of all store the same packings.
    """
    folder = tmp_path / "world"
    generate(folder, seed=4, days=1, orders_per_day=60)
    relative = pipeline.read_world(folder).manifest["days"][0]["items"]
    items = folder / relative
    with items.open(newline="") as f:
        rows = list(csv.DictReader(f))
    rows[5]["weight_kg"] = "heavy"
    rows[-3]["length_cm"] = "-4"
    bad = {rows[5]["order_id"], rows[-3]["order_id"]}
    with items.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    monkeypatch.setattr(day_module, "PACK_BATCH", 7)
    left_out, packed = _run(folder, f"sqlite:///{tmp_path / 'small.db'}")
    monkeypatch.setattr(day_module, "PACK_BATCH", 10_000)
    assert _run(folder, f"sqlite:///{tmp_path / 'whole.db'}") == (left_out, packed)

    named = [p for p in left_out if items.name in p]
    assert len(named) == 2 and "row 6" in named[0] and "weight_kg" in named[0]
    assert all(p.startswith(f"{relative}: ") for p in named)  # one spelling of the file
    assert f"row {len(rows) - 2}" in named[1] and "length" in named[1]
    stored = {p[0] for p in packed}
    assert not stored & bad
    assert stored == {r["order_id"] for r in rows} - bad


@pytest.mark.parametrize(
    "content", ["", "order_id,item_id,length_cm,width_cm,height_cm,weight_kg\n"]
)
def test_a_day_without_item_rows_packs_nothing_and_still_runs(tmp_path: Path, content: str) -> None:
    """An empty items file, or its header alone: no packings, the day's other stages run."""
    folder = tmp_path / "world"
    generate(folder, seed=4, days=1, orders_per_day=20)
    items = folder / pipeline.read_world(folder).manifest["days"][0]["items"]
    items.write_text(content)
    _, packed = _run(folder, f"sqlite:///{tmp_path / 'store.db'}")
    assert packed == []
