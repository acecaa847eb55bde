"""The row-by-row path (small inputs) against the relational kernel, on random TCEs.

For any input, both give the same frame (values to rtol 1e-9, same columns, types and order)
or both refuse with the same problems; the row path only ever declines, never differs.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from greenlane.emissions import run
from greenlane.emissions.categories import build_categories
from greenlane.emissions.rowwise import RowPath
from greenlane.emissions.rowwise import rows as rows_of
from greenlane.errors import InputError
from greenlane.factors import load_pack

INTENSITY = {"co2e_intensity_wtw": 0.08, "co2e_intensity_ttw": 0.06}
TOCS = [
    "road.eu.artic_le40t.diesel.average",
    "road.eu.van_lt3p5t.electric",
    "air.unknown.long_haul",
    "sea.container.trade_lane.asia_north_europe.dry",
    "rail.eu.electric.container",
    "iww.container_vessel_110m.diesel",
    "my.truck",
    "my.road",
    "my.sea",
    "my.air",
    "nope",
]
HOCS = ["hub.transshipment.ambient", "hub.warehouse.ambient", "my.hub", "nope"]
PLACES = ["PVG", "LGG", "FRA", "CNSHA", "NLRTM", "30.2,120.1", "XXX", "ZZZZZ"]
USER_TOCS = [  # intensities on actual distances: the DAF's other direction
    {"toc_id": f"my.{mode}", "mode": mode, "distance_type": "actual", **INTENSITY}
    for mode in ("road", "sea", "air")
] + [{"toc_id": "my.truck", "mode": "road", **INTENSITY}]
USER_HOCS = [{"hoc_id": "my.hub", "co2e_intensity_wtw": 1.5, "co2e_intensity_ttw": 1.0}]
PATH = RowPath(build_categories(load_pack(), USER_TOCS, USER_HOCS), load_pack())

maybe = st.none() | st.just("")
tce = st.fixed_dictionaries(
    {
        "shipment_id": st.sampled_from(["S1", "S2"]) | maybe,
        "kind": st.sampled_from(["transport"] * 6 + ["hub"] * 2 + ["ship"]),
        "mass_kg": st.floats(0, 30_000, allow_nan=False) | st.sampled_from([-1.0, float("nan")]),
        "toc_id": st.sampled_from(TOCS) | st.none(),
        "hoc_id": st.sampled_from(HOCS) | st.none(),
        "distance_km": st.floats(0, 15_000, allow_nan=False) | st.none() | st.just(-3.0),
        "distance_type": st.sampled_from(["actual", "sfd", "gcd", "bogus"]) | st.none(),
        "origin": st.sampled_from(PLACES) | st.none(),
        "destination": st.sampled_from(PLACES) | st.none(),
        "mode": st.sampled_from(["road", "air", "sea", "rail", "inland_waterway", "ufo"])
        | st.none(),
        "teu": st.floats(0, 4, allow_nan=False) | st.none(),
        "temperature_control": st.sampled_from(["ambient", "refrigerated", "frozen"]) | st.none(),
        "operating_region": st.sampled_from(["Asia", "africa", "Europe"]) | st.none(),
    }
)
SCHEMA = {
    "shipment_id": pl.String,
    "tce_id": pl.String,
    "kind": pl.String,
    "mass_kg": pl.Float64,
    "toc_id": pl.String,
    "hoc_id": pl.String,
    "distance_km": pl.Float64,
    "distance_type": pl.String,
    "origin": pl.String,
    "destination": pl.String,
    "mode": pl.String,
    "teu": pl.Float64,
    "temperature_control": pl.String,
    "operating_region": pl.String,
}


def _outcome(frame: pl.DataFrame, row_path: bool, user: bool) -> Any:
    tocs, hocs = (USER_TOCS, USER_HOCS) if user else (None, None)
    try:
        return run(frame, tocs, hocs, row_path=row_path).results
    except InputError as error:
        return [str(p) for p in error.problems]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tce, min_size=1, max_size=6), st.booleans(), st.sampled_from([None, 1]))
def test_row_path_equals_kernel(rows: list[dict[str, Any]], user: bool, repeat: int | None) -> None:
    """On any input, valid or not, the row path and the kernel give the same answer."""
    ids = [f"t{i}" for i in range(len(rows))]
    if repeat is not None and len(rows) > 1:
        ids[-1] = ids[0]  # a duplicate id: the row path must decline
    frame = pl.DataFrame(
        [{**r, "tce_id": i} for r, i in zip(rows, ids, strict=True)], schema=SCHEMA
    )
    fast, kernel = _outcome(frame, True, user), _outcome(frame, False, user)
    if isinstance(kernel, list):
        assert fast == kernel
    else:
        assert isinstance(fast, pl.DataFrame)
        assert_frame_equal(fast, kernel, rel_tol=1e-9, check_exact=False)


valid = st.fixed_dictionaries(
    {
        "shipment_id": st.sampled_from(["S1", "S2"]),
        "kind": st.just("transport"),
        "mass_kg": st.floats(0, 30_000, allow_nan=False),
        "toc_id": st.sampled_from(TOCS[:-1]),
        "distance_km": st.floats(0, 15_000, allow_nan=False) | st.none(),
        "distance_type": st.sampled_from(["actual", "sfd", "gcd"]) | st.none(),
        "origin": st.sampled_from(PLACES[:6]),
        "destination": st.sampled_from(PLACES[:6]),
        "teu": st.floats(0, 4, allow_nan=False) | st.none(),
        "temperature_control": st.sampled_from(["ambient", "refrigerated"]) | st.none(),
        "operating_region": st.sampled_from(["Asia", "africa", "Europe"]) | st.none(),
    }
)
hub = st.fixed_dictionaries(
    {
        "shipment_id": st.just("S1"),
        "kind": st.just("hub"),
        "mass_kg": st.floats(0, 30_000, allow_nan=False),
        "hoc_id": st.sampled_from(HOCS[:-1]),
    }
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid | hub, min_size=1, max_size=8))
def test_valid_rows_take_the_row_path_and_equal_the_kernel(rows: list[dict[str, Any]]) -> None:
    """Valid small inputs do take the row path, and it equals the kernel."""
    frame = pl.DataFrame([{**r, "tce_id": f"t{i}"} for i, r in enumerate(rows)], schema=SCHEMA)
    assert rows_of(frame.to_dicts(), PATH) is not None  # the row path takes them
    fast = _outcome(frame, True, True)
    assert isinstance(fast, pl.DataFrame), fast
    assert_frame_equal(fast, _outcome(frame, False, True), rel_tol=1e-9, check_exact=False)


def test_valid_inputs_do_take_the_row_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A guard: the comparison above means something only if the row path really runs."""
    import greenlane.emissions as engine

    calls = []
    original = engine.rows
    monkeypatch.setattr(engine, "rows", lambda *a: calls.append(1) or original(*a))
    frame = pl.DataFrame(
        {
            "shipment_id": ["S"],
            "tce_id": ["t"],
            "kind": ["transport"],
            "mass_kg": [1000.0],
            "toc_id": [TOCS[0]],
            "distance_km": [100.0],
        }
    )
    result = run(frame).results
    assert calls == [1] and result["co2e_wtw_kg"][0] == pytest.approx(9.5)
