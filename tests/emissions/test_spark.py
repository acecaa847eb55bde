"""The emissions kernel on Spark: a Spark DataFrame in and out, agreeing with Polars and DuckDB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from greenlane.cli import app
from greenlane.emissions import calculate, run
from greenlane.emissions.report import build_report
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


def test_a_monthly_dataset_on_spark_gives_the_polars_report(spark: Any, tmp_path: Path) -> None:
    """Month partitions on Spark: results by month, rollups and report equal to Polars'."""
    frame = sample_tces(3_000, seed=5).with_columns(
        pl.col("departure_at").str.slice(0, 7).alias("month")
    )
    bad = frame.head(1).with_columns(pl.lit("BAD-1").alias("tce_id"), pl.lit(-5.0).alias("mass_kg"))
    pl.concat([frame, bad]).write_parquet(tmp_path / "tces", partition_by="month")
    out = tmp_path / "out"
    args = ["emissions", "calc", str(tmp_path / "tces"), "--engine", "spark", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--report", str(tmp_path / "report.json")])
    assert result.exit_code == 0, result.output
    months = sorted(p.name for p in (out / "results").glob("month=*"))
    assert months == sorted(f"month={m}" for m in frame["month"].unique())
    assert pl.read_parquet(out / "rejects" / "*.parquet")["tce_id"].to_list() == ["BAD-1"]
    on_polars = calculate(frame.drop("month"))
    rollups = pl.read_parquet(out / "rollups" / "**" / "*.parquet", hive_partitioning=True)
    by_shipper = rollups.group_by("shipper_id").agg(pl.col("co2e_wtw_kg").sum()).sort("shipper_id")
    expected = on_polars.group_by("shipper_id").agg(pl.col("co2e_wtw_kg").sum()).sort("shipper_id")
    assert np.allclose(
        by_shipper["co2e_wtw_kg"].to_numpy(), expected["co2e_wtw_kg"].to_numpy(), rtol=1e-9
    )
    report = json.loads((tmp_path / "report.json").read_text())
    direct = build_report(on_polars)
    assert report["totals"]["co2e_wtw_kg"] == pytest.approx(
        direct["totals"]["co2e_wtw_kg"], rel=1e-9
    )
    assert report["totals"]["tces"] == 3_000
    for ours, theirs in zip(report["by_mode"], direct["by_mode"], strict=True):
        assert ours["mode"] == theirs["mode"]
        assert ours["co2e_wtw_kg"] == pytest.approx(theirs["co2e_wtw_kg"], rel=1e-9)
    assert report["shipments"] >= direct["shipments"]  # shipment-months (the note says so)


def test_the_kernel_runs_in_the_jvm_without_python_udfs(spark: Any) -> None:
    """The physical plan holds no Python UDF: executors need neither Python nor greenlane."""
    out = calculate(spark.createDataFrame(sample_tces(50, seed=1).to_arrow()))
    plan = out._jdf.queryExecution().executedPlan().toString()
    assert "BroadcastHashJoin" in plan or "BroadcastExchange" in plan  # factor tables broadcast
    assert not any(node in plan for node in ("PythonUDF", "BatchEvalPython", "ArrowEvalPython"))
