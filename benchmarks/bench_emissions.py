"""Emissions kernel throughput beside a per-row Python baseline and the floor.

greenlane on Polars and on DuckDB, a plain per-row Python implementation of the same arithmetic,
and the floor, all on the same TCEs in one run; then 100 million TCEs streamed from Parquet with
peak memory reported.

The floor is what any kernel that looks its factors up must do at least: the factor table's
join plus one multiply (mass x distance x factor), in Polars. (A bare multiply over a factor
column joined beforehand, the floor of an earlier version, leaves out the join that no kernel
can skip; it is printed for reference.) Targets (issue 25): greenlane within 3x of the floor
on 10M TCEs, and at least 50x the per-row path.

    python benchmarks/bench_emissions.py [--tces 10000000] [--stream 100000000]

Every figure is the best of three runs, in wall seconds with the CPU seconds of that run beside
them (the machine may be shared). The per-row baseline is timed on a 200,000-row slice
and reported per TCE (it would take minutes on all rows); every other figure is on the whole
set.
"""

from __future__ import annotations

import greenlane  # noqa: F401  (first: it sets Polars' allocator, as the CLI does)

# isort: split
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import track
from rich.table import Table

from greenlane.emissions import calculate
from greenlane.emissions.categories import build_categories
from greenlane.emissions.rowwise import RowPath, rows
from greenlane.factors import load_pack

console = Console()
CATEGORIES = [
    "road.eu.artic_le40t.diesel.average",
    "road.eu.rigid_12_20t.diesel.average",
    "road.eu.van_lt3p5t.electric",
    "rail.eu.electric.container",
    "air.unknown.long_haul",
    "sea.container.trade_lane.asia_north_europe.dry",
    "iww.container_vessel_110m.diesel",
    "road.na.tl_dry_van.diesel",
]


def generate(n: int, seed: int = 1) -> pl.DataFrame:
    """N transport TCEs over eight categories with given SFD distances."""
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "shipment_id": pl.int_range(n, eager=True).cast(pl.String),
            "tce_id": pl.int_range(n, eager=True).cast(pl.String),
            "kind": pl.repeat("transport", n, eager=True),
            "mass_kg": rng.uniform(1, 20_000, n),
            "toc_id": pl.Series(CATEGORIES).gather(rng.integers(0, len(CATEGORIES), n)),
            "distance_km": rng.uniform(5, 12_000, n),
        }
    )


def per_row_baseline(frame: pl.DataFrame) -> Timing:
    """Seconds of the per-row baseline; its results must match greenlane's to rtol 1e-9.

    The baseline is greenlane's own row-by-row path (:mod:`greenlane.emissions.rowwise`, the
    one that answers quotes): the kernel's checks and arithmetic in plain Python, per row.
    """
    pack = load_pack()
    path = RowPath(build_categories(pack), pack)
    tces = frame.to_dicts()
    out = rows(tces, path)
    seconds = timed(rows, tces, path)
    expected = calculate(frame)["co2e_wtw_kg"].to_numpy()
    got = np.array([r["co2e_wtw_kg"] for r in out])
    if not np.allclose(got, expected, rtol=1e-9, atol=0):
        raise AssertionError("the per-row baseline disagrees with greenlane")
    return seconds


def floor(frame: pl.DataFrame) -> Timing:
    """The factor join plus one multiply, in Polars: the least a kernel that looks up must do."""
    factors = load_pack().tocs.lazy().select("toc_id", "wtw_kg")
    return timed(
        lambda: (
            frame.lazy()
            .join(factors, on="toc_id", how="left", maintain_order="left")
            .select(pl.col("mass_kg") * pl.col("distance_km") * pl.col("wtw_kg") / 1000)
            .collect(engine="in-memory")
        )
    )


def bare_multiply(frame: pl.DataFrame) -> Timing:
    """One vectorised multiply over a factor column joined beforehand (the join untimed)."""
    pack = load_pack()
    lookup = dict(zip(pack.tocs["toc_id"], pack.tocs["wtw_kg"], strict=True))
    factor = frame["toc_id"].replace_strict(lookup, return_dtype=pl.Float64).to_numpy()
    mass, distance = frame["mass_kg"].to_numpy(), frame["distance_km"].to_numpy()
    return timed(lambda: mass * distance * factor / 1000)


Timing = tuple[float, float]  # wall seconds, CPU seconds of the same run


