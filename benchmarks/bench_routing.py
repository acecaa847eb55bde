"""Green routing on public benchmark sets, every instance through greenlane's own planner.

One run, three parts, each reading its folder under ``../shared/data/routing/`` when present:
1. CVRP, CVRPLIB X instances: greenlane's plan (cost = distance, rounded as CVRPLIB rounds)
   against the best-known solution, beside plain PyVRP on the same instance with the same
   time limit (``--cvrp-seconds``, 30) and seed: the cost of greenlane's model over PyVRP's.
2. E-VRPTW, Schneider et al. 2014: greenlane's electric search (greenlane.routing.electric,
   charging part of the search) under both recharge policies, every plan checked against the
   instance file by this script's own reading of its rules, beside the best-known vehicles and
   distance (``--evrptw-rounds``, 100 rounds of the iterated search, two solves at a time).
3. PRP, PRPLIB UK instances: the emissions-aware plan (carbon price on CO2e, so routes are
   re-ordered for load-dependent fuel) against the distance-minimising plan, both driven at
   the same speed and both evaluated with the comprehensive modal emission model (CMEM,
   Bektaş & Laporte 2011; parameters from Demir et al. 2012, road angle 0).

Every instance of a part runs with the same time limit (part 2: the same rounds) and seed 1.
Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_routing.py [--quick]``.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import statistics
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime
from rich.progress import track

from greenlane.routing.electric import search
from greenlane.routing.fleet import VehicleType
from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem, Site, Stop
from greenlane.routing.recharge import Network
from greenlane.routing.solve import Solved

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "routing"
FAR = 24 * 365.0  # a shift with no practical end (hours)


def vehicle(type_id: str, capacity: float, available: int, **changes: object) -> VehicleType:
    """A diesel vehicle whose cost is its distance (cost 1 per km, nothing else)."""
    fields: dict[str, object] = {
        "type_id": type_id, "carrier": "diesel", "capacity_kg": capacity, "capacity_m3": 1e9,
        "energy_per_km_empty": 0.1, "energy_per_km_full": 0.1, "fixed_cost": 0.0,
        "cost_per_km": 1.0, "cost_per_hour": 0.0, "depot": "D", "shift_start_h": 0.0,
        "shift_end_h": FAR, "available": available, "speed_kmh": 1e6,
    } | changes  # fmt: skip
    return VehicleType(**fields)  # type: ignore[arg-type]


def at_origin(stop_id: str, demand: float, **changes: object) -> Stop:
    """A stop whose coordinates do not matter: the instance gives the distances."""
    return Stop(stop_id, 0.0, 0.0, demand_kg=max(demand, 1e-6), demand_m3=0.0, **changes)  # type: ignore[arg-type]


# ---- 1. CVRP ------------------------------------------------------------------------------


def read_cvrp(path: Path) -> tuple[Problem, float]:
    """A VRPLIB CVRP instance (EUC_2D, rounded to the nearest integer) and its BKS cost."""
    text = path.read_text().replace("\r", "")
    capacity = float(re.search(r"CAPACITY\s*:\s*(\d+)", text).group(1))  # type: ignore[union-attr]
    coords = _section(text, "NODE_COORD_SECTION", "DEMAND_SECTION")
    demands = _section(text, "DEMAND_SECTION", "DEPOT_SECTION")
    xy = np.array([[float(r[1]), float(r[2])] for r in coords])
    matrix = np.rint(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)))
    stops = tuple(at_origin(f"c{n}", float(d[1])) for n, d in enumerate(demands[1:], 1))
    problem = Problem(stops, (Site("D", 0, 0),), (vehicle("truck", capacity, len(stops)),),
                      distances_km=matrix)  # fmt: skip
    bks = float(re.search(r"Cost\s+(\d+)", path.with_suffix(".sol").read_text()).group(1))  # type: ignore[union-attr]
    return problem, bks


def _section(text: str, start: str, end: str) -> list[list[str]]:
    body = text.split(start, 1)[1].split(end, 1)[0]
    return [line.split() for line in body.strip().splitlines() if line.strip()]


def part_cvrp(seconds: float, limit: int | None) -> None:
    """The planner beside plain PyVRP on each instance, with the same time limit and seed."""
    folder = DATA / "cvrp"
    print(f"\n== 1. CVRP (X instances), {seconds:g} s per instance, beside plain PyVRP ==")
    if not folder.is_dir():
        print(f"{folder} not found: part skipped")
        return
    ours, plain = [], []
    for path in sorted(folder.glob("*.vrp"))[:limit]:
        problem, bks = read_cvrp(path)
        wall, cpu = time.perf_counter(), time.process_time()
        solved = plan(problem, 0.0, seconds, 1)
        ours_cpu = time.process_time() - cpu
        cost = sum(r.km for r in solved.routes)
        ours.append(cost / bks - 1 if not solved.unserved else float("nan"))
        cpu = time.process_time()
        result = pyvrp.solve(pyvrp.read(path, round_func="round"), MaxRuntime(seconds), 1,
                             display=False)  # fmt: skip
        plain_cpu = time.process_time() - cpu
        plain.append(result.cost() / bks - 1 if result.is_feasible() else float("nan"))
        print(
            f"{path.stem:<12} BKS {bks:>7.0f}  greenlane {cost:>7.0f} ({ours[-1]:>6.2%}, "
            f"unserved {len(solved.unserved)}, {ours_cpu:4.1f} s CPU)  PyVRP {result.cost():>7.0f} "
            f"({plain[-1]:>6.2%}, {plain_cpu:4.1f} s CPU)  {time.perf_counter() - wall:5.1f} s wall"
        )
    difference = (statistics.mean(ours) - statistics.mean(plain)) * 100
    print(
        f"mean gap over {len(ours)} instances: greenlane {statistics.mean(ours):.2%}, plain PyVRP "
        f"{statistics.mean(plain):.2%}: {difference:+.2f} percentage points (target within 0.1)"
    )


# ---- 2. E-VRPTW ---------------------------------------------------------------------------


def read_evrptw(path: Path) -> Problem:
    """A Schneider et al. instance: one electric vehicle type, unlimited in number.

    Units map one to one: a distance unit is a km, a time unit an hour, an energy unit a kWh.
    Battery Q and consumption r give the range Q / r; a full recharge takes Q g time units,
    so the charging power is 1 / g.
    """
    lines = path.read_text().splitlines()
    rows = [line.split() for line in lines[1:] if len(line.split()) == 8]
    values = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r"^(\w) .*?/([\d.]+)/", "\n".join(lines), re.M)
    }
    xy = np.array([[float(r[2]), float(r[3])] for r in rows])
    depot = next(r for r in rows if r[1] == "d")
    stations = [r for r in rows if r[1] == "f"]
    customers = [r for r in rows if r[1] == "c"]
    order = [depot, *stations, *customers]
    index = [rows.index(r) for r in order]
    matrix = np.hypot(*(xy[index][:, None, :] - xy[index][None, :, :]).transpose(2, 0, 1))
    v = values["v"]
    ev = vehicle(
        "ev", values["C"], len(customers), carrier="battery_electric",
        energy_per_km_empty=values["r"], energy_per_km_full=values["r"],
        range_km=values["Q"] / values["r"], charge_kw=1 / values["g"], speed_kmh=v,
        shift_end_h=float(depot[6]),
    )  # fmt: skip
    stops = tuple(
        at_origin(
            r[0], float(r[4]), service_min=float(r[7]) * 60, ready_h=float(r[5]), due_h=float(r[6])
        )
        for r in customers
    )
    sites = tuple(Site(r[0], 0.0, 0.0) for r in stations)
    return Problem(stops, (Site("D", 0, 0),), (ev,), sites, distances_km=matrix)


def part_evrptw(iterations: int, limit: int | None) -> None:
    folder = DATA / "evrptw"
    print(
        f"\n== 2. E-VRPTW (Schneider et al. 2014), greenlane.routing.electric, {iterations} "
        "rounds a solve, seed 1, both recharge policies =="
    )
    if not folder.is_dir():
        print(f"{folder} not found: part skipped")
        return
    bks = {}
    for line in (folder / "bks-evrptwpr.csv").read_text().splitlines()[1:]:
        name, vehicles, distance = line.split("\t")[:3]
        bks[name.lower()] = (int(vehicles), float(distance))
    paths = sorted(folder.glob("*_21.txt"))[:limit]
    jobs = [(path, policy, iterations) for path in paths for policy in ("full", "partial")]
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = {pool.submit(_solve_evrptw, job): job for job in jobs}
        done = {}
        for future in track(as_completed(futures), total=len(jobs), description="solving"):
            done[futures[future]] = future.result()
    print(
        f"{'instance':<10} {'policy':<8} {'veh':>4} {'BKS':>4} {'distance':>9} {'PR-BKS':>9} "
        f"{'gap':>7} {'full BKS':>13}  feasible  unserved  CPU s"
    )
    rows = []
    for path, policy, _ in jobs:
        vehicles, km, problems, unserved, cpu = done[(path, policy, iterations)]
        name = path.stem.removesuffix("_21")
        ref = bks[name]
        published = FULL_RECHARGE_BKS.get(name)
        shown = f"{published[0]} / {published[1]:.2f}" if published and policy == "full" else ""
        gap = km / ref[1] - 1
        ok = not problems and not unserved
        rows.append((policy, vehicles - ref[0], gap, ok, name, cpu))
        if published and policy == "full":
            over = vehicles - published[0]
            rows.append(("published", over, km / published[1] - 1, ok, name, cpu))
        print(
            f"{name:<10} {policy:<8} {vehicles:>4} {ref[0]:>4} {km:>9.2f} {ref[1]:>9.2f} "
            f"{gap:>+7.2%} {shown:>13}  {'yes' if not problems else problems[0]:<8}  "
            f"{unserved:>8}  {cpu:5.1f}"
        )
    for policy, against in (
        ("full", "the EVRPTW-PR BKS"),
        ("partial", "the EVRPTW-PR BKS"),
        ("published", "the published full-recharge BKS"),
    ):
        mine = [r for r in rows if r[0] == policy]
        if mine:
            level = [r[2] for r in mine if r[1] == 0]
            cpus = [r[5] for r in mine]
            print(
                f"{policy}: {len(mine)} instances against {against}: all feasible and served "
                f"{all(r[3] for r in mine)}; vehicles over BKS "
                f"{dict(sorted(Counter(r[1] for r in mine).items()))} (over BKS + 1: "
                f"{[r[4] for r in mine if r[1] > 1]}); mean distance gap "
                f"{statistics.mean(r[2] for r in mine):+.2%}, on the {len(level)} with the BKS's "
                f"vehicles {statistics.mean(level) if level else math.nan:+.2%}; CPU s a solve: "
                f"mean {statistics.mean(cpus):.1f}, most {max(cpus):.1f}"
            )
    print(
        "The BKS table is for partial recharging (Erdelic et al. 2022), which allows every "
        "full-recharge plan: under the full policy its vehicles and distance are a reference "
        "below the full-recharge optimum; the published full-recharge values (Schneider et al. "
        "2014, Table 4) are known for six instances."
    )


FULL_RECHARGE_BKS = {  # Schneider et al. (2014), Table 4, as quoted in the data's README
    "c101": (12, 1053.83), "r101": (18, 1670.80), "rc101": (16, 1731.07),
    "c201": (4, 645.16), "r201": (3, 1264.82), "rc201": (4, 1444.94),
}  # fmt: skip


def _solve_evrptw(job: tuple[Path, str, int]) -> tuple[int, float, list[str], int, float]:
    """(vehicles, km, what breaks the instance's rules, stops unserved, CPU s) of one solve."""
    path, policy, iterations = job
    cpu = time.process_time()
    problem = read_evrptw(path)
    plan, _ = search(Network.of(problem, policy), iterations, seed=1)
    cpu = time.process_time() - cpu
    ids = [p.site_id if isinstance(p, Site) else p.stop_id for p in problem.places]
    routes = []
    for order, charged in zip(plan.routes, plan.charged, strict=True):
        visits = [(ids[row], 0.0) for row in order]
        for charge in sorted(charged.charges, key=lambda c: -c.before):
            visits.insert(charge.before, (ids[charge.station], charge.kwh))
        routes.append(visits)
    km, problems, unserved = check_evrptw(path, policy, routes)
    return len(routes), km, problems, unserved, cpu


def check_evrptw(
    path: Path, policy: str, routes: list[list[tuple[str, float]]]
) -> tuple[float, list[str], int]:
    """A plan read against the instance file alone: (distance, broken rules, unserved).

    Each route is (location id, energy charged) from the depot and back, the depot left out.
    Under ``full`` every station visit must fill the battery; under ``partial`` a visit may
    take on any amount up to full. Charging takes g per unit; waiting for a window is allowed.
    """
    lines = path.read_text().splitlines()
    place = {r[0]: r for r in (line.split() for line in lines[1:]) if len(r) == 8}
    value = {m[1]: float(m[2]) for m in re.finditer(r"^(\w) .*?/([\d.]+)/", "\n".join(lines), re.M)}
    battery, capacity, rate, slow, speed = (value[k] for k in "QCrgv")
    depot = next(k for k, r in place.items() if r[1] == "d")

    def far(a: str, b: str) -> float:
        return math.dist(map(float, place[a][2:4]), map(float, place[b][2:4]))

    broken, total, served = [], 0.0, Counter[str]()
    for n, route in enumerate(routes):
        here, clock, left, load = depot, 0.0, battery, 0.0
        for there, kwh in [*route, (depot, 0.0)]:
            leg = far(here, there)
            total, left, clock = total + leg, left - rate * leg, clock + leg / speed
            kind, demand, ready, due, service = place[there][1], *map(float, place[there][4:])
            if left < -1e-6:
                broken.append(f"route {n}: battery empty before {there}")
            if clock > due + 1e-6:
                broken.append(f"route {n}: {there} reached after its window")
            if kind == "f":
                if (policy == "full" and abs(left + kwh - battery) > 1e-6) or kwh < 0:
                    broken.append(f"route {n}: {there} charges {kwh:.2f}, not to full")
                if left + kwh > battery + 1e-6:
                    broken.append(f"route {n}: {there} charges over the battery")
                left, clock = left + kwh, clock + kwh * slow
            elif kind == "c":
                served[there] += 1
                load += demand
            clock = max(clock, ready) + service
            here = there
        if load > capacity + 1e-6:
            broken.append(f"route {n}: load {load} over {capacity}")
    customers = [k for k, r in place.items() if r[1] == "c"]
    twice = [k for k, c in served.items() if c > 1]
    if twice:
        broken.append(f"served twice: {twice}")
    return total, broken, sum(1 for k in customers if not served[k])


# ---- 3. PRP -------------------------------------------------------------------------------

SPEED_KMH = 60.0  # both plans drive at this speed (inside the instances' 20-90 km/h)
CURB_KG, PAYLOAD_KG = 6350.0, 3650.0


def cmem_litres(metres: float, load_kg: float, speed_kmh: float) -> float:
    """Fuel of one arc by CMEM: λ (k N V d/v + (w + f) γ α d + β γ d v²)."""
    k, n_e, v_e = 0.2, 33.0, 5.0
    lam = 1.0 / (44.0 * 737.0)
    gamma = 1.0 / (1000 * 0.4 * 0.9)
    alpha = 9.81 * 0.01  # a = 0, road angle 0: g C_r
    beta = 0.5 * 0.7 * 1.2041 * 3.912
    v = speed_kmh / 3.6
    return lam * (k * n_e * v_e * metres / v + (CURB_KG + load_kg) * gamma * alpha * metres
                  + beta * gamma * metres * v * v)  # fmt: skip


def read_prp(path: Path) -> Problem:
    """A PRPLIB instance: an asymmetric matrix in metres, kg, windows in seconds."""
    tokens = path.read_text().split()
    n = int(tokens[0])
    matrix = np.array(tokens[5 : 5 + (n + 1) ** 2], dtype=float).reshape(n + 1, n + 1) / 1000
    rest = tokens[5 + (n + 1) ** 2 :]
    nodes = [rest[6 * i : 6 * i + 6] for i in range(n + 1)]
    per_km = [cmem_litres(1000, load, SPEED_KMH) for load in (0.0, PAYLOAD_KG)]
    truck = vehicle(
        "truck", PAYLOAD_KG, n, energy_per_km_empty=per_km[0], energy_per_km_full=per_km[1],
        speed_kmh=SPEED_KMH, shift_end_h=float(nodes[0][4]) / 3600,
    )  # fmt: skip
    stops = tuple(
        at_origin(f"n{r[0]}", float(r[2]), service_min=float(r[5]) / 60,
                  ready_h=float(r[3]) / 3600, due_h=float(r[4]) / 3600)
        for r in nodes[1:]
    )  # fmt: skip
    return Problem(stops, (Site("D", 0, 0),), (truck,), distances_km=matrix)


def cmem_co2e_kg(problem: Problem, solved: Solved) -> float:
    """WTW kg CO2e of a plan by CMEM, each arc at the load it carries."""
    total_l = 0.0
    for route in solved.routes:
        ids = ["D", *(v.stop_id for v in route.visits), "D"]
        loads = [route.start_load_kg, *(v.load_after_kg for v in route.visits)]
        for (a, b), load in zip(itertools.pairwise(ids), loads, strict=True):
            total_l += cmem_litres(
                1000 * float(problem.km[problem.rows[a], problem.rows[b]]), load, SPEED_KMH
            )
    return total_l * problem.fleet[0].co2e_per_unit()


def part_prp(seconds: float, limit: int | None) -> None:
    folder = DATA / "prp"
    print(f"\n== 3. PRP (PRPLIB UK), {seconds:g} s per plan, both at {SPEED_KMH:g} km/h ==")
    if not folder.is_dir():
        print(f"{folder} not found: part skipped")
        return
    by_size: dict[int, list[float]] = {}
    for path in sorted(folder.glob("UK*.txt"))[:limit]:
        problem = read_prp(path)
        shortest = plan(problem, 0.0, seconds, 1)
        greenest = plan(problem, 10.0, seconds, 1)  # a carbon price: routes re-ordered for fuel
        if shortest.unserved or greenest.unserved:
            print(f"{path.stem}: unserved stops (distance {len(shortest.unserved)}, "
                  f"emissions {len(greenest.unserved)}); left out of the figures")  # fmt: skip
            continue
        ours, theirs = cmem_co2e_kg(problem, greenest), cmem_co2e_kg(problem, shortest)
        by_size.setdefault(len(problem.stops), []).append(1 - ours / theirs)
    for size, cuts in sorted(by_size.items()):
        mean = statistics.mean(cuts)
        print(f"UK{size:<4} {len(cuts):>3} instances: CO2e reduction mean {mean:.2%}, "
              f"max {max(cuts):.2%}, min {min(cuts):.2%}")  # fmt: skip
    every = [c for cuts in by_size.values() for c in cuts]
    if every:
        print(
            f"all {len(every)}: mean reduction {statistics.mean(every):.2%} "
            "(CMEM at one speed for both plans; speed optimisation is not part of greenlane)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cvrp-seconds", type=float, default=30.0)
    parser.add_argument("--evrptw-rounds", type=int, default=100)
    parser.add_argument("--prp-seconds", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true", help="two instances a part, 2 s each")
    parser.add_argument("--parts", default="123", help="which parts to run, e.g. 23")
    args = parser.parse_args()
    limit = 2 if args.quick else None
    seconds = (
        (2.0, 10, 1.0) if args.quick else (args.cvrp_seconds, args.evrptw_rounds, args.prp_seconds)
    )
    started = time.perf_counter()
    for number, part in (("1", part_cvrp), ("2", part_evrptw), ("3", part_prp)):
        if number in args.parts:
            part(seconds[int(number) - 1], limit)
    print(f"\nwhole run {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()
