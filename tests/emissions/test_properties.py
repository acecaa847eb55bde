"""Property tests: linearity, WTW = WTT + TTW, conservation under allocation, engines agree."""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest import approx

from greenlane.emissions import calculate
from tests.conftest import calc_rows, tces

CATEGORIES = [
    "road.eu.artic_le40t.diesel.average",
    "air.unknown.long_haul",
    "sea.container.trade_lane.trans_pacific.dry",
    "rail.eu.diesel.container",
    "iww.tanker_vessel.diesel",
    "road.na.ltl_dry_van.diesel",
]
mass = st.floats(0.1, 40_000, allow_nan=False)
km = st.floats(1, 20_000, allow_nan=False)
FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.sampled_from(CATEGORIES), mass, km, st.floats(0.1, 10))
def test_emissions_are_linear_in_mass_and_distance(toc: str, kg: float, d: float, k: float) -> None:
    """Scaling mass or distance by k scales every emission by k."""
    base, heavier, longer = calc_rows(
        {"mass_kg": kg, "toc_id": toc, "distance_km": d},
        {"mass_kg": kg * k, "toc_id": toc, "distance_km": d},
        {"mass_kg": kg, "toc_id": toc, "distance_km": d * k},
    )
    for col in ("co2e_wtw_kg", "co2e_wtt_kg", "co2e_ttw_kg"):
        assert heavier[col] == approx(base[col] * k, rel=1e-9)
        assert longer[col] == approx(base[col] * k, rel=1e-9)


@FAST
@given(
    st.sampled_from(CATEGORIES),
    mass,
    km,
    st.sampled_from(["ambient", "refrigerated"]),
    st.sampled_from(["europe", "asia", "africa"]),
)
def test_wtw_is_wtt_plus_ttw(toc: str, kg: float, d: float, temp: str, region: str) -> None:
    """For every split factor, WTW = WTT + TTW."""
    (row,) = calc_rows(
        {
            "mass_kg": kg,
            "toc_id": toc,
            "distance_km": d,
            "temperature_control": temp,
            "operating_region": region,
        }
    )
    assert row["co2e_wtw_kg"] == approx(row["co2e_wtt_kg"] + row["co2e_ttw_kg"], rel=1e-12)


@FAST
@given(st.lists(st.tuples(mass, km), min_size=1, max_size=12), st.floats(1, 1e5))
def test_allocation_conserves_the_toc_total(
    drops: list[tuple[float, float]], litres: float
) -> None:
    """The emissions of a TOC's energy, allocated by tkm over its TCEs, add up to the total."""
    toc = [
        {
            "toc_id": "round",
            "mode": "road",
            "source": "diesel",
            "quantity": litres,
            "unit": "l",
            "region": "EU",
        }
    ]
    rows = calc_rows(
        *({"mass_kg": m, "toc_id": "round", "distance_km": d} for m, d in drops), tocs=toc
    )
    total_wtw = litres * (0.7968 + 2.6311)
    assert sum(r["co2e_wtw_kg"] for r in rows) == approx(total_wtw, rel=1e-9)
    assert sum(r["co2e_ttw_kg"] for r in rows) == approx(litres * 2.6311, rel=1e-9)


def _random_tces(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    kinds = rng.random(n) < 0.2
    return pl.DataFrame(
        {
            "shipment_id": [f"s{i // 4}" for i in range(n)],
            "tce_id": [f"t{i}" for i in range(n)],
            "kind": np.where(kinds, "hub", "transport"),
            "mass_kg": rng.uniform(1, 30_000, n),
            "toc_id": [
                None if h else CATEGORIES[j]
                for h, j in zip(kinds, rng.integers(0, 6, n), strict=True)
            ],
            "hoc_id": ["hub.warehouse.mixed" if h else None for h in kinds],
            "distance_km": [
                None if h else float(d)
                for h, d in zip(kinds, rng.uniform(1, 15_000, n), strict=True)
            ],
            "distance_type": rng.choice(["sfd", "actual", "gcd"], n),
            "temperature_control": rng.choice(["ambient", "refrigerated"], n),
            "operating_region": rng.choice(["europe", "asia"], n),
        }
    )


@FAST
@given(st.integers(1, 400), st.integers(0, 10_000))
def test_polars_and_duckdb_agree(n: int, seed: int) -> None:
    """The same TCEs give the same results on Polars and on DuckDB, to rtol 1e-9, in order."""
    frame = _random_tces(n, seed)
    on_polars = calculate(frame)
    on_duckdb = calculate(duckdb.from_arrow(frame.to_arrow())).pl()
    assert on_duckdb["tce_id"].to_list() == on_polars["tce_id"].to_list()
    for col in ("co2e_wtw_kg", "co2e_wtt_kg", "co2e_ttw_kg", "transport_activity_tkm", "daf"):
        a, b = on_polars[col].to_numpy(), on_duckdb[col].to_numpy()
        assert np.allclose(a.astype(float), b.astype(float), rtol=1e-9, atol=0, equal_nan=True)


def test_output_keeps_input_order_and_columns() -> None:
    """Results come back in input order with every input column and the output columns."""
    frame = tces(
        *(
            {"mass_kg": 10.0 * i, "toc_id": CATEGORIES[0], "distance_km": 5.0, "note": f"n{i}"}
            for i in range(1, 50)
        )
    )
    result = calculate(frame.reverse())
    assert result["tce_id"].to_list() == frame.reverse()["tce_id"].to_list()
    assert {"note", "co2e_wtw_kg", "factor_ref", "data_type", "daf"} <= set(result.columns)
