"""The main job's partitions: the same plans and figures in process, on a pool and on Spark."""

from __future__ import annotations

import gc
import json
import shutil
import time
import weakref
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from greenlane.app import pipeline
from greenlane.app.parcel_packing import carton_packer
from greenlane.app.parcels import Terms, orders_of, plan_parcels
from greenlane.app.pipeline import day as day_module
from greenlane.app.pipeline.collector import YOUNG, fewer_collections
from greenlane.app.pipeline.lanes import start_lanes
from greenlane.app.pipeline.partitions import (
    PartitionError,
    PoolRunner,
    Runner,
    SparkRunner,
    runner_of,
)
from greenlane.app.pipeline.stages import Progress, quiet
from greenlane.app.pipeline.world import BAG, COMPANY_PREFIX, HOLD
from greenlane.io import read_tces
from greenlane.parcels.plan import ParcelPlan
from greenlane.parcels.schema import ORDER_COLUMNS
from greenlane.scenario.generate import generate
from greenlane.store import connect, upgrade

LEVERS = pipeline.Levers(carbon_price=0.1, routing_iterations=40, seed=3, zone_stops=40)


def halve(n: int) -> float:
    """Half of ``n``; refuses 3 (a partition that fails)."""
    if n == 3:
        raise ValueError("three is refused")
    return n / 2


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One day of 700 orders: about 90 routed stops, three zones of at most 40."""
    folder = tmp_path_factory.mktemp("partitions") / "world"
    generate(folder, seed=5, days=1, orders_per_day=700)
    return folder


def _run(folder: Path, store: Path, runner: Runner, progress: Progress = quiet) -> dict[str, Any]:
    url = f"sqlite:///{store}"
    upgrade(url)
    engine = connect(url)
    days = pipeline.run(folder, engine, progress, levers=LEVERS, runner=runner)
    queries = {
        "plans": "SELECT plan_id, plan FROM route_plans ORDER BY 1",
        "packed": "SELECT order_id, plan FROM packing_plans ORDER BY 1",
        "ledger": "SELECT entry_id, quantity FROM esg_entries ORDER BY 1",
        "tces": "SELECT count(*), sum(co2e_wtw_kg) FROM tces",
    }
    with engine.connect() as conn:
        found = {k: [tuple(r) for r in conn.execute(sa.text(q))] for k, q in queries.items()}
    engine.dispose()
    return found | {"days": [d.record() for d in days]}


@pytest.fixture(scope="module")
def in_process(world: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The day run in this process, cartons in batches of 150 orders."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(day_module, "PACK_BATCH", 150)
        return _run(world, tmp_path_factory.mktemp("one") / "s.db", Runner())


def test_the_day_is_cut_into_zones_and_batches(in_process: dict[str, Any]) -> None:
    """Several zones (a plan each) and every order packed once across the batches."""
    ids = [plan_id for plan_id, _ in in_process["plans"]]
    assert len(ids) >= 3 and all(":z" in i for i in ids)
    assert len(in_process["packed"]) == 700
    assert in_process["tces"][0][0] > 0


def test_a_pool_of_two_gives_the_same_plans_and_figures(
    world: Path, in_process: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plans, packings, ledger, TCE sums and day figures equal the in-process run exactly.

    The lanes are set going before the cartons are stored (queued behind the batches, so a
    worker done packing starts on one), and collected after.
    """
    monkeypatch.setattr(day_module, "PACK_BATCH", 150)
    seen: list[str] = []
    with PoolRunner(2) as pool:
        assert _run(world, tmp_path / "s.db", pool, seen.append) == in_process
    stages = [s for s in seen if s in pipeline.DAY_STAGES]
    cartons, merging = "choosing cartons", "merging and consolidating"
    assert stages[:6] == [
        cartons,
        "reading orders",
        merging,
        cartons,
        merging,
        "routing the last mile",
    ]
    lanes = [n for n, s in enumerate(seen) if s.startswith(f"{merging}: lane to ")]
    assert lanes and min(lanes) > seen.index(cartons, seen.index(merging))


@pytest.mark.spark
def test_spark_local_gives_the_same_plans_and_figures(
    world: Path,
    in_process: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    spark: Any,
) -> None:
    """The partitions as Spark tasks on local[2]: the same as in process, to the last digit."""
    monkeypatch.setattr(day_module, "PACK_BATCH", 150)
    with SparkRunner("local[2]") as on_spark:
        assert _run(world, tmp_path / "s.db", on_spark) == in_process


@pytest.mark.parametrize("make", [Runner, lambda: PoolRunner(2)], ids=["in-process", "pool"])
def test_a_failing_partition_is_named(make: Any) -> None:
    """The failure names the partition and the cause; results keep the partitions' order."""
    parts = [(f"part {n}", n) for n in (4, 8, 6)]
    with make() as runner:
        assert runner.map(halve, parts) == [2.0, 4.0, 3.0]
        with pytest.raises(PartitionError, match=r"'part 3'.*ValueError: three is refused"):
            runner.map(halve, [*parts, ("part 3", 3)])


def nap(seconds: float) -> float:
    """Sleep, then say how long (a partition that takes its time)."""
    time.sleep(seconds)
    return seconds


