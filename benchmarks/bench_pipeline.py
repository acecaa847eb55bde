"""The main job's week: seconds per stage, on the embedded store and on PostgreSQL.

One run: the seeded demo world (seed 7, 7 days x 2,000 orders) is generated into a temporary
folder and run through the pipeline into a fresh SQLite file, then into a fresh PostgreSQL
database (127.0.0.1:5432, when it answers). Each stage's seconds are summed over the days and
printed side by side; the total is set against the issue's 120 s target for the pipeline as a
ratio. The same code and the same files on both stores, measured in the same process.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_pipeline.py``.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import psycopg
import sqlalchemy as sa

from greenlane.app import pipeline
from greenlane.scenario.generate import generate
from greenlane.store import connect, upgrade

TARGET_S = 120.0
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def timed_run(folder: Path, url: str) -> dict[str, float]:
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
    pipeline.run(folder, engine, step)
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


def main() -> None:
    """Generate, run on both stores, print the table and the ratio to the target."""
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
