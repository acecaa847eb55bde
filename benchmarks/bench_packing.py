"""Carton selection on generated e-commerce orders: greenlane against a naive rule and py3dbp.

One run, the same orders and the same catalogue for all three:
- greenlane (``plan_order``, objective board): time per order (median, p99), cartons, board
  kg, fill rate, items left out; the independent checker runs on every carton it returns;
- the naive rule: the smallest carton whose volume holds the order's (no geometry);
- py3dbp (enzoruiz, 1.1.2; a peer installed in the bench dependency group only): each order
  into the least-board carton that takes all of it, else into as few of the largest carton as
  hold it. Its packings are checked too (inside, no overlap, weight: it knows no support).

Orders (seeded): items per order ~ Geometric(0.18), capped at 40, so 83% of orders have
under 10 items (as in Cainiao's LRTOD data, Duan et al. 2019); item length ~ LogNormal
(median 18 cm, sigma 0.5), width = length x U(0.4, 1), height = width x U(0.2, 1), 1-70 cm;
density U(0.1, 0.6) g/cm3; one in five lines asks for two units.

    python benchmarks/bench_packing.py [--orders 10000] [--seed 5]

Second, Hu et al.'s free-size problem (the box of least surface area for an order of 8, 10
or 12 items from the same distribution): LSAH, their heuristic re-implemented from the
paper's description, against greenlane's ``design_box``; every design is checked.

Third, when ``../shared/data/packing/br`` is there (or ``--br`` names the folder), the
Bischoff & Ratcliff container-loading sets BR1-BR7: mean volume utilisation per set of
``greenlane.packing.container.load_container``, every loading checked (full support,
orientation flags). Without the folder that part is skipped with a message.

Beside them, the volume bound: per order, the smallest carton whose volume, weight limit and
sorted sides take it all (a bound, not a packing); and on the orders of two units, where the
search is exhaustive, the least board that really packs, to show how far that bound is.

Targets (issues 5 and 24): median under 5 ms per order; less board than py3dbp; no item left
out for which a valid packing exists; board at most 4% over the volume bound; at least 5%
less surface area than LSAH; on BR1-BR7 a mean of 93%, no instance under 88%, 10 s each.

    python benchmarks/bench_packing.py --parts 1   # cartons only (1), free size (2), BR (3)
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from py3dbp import Bin, Packer
from py3dbp import Item as PeerItem
from rich.console import Console
from rich.progress import track
from rich.table import Table

from greenlane.packing.checker import check
from greenlane.packing.container import load_container
from greenlane.packing.freesize import design_box, lsah
from greenlane.packing.model import Carton, Item, Placement
from greenlane.packing.place import search_into
from greenlane.packing.savings import footprint, plan_boxes, smallest_by_volume_boxes
from greenlane.packing.select import Plan, plan_order
from greenlane.packing.tables import blank_board_kg

console = Console(width=120)
SIZES = [  # inner cm: a typical e-commerce range of regular slotted cartons
    (15, 10, 5),
    (20, 15, 8),
    (25, 18, 10),
    (30, 20, 12),
    (30, 25, 20),
    (35, 25, 15),
    (40, 30, 20),
    (45, 35, 25),
    (50, 40, 30),
    (60, 40, 40),
    (70, 50, 40),
    (80, 60, 50),
]
BR_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "data" / "packing" / "br"
CATALOGUE = [
    Carton(f"C{i:02d}", *dims, max_weight_kg=30, board_kg=blank_board_kg(*dims, 400))
    for i, dims in enumerate(SIZES, start=1)
]
Order = tuple[str, list[Item]]


def generate(n: int, seed: int, lines: int | None = None) -> list[Order]:
    """``n`` seeded orders from the stated distribution (``lines`` fixes the item count)."""
    rng = np.random.default_rng(seed)
    orders = []
    for k in range(n):
        count = lines or min(int(rng.geometric(0.18)), 40)
        items = [_item(rng, f"{k}-{j}", single=lines is not None) for j in range(count)]
        orders.append((f"O{k:05d}", items))
    return orders


def _item(rng: np.random.Generator, item_id: str, single: bool) -> Item:
    length = float(np.clip(rng.lognormal(np.log(18), 0.5), 1, 70))
    width = float(np.clip(length * rng.uniform(0.4, 1), 1, 70))
    height = float(np.clip(width * rng.uniform(0.2, 1), 1, 70))
    dims = [round(d, 1) for d in (length, width, height)]
    weight = dims[0] * dims[1] * dims[2] * rng.uniform(0.1, 0.6) / 1000
    quantity = 1 if single or rng.random() >= 0.2 else 2
    return Item(item_id, *dims, weight_kg=round(weight, 3), quantity=quantity)


def free_size(orders_per_size: int, seed: int) -> Table:
    """Hu et al.'s problem with 8, 10 and 12 items: mean surface, LSAH against greenlane."""
    table = Table(title=f"free-size box (Hu 2017), {orders_per_size} orders per size")
    for column in ("items", "LSAH cm2", "greenlane cm2", "less area", "s/order (greenlane)"):
        table.add_column(column, justify="right")
    for lines in (8, 10, 12):
        theirs, ours, seconds = [], [], []
        orders = generate(orders_per_size, seed + lines, lines)
        for _, items in track(orders, description=f"free size, {lines} items", console=console):
            start = time.perf_counter()
            design = design_box(items)
            seconds.append(time.perf_counter() - start)
            box = Carton("free", design.length_cm, design.width_cm, design.height_cm, 1e9, 0)
            assert not check(box, design.placements, min_support=0.0)
            ours.append(design.surface_cm2)
            theirs.append(lsah(items).surface_cm2)
        gain = 1 - statistics.mean(ours) / statistics.mean(theirs)
        table.add_row(
            str(lines),
            f"{statistics.mean(theirs):,.0f}",
            f"{statistics.mean(ours):,.0f}",
            f"{gain:.1%}",
            f"{statistics.median(seconds):.2f}",
        )
    return table


