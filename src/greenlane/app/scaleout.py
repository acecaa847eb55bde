"""Scale-out on Apache Spark: a month-partitioned TCE dataset in, results and rollups out.

The kernel is the same Narwhals code that runs on Polars and DuckDB; here it runs on a Spark
DataFrame, with the factor pack and the TOC/HOC tables broadcast to every executor. The job:

1. reads a Parquet dataset (a file or a folder; ``month=YYYY-MM`` partition folders become a
   ``month`` column, else the month is taken from ``departure_at``);
2. writes the results partitioned by month (``results/month=…``), and the rows it could not
   use with their reasons (``rejects/``);
3. rolls the results up by month, shipper and the report's keys (``rollups/``) and counts
   each month's shipments and keeps its 20 largest (``shipments/``), reading the results back
   (a column scan, not the kernel again);
4. builds the ISO 14083 report model from the rollups alone, so a year's report never needs
   the detail rows in one process.

Requires the ``spark`` extra (``pip install greenlane[spark]``) and Java 17+.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from greenlane.emissions import run
from greenlane.emissions.report import report_from_rollups, rollup
from greenlane.factors import DEFAULT_PACK

MONTH_NOTE = (
    "Built from monthly rollups: a shipment whose elements fall in two months is counted in "
    "each month, and the largest shipments are the largest shipment-months."
)


@dataclass(frozen=True, slots=True)
class DatasetRun:
    """What a dataset run wrote, with its totals."""

    tces: int
    rejected: int
    co2e_wtw_kg: float
    out: str


def session(master: str = "local[2]", app: str = "greenlane", driver_memory: str = "4g") -> Any:
    """A Spark session with the settings the kernel wants (see docs/scale-out.md).

    An empty ``master`` leaves it to spark-submit or the platform (a cluster, Databricks). In
    ``local[*]`` mode the executors live in the driver's JVM: ``driver_memory`` is theirs.
    """
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers use this environment
    builder = SparkSession.builder.master(master) if master else SparkSession.builder
    spark = (
        builder.appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def calculate_dataset(
    spark: Any,
    source: str | Path,
    out: str | Path,
    tocs: Iterable[Mapping[str, Any]] | None = None,
    hocs: Iterable[Mapping[str, Any]] | None = None,
    pack: str = DEFAULT_PACK,
) -> DatasetRun:
    """Steps 1-3 of the module: results, rejects, rollups and shipment counts under ``out``.

    ``source`` and ``out`` are anything Spark reads and writes (a folder, ``s3a://…``).
    """
    from pyspark.sql import functions as F  # noqa: N812 - Spark's own convention

    tces = spark.read.parquet(str(source))
    if "month" not in tces.columns:
        tces = tces.withColumn(
            "month", F.coalesce(F.substring("departure_at", 1, 7), F.lit("none"))
        )
    tces = tces.withColumn("month", F.col("month").cast("string"))
    done = run(tces, list(tocs or []) or None, list(hocs or []) or None, pack, skip_invalid=True,
               file=str(source))  # fmt: skip
    done.results.write.mode("overwrite").partitionBy("month").parquet(_in(out, "results"))
    if done.rejects.height:
        rejects = spark.createDataFrame(done.rejects.to_arrow())
        rejects.coalesce(1).write.mode("overwrite").parquet(_in(out, "rejects"))
    results = spark.read.parquet(_in(out, "results"))
    rollups = rollup(results, ("month",)).to_native()
    rollups.write.mode("overwrite").partitionBy("month").parquet(_in(out, "rollups"))
    _shipments(results).write.mode("overwrite").parquet(_in(out, "shipments"))
    totals = spark.read.parquet(_in(out, "rollups")).agg(F.sum("tces"), F.sum("co2e_wtw_kg"))
    count, wtw = totals.first()
    return DatasetRun(int(count or 0), done.rejects.height, float(wtw or 0.0), str(out))


def _in(base: str | Path, name: str) -> str:
    """A path under ``base``, for local folders and object stores alike."""
    return f"{str(base).rstrip('/')}/{name}"


def report_from_dataset(
    out: Path, pack: str = DEFAULT_PACK, scope: str = "all shippers"
) -> dict[str, Any]:
    """The ISO 14083 report model from a run's rollups and shipment counts (step 4)."""
    rollups = pl.scan_parquet(out / "rollups" / "**" / "*.parquet", hive_partitioning=True)
    shipments = pl.read_parquet(out / "shipments" / "*.parquet")
    top = (
        shipments.filter(pl.col("shipment_id").is_not_null())
        .sort("co2e_wtw_kg", descending=True)
        .head(20)
        .to_dicts()
    )
    count = int(shipments.filter(pl.col("shipment_id").is_null())["shipments"].sum())
    return report_from_rollups(rollups, count, top, scope=scope, pack=pack, notes=(MONTH_NOTE,))


def _shipments(results: Any) -> Any:
    """Per month: the number of shipments (a row without shipment_id) and the 20 largest."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    per = results.groupBy("month", "shipment_id").agg(
        F.sum("co2e_wtw_kg").alias("co2e_wtw_kg"),
        F.sum("transport_activity_tkm").alias("transport_activity_tkm"),
        F.count(F.lit(1)).alias("tces"),
    )
    rank = F.row_number().over(Window.partitionBy("month").orderBy(F.desc("co2e_wtw_kg")))
    largest = per.withColumn("rank", rank).filter("rank <= 20").drop("rank")
    counts = per.groupBy("month").agg(F.count(F.lit(1)).alias("shipments"))
    return largest.withColumn("shipments", F.lit(None).cast("long")).unionByName(
        counts.select(
            "month",
            F.lit(None).cast("string").alias("shipment_id"),
            F.lit(None).cast("double").alias("co2e_wtw_kg"),
            F.lit(None).cast("double").alias("transport_activity_tkm"),
            F.lit(None).cast("long").alias("tces"),
            "shipments",
        )
    )