@pytest.mark.parametrize(
    "make",
    [lambda: PoolRunner(2), pytest.param(lambda: SparkRunner("local[2]"), marks=pytest.mark.spark)],
    ids=["pool", "spark"],
)
def test_a_partition_is_ticked_when_it_ends_not_when_the_stage_does(make: Any) -> None:
    """The quick partition's tick comes first, though it is second; results keep the order."""
    ticks: list[str] = []
    with make() as runner:
        runner.map(nap, [("warm-up", 0.0)])  # workers (and the JVM) started before timing
        found = runner.map(nap, [("slow", 6.0), ("quick", 0.0)], lambda n, *_: ticks.append(n))
    assert found == [6.0, 0.0]
    assert ticks == ["quick", "slow"]


def test_results_are_given_in_order_as_soon_as_those_before_have_ended() -> None:
    """The first partition's result is given while the second still runs (a stage stores it)."""
    ticks: list[str] = []
    with PoolRunner(2) as pool:
        pool.map(nap, [("warm-up", 0.0)])
        given = pool.iterate(nap, [("quick", 0.0), ("slow", 6.0)], lambda n, *_: ticks.append(n))
        assert next(given) == 0.0
        assert ticks == ["quick"]  # the slow one has not ended
        assert list(given) == [6.0]
    with PoolRunner(2) as pool:  # out of order: the quick second waits for the slow first
        assert list(pool.iterate(nap, [("slow", 3.0), ("quick", 0.0)])) == [3.0, 0.0]


def touch(path: Path) -> str:
    """Leave a file behind (a partition whose running can be seen from outside)."""
    path.touch()
    return path.name


@pytest.mark.parametrize(
    "make",
    [lambda: PoolRunner(2), pytest.param(lambda: SparkRunner("local[2]"), marks=pytest.mark.spark)],
    ids=["pool", "spark"],
)
def test_partitions_run_before_their_results_are_read(make: Any, tmp_path: Path) -> None:
    """On a pool or Spark the partitions start when ``iterate`` is called, not when read.

    The driver can do other work meanwhile (the day's e-waybills while its zones are routed).
    """
    paths = [tmp_path / f"part-{n}" for n in range(3)]
    with make() as runner:
        given = runner.iterate(touch, [(p.name, p) for p in paths])
        deadline = time.monotonic() + 120
        while not all(p.exists() for p in paths) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(p.exists() for p in paths)  # every partition ran, none of them read yet
        assert list(given) == [p.name for p in paths]


def test_in_process_a_partition_runs_when_its_result_is_read(tmp_path: Path) -> None:
    """In process there is no one else to run them: each runs as the stage reads it."""
    paths = [tmp_path / f"part-{n}" for n in range(2)]
    given = Runner().iterate(touch, [(p.name, p) for p in paths])
    assert not any(p.exists() for p in paths)
    assert next(given) == "part-0"
    assert paths[0].exists() and not paths[1].exists()
    assert list(given) == ["part-1"]


def young_threshold(_: object) -> int:
    """How many allocations the youngest generation takes before a collection, here."""
    return gc.get_threshold()[0]


@pytest.mark.parametrize("make", [Runner, lambda: PoolRunner(2)], ids=["in-process", "pool"])
def test_partitions_run_with_fewer_collections_and_the_threshold_comes_back(make: Any) -> None:
    """Inside a partition the youngest generation waits for ``YOUNG`` allocations; after, not."""
    before = gc.get_threshold()
    with make() as runner:
        assert runner.map(young_threshold, [("a", None), ("b", None)]) == [YOUNG, YOUNG]
        assert runner.map(young_threshold, [("c", None)]) == [YOUNG]  # a worker reused
    assert gc.get_threshold() == before != (YOUNG, *before[1:])


def test_the_threshold_comes_back_when_the_block_fails() -> None:
    """A failing job or partition leaves the process's collector as it found it."""
    before = gc.get_threshold()
    with pytest.raises(ValueError, match="refused"), fewer_collections():
        assert gc.get_threshold() == (YOUNG, *before[1:])
        halve(3)
    assert gc.get_threshold() == before


class Payload:
    """A partition's result that can be watched (weakly) after it is given."""


def payload(seconds: float) -> Payload:
    """A result, after ``seconds``."""
    time.sleep(seconds)
    return Payload()


def test_a_given_result_is_not_kept_by_the_runner() -> None:
    """Once a stage lets a result go, it is gone while later partitions still run."""
    with PoolRunner(2) as pool:
        pool.map(nap, [("warm-up", 0.0)])
        given = pool.iterate(payload, [("quick", 0.0), ("slow", 4.0)])
        first = weakref.ref(next(given))
        gc.collect()
        assert first() is None
        assert isinstance(next(given), Payload)


@pytest.mark.spark
def test_a_failing_spark_task_is_named(spark: Any) -> None:
    """On Spark too: the partition's name and its cause, not a Java stack trace."""
    with SparkRunner("local[2]") as runner:
        assert runner.map(halve, [("a", 2), ("b", 10)]) == [1.0, 5.0]
        with pytest.raises(PartitionError, match=r"'b'.*three is refused"):
            runner.map(halve, [("a", 2), ("b", 3)])


