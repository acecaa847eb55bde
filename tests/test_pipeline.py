"""The main job end to end on a small scenario: the invariants that tie plans to accounting."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from greenlane.app import pipeline
from greenlane.app.parcel_packing import carton_packer
from greenlane.app.parcels import orders_of
from greenlane.emissions import calculate
from greenlane.io import read_tces
from greenlane.parcels.chains import chain_frame
from greenlane.parcels.merge import Shipment
from greenlane.parcels.schema import ORDER_COLUMNS
from greenlane.scenario.generate import generate
from greenlane.store import connect, upgrade
from greenlane.store.access import Caller
from greenlane.store.esg import module_entries
from tests.service.conftest import db_url, postgres_url  # noqa: F401  (SQLite and PostgreSQL)


@dataclass
class Run:
    """A scenario run through the pipeline into one store."""

    folder: Path
    engine: sa.Engine
    world: pipeline.World
    days: list[pipeline.DayFigures]

    def scalar(self, sql: str) -> Any:
        """The one value of a query."""
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()

    def rows(self, sql: str) -> list[Any]:
        """The rows of a query."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text(sql)))


@pytest.fixture
def ran(db_url: str, tmp_path: Path) -> Iterator[Run]:  # noqa: F811
    """Two days of 120 orders a day, run into a fresh store of each kind."""
    folder = tmp_path / "world"
    generate(folder, seed=11, days=2, orders_per_day=120)
    engine = connect(db_url)
    days = pipeline.run(folder, engine)
    yield Run(folder, engine, pipeline.read_world(folder), days)
    engine.dispose()


def _orders(run: Run) -> list[str]:
    return [
        order
        for day in run.world.manifest["days"]
        for order in pl.read_csv(run.folder / day["orders"])["order_id"]
    ]


def test_every_order_ends_in_exactly_one_delivered_parcel(ran: Run) -> None:
    """Each order of the files is on one waybill, and each waybill is delivered exactly once."""
    bills = ran.rows("SELECT sscc, order_ids FROM waybills")
    on_bills = Counter(
        o for _, ids in bills for o in (json.loads(ids) if isinstance(ids, str) else ids)
    )
    assert sorted(on_bills) == sorted(_orders(ran))
    assert set(on_bills.values()) == {1}
    delivered = Counter(
        r.sscc for r in ran.rows("SELECT sscc FROM tracking_events WHERE status = 'delivered'")
    )
    assert delivered == Counter({sscc: 1 for sscc, _ in bills})
    assert sum(d.delivered for d in ran.days) == len(bills)
    assert all(not d.left_out and not d.undelivered for d in ran.days)


def test_the_ledgers_transport_co2e_is_the_sum_over_every_tce(ran: Run) -> None:
    """Scope 3 cat. 4 in the ESG ledger = the stored TCEs' WTW CO2e = the days' figures."""
    caller = Caller(ran.world.manifest["organization"], "operator", "test")
    ledger = sum(
        e.quantity for e in module_entries(ran.engine, caller) if e.metric == "co2e.scope3_cat4"
    )
    detail = ran.scalar("SELECT sum(co2e_wtw_kg) FROM tces")
    assert ledger == pytest.approx(detail, rel=1e-9)
    assert sum(d.co2e_wtw_kg for d in ran.days) == pytest.approx(detail, rel=1e-9)
    assert ran.scalar("SELECT count(*) FROM tces") == sum(d.tces for d in ran.days)


def test_each_saving_is_baseline_minus_plan_and_the_plan_is_the_accounted_activity(
    ran: Run,
) -> None:
    """Consolidation and routing plans are the stored TCEs; packing is the stored footprints."""
    for day in ran.days:
        for lever in ("consolidation", "packaging", "last_mile", "park_energy", "carton_reuse"):
            values = day.levers.savings()[lever]
            assert values.saving_kg == pytest.approx(values.baseline_kg - values.plan_kg)
        routed = f"{ran.world.name}:{day.day}:%"
        last_mile = ran.scalar(f"SELECT sum(co2e_wtw_kg) FROM tces WHERE tce_id LIKE '{routed}'")
        assert day.levers.last_mile.plan_kg == pytest.approx(last_mile, rel=1e-9)
    planned = sum(d.levers.consolidation.plan_kg for d in ran.days)
    assert planned == pytest.approx(_chains_at_default_factors(ran), rel=1e-9)
    packed = ran.rows("SELECT sum(co2e_board_kg), sum(baseline_co2e_board_kg) FROM packing_plans")[
        0
    ]
    levers = [
        sum(getattr(d.levers.packaging, k) for d in ran.days) for k in ("plan_kg", "baseline_kg")
    ]
    assert levers == pytest.approx(list(packed), rel=1e-9)


