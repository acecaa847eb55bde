"""A supplier's energy factor may be WTW only, as the pack's own hub defaults are.

Its WTT/TTW split is then unknown: the TCEs carry WTW alone, and the factor's source says so.
"""

from __future__ import annotations

import pytest
from pytest import approx

from greenlane.emissions import run
from greenlane.errors import InputError
from tests.conftest import calc_rows, tces

pytestmark = pytest.mark.usefixtures("use_engine")  # on every engine


def _toc(**fields: object) -> dict[str, object]:
    return {"toc_id": "S1", "mode": "road", "source": "hvo", "quantity": 1000.0, "unit": "l",
            **fields}  # fmt: skip


def test_a_wtw_only_factor_over_a_stated_activity() -> None:
    """1,000 l x 0.9 kg/l over 10,000 tkm: 0.09 kg/tkm WTW, no split, primary data."""
    toc = [_toc(ef_wtw_kg_per_unit=0.9, transport_activity_tkm=10_000.0)]
    (row,) = calc_rows({"mass_kg": 2000.0, "toc_id": "S1", "distance_km": 50.0}, tocs=toc)
    assert row["co2e_intensity_wtw"] == approx(0.09, rel=1e-12)
    assert row["co2e_wtw_kg"] == approx(0.09 * 100.0, rel=1e-12)
    assert row["co2e_wtt_kg"] is None and row["co2e_ttw_kg"] is None
    assert row["data_type"] == "primary" and "WTW only" in row["factor_ref"]


def test_a_wtw_only_energy_total_is_allocated_whole() -> None:
    """Without an activity the energy is shared by tonne-km: the TCEs add up to all of it."""
    diesel = _toc(source="diesel", quantity=10.0, ef_wtw_kg_per_unit=3.2, ef_ttw_kg_per_unit=2.6)
    toc = [_toc(ef_wtw_kg_per_unit=0.9), diesel]
    rows = calc_rows(
        {"tce_id": "a", "mass_kg": 1000.0, "toc_id": "S1", "distance_km": 100.0},
        {"tce_id": "b", "mass_kg": 3000.0, "toc_id": "S1", "distance_km": 100.0},
        tocs=toc,
    )
    assert sum(r["co2e_wtw_kg"] for r in rows) == approx(900.0 + 32.0, rel=1e-12)
    assert rows[1]["co2e_wtw_kg"] == approx(3 * rows[0]["co2e_wtw_kg"], rel=1e-12)
    assert all(r["co2e_wtt_kg"] is None for r in rows)  # one row without a split: none


def test_a_ttw_factor_without_its_wtw_is_refused() -> None:
    """A TTW factor alone is not a total: the row is named, nothing is calculated from it."""
    toc = [_toc(ef_ttw_kg_per_unit=2.6, transport_activity_tkm=100.0)]
    with pytest.raises(InputError) as refused:
        run(tces({"mass_kg": 1000.0, "toc_id": "S1", "distance_km": 10.0}), toc)
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "source")]
    assert "needs ef_wtw_kg_per_unit" in refused.value.problems[0].reason
