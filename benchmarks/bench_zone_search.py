"""The main job's delivery-zone search: PyVRP's exhaustive search of each new best, or not.

A search stopped by iterations (the main job's zones) runs PyVRP's iterated local search
without an exhaustive search of each new best (``routing.solve.SHORT_SEARCH``). This script
shows the choice: the zones of a generated day (seed 7, cut at 400 stops, the pipeline's cut
when the search was chosen; ``bench_zone_size.py`` compares cuts), each solved as the main
job solves it (the plan at a carbon price, and its diesel, cost-only baseline) with PyVRP's
default search at 200 iterations, and with the short search at 200, 250 and 300 iterations,
for three seeds. Then what was tried to make the short search cheaper, at 250 iterations: a
granular neighbourhood of 30 or 20 nearest stops (PyVRP's default: 50), and at most 10
stops perturbed an iteration (default: 25), and PyVRP's operators without the ones that
moved least (Swap22; Swap21 and Swap22; ReplaceOptionalClient, which trades a planned stop
for an unplanned one). Printed: CPU seconds and the plans' cost (cost +
carbon price x WTW CO2e; the baseline's cost), summed, as ratios to the default search.

Run: ``.venv/bin/python benchmarks/bench_zone_search.py [--orders 20000] [--seeds 3] [--only
TEXT]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyvrp
from pyvrp.search import (
    OPERATORS,
    NeighbourhoodParams,
    PerturbationParams,
    ReplaceOptionalClient,
    Swap21,
    Swap22,
)

from greenlane.app.parcels import orders_of
from greenlane.app.pipeline.lanes import start_lanes
from greenlane.app.pipeline.last_mile import _routing_problem
from greenlane.app.pipeline.partitions import Runner
from greenlane.app.pipeline.world import read_world
from greenlane.app.routing import plan_routes
from greenlane.io import read_tces
from greenlane.parcels.schema import ORDER_COLUMNS
from greenlane.routing import solve
from greenlane.routing.compare import diesel_baseline
from greenlane.routing.problem import Problem
from greenlane.routing.zones import zones
from greenlane.scenario.generate import generate

CARBON_PRICE = 0.1  # the main job's default (settings.carbon_price)
REFERENCES = ("PyVRP default, 200 iterations", "short search, 250 iterations")


def day_problem(orders: int) -> Problem:
    """The last mile of a generated day of ``orders`` orders (seed 7), before it is cut."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "world"
        generate(folder, seed=7, days=1, orders_per_day=orders, tables="parquet")
        world = read_world(folder)
        files = world.manifest["days"][0]
        read = read_tces(world.path("orders", files), ORDER_COLUMNS)
        day_orders, _ = orders_of(*read, files["orders"], world.network)
        plan = start_lanes(
            day_orders, world.network, world.cartons, 1, Runner(), lambda *_: None
        ).plan()
        return _routing_problem(world, plan, files)


def day_zones(orders: int, zone_stops: int = 400) -> list[Problem]:
    """The delivery zones of a generated day of ``orders`` orders, cut as the pipeline cuts."""
    return zones(day_problem(orders), zone_stops)


def solved(problems: list[Problem], iterations: int, seed: int) -> tuple[float, float, float]:
    """CPU seconds, the plans' cost + carbon price x CO2e, and the baselines' cost."""
    started, planned, baseline = time.process_time(), 0.0, 0.0
    for zone in problems:
        routed = plan_routes(zone, CARBON_PRICE, 0.0, seed, "plan", iterations)
        planned += sum(p.cost + CARBON_PRICE * p.co2e_wtw_kg for p in routed.priced)
        diesel = zone.with_fleet(diesel_baseline(zone.fleet))
        baseline += sum(p.cost for p in plan_routes(diesel, 0.0, 0.0, seed, "b", iterations).priced)
    return time.process_time() - started, planned, baseline


def main() -> None:
    """Every setting over every seed, summed, beside the default search."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", help="the settings whose name holds this text, beside the "
                        "default and the main job's search")  # fmt: skip
    args = parser.parse_args()
    problems = day_zones(args.orders)
    print(f"{len(problems)} zones of {[len(z.stops) for z in problems]} stops")
    short = solve.SHORT_SEARCH
    settings = {"PyVRP default, 200 iterations": (solve.TIMED_SEARCH, 200)}
    settings |= {f"short search, {n} iterations": (short, n) for n in (200, 250, 300)}
    ils, penalty = short.ils, short.penalty
    for n in (30, 20):
        neighbours = NeighbourhoodParams(num_neighbours=n)
        searched = pyvrp.SolveParams(ils=ils, penalty=penalty, neighbourhood=neighbours)
        settings[f"short, 250, {n} neighbours"] = (searched, 250)
    fewer = pyvrp.SolveParams(ils=ils, penalty=penalty, perturbation=PerturbationParams(1, 10))
    settings["short, 250, <= 10 perturbed"] = (fewer, 250)
    for dropped in ((Swap22,), (Swap21, Swap22), (ReplaceOptionalClient,)):
        kept = [op for op in OPERATORS if op not in dropped]
        name = "short, 250, no " + " ".join(op.__name__ for op in dropped)
        settings[name] = (pyvrp.SolveParams(ils=ils, penalty=penalty, operators=kept), 250)
    sums: dict[str, list[float]] = {}
    for name, (search, iterations) in settings.items():
        if args.only and args.only not in name and name not in REFERENCES:
            continue
        solve.SHORT_SEARCH = search  # the search every iteration-stopped solve uses
        for seed in range(1, args.seeds + 1):
            figures = solved(problems, iterations, seed)
            sums[name] = [a + b for a, b in zip(sums.get(name, [0.0] * 3), figures, strict=True)]
    solve.SHORT_SEARCH = short
    cpu0, plan0, base0 = sums[REFERENCES[0]]
    print(f"{'search':<40}{'CPU s':>9}{'x':>7}{'plan':>12}{'vs':>9}{'baseline':>12}{'vs':>9}")
    for name, (cpu, planned, baseline) in sums.items():
        print(f"{name:<40}{cpu:>9.1f}{cpu / cpu0:>7.2f}{planned:>12.1f}"
              f"{100 * (planned / plan0 - 1):>+8.2f}%{baseline:>12.1f}"
              f"{100 * (baseline / base0 - 1):>+8.2f}%")  # fmt: skip


if __name__ == "__main__":
    main()