DEFAULTS = {  # what the network's own figures replace in the accounts, and the lever keeps
    "fleet.": ("toc_id", "road.eu.van_lt3p5t.diesel"),
    "carrier.": ("toc_id", "air.freighter.long_haul"),
    "park.": ("hoc_id", "hub.transshipment.ambient"),
}


def _chains_at_default_factors(run: Run) -> float:
    """The stored parcel chains priced again with the routes' default factors.

    The accounts use the network's own fuel and energy where it has them; a lever compares its
    plan and its baseline on the same (default) factors, so that its saving is the lever's.
    """
    columns = ("shipment_id", "tce_id", "kind", "mass_kg", "toc_id", "hoc_id", "distance_km",
               "origin", "destination")  # fmt: skip
    rows = run.rows(f"SELECT {', '.join(columns)} FROM tces "
                    f"WHERE tce_id NOT LIKE '{run.world.name}:%'")  # fmt: skip
    assert rows
    frame = pl.DataFrame(rows, schema=list(columns), orient="row")
    for prefix, (column, default) in DEFAULTS.items():
        frame = frame.with_columns(
            pl.when(pl.col(column).str.starts_with(prefix)).then(pl.lit(default))
            .otherwise(pl.col(column)).alias(column)
        )  # fmt: skip
    return float(calculate(frame)["co2e_wtw_kg"].sum())


def test_the_consolidation_baseline_is_each_order_alone_priced_by_the_engine(ran: Run) -> None:
    """Re-pricing day one's orders alone on the baseline route gives the stored baseline."""
    world, files = ran.world, ran.world.manifest["days"][0]
    orders, _ = orders_of(*read_tces(world.path("orders", files), ORDER_COLUMNS), "", world.network)
    packer = carton_packer(world.cartons)
    chains = [
        (
            f"B-{o.order_id}",
            Shipment((o,), o.placed_at, "baseline"),
            world.network.baseline[o.country],
            packer((o,)).material_kg,
        )
        for o in orders
    ]
    priced = calculate(chain_frame(chains))["co2e_wtw_kg"].sum()
    assert ran.days[0].levers.consolidation.baseline_kg == pytest.approx(priced, rel=1e-9)


