"""The emissions kernel on Spark against DuckDB and Polars: 100 million TCEs from Parquet.

One run:
1. 100,000,000 TCEs (a million seeded TCEs, copied 100 times with new ids), written as Parquet
   partitioned by month (``month=YYYY-MM/part-NNN.parquet``).
2. Each engine, in its own process, computes every TCE's emissions and writes the results:
   Spark ``local[2]`` over the whole dataset (greenlane's dataset job: results by month,
   rollups, shipment counts), DuckDB and Polars month by month (the way greenlane runs them
   on one machine). Time, peak memory of the process tree (the JVM included), TCEs per
   second and per core, each against DuckDB.
3. An estimate, from the Spark figures, of the cluster that processes 3 billion TCEs a year,
   month by month, each month within an hour.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_spark.py [--tces N] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from rich.progress import track

from process_tree import run_watched

CORES = 2
YEARLY, HOUR = 3_000_000_000, 3600.0


def generate(root: Path, tces: int) -> None:
    """``tces`` TCEs: one seeded million (or fewer), copied with new ids, by month."""
    from greenlane.scenario.tces import sample_tces

    base_n = min(tces, 1_000_000)
    base = sample_tces(base_n, seed=11).with_columns(
        pl.col("departure_at").str.slice(0, 7).alias("month")
    )
    months = base["month"].unique().sort().to_list()
    for k in track(range(max(1, tces // base.height)), description="writing Parquet"):
        copy = base.with_columns(pl.col("tce_id") + f"-{k}", pl.col("shipment_id") + f"-{k}")
        for month in months:
            folder = root / f"month={month}"
            folder.mkdir(parents=True, exist_ok=True)
            copy.filter(pl.col("month") == month).drop("month").write_parquet(
                folder / f"part-{k:03d}.parquet"
            )


def engine_run(engine: str, root: Path, out: Path) -> dict[str, float]:
    """One engine over the dataset (in this process); TCEs computed and seconds."""
    started = time.perf_counter()
    if engine == "spark":
        from greenlane.app.scaleout import calculate_dataset, session

        spark = session("local[2]", driver_memory="12g")
        ready = time.perf_counter()
        done = calculate_dataset(spark, root, out)
        return {"tces": done.tces, "seconds": time.perf_counter() - started,
                "startup_s": ready - started}  # fmt: skip
    import duckdb

    from greenlane.emissions import calculate

    duckdb.sql(f"SET threads={CORES}")
    total = 0
    for folder in sorted(root.glob("month=*")):
        target = out / folder.name
        target.mkdir(parents=True)
        if engine == "duckdb":
            relation = calculate(duckdb.read_parquet(str(folder / "*.parquet")))
            relation.write_parquet(str(target / "results.parquet"))
            total += duckdb.sql(f"SELECT count(*) FROM '{target}/results.parquet'").fetchall()[0][0]
        else:
            frame = calculate(pl.read_parquet(folder / "*.parquet"))
            frame.write_parquet(target / "results.parquet")
            total += frame.height
    return {"tces": total, "seconds": time.perf_counter() - started, "startup_s": 0.0}


def measured(engine: str, root: Path, work: Path) -> dict[str, float]:
    """Run an engine in a child process; add the peak memory of its process tree."""
    out = work / f"out-{engine}"
    env = {**os.environ, "POLARS_MAX_THREADS": str(CORES)}
    child = run_watched(
        [sys.executable, __file__, "--engine", engine, "--data", str(root), "--out", str(out)],
        env,
    )
    if child.returncode:
        raise SystemExit(f"{engine} failed (exit {child.returncode})")
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(child.output.strip().splitlines()[-1]) | {"peak_gb": child.peak_bytes / 2**30}


def report(figures: dict[str, dict[str, float]]) -> None:
    base = figures["duckdb"]["tces"] / figures["duckdb"]["seconds"]
    print(f"{'engine':<8}{'TCEs':>14}{'seconds':>10}{'peak GB':>9}{'TCEs/s':>12}"
          f"{'per core':>11}{'vs DuckDB':>11}")  # fmt: skip
    for name, f in figures.items():
        rate = f["tces"] / f["seconds"]
        print(f"{name:<8}{f['tces']:>14,.0f}{f['seconds']:>10.1f}{f['peak_gb']:>9.2f}"
              f"{rate:>12,.0f}{rate / CORES:>11,.0f}{rate / base:>10.2f}x")  # fmt: skip
    spark = figures["spark"]
    per_core = spark["tces"] / (spark["seconds"] - spark["startup_s"]) / CORES
    monthly = YEARLY / 12
    needed = monthly / HOUR
    here_min = monthly / (per_core * CORES) / 60
    cores = 4 * needed / per_core  # a 4x margin: shuffles over a network, skew, object storage
    print(
        f"\nEstimate: 3 billion TCEs a year, processed monthly, each month within an hour: "
        f"{monthly:,.0f} TCEs a month, {needed:,.0f} TCEs/s. Spark here did {per_core:,.0f} "
        f"TCEs/s per core after its {spark['startup_s']:.0f} s start-up (kernel, results by "
        f"month, rollups and shipment counts), so one month would take about {here_min:.0f} "
        f"minutes on these 2 cores. With a 4x margin for network shuffles, skew and object "
        f"storage reads (not measured here), {max(1.0, cores):.1f} cores: the smallest "
        f"cluster (a driver and one 4-core worker) does it. Ten times the volume needs about "
        f"{max(1, round(10 * cores))} cores."
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tces", type=int, default=100_000_000)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--engine", choices=("spark", "duckdb", "polars"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:  # a child: one engine, figures as JSON on the last line
        print(json.dumps(engine_run(args.engine, args.data, args.out)))
        return
    with tempfile.TemporaryDirectory(dir=args.keep.parent if args.keep else None) as scratch:
        work = Path(scratch)
        root = args.keep or work / "tces"
        if not root.exists():
            started = time.perf_counter()
            generate(root, args.tces)
            print(f"generated {args.tces:,} TCEs in {time.perf_counter() - started:.0f} s")
        figures = {name: measured(name, root, work) for name in ("duckdb", "polars", "spark")}
        report(figures)


if __name__ == "__main__":
    main()
