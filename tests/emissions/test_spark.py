"""The emissions kernel on Spark: a Spark DataFrame in and out, agreeing with Polars and DuckDB."""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest

from greenlane.emissions import calculate, run
from greenlane.scenario.tces import sample_tces

pytestmark = pytest.mark.spark
COMPARED = ("co2e_wtw_kg", "co2e_wtt_kg", "co2e_ttw_kg", "transport_activity_tkm", "daf",
            "distance_km_used", "co2e_intensity_wtw")  # fmt: skip


def test_a_spark_frame_in_is_a_spark_frame_out(spark: Any) -> None:
    """The Python API takes a Spark DataFrame and returns one, with the result columns."""
    frame = spark.createDataFrame(sample_tces(50, seed=1).to_arrow())
    out = calculate(frame)
    assert type(out).__name__ == "DataFrame" and out.sparkSession is spark
    assert {"co2e_wtw_kg", "factor_ref", "data_type"} <= set(out.columns)
    assert out.count() == 50


def test_a_million_tces_agree_on_spark_polars_and_duckdb(spark: Any) -> None:
    """1,000,000 seeded TCEs: every result column equal on the three engines to rtol 1e-9."""
    frame = sample_tces(1_000_000, seed=3)
    on_polars = calculate(frame).sort("tce_id")
    on_duckdb = calculate(duckdb.from_arrow(frame.to_arrow())).pl().sort("tce_id")
    native = calculate(spark.createDataFrame(frame.to_arrow()))
    on_spark = pl.from_arrow(native.toArrow())
    assert isinstance(on_spark, pl.DataFrame)
    on_spark = on_spark.sort("tce_id")
    assert on_spark.height == on_polars.height == on_duckdb.height == 1_000_000
    assert on_spark["tce_id"].to_list() == on_polars["tce_id"].to_list()
    for column in COMPARED:
        a = on_polars[column].to_numpy().astype(float)
        for other in (on_duckdb, on_spark):
            b = other[column].to_numpy().astype(float)
            assert np.allclose(a, b, rtol=1e-9, atol=0, equal_nan=True), column
    for column in ("factor_ref", "data_type", "mode"):
        assert on_spark[column].to_list() == on_polars[column].to_list(), column


def test_bad_rows_on_spark_are_named_by_their_row_id(spark: Any) -> None:
    """An unknown TOC on Spark is refused with the column and the value; skip keeps the rest."""
    frame = sample_tces(20, seed=2).with_columns(
        pl.when(pl.col("tce_id") == pl.col("tce_id").first())
        .then(pl.lit("road.nowhere"))
        .otherwise(pl.col("toc_id"))
        .alias("toc_id")
    )
    result = run(spark.createDataFrame(frame.to_arrow()), skip_invalid=True)
    assert result.results.count() == 19 and result.rejects.height == 1
    assert any(p.column == "toc_id" and "road.nowhere" in p.reason for p in result.problems)
