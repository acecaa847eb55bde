"""Shared test helpers: build TCE frames tersely and run them through the engine."""

from __future__ import annotations

from typing import Any

import polars as pl

from greenlane.emissions import calculate

BASE = {"shipment_id": "S1", "kind": "transport"}


def tces(*rows: dict[str, Any]) -> pl.DataFrame:
    """A TCE frame from partial rows (shipment S1, transport, ids t1, t2, ... by default)."""
    full = [{**BASE, "tce_id": f"t{i}", **row} for i, row in enumerate(rows, start=1)]
    return pl.DataFrame(full, infer_schema_length=None)


def calc_rows(*rows: dict[str, Any], tocs: Any = None, hocs: Any = None) -> list[dict[str, Any]]:
    """Results of the given TCE rows as dicts."""
    return calculate(tces(*rows), tocs=tocs, hocs=hocs).to_dicts()
