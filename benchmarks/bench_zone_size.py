"""The main job's delivery zones: how many stops a zone may hold (``routing_zone_stops``).

A day's last mile is cut into sectors of at most N stops, each solved by PyVRP as the main
job solves it (the plan at the carbon price and its diesel, cost-only baseline, stopped after
the pipeline's iterations). A larger zone costs more a solve but the day has fewer of them,
and its routes may cross what would have been a border; a smaller one bounds the time and
memory of a partition. This script solves the same generated day (seed 7) cut at each size,
for several seeds, and prints the CPU seconds and the plans' and baselines' costs, summed, as
ratios to the first size.

Run: ``.venv/bin/python benchmarks/bench_zone_size.py [--orders 100000] [--sizes 400,600,800]
[--seeds 2] [--iterations 250]`` (a 100,000-order day: about 5 minutes a size and seed on
this 2-core machine).
"""

from __future__ import annotations

import argparse

from rich.progress import Progress

from bench_zone_search import day_problem, solved
from greenlane.routing.zones import zones
from greenlane.settings import Settings


def main() -> None:
    """Every size over every seed, summed, beside the first size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--sizes", default="400,600,800")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=Settings().routing_iterations)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    problem = day_problem(args.orders)
    print(f"a day of {args.orders:,} orders: {len(problem.stops):,} stops to deliver")
    rows = []
    with Progress(transient=True) as progress:
        task = progress.add_task("solving", total=len(sizes) * args.seeds)
        for size in sizes:
            cut = zones(problem, size)
            sums = [0.0, 0.0, 0.0]
            for seed in range(1, args.seeds + 1):
                figures = solved(cut, args.iterations, seed)
                sums = [a + b for a, b in zip(sums, figures, strict=True)]
                progress.advance(task)
            rows.append((size, len(cut), max(len(zone.stops) for zone in cut), *sums))
    _, _, _, cpu0, plan0, base0 = rows[0]
    print(f"{'stops a zone':<14}{'zones':>7}{'largest':>9}{'CPU s':>9}{'x':>7}"
          f"{'plans':>12}{'vs':>9}{'baselines':>12}{'vs':>9}")  # fmt: skip
    for size, count, largest, cpu, planned, baseline in rows:
        print(f"{size:<14}{count:>7}{largest:>9}{cpu:>9.1f}{cpu / cpu0:>7.2f}{planned:>12.1f}"
              f"{100 * (planned / plan0 - 1):>+8.2f}%{baseline:>12.1f}"
              f"{100 * (baseline / base0 - 1):>+8.2f}%")  # fmt: skip
    print(f"{args.seeds} seeds, {args.iterations} iterations a solve; CPU of this process")


if __name__ == "__main__":
    main()