def run_greenlane(orders: list[Order]) -> tuple[list[Plan], list[float]]:
    """Plans and per-order seconds; every carton must pass the checker."""
    plans, seconds = [], []
    for order_id, items in track(orders, description="greenlane", console=console):
        start = time.perf_counter()
        plan = plan_order(order_id, items, CATALOGUE)
        seconds.append(time.perf_counter() - start)
        for box in plan.cartons:
            violations = check(box.carton, box.placements)
            assert not violations, (order_id, violations[:3])
        plans.append(plan)
    return plans, seconds


def run_py3dbp(orders: list[Order]) -> tuple[list[tuple[Carton, float]], list[float], int, int]:
    """py3dbp's cartons (with item volume), per-order seconds, units left out, invalid cartons."""
    boxes: list[tuple[Carton, float]] = []
    seconds, left_out, invalid = [], 0, 0
    by_board = sorted(CATALOGUE, key=lambda c: c.board_kg)
    for _, items in track(orders, description="py3dbp", console=console):
        units = [(i, n) for i in items for n in range(i.quantity)]
        start = time.perf_counter()
        packed = _peer_single(by_board, units) or _peer_many(CATALOGUE[-1], units)
        seconds.append(time.perf_counter() - start)
        left_out += len(units) - sum(len(p) for _, p in packed)
        for carton, placements in packed:
            invalid += bool(check(carton, placements, min_support=0.0))
            boxes.append((carton, sum(p.dx * p.dy * p.dz for p in placements)))
    return boxes, seconds, left_out, invalid


def _peer_single(
    cartons: Sequence[Carton], units: list[tuple[Item, int]]
) -> list[tuple[Carton, list[Placement]]]:
    volume = sum(i.volume_cm3 for i, _ in units)
    for carton in cartons:
        if carton.volume_cm3 < volume:
            continue
        packed = _peer_pack([carton], units)
        if sum(len(p) for _, p in packed) == len(units):
            return packed
    return []


def _peer_many(
    largest: Carton, units: list[tuple[Item, int]]
) -> list[tuple[Carton, list[Placement]]]:
    packed: list[tuple[Carton, list[Placement]]] = []
    for count in range(1, 11):
        packed = _peer_pack([largest] * count, units, distribute=True)
        if sum(len(p) for _, p in packed) == len(units):
            break
    return packed


def _peer_pack(
    cartons: Sequence[Carton], units: list[tuple[Item, int]], distribute: bool = False
) -> list[tuple[Carton, list[Placement]]]:
    """py3dbp's packing, read back as greenlane placements for the checker."""
    packer = Packer()
    for n, carton in enumerate(cartons):
        packer.add_bin(Bin(f"b{n}", *carton.dims, carton.max_weight_kg))
    known = {}
    for item, unit in units:
        name = f"{item.item_id}#{unit}"
        known[name] = (item, unit)
        packer.add_item(PeerItem(name, *item.dims, item.weight_kg))
    packer.pack(bigger_first=True, distribute_items=distribute)
    result = []
    for carton, peer_bin in zip(cartons, packer.bins, strict=True):
        placements = []
        for peer in peer_bin.items:
            item, unit = known[peer.name]
            x, y, z = (float(v) for v in peer.position)
            dx, dy, dz = (float(v) for v in peer.get_dimension())
            placements.append(Placement(item, unit, x, y, z, dx, dy, dz))
        if placements:
            result.append((carton, placements))
    return result


