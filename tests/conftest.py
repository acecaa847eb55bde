"""Shared test helpers: build TCE frames tersely and run them through the engine.

``calc_rows`` runs on the engine that ``use_engine`` set: ``rows`` (the row-by-row path small
Polars frames take), ``polars`` (the relational kernel), ``duckdb`` or ``spark``, so the
golden examples check every engine against the same published figures.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest

from greenlane.emissions import run

BASE = {"shipment_id": "S1", "kind": "transport"}
ENGINE: dict[str, Any] = {"name": "rows", "spark": None}


def tces(*rows: dict[str, Any]) -> pl.DataFrame:
    """A TCE frame from partial rows (shipment S1, transport, ids t1, t2, ... by default)."""
    full = [{**BASE, "tce_id": f"t{i}", **row} for i, row in enumerate(rows, start=1)]
    return pl.DataFrame(full, infer_schema_length=None)


def calc_rows(*rows: dict[str, Any], tocs: Any = None, hocs: Any = None) -> list[dict[str, Any]]:
    """Results of the given TCE rows as dicts, in input order, on the chosen engine."""
    return on_engine(tces(*rows), tocs, hocs).to_dicts()


def on_engine(frame: pl.DataFrame, tocs: Any = None, hocs: Any = None) -> pl.DataFrame:
    """The kernel's results for ``frame`` on the chosen engine, as Polars, in input order.

    On DuckDB and Spark every numeric result is also checked against the Polars kernel to
    rtol 1e-9, so each golden example shows the engines agree, not only that each is close
    to the published figure.
    """
    name = ENGINE["name"]
    if name in ("rows", "polars"):
        return run(frame, tocs, hocs, row_path=name == "rows").results
    if name == "duckdb":
        result = run(duckdb.from_arrow(frame.to_arrow()), tocs, hocs).results.pl()
    else:
        position = {t: n for n, t in enumerate(frame["tce_id"].to_list())}
        done = run(ENGINE["spark"].createDataFrame(frame.to_arrow()), tocs, hocs).results
        found = pl.from_arrow(done.toArrow())
        assert isinstance(found, pl.DataFrame)
        result = found.sort(pl.col("tce_id").replace_strict(position, return_dtype=pl.Int64))
    _agrees(result, run(frame, tocs, hocs, row_path=False).results)
    return result


def _agrees(result: pl.DataFrame, polars: pl.DataFrame) -> None:
    assert result["tce_id"].to_list() == polars["tce_id"].to_list()
    for column, dtype in polars.schema.items():
        if dtype.is_numeric() and column in result.columns:
            a = result[column].cast(pl.Float64).to_numpy()
            b = polars[column].cast(pl.Float64).to_numpy()
            assert np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True), column


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A local Spark session on two cores (Java 17; the ``spark`` extra)."""
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers must use this environment
    session = (
        SparkSession.builder.master("local[2]")
        .appName("greenlane-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


ENGINE_PARAMS = ["rows", "polars", "duckdb", pytest.param("spark", marks=pytest.mark.spark)]


@pytest.fixture(params=ENGINE_PARAMS)
def use_engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test's ``calc_rows`` on each engine in turn."""
    ENGINE["name"] = request.param
    if request.param == "spark":
        ENGINE["spark"] = request.getfixturevalue("spark")
    yield request.param
    ENGINE["name"] = "rows"
