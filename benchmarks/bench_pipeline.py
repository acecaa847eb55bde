"""The main job: the demo week per stage on both stores, or one large day on every runner.

Default run: the seeded demo world (seed 7, 7 days x 2,000 orders) is generated into a
temporary folder and run through the pipeline into a fresh SQLite file, then into a fresh
PostgreSQL database (127.0.0.1:5432, when it answers). Each stage's seconds are summed over
the days and printed side by side; the total is set against the 120 s target as a ratio.

``--orders-per-day N``: one day of N orders (Parquet), run in a child process per setting:
SQLite in process (1 worker), SQLite on a pool of 2, SQLite on Spark local[2], PostgreSQL on
a pool of 2. For each: wall seconds, CPU seconds and peak memory of the whole process tree
(workers and the JVM included), seconds per stage, the speed-up per worker against 1, and the
time a million orders would take at the measured rate, with the cluster it would need.
``--runs`` picks some of the settings (``sqlite-1,sqlite-pool,sqlite-spark,pg-pool``): a
million orders in one process takes some 25 minutes.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_pipeline.py [--orders-per-day N]
[--runs pg-pool,sqlite-pool]``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psycopg
import sqlalchemy as sa

from greenlane.app import pipeline
from greenlane.app.pipeline.partitions import runner_of
from greenlane.scenario.generate import generate
from greenlane.store import connect, upgrade
from process_tree import run_watched

TARGET_S = 120.0
DAY_TARGET_S, MILLION = 600.0, 1_000_000  # a million orders a day within ten minutes
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def timed_run(
    folder: Path, url: str, engine_name: str = "local", workers: int = 1
) -> dict[str, float]:
    """Seconds spent in each stage (summed over the days), and the total."""
    upgrade(url)
    engine = connect(url)
    spent: dict[str, float] = defaultdict(float)
    stage, since = "start", time.perf_counter()

    def step(name: str) -> None:
        nonlocal stage, since
        if ": " in name:  # a partition of the stage running: its time stays the stage's
            return
        now = time.perf_counter()
        spent[stage] += now - since
        stage, since = ("start" if name.startswith("day ") else name), now

    started = time.perf_counter()
    with runner_of(engine_name, workers) as runner:  # type: ignore[arg-type]
        pipeline.run(folder, engine, step, runner=runner)
    step("end")
    spent["total"] = time.perf_counter() - started
    engine.dispose()
    return dict(spent)


def postgres_url() -> tuple[str, str] | None:
    """A new database on the local PostgreSQL, or None when it does not answer."""
    name = f"greenlane_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(SERVER, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return None
    url = sa.make_url(SERVER).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False), name


def tree_run(args: list[str]) -> dict[str, float]:
    """A child run of this script; its figures with the wall, CPU and peak memory of its tree."""
    started = time.perf_counter()
    child = run_watched([sys.executable, __file__, *args])
    if child.returncode:
        raise SystemExit(f"run {args} failed (exit {child.returncode})")
    figures = json.loads(child.output.strip().splitlines()[-1])
    return figures | {"wall": time.perf_counter() - started, "cpu": child.cpu_s,
                      "peak_gb": child.peak_bytes / 2**30}  # fmt: skip


SETTINGS = {  # short name: (shown as, store, engine, workers)
    "sqlite-1": ("SQLite, in process", "sqlite", "local", 1),
    "sqlite-pool": ("SQLite, pool of 2", "sqlite", "local", 2),
    "sqlite-spark": ("SQLite, Spark local[2]", "sqlite", "spark", 2),
    "pg-pool": ("PostgreSQL, pool of 2", "postgres", "local", 2),
}


def large_day(orders: int, chosen: list[str]) -> None:
    """One day of ``orders`` on the chosen runners and stores, side by side."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "world"
        started, cpu = time.perf_counter(), time.process_time()
        generate(folder, seed=7, days=1, orders_per_day=orders, tables="parquet")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"scenario: 1 day x {orders:,} orders (Parquet) in {wall:.1f} s, {cpu:.1f} s CPU")
        found = postgres_url() if "pg-pool" in chosen else None
        settings = {SETTINGS[c][0]: SETTINGS[c][1:] for c in chosen
                    if c != "pg-pool" or found}  # fmt: skip
        runs = {}
        for n, (name, (store, engine_name, workers)) in enumerate(settings.items()):
            url = found[0] if store == "postgres" and found else f"sqlite:///{tmp}/run{n}.db"
            print(f"running: {name} ...", flush=True)
            run = runs[name] = tree_run(["--child", str(folder), url, engine_name, str(workers)])
            print(f"  {run['total']:.1f} s in the pipeline, {run['wall']:.1f} s wall, "
                  f"{run['cpu']:.1f} s CPU, {run['peak_gb']:.2f} GiB peak", flush=True)  # fmt: skip
        if found:
            with psycopg.connect(SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{found[1]}" WITH (FORCE)')
    _print_day(orders, runs)


def _print_day(orders: int, runs: dict[str, dict[str, float]]) -> None:
    stages = [s for s in pipeline.DAY_STAGES if any(s in r for r in runs.values())]
    print(f"\n{'one day of ' + format(orders, ',') + ' orders':<30}"
          + "".join(f"{name:>24}" for name in runs))  # fmt: skip
    for stage in stages:
        print(f"{stage:<30}" + "".join(f"{r.get(stage, 0.0):>23.1f}s" for r in runs.values()))
    for label, key, unit in (("pipeline (in the child)", "total", "s"), ("wall, start-up included",
                             "wall", "s"), ("CPU, whole process tree", "cpu", "s"),
                             ("peak memory, process tree", "peak_gb", " GiB")):  # fmt: skip
        print(f"{label:<30}" + "".join(f"{r[key]:>22.1f}{unit:<2}" for r in runs.values()))
    one = runs.get("SQLite, in process", {}).get("total")
    for name, run in runs.items():
        rate = orders / run["total"]
        beside = f", {one / run['total']:.2f}x the in-process run" if one else ""
        print(f"{name}: {rate:,.0f} orders/s{beside}; "
              f"a million orders at this rate: {MILLION / rate:,.0f} s "
              f"({MILLION / rate / DAY_TARGET_S:.2f}x the 600 s target)")  # fmt: skip
    if not one or "SQLite, pool of 2" not in runs:
        return  # the speed-up per worker needs both
    pool = runs["SQLite, pool of 2"]
    per_worker = one / pool["total"] / 2
    cpu_per_order = runs["SQLite, in process"]["cpu"] / orders
    cores = MILLION * cpu_per_order / DAY_TARGET_S / max(per_worker, 1e-9)
    print(f"speed-up per worker (pool of 2 against 1): {per_worker:.2f}; at "
          f"{cpu_per_order * 1000:.2f} CPU ms an order, a million orders in 600 s need about "
          f"{cores:.0f} cores at that efficiency")  # fmt: skip


def child(folder: str, url: str, engine_name: str, workers: str) -> None:
    """Run the scenario once in this process; print the stage seconds as JSON."""
    os.environ.setdefault("POLARS_MAX_THREADS", "2")
    print(json.dumps(timed_run(Path(folder), url, engine_name, int(workers))))


def main() -> None:
    """The demo week on both stores, or one large day (``--orders-per-day``) on every runner."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders-per-day", type=int, default=0, help="one day of N orders")
    parser.add_argument("--runs", default=",".join(SETTINGS), help="settings of a large day")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    chosen = args.runs.split(",")
    if unknown := set(chosen) - set(SETTINGS):
        parser.error(f"--runs: no setting {sorted(unknown)}; the settings: {', '.join(SETTINGS)}")
    if args.orders_per_day:
        return large_day(args.orders_per_day, chosen)
    week()


def week() -> None:
    """Generate the demo week, run on both stores, print the table and the ratio to the target."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "world"
        started = time.perf_counter()
        generate(folder, seed=7, days=7, orders_per_day=2_000)
        print(
            f"scenario generated (7 days x 2,000 orders) in {time.perf_counter() - started:.1f} s"
        )
        runs = {"SQLite": timed_run(folder, f"sqlite:///{tmp}/bench.db")}
        found = postgres_url()
        if found:
            runs["PostgreSQL"] = timed_run(folder, found[0])
            with psycopg.connect(SERVER, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{found[1]}" WITH (FORCE)')
    stages = [s for s in runs["SQLite"] if s not in ("start", "end", "total")]
    print(f"{'stage':<32}" + "".join(f"{name:>12}" for name in runs))
    for stage in sorted(stages, key=lambda s: -runs["SQLite"][s]):
        print(f"{stage:<32}" + "".join(f"{r.get(stage, 0.0):>11.2f}s" for r in runs.values()))
    print(f"{'pipeline total':<32}" + "".join(f"{r['total']:>11.1f}s" for r in runs.values()))
    for name, run in runs.items():
        print(f"{name}: {run['total']:.1f} s against the {TARGET_S:.0f} s target: "
              f"{run['total'] / TARGET_S:.2f} of it")  # fmt: skip


if __name__ == "__main__":
    main()