def volume_bound_boxes(orders: list[Order], plans: list[Plan]) -> list[tuple[Carton, float]]:
    """Per order, the smallest carton whose volume, weight limit and sorted sides take it all.

    Not a packing: a bound on how small a single carton can be. Only the items greenlane did
    not refuse count; an order no single carton passes takes the naive rule's cartons.
    """
    boxes: list[tuple[Carton, float]] = []
    for (order_id, items), plan in zip(orders, plans, strict=True):
        kept = [i for i in items if i.item_id not in {r.item_id for r in plan.refused}]
        if not kept:
            continue
        volume = sum(i.volume_cm3 * i.quantity for i in kept)
        weight = sum(i.weight_kg * i.quantity for i in kept)
        passing = [
            c
            for c in CATALOGUE
            if c.volume_cm3 >= volume
            and c.max_weight_kg >= weight
            and all(_sides_fit(i, c) for i in kept)
        ]
        if passing:
            boxes.append((min(passing, key=lambda c: c.volume_cm3), volume))
        else:
            boxes += smallest_by_volume_boxes([(order_id, kept)], CATALOGUE)
    return boxes


def _sides_fit(item: Item, carton: Carton) -> bool:
    return all(a <= b + 1e-9 for a, b in zip(sorted(item.dims), sorted(carton.dims), strict=True))


def two_unit_optimum(orders: list[Order], plans: list[Plan]) -> str:
    """On orders of two units, where the search is exhaustive: least board that packs vs bound.

    Either unit first, every corner and rotation, without a budget: the cheapest carton that
    takes both in some placement. Shows how far the volume bound is from any packing.
    """
    ours = best = bound = 0.0
    count = 0
    for (_, items), plan in zip(orders, plans, strict=True):
        units = [(i, n) for i in items for n in range(1, i.quantity + 1)]
        if len(units) != 2 or plan.refused or len(plan.cartons) != 1:
            continue
        fits = sorted(
            (c for c in CATALOGUE if all(_sides_fit(i, c) for i in items)),
            key=lambda c: c.board_kg,
        )
        packs = next(
            c for c in fits if any(search_into(c, u, budget=10**9) for u in (units, units[::-1]))
        )
        volume = sum(i.volume_cm3 for i, _ in units)
        count += 1
        ours += plan.cartons[0].carton.board_kg
        best += packs.board_kg
        bound += min(
            (c for c in fits if c.volume_cm3 >= volume), key=lambda c: c.volume_cm3
        ).board_kg
    return (
        f"{count:,} orders of two units: greenlane {ours:.2f} kg of board, the least that packs "
        f"(exhaustive search) {best:.2f} kg, the volume bound {bound:.2f} kg: the least that "
        f"packs is {best / bound - 1:+.1%} over the bound, greenlane {ours / best - 1:+.1%} over it"
    )


def fill_rate(boxes: list[tuple[Carton, float]]) -> float:
    """Item volume over carton volume, over all cartons."""
    return sum(v for _, v in boxes) / sum(c.volume_cm3 for c, _ in boxes)


def read_br(path: Path) -> tuple[Carton, list[Item]]:
    """One Bischoff & Ratcliff instance (packing-visualizer JSON 0.3.0) as container and items.

    An orientation key's third letter is the box side that stands vertical; box x, y, z are
    read as length, width, height, so x, y, z map to the vertical sides l, w, h.
    """
    document = json.loads(path.read_text())
    size = document["large_object"]["measurement"]
    container = Carton(path.stem, size["x"], size["y"], size["z"], 1e12, 0.0)
    items = []
    for n, entry in enumerate(document["small_items"]):
        box = entry["measurement"]
        allowed = entry["constraint"]["orientation"]
        vertical = {"xyz"[i]: "lwh"[i] for i in range(3)}
        sides = "".join(sorted({vertical[key[2]] for key, ok in allowed.items() if ok}))
        quantity = entry["quantity"]
        items.append(
            Item(f"t{n}", box["x"], box["y"], box["z"], 0.0, quantity, vertical_sides=sides)
        )
    return container, items


