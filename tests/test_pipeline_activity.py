"""The day's TCEs in parts: the same TCEs and figures whatever the part size, still atomic."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from greenlane.app import pipeline
from greenlane.app.pipeline import activity as activity_module
from greenlane.app.pipeline.exact import ExactSum
from greenlane.app.pipeline.stages import StageError
from greenlane.emissions import allocated_activity, run
from greenlane.scenario.generate import generate
from greenlane.store import connect, upgrade
from greenlane.store.ingest import Batch

LEVERS = pipeline.Levers(carbon_price=0.1, routing_iterations=40, seed=3, zone_stops=40)
TOC = {"toc_id": "fleet.van", "mode": "road", "source": "diesel", "unit": "l",
       "quantity": 120.0, "region": "eu"}  # fmt: skip
TCE_COLUMNS = ("tce_id, shipper_id, kind, mass_kg, toc_id, hoc_id, distance_km, "
               "co2e_wtt_kg, co2e_ttw_kg, co2e_wtw_kg, co2e_intensity_wtw, data_type")  # fmt: skip


@given(
    st.lists(st.floats(-1e300, 1e300) | st.sampled_from([1e16, 1.0, -1e16, 5e-324]), max_size=60),
    st.lists(st.integers(0, 60), max_size=5),
)
def test_an_exact_sum_in_parts_is_the_fsum_of_everything(
    values: list[float], cuts: list[int]
) -> None:
    """Whatever the cut, including sums that cancel and values far apart, to the last bit."""
    total, start = ExactSum(), 0
    for end in sorted(cuts):
        total.add(values[start:end])
        start = max(start, end)
    total.add(values[start:])
    assert total.value == math.fsum(values)


def test_fsum_of_part_fsums_would_not_be_exact() -> None:
    """Why the parts are kept exactly: rounding each part's sum loses the small values."""
    parts = [[1e16, 1.0], [1.0, -1e16]]
    assert math.fsum(math.fsum(p) for p in parts) != math.fsum(parts[0] + parts[1])
    total = ExactSum()
    for part in parts:
        total.add(part)
    assert total.value == 2.0


def test_parts_priced_with_the_days_totals_equal_the_whole() -> None:
    """A fuel receipt's energy shared over TCEs in two parts as over the whole set."""
    toc = TOC
    frame = pl.DataFrame(
        {
            "shipment_id": [f"s{i}" for i in range(9)],
            "tce_id": [f"t{i}" for i in range(9)],
            "kind": ["transport"] * 9,
            "mass_kg": [10.0 * (i + 1) for i in range(9)],
            "toc_id": ["fleet.van"] * 6 + ["road.eu.van_lt3p5t.diesel"] * 3,
            "distance_km": [3.0 + i for i in range(9)],
        }
    )
    whole = run(frame, [toc]).results
    parts = [frame.head(4), frame.tail(5)]
    shared = ExactSum()
    for part in parts:
        shared.add(allocated_activity(part, [toc])["fleet.van"])
    totals = {"fleet.van": shared.value}
    priced = pl.concat([run(p, [toc], allocation_totals=totals).results for p in parts])
    assert priced["co2e_wtw_kg"].to_list() == pytest.approx(
        whole["co2e_wtw_kg"].to_list(), rel=1e-12
    )
    fleet = priced.filter(pl.col("toc_id") == "fleet.van")["co2e_wtw_kg"].sum()
    assert fleet == pytest.approx(
        whole.filter(pl.col("toc_id") == "fleet.van")["co2e_wtw_kg"].sum()
    )
    alone = run(parts[0], [toc]).results["co2e_wtw_kg"].sum()
    assert alone > priced.head(4)["co2e_wtw_kg"].sum()  # a part alone would take all the fuel


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One day of 400 orders."""
    folder = tmp_path_factory.mktemp("activity") / "world"
    generate(folder, seed=11, days=1, orders_per_day=400)
    return folder


def _run(folder: Path, store: Path) -> dict[str, Any]:
    url = f"sqlite:///{store}"
    upgrade(url)
    engine = connect(url)
    days = pipeline.run(folder, engine, levers=LEVERS)
    with engine.connect() as conn:
        tces = conn.execute(sa.text(f"SELECT {TCE_COLUMNS} FROM tces ORDER BY tce_id")).all()
        batches = conn.execute(sa.text("SELECT tce_count, stored_count FROM batches")).all()
    engine.dispose()
    return {"tces": [tuple(r) for r in tces], "batches": batches,
            "days": [d.record() for d in days]}  # fmt: skip


@pytest.fixture(scope="module")
def whole(world: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The day in one part."""
    return _run(world, tmp_path_factory.mktemp("whole") / "s.db")