def timed(fn, *args) -> Timing:  # type: ignore[no-untyped-def]
    """Best of three wall times, with the CPU seconds of that run."""
    best = (float("inf"), float("inf"))
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        fn(*args)
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


def duckdb_run(frame: pl.DataFrame) -> None:
    """Greenlane on DuckDB, results materialised as Arrow."""
    calculate(duckdb.from_arrow(frame.to_arrow())).to_arrow_table()


def stream(total: int, batch: int, folder: Path) -> tuple[float, float]:
    """Write ``total`` TCEs to Parquet, then calculate them in a child process; its peak RSS.

    The child does only the calculation (read batch, calculate, write batch) and reports its
    own high-water mark, so the figure is the engine's, not the generator's nor this process's
    10-million-row frame.
    """
    source, target = folder / "tces.parquet", folder / "results.parquet"
    writer = None
    for i in track(range(total // batch), description="writing input Parquet"):
        table = generate(batch, seed=100 + i).to_arrow()
        writer = writer or pq.ParquetWriter(source, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    start = time.perf_counter()
    command = [sys.executable, __file__, "--calculate", str(source), str(target)]
    subprocess.run([*command, "--batch", str(batch)], check=True)
    seconds = time.perf_counter() - start
    peak_gib = int(target.with_suffix(".peak").read_text()) / 1024**2
    return seconds, peak_gib


def calculate_file(source: Path, target: Path, batch: int) -> None:
    """Calculate a Parquet file of TCEs batch by batch into a Parquet file of results."""
    reader, out = pq.ParquetFile(source), None
    batches = -(-reader.metadata.num_rows // batch)
    for batch_table in track(
        reader.iter_batches(batch_size=batch), total=batches, description="calculating"
    ):
        result = calculate(pl.from_arrow(batch_table)).to_arrow()
        out = out or pq.ParquetWriter(target, result.schema)
        out.write_table(result)
    if out is not None:
        out.close()
    target.with_suffix(".peak").write_text(str(_peak_rss_kib()))


def _peak_rss_kib() -> int:
    """Peak resident memory of the current process since it started (VmHWM), in KiB.

    Not getrusage: its maxrss survives exec, so a child forked from a large parent would
    report the parent's size.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def kernel_table(n: int) -> None:
    """Greenlane, the baseline and the floor on ``n`` TCEs, side by side."""
    with console.status(f"generating {n:,} TCEs"):
        frame = generate(n)
    sample = frame.head(200_000)
    per_row = per_row_baseline(sample)
    rows = {
        "greenlane, Polars": timed(calculate, frame),
        "greenlane, DuckDB": timed(duckdb_run, frame),
        "per-row Python (baseline)": (
            per_row[0] * n / sample.height,
            per_row[1] * n / sample.height,
        ),
        "floor: factor join + one multiply (Polars)": floor(frame),
        "for reference: a bare multiply, join untimed": bare_multiply(frame),
    }
    table = Table(title=f"ISO 14083 kernel, {n:,} TCEs, 2 cores")
    for col in ("implementation", "wall s", "CPU s", "TCEs/s", "x baseline", "x floor"):
        table.add_column(col, justify="right")
    base = rows["per-row Python (baseline)"][0]
    low = rows["floor: factor join + one multiply (Polars)"][0]
    for name, (wall, cpu) in rows.items():
        table.add_row(
            name,
            f"{wall:.3f}",
            f"{cpu:.3f}",
            f"{n / wall:,.0f}",
            f"{base / wall:.1f}",
            f"{wall / low:.2f}",
        )
    console.print(table)
    console.print("targets: greenlane, Polars within 3x of the floor and at least 50x the baseline")


def main() -> None:
    """Run the benchmark and print the figures side by side."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tces", type=int, default=10_000_000)
    parser.add_argument("--stream", type=int, default=100_000_000)
    parser.add_argument("--batch", type=int, default=1_000_000)
    parser.add_argument("--calculate", nargs=2, type=Path, metavar=("SOURCE", "TARGET"))
    args = parser.parse_args()
    if args.calculate:
        calculate_file(*args.calculate, args.batch)
        return
    if args.tces:
        kernel_table(args.tces)
    if args.stream:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, peak = stream(args.stream, args.batch, Path(tmp))
        console.print(
            f"streamed {args.stream:,} TCEs from Parquet in {seconds:.1f} s "
            f"({args.stream / seconds:,.0f} TCEs/s), peak RSS {peak:.2f} GiB"
        )


if __name__ == "__main__":
    main()