def container_loading(folder: Path) -> Table | str:
    """Mean volume utilisation per BR set; every loading checked. A message without the data."""
    if not folder.is_dir():
        return f"container loading skipped: {folder} is not here (it is in ../shared/data)"
    table = Table(title=f"container loading, Bischoff & Ratcliff instances in {folder}")
    columns = ("set", "instances", "mean volume used", "worst", "s/instance", "slowest s", "CPU s")
    for column in columns:
        table.add_column(column, justify="right")
    for set_dir in sorted(folder.glob("set_*"), key=lambda d: int(d.name.split("_")[1])):
        used, seconds, cpu = [], [], []
        paths = sorted(set_dir.glob("*.json"), key=lambda f: int(f.stem))
        for path in track(paths, description=f"BR{set_dir.name[4:]}", console=console):
            container, items = read_br(path)
            start, cpu_start = time.perf_counter(), time.process_time()
            loaded = load_container(container, items)
            seconds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
            violations = check(container, loaded)
            assert not violations, (path, violations[:3])
            used.append(sum(p.dx * p.dy * p.dz for p in loaded) / container.volume_cm3)
        table.add_row(
            f"BR{set_dir.name[4:]}",
            str(len(used)),
            f"{statistics.mean(used):.2%}",
            f"{min(used):.2%}",
            f"{statistics.mean(seconds):.2f}",
            f"{max(seconds):.2f}",
            f"{statistics.mean(cpu):.2f}",
        )
    return table


def main() -> None:
    """Pack the same orders three ways and print the figures side by side."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--free-size-orders", type=int, default=50)
    parser.add_argument("--br", type=Path, default=BR_FOLDER, help="BR instance folder")
    parser.add_argument("--parts", default="123", help="1 cartons, 2 free size, 3 BR, e.g. 13")
    args = parser.parse_args()
    if "1" in args.parts:
        cartons(generate(args.orders, args.seed))
    if "2" in args.parts:
        console.print(free_size(args.free_size_orders, args.seed))
        console.print("target: at least 5% less surface area than LSAH (re-implemented)")
    if "3" in args.parts:
        console.print(container_loading(args.br))
        console.print("targets: BR1-BR7 mean at least 93%, no instance under 88%, 10 s each")


def cartons(orders: list[Order]) -> None:
    """Carton selection: greenlane, py3dbp, the naive rule and the volume bound, one table."""
    units = sum(i.quantity for _, items in orders for i in items)
    plans, ours_s = run_greenlane(orders)
    peer_boxes, peer_s, peer_left, peer_invalid = run_py3dbp(orders)
    our_boxes = plan_boxes(plans)
    ours, peer = footprint(our_boxes), footprint(peer_boxes)
    naive = footprint(smallest_by_volume_boxes(orders, CATALOGUE))
    bound = footprint(volume_bound_boxes(orders, plans))
    quantity = {i.item_id: i.quantity for _, items in orders for i in items}
    refused = sum(quantity[r.item_id] for p in plans for r in p.refused)
    table = Table(title=f"carton selection: {len(orders):,} orders, {units:,} units, 12 cartons")
    for column in ("", "ms/order median", "p99", "cartons", "board kg", "fill rate", "left out"):
        table.add_column(column, justify="right")
    rows = [
        (
            "greenlane",
            ours_s,
            ours,
            f"{fill_rate(our_boxes):.3f}",
            f"{refused} units (fit no carton)",
        ),
        ("py3dbp", peer_s, peer, f"{fill_rate(peer_boxes):.3f}", f"{peer_left} units"),
        ("naive: smallest by volume", [], naive, "—", "— (shape ignored)"),
        ("volume bound (volume and sorted sides)", [], bound, "—", "— (not a packing)"),
    ]
    for name, seconds, f, fill, left in rows:
        median = f"{statistics.median(seconds) * 1000:.2f}" if seconds else "—"
        p99 = f"{np.percentile(seconds, 99) * 1000:.2f}" if seconds else "—"
        table.add_row(name, median, p99, f"{f.cartons:,}", f"{f.board_kg:,.1f}", fill, left)
    console.print(table)
    console.print(f"py3dbp cartons failing the checker (inside, overlap, weight): {peer_invalid}")
    console.print(
        f"board: greenlane / py3dbp = {ours.board_kg / peer.board_kg:.3f}, "
        f"greenlane / naive = {ours.board_kg / naive.board_kg:.3f}; "
        f"time: py3dbp / greenlane (median) = "
        f"{statistics.median(peer_s) / statistics.median(ours_s):.1f}x"
    )
    console.print(
        f"board: greenlane / volume bound = {ours.board_kg / bound.board_kg:.3f} (target 1.04)"
    )
    console.print(two_unit_optimum(orders, plans))
    console.print("targets: median < 5 ms; less board than py3dbp; nothing left out that fits")


if __name__ == "__main__":
    main()