def test_a_day_in_small_parts_stores_the_same_tces_and_figures(
    world: Path, whole: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts of 300 TCEs (the day has several thousand): every TCE and figure to the last bit."""
    monkeypatch.setattr(activity_module, "PART_TCES", 300)
    parts = _run(world, tmp_path / "s.db")
    count = len(whole["tces"])
    assert count > 3 * 300
    assert whole["batches"] == [(count, count)]
    assert parts == whole
    assert {t[-1] for t in whole["tces"]} >= {"primary", "default"}  # fuel receipts shared


@pytest.fixture(scope="module")
def allocating(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same day, its pickup fleets' receipts without their tkm: the fuel is shared out."""
    folder = tmp_path_factory.mktemp("allocating") / "world"
    shutil.copytree(world, folder)
    (receipts,) = folder.glob("days/*/fuel-receipts.csv")
    table = pl.read_csv(receipts).with_columns(pl.lit(None).alias("transport_activity_tkm"))
    table.write_csv(receipts)
    return folder


def test_fuel_shared_over_tces_in_several_parts_is_shared_as_over_the_whole_day(
    allocating: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each receipt's fuel over all of its first-mile TCEs, wherever the parts cut them."""
    whole = _run(allocating, tmp_path / "whole.db")
    monkeypatch.setattr(activity_module, "PART_TCES", 300)
    assert _run(allocating, tmp_path / "parts.db") == whole
    refs = {t[4] for t in whole["tces"] if str(t[4]).startswith("fleet.")}
    assert refs  # the receipts are used, by TCEs in more than one part
    first = [i for i, t in enumerate(whole["tces"]) if t[4] in refs]
    assert first[-1] - first[0] > 300


def test_a_failing_part_leaves_the_day_unwritten(
    world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third part fails: no TCE, no batch, no day of it is stored; run again, it is whole."""
    monkeypatch.setattr(activity_module, "PART_TCES", 300)
    add, calls = Batch.add, []

    def third_fails(self: Batch, results: pl.DataFrame) -> None:
        calls.append(results.height)
        if len(calls) == 3:
            raise OSError("disk full")
        add(self, results)

    monkeypatch.setattr(Batch, "add", third_fails)
    with pytest.raises(StageError, match=r"calculating emissions.*disk full"):
        _run(world, tmp_path / "s.db")
    engine = connect(f"sqlite:///{tmp_path / 's.db'}")
    with engine.connect() as conn:
        for table in ("tces", "batches", "pipeline_days"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0
    engine.dispose()
    monkeypatch.setattr(Batch, "add", add)
    assert len(_run(world, tmp_path / "s.db")["tces"]) > 900


@pytest.mark.parametrize("total", [float("nan"), float("inf"), -1.0, "12", True, None])
def test_allocation_totals_must_be_finite_numbers(total: Any) -> None:
    """A total that is not a finite number >= 0 is refused, naming it; nothing is priced."""
    with pytest.raises(ValueError, match=r"allocation_totals.*fleet\.van"):
        run(_drives(["fleet.van"]), [TOC], allocation_totals={"fleet.van": total})


def test_a_category_without_a_total_is_whole_in_the_part() -> None:
    """Totals for one receipt leave another's energy shared over this part's TCEs alone."""
    other = TOC | {"toc_id": "fleet.bike", "quantity": 30.0}
    frame = _drives(["fleet.van", "fleet.bike"])
    alone = run(frame, [TOC, other]).results["co2e_wtw_kg"].to_list()
    priced = run(frame, [TOC, other], allocation_totals={"fleet.van": 0.1}).results
    assert priced["co2e_wtw_kg"][1] == alone[1]  # the bike's whole fuel on its one TCE
    assert priced["co2e_wtw_kg"][0] == pytest.approx(alone[0] * 0.05 / 0.1)  # 0.05 of 0.1 tkm


def _drives(tocs: list[str]) -> pl.DataFrame:
    """One 10 kg, 5 km TCE on each TOC."""
    n = len(tocs)
    return pl.DataFrame({"shipment_id": ["s"] * n, "tce_id": [f"t{i}" for i in range(n)],
                         "kind": ["transport"] * n, "mass_kg": [10.0] * n, "toc_id": tocs,
                         "distance_km": [5.0] * n})  # fmt: skip
