"""A large eager input runs in row slices side by side: the same results as one query."""

from __future__ import annotations

import narwhals as nw
import numpy as np
import polars as pl
import pytest

from greenlane.emissions import backend, run
from greenlane.errors import Problem

TOCS = ["road.eu.artic_le40t.diesel.average", "air.unknown.long_haul", "rail.eu.diesel.container"]


def _mixed(n: int, seed: int = 3) -> pl.DataFrame:
    """Valid transport and hub rows with bad ones and a repeated tce_id scattered among them."""
    rng = np.random.default_rng(seed)
    toc = [TOCS[i] for i in rng.integers(0, len(TOCS), n)]
    frame = pl.DataFrame(
        {
            "shipment_id": [f"S{i % 7}" for i in range(n)],
            "tce_id": [f"t{i}" for i in range(n)],
            "kind": ["hub" if i % 11 == 0 else "transport" for i in range(n)],
            "mass_kg": rng.uniform(1, 20_000, n),
            "toc_id": toc,
            "hoc_id": ["hub.transshipment.ambient" if i % 11 == 0 else None for i in range(n)],
            "distance_km": rng.uniform(5, 9_000, n),
            "distance_type": [("actual", "sfd", "gcd")[i % 3] for i in range(n)],
        }
    )
    return frame.with_columns(  # bad values here and there, and a tce_id used twice
        pl.when(pl.int_range(n) % 13 == 5).then(-1.0).otherwise("mass_kg").alias("mass_kg"),
        pl.when(pl.int_range(n) % 17 == 8).then(pl.lit("no.such.toc")).otherwise("toc_id"),
        pl.when(pl.int_range(n) == n - 2).then(pl.lit("t3")).otherwise("tce_id").alias("tce_id"),
    )


def test_slices_give_the_whole_frames_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results, rejects and problems as one query's; slicing did happen."""
    frame = _mixed(300)
    known = [Problem("tces", 120, "mass_kg", "not a number")]  # the reader's: a known bad row
    whole = run(frame, skip_invalid=True, row_path=False, input_problems=known)
    monkeypatch.setattr(backend, "SLICE_ROWS", 40)
    sliced = run(frame, skip_invalid=True, row_path=False, input_problems=known)
    results = whole.results
    assert results.n_chunks() == 1
    assert sliced.results.n_chunks() == min(pl.thread_pool_size(), frame.height // 40)
    assert sliced.results.equals(results)
    assert sliced.rejects.equals(whole.rejects)
    assert sliced.problems == whole.problems
    assert 0 < results.height < frame.height  # both valid and rejected rows were there


def test_allocation_is_not_sliced(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TOC's energy is shared over all its TCEs, not over each slice's."""
    toc = {"toc_id": "S1", "mode": "road", "source": "diesel", "quantity": 5_000.0, "unit": "l"}
    valid = [
        pl.col("kind") == "transport",
        pl.col("mass_kg") > 0,
        pl.col("tce_id").is_first_distinct(),
    ]
    frame = _mixed(300).filter(*valid)
    frame = frame.with_columns(pl.lit("S1").alias("toc_id")).drop("hoc_id")
    whole = run(frame, [toc], row_path=False).results
    monkeypatch.setattr(backend, "SLICE_ROWS", 40)
    sliced = run(frame, [toc], row_path=False).results
    assert sliced.equals(whole)
    assert sliced["co2e_wtw_kg"].sum() == pytest.approx(whole["co2e_wtw_kg"].sum(), rel=1e-12)


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_slices_keep_row_order(parts: int) -> None:
    """Each slice's rows come back where they were, whatever the number of slices."""
    frame = pl.DataFrame({"x": np.arange(100, dtype=np.float64)})
    done = backend.collect_in_slices(
        nw.from_native(frame.lazy()), 100, lambda f: f.with_columns(y=nw.col("x") * 2), parts
    )
    assert done.to_native().n_chunks() == parts
    assert done["y"].to_list() == [2.0 * x for x in range(100)]
