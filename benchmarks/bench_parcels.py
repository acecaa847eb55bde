"""Order merging and consolidation: speed, savings against each order alone, bags against a MILP.

One run prints four parts:
1. 100,000 orders of one day (30-minute hold) planned end to end (merge, pack, bag, price plan
   and baseline with the emissions engine): wall time, with a fixed packaging mass and with
   greenlane's carton engine as the packer.
2. The consolidation ratio (orders per outbound parcel), packaging kg and CO2e per order,
   plan against the baseline (every order alone, by express belly freight).
3. Bags: greenlane's first-fit decreasing against the optimum of a bin-packing MILP solved by
   HiGHS, on 200 random departures of 10 to 40 parcels (weight and volume limits).
4. A cross-border week shaped like Cainiao's (many merchants, a few destination countries,
   buyers ordering several times a week): the ratio for hold windows of 0 to 7 days, and the
   parcels per bag, so the ratio's limits can be read off the buyers' order counts.
5. E-waybill labels for 2,000 parcels: the PDF print job (ReportLab, vector codes) beside the
   ZPL text for a thermal printer, wall and CPU seconds; target: the PDF in seconds.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_parcels.py``.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

import highspy

from greenlane.app.parcel_packing import carton_packer
from greenlane.packing.model import Carton
from greenlane.parcels.chains import Route
from greenlane.parcels.consolidate import Container, Departure, Parcel, consolidate
from greenlane.parcels.merge import Order
from greenlane.parcels.packer import Packer
from greenlane.parcels.plan import ParcelPlan, plan_day
from greenlane.parcels.sscc import make_sscc

DAY = datetime(2026, 11, 11)
COUNTRIES = {"BE": "LGG", "DE": "FRA", "FR": "CDG", "ES": "MAD", "PL": "WAW"}
SERVICES = ("standard", "economy")
BAG = Container("bag", 30.0, 200_000.0)
CARTONS = [  # a small e-commerce catalogue: inner cm, max kg, board kg
    Carton("XS", 16, 12, 6, 3, board_kg=0.05),
    Carton("S", 25, 18, 10, 5, board_kg=0.10),
    Carton("M", 35, 25, 15, 10, board_kg=0.19),
    Carton("L", 45, 35, 25, 20, board_kg=0.34),
    Carton("XL", 60, 40, 40, 30, board_kg=0.60),
]
PRODUCTS = [  # (l, w, h cm, kg): a few hundred products of a marketplace
    (
        round(random.Random(n).uniform(5, 30)),
        round(random.Random(n + 1).uniform(4, 20)),
        round(random.Random(n + 2).uniform(2, 12)),
        round(random.Random(n + 3).uniform(0.1, 2.5), 2),
    )
    for n in range(0, 1200, 4)
]


def routes() -> tuple[dict[str, Route], dict[str, Route]]:
    """Consolidated by freighter from Shanghai; each order alone by express belly freight."""
    planned = {
        country: Route(
            origin_hub="PVG",
            gateway=gateway,
            first_mile_km=60,
            last_mile_km=30,
            first_mile_toc="road.eu.van_lt3p5t.starting_point",
            line_haul_toc="air.freighter.long_haul",
            last_mile_toc="road.eu.van_lt3p5t.starting_point",
            hub_hoc="hub.transshipment.ambient",
            station_km=8,
            station_toc="road.eu.urban_truck_3p5_7p5t.starting_point",
        )
        for country, gateway in COUNTRIES.items()
    }
    baseline = {c: replace(r, line_haul_toc="air.belly.long_haul") for c, r in planned.items()}
    return planned, baseline


def orders(n: int, days: int, buyers: int, seed: int) -> list[Order]:
    """``n`` orders over ``days`` days: buyers order in bursts (a session, then more later).

    Each order picks a buyer with a skewed (Zipf-like) weight, so a few buyers order often and
    most once; half of a buyer's later orders follow the previous one within the same
    shopping session (an exponential gap, mean 20 minutes), the rest come at any time.
    """
    rng = random.Random(seed)
    weights = [1 / (k + 1) ** 0.6 for k in range(buyers)]
    who = rng.choices(range(buyers), weights=weights, k=n)
    last: dict[int, datetime] = {}
    made = []
    for k, buyer in enumerate(who):
        placed = DAY + timedelta(seconds=rng.uniform(0, days * 86_400 * 0.9))
        if buyer in last and rng.random() < 0.5:
            placed = last[buyer] + timedelta(minutes=rng.expovariate(1 / 20))
        last[buyer] = placed
        l, w, h, kg = rng.choice(PRODUCTS)  # noqa: E741 - length
        country = list(COUNTRIES)[buyer % len(COUNTRIES)]
        made.append(
            Order(
                order_id=f"O{k:07d}",
                merchant_id=f"M{rng.randrange(20_000):05d}",
                consignee_id=f"C{buyer:07d}",
                address=f"{buyer} Main Street",
                country=country,
                service=SERVICES[buyer % 7 == 0],
                placed_at=placed,
                promised_by=placed + timedelta(days=10),
                weight_kg=kg,
                volume_cm3=l * w * h,
                dims_cm=(l, w, h),
            )
        )
    return made


def departures(days: int) -> list[Departure]:
    """One line haul per country and service each day at 20:00, and one after the last day."""
    return [
        Departure(f"{c}-{s}-{d}", c, s, DAY + timedelta(days=d, hours=20))
        for c in COUNTRIES
        for s in SERVICES
        for d in range(days + 1)
    ]


def run(
    day_orders: list[Order], hold: timedelta, days: int, packer: Packer | None = None
) -> tuple[ParcelPlan, float]:
    planned, baseline = routes()
    started = time.perf_counter()
    plan = plan_day(
        day_orders,
        hold,
        lambda country, service: timedelta(days=6 if service == "standard" else 9),
        planned,
        baseline,
        departures(days),
        BAG,
        lambda n: make_sscc("0614141", n + 1),
        packer,
    )
    return plan, time.perf_counter() - started


def optimum_bags(parcels: list[Parcel], container: Container) -> int:
    """The fewest bags that hold the parcels: assignment MILP with symmetry cuts, by HiGHS."""
    h = highspy.Highs()
    h.silent()
    n = len(parcels)
    bags = range(n)
    used = [h.addBinary(obj=1.0) for _ in bags]
    x = [[h.addBinary() for _ in bags] for _ in parcels]
    for i in range(n):
        h.addConstr(sum(x[i][b] for b in range(i + 1)) == 1)  # parcel i in a bag b <= i
    for b in bags:
        h.addConstr(
            sum(p.weight_kg * x[i][b] for i, p in enumerate(parcels))
            <= container.max_weight_kg * used[b]
        )
        h.addConstr(
            sum(p.volume_cm3 * x[i][b] for i, p in enumerate(parcels))
            <= container.max_volume_cm3 * used[b]
        )
        if b:
            h.addConstr(used[b] <= used[b - 1])
    h.setOptionValue("time_limit", 60.0)
    h.minimize()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS did not prove an optimum: {h.getModelStatus()}")
    return round(h.getInfo().objective_function_value)


def bags_against_milp(instances: int, seed: int) -> list[tuple[int, int, int]]:
    """(parcels, first-fit-decreasing bags, optimal bags) for random departures."""
    rng = random.Random(seed)
    cutoff = DAY + timedelta(hours=20)
    out = []
    for k in range(instances):
        size = rng.randint(10, 40)
        parcels = [
            Parcel(
                f"P{k}-{i}",
                "BE",
                "standard",
                DAY,
                rng.uniform(0.2, 9.0),
                rng.uniform(3_000, 60_000),
            )
            for i in range(size)
        ]
        planned, _ = consolidate(parcels, [Departure("D", "BE", "standard", cutoff)], BAG)
        ffd = sum(len(c.bags) for c in planned)
        ordered = sorted(parcels, key=lambda p: -max(p.weight_kg / 30.0, p.volume_cm3 / 200_000.0))
        out.append((size, ffd, optimum_bags(ordered, BAG)))
    return out


def row(*cells: object, widths: tuple[int, ...]) -> str:
    """One line of a table: the first cell left-aligned, the rest right-aligned."""
    first, *rest = cells
    return f"{first!s:<{widths[0]}}" + "".join(
        f"{c!s:>{w}}" for c, w in zip(rest, widths[1:], strict=True)
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def part_one() -> None:
    print("== 1-2. 100,000 orders of one day, hold 30 minutes ==")
    day = orders(100_000, 1, 60_000, seed=1)
    fixed, seconds_fixed = run(day, timedelta(minutes=30), 1)
    packed, seconds_packed = run(day, timedelta(minutes=30), 1, carton_packer(CARTONS))
    widths = (20, 9, 9, 9, 7, 10, 10, 12, 10, 8)
    print(
        row(
            "packer",
            "seconds",
            "orders",
            "parcels",
            "ratio",
            "pack kg",
            "base kg",
            "CO2e/order",
            "baseline",
            "change",
            widths=widths,
        )
    )
    for name, plan, seconds in (
        ("fixed 0.1 kg", fixed, seconds_fixed),
        ("greenlane cartons", packed, seconds_packed),
    ):
        change = plan.co2e_per_order_kg / plan.baseline_co2e_per_order_kg - 1
        print(
            row(
                name,
                f"{seconds:.2f}",
                f"{plan.orders:,}",
                f"{plan.shipped:,}",
                f"{plan.consolidation_ratio:.3f}",
                f"{plan.packaging_kg:,.0f}",
                f"{plan.baseline_packaging_kg:,.0f}",
                f"{plan.co2e_per_order_kg:.3f}",
                f"{plan.baseline_co2e_per_order_kg:.3f}",
                f"{change:.1%}",
                widths=widths,
            )
        )
    last = packed.last_mile
    door, station = (
        kg / last.parcels * 1000 for kg in (last.door_co2e_wtw_kg, last.station_co2e_wtw_kg)
    )
    print(
        f"last mile, {last.parcels:,} parcels, g CO2e WTW per parcel: door {door:.1f}, "
        f"post station {station:.1f} ({station / door - 1:+.0%})"
    )
    slowest = max(seconds_fixed, seconds_packed)
    print(f"target: 100,000 orders in under 10 s -> {verdict(slowest < 10)} ({slowest:.2f} s)")


def part_three() -> None:
    print("\n== 3. bags: greenlane against the MILP optimum (HiGHS), 200 departures ==")
    results = bags_against_milp(200, seed=3)
    ours, best = sum(r[1] for r in results), sum(r[2] for r in results)
    gaps = [(r[1] - r[2]) / r[2] for r in results]
    print(
        f"parcels 10-40 per departure; bags: greenlane {ours}, optimum {best}; "
        f"total gap {ours / best - 1:.2%}; mean gap {statistics.mean(gaps):.2%}; "
        f"worst {max(gaps):.1%}; optimal in {sum(g == 0 for g in gaps)} of {len(gaps)}"
    )
    print(f"target: within 2% of the optimum (total bags) -> {verdict(ours <= 1.02 * best)}")


def part_four() -> None:
    print("\n== 4. a cross-border week: 150,000 orders, 40,000 buyers, 5 countries ==")
    week = orders(150_000, 7, 40_000, seed=4)
    per_buyer = list(Counter(o.consignee_id for o in week).values())
    mean = statistics.mean(per_buyer)
    print(
        f"orders per buyer in the week: mean {mean:.2f}, "
        f"median {statistics.median(per_buyer):.0f}, "
        f"buyers with more than one: {sum(v > 1 for v in per_buyer) / len(per_buyer):.0%}"
    )
    widths = (8, 10, 15, 8, 13, 12, 12, 10)
    print(
        row(
            "hold",
            "parcels",
            "orders/parcel",
            "bags",
            "parcels/bag",
            "orders/bag",
            "CO2e/order",
            "baseline",
            widths=widths,
        )
    )
    for hold in (timedelta(0), timedelta(days=1), timedelta(days=3), timedelta(days=7)):
        plan, _ = run(week, hold, 7)
        bags = sum(len(c.bags) for c in plan.departures)
        print(
            row(
                f"{hold.days} d",
                f"{plan.shipped:,}",
                f"{plan.consolidation_ratio:.2f}",
                f"{bags:,}",
                f"{plan.shipped / bags:.1f}",
                f"{plan.orders / bags:.1f}",
                f"{plan.co2e_per_order_kg:.3f}",
                f"{plan.baseline_co2e_per_order_kg:.3f}",
                widths=widths,
            )
        )
    print(
        f"Merging joins one buyer's orders, so orders per parcel cannot pass {mean:.2f} "
        "(orders per buyer) whatever the hold; the promise (10 days) caps the hold in practice."
    )


def part_five() -> None:
    from greenlane.parcels.sscc import make_sscc
    from greenlane.parcels.waybill import Waybill, zpl
    from greenlane.reports.waybill import labels_pdf

    print("\n== 5. e-waybill labels for 2,000 parcels: PDF beside ZPL ==")
    bills = [
        Waybill(make_sscc("0614141", n, extension=1), (f"o{n}",), f"Buyer {n}",
                (f"{n} Rue de la Paix", "75002 Paris"), "FR", "standard", 1.2, "CNHGH",
                datetime(2026, 11, 11, 9))
        for n in range(1, 2001)
    ]  # fmt: skip
    timed = {}
    for name, work in (
        ("ZPL", lambda: "".join(zpl(b, f"https://track.example/{b.sscc}") for b in bills)),
        ("PDF", lambda: labels_pdf(bills, "https://track.example")),
    ):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(work())
        timed[name] = (time.perf_counter() - wall, time.process_time() - cpu, size)
        print(f"{name}: {timed[name][0]:.2f} s wall, {timed[name][1]:.2f} s CPU, {size:,} bytes")
    ratio = timed["PDF"][0] / timed["ZPL"][0]
    print(f"PDF / ZPL wall: {ratio:.0f}x; target: 2,000 labels in under 10 s -> "
          f"{verdict(timed['PDF'][0] < 10)}")  # fmt: skip


def main() -> None:
    part_one()
    part_three()
    part_four()
    part_five()


if __name__ == "__main__":
    main()