def test_a_stage_failing_in_a_zone_names_stage_and_zone(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zone's failure becomes the stage's error, naming the zone; the day is not written."""

    def broken(levers: pipeline.Levers, zone: Any) -> Any:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr("greenlane.app.pipeline.last_mile.solve_zone", broken)
    url = f"sqlite:///{tmp_path / 's.db'}"
    upgrade(url)
    engine = connect(url)
    with pytest.raises(pipeline.StageError, match=r"routing the last mile.*'zone 1'.*crashed"):
        pipeline.run(world, engine, levers=LEVERS, runner=Runner())
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM route_plans")).scalar_one() == 0
    engine.dispose()


def test_runner_of_picks_the_runner_and_refuses_nonsense() -> None:
    """1 worker: in process; more: a pool; spark: Spark; 0 or a thousand a core: refused."""
    assert type(runner_of("local", 1)) is Runner
    assert isinstance(runner_of("local", 2), PoolRunner)
    assert isinstance(runner_of("spark", 1, "local[1]"), SparkRunner)
    for bad in (0, -1, 10_000):
        with pytest.raises(ValueError, match="workers"):
            runner_of("local", bad)


def test_lanes_plan_each_country_as_the_whole_day_would(world: Path) -> None:
    """Per destination country: the same parcels (orders merged alike), bags and CO2e.

    Only the SSCCs differ (each lane numbers from its own block); the day's sums agree.
    """
    scenario = pipeline.read_world(world)
    files = scenario.manifest["days"][0]
    orders, _ = orders_of(
        *read_tces(scenario.path("orders", files), ORDER_COLUMNS), "orders", scenario.network
    )
    terms = Terms(HOLD, BAG, COMPANY_PREFIX, 1, carton_packer(scenario.cartons))
    whole = plan_parcels(orders, scenario.network, terms)
    lanes = start_lanes(
        orders, scenario.network, scenario.cartons, 1, Runner(), lambda *_: None
    ).plan()

    def parcels(plan: ParcelPlan) -> list[tuple[tuple[str, ...], float]]:
        return sorted(
            (tuple(o.order_id for o in s.orders), round(plan.co2e_by_parcel.get(pid, -1.0), 9))
            for pid, s in plan.parcels
        )

    assert parcels(lanes) == parcels(whole)
    assert sorted(len(d.bags) for d in lanes.departures) == sorted(
        len(d.bags) for d in whole.departures
    )
    assert lanes.baseline_co2e_wtw_kg == pytest.approx(whole.baseline_co2e_wtw_kg, rel=1e-12)
    assert lanes.last_mile.parcels == whole.last_mile.parcels
    serials = [int(pid[-10:-1]) for pid, _ in lanes.parcels]
    assert len(set(serials)) == len(serials) and max(serials) <= len(orders)


def test_a_lanes_plan_comes_back_holding_the_drivers_own_orders(world: Path) -> None:
    """From a worker, a plan equal to the in-process one, whose orders are the driver's objects.

    Not copies: the lane's orders travel back as references (the driver holds them already).
    """
    scenario = pipeline.read_world(world)
    files = scenario.manifest["days"][0]
    orders, _ = orders_of(
        *read_tces(scenario.path("orders", files), ORDER_COLUMNS), "orders", scenario.network
    )
    here = start_lanes(
        orders, scenario.network, scenario.cartons, 1, Runner(), lambda *_: None
    ).plan()
    with PoolRunner(2) as pool:
        there = start_lanes(
            orders, scenario.network, scenario.cartons, 1, pool, lambda *_: None
        ).plan()
    assert there == here
    ours = {id(o) for o in orders}
    held = [o for _, shipment in there.parcels for o in shipment.orders]
    assert held and all(id(o) in ours for o in held)


def test_the_orders_are_read_while_a_pool_packs_and_their_failure_leaves_nothing(
    world: Path, tmp_path: Path
) -> None:
    """A broken orders file read while the batches pack: named, nothing stored, pool closed.

    The carton batches start before the orders are read, so that the driver reads them while
    a pool packs; the stage and file are still named and the day is not written.
    """
    broken = tmp_path / "world"
    shutil.copytree(world, broken)
    day = json.loads((broken / "scenario.json").read_text())["days"][0]
    orders = pl.read_csv(broken / day["orders"])  # the merchants stay, the rest goes
    orders.select("merchant_id").write_csv(broken / day["orders"])
    url = f"sqlite:///{tmp_path / 's.db'}"
    upgrade(url)
    engine = connect(url)
    seen: list[str] = []
    with PoolRunner(2) as pool, pytest.raises(pipeline.StageError) as failed:
        pipeline.run(broken, engine, seen.append, levers=LEVERS, runner=pool)
    assert failed.value.stage == "reading orders" and failed.value.source == day["orders"]
    stages = [s for s in seen if s in pipeline.DAY_STAGES]
    assert stages[:2] == ["choosing cartons", "reading orders"]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM packing_plans")).scalar_one() == 0
    engine.dispose()