def test_a_failing_stage_names_itself_and_leaves_its_day_unwritten(
    db_url: str,  # noqa: F811
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """A broken EPCIS file stops day two whole; day one stays; fixed, the job carries on once."""
    folder = tmp_path / "world"
    manifest = generate(folder, seed=4, days=2, orders_per_day=60)
    broken = folder / manifest["days"][1]["containers"]
    good = broken.read_text()
    broken.write_text(good.replace('"shipping"', '"flying"', 1))
    engine = connect(db_url)
    request.addfinalizer(engine.dispose)
    with pytest.raises(pipeline.StageError) as failure:
        pipeline.run(folder, engine)
    assert failure.value.stage == "capturing container events"
    assert failure.value.source == manifest["days"][1]["containers"]
    assert "flying" in str(failure.value)
    with engine.connect() as conn:
        days = conn.execute(sa.text("SELECT day FROM pipeline_days")).scalars().all()
        plans = conn.execute(sa.text("SELECT count(*) FROM parcel_plans")).scalar_one()
        months = conn.execute(sa.text("SELECT count(DISTINCT batch_id) FROM tces")).scalar_one()
    assert [str(d)[:10] for d in days] == ["2026-11-16"] and plans == 1 and months == 1
    broken.write_text(good)
    first = pipeline.run(folder, engine)
    again = pipeline.run(folder, engine)
    assert [str(d.day) for d in first] == ["2026-11-16", "2026-11-17"] and again == first
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM parcel_plans")).scalar_one() == 2
        tces = conn.execute(sa.text("SELECT count(*) FROM tces")).scalar_one()
    assert tces == sum(d.tces for d in first)


def test_the_summary_reports_every_lever_and_the_headline_kpis(ran: Run) -> None:
    """The week's summary has CO2e, intensity, each lever, solar, relief and ESG figures."""
    summary = pipeline.summarize(ran.engine, ran.world, ran.days)
    assert summary.co2e_wtw_kg == pytest.approx(sum(d.co2e_wtw_kg for d in ran.days))
    assert 0 < (summary.intensity_wtw_g_per_tkm or 0) < 2000
    assert set(summary.levers.savings()) >= {
        "consolidation",
        "packaging",
        "last_mile",
        "park_energy",
    }
    assert summary.levers.consolidation.saving_kg > 0
    assert 0 < (summary.solar_share or 0) < 1
    assert 0 < (summary.relief_share_met or 0) <= 1 and summary.relief_deadline_h == 72
    esg = {k: v.value for k, v in summary.esg.items()}
    assert esg["scope3_cat4_t"] == pytest.approx(summary.co2e_wtw_kg / 1000)
    assert esg["on_time_rate"] == pytest.approx(100.0)
    assert (esg["clean_electricity_share"] or 0) > (summary.solar_share or 0) * 100
    assert esg["kit_error_rate"] == pytest.approx(3 / 400 * 100)  # 3 kits miss an item


def test_the_park_hub_is_priced_by_the_days_energy_and_the_categories_add_up(ran: Run) -> None:
    """The park's hub: CO2e per tonne = (grid import x factor + leaks x GWP) / tonnes handled.

    From the stored day figures (the same plan the ESG ledger's electricity comes from); the
    carriers' and the pickup fleet's reported fuel are primary; the three data categories of
    the stored TCEs add up to 100% and the summary says the same shares.
    """
    park = ran.world.park
    assert park.hub == "HGH" and park.handled_t_per_day and isinstance(park.grid_ef, float)
    (leak,) = park.refrigerants
    assert leak.gas == "R-410A"  # GWP100 2,225.5 (GLEC v3.0, Module 3, Table 2, AR6)
    leaked = leak.kg_per_year / 365 * 2225.5  # a day's share of the year's leaks, kg CO2e
    expected = [(d.energy.import_kwh * park.grid_ef + leaked) / park.handled_t_per_day
                for d in ran.days]  # fmt: skip
    hub = ran.rows("SELECT DISTINCT co2e_intensity_wtw, data_type FROM tces "
                   "WHERE hoc_id = 'park.hangzhou-park'")  # fmt: skip
    found = [i for i, _ in hub]  # each day's intensity, and only those
    assert all(any(i == pytest.approx(e, rel=1e-9) for e in expected) for i in found)
    assert all(any(i == pytest.approx(e, rel=1e-9) for i in found) for e in expected)
    assert {t for _, t in hub} == {"modelled"}  # planned energy, not metered
    each = ran.rows("SELECT co2e_wtw_kg, mass_kg, co2e_intensity_wtw FROM tces "
                    "WHERE hoc_id = 'park.hangzhou-park'")  # fmt: skip
    assert all(kg == pytest.approx(t / 1000 * i) for kg, t, i in each)
    ledger = ran.rows("SELECT quantity FROM esg_entries WHERE metric = 'electricity.grid' "
                      "ORDER BY period_start")  # fmt: skip
    assert [q for (q,) in ledger] == pytest.approx([d.energy.import_kwh for d in ran.days])
    kinds = dict(ran.rows("SELECT toc_id, min(data_type) FROM tces WHERE toc_id LIKE 'carrier.%' "
                          "OR toc_id LIKE 'fleet.%' GROUP BY toc_id"))  # fmt: skip
    assert set(kinds.values()) == {"primary"} and any(k.startswith("carrier.") for k in kinds)
    by_type = dict(ran.rows("SELECT data_type, sum(co2e_wtw_kg) FROM tces GROUP BY data_type"))
    total = sum(by_type.values())
    assert set(by_type) == {"primary", "modelled", "default"}
    shares = pipeline.summarize(ran.engine, ran.world, ran.days).shares()
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares == pytest.approx({c: kg / total for c, kg in by_type.items()})


def test_failed_kits_are_held_back_from_the_relief_response(ran: Run) -> None:
    """The three hygiene kits that miss an item leave Hangzhou's stock before planning."""
    caller = Caller(ran.world.manifest["organization"], "operator", "test")
    record = pipeline.respond_to_relief(ran.engine, ran.world, caller, lambda _: None, 0.1)
    assert record["kits_checked"] == 400 and record["kits_blocked"] == {"hygiene": 3}
    kits = ran.scalar("SELECT count(*) FROM epcis_events WHERE event_type = 'AggregationEvent'")
    assert kits == 400  # captured once, though the response was planned twice


def test_a_seed_gives_the_same_figures_on_a_busy_machine(tmp_path: Path) -> None:
    """The day's figures and route plans beside two CPU-bound processes equal a quiet run's.

    The main job's routing stops by iterations (``routing_iterations``), and the day's sums
    are exact (a parallel sum's last digits depended on how rows were split: it failed about
    one run in two before).
    """
    folder = tmp_path / "world"
    generate(folder, seed=5, days=1, orders_per_day=400)
    levers = pipeline.Levers(carbon_price=0.1, routing_iterations=150, seed=3)

    def figures(name: str) -> tuple[list[pipeline.DayFigures], list[Any]]:
        url = f"sqlite:///{tmp_path / name}.db"
        upgrade(url)
        engine = connect(url)
        days = pipeline.run(folder, engine, levers=levers)
        with engine.connect() as conn:
            plans = list(conn.execute(sa.text("SELECT plan_id, plan FROM route_plans ORDER BY 1")))
        engine.dispose()
        return days, plans

    quiet = figures("quiet")
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        busy = figures("busy")
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert quiet[1] and busy == quiet
