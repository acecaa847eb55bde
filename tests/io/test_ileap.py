"""iLEAP ShipmentFootprint input (E18, the ileap-go demo shipments) through the real reader."""

from __future__ import annotations

from pathlib import Path

from pytest import approx

from greenlane.emissions import calculate
from greenlane.emissions.schema import HOC_COLUMNS, TCE_COLUMNS, TOC_COLUMNS
from greenlane.io import read_rows, read_tces

DATA = Path(__file__).parents[1] / "data"


def _results() -> dict[str, dict[str, float]]:
    frame, problems = read_tces(DATA / "ileap_shipments.json", TCE_COLUMNS)
    assert problems == []
    out = calculate(
        frame,
        read_rows(DATA / "tocs_ileap.csv", TOC_COLUMNS),
        read_rows(DATA / "hocs_ileap.csv", HOC_COLUMNS),
    )
    return {r["tce_id"]: r for r in out.to_dicts()}


def test_simple_shipment_matches_ileap_go_demo() -> None:
    """E18 shipment-simple-1: 40 t x 423 km = 16,920 tkm -> 1,962.72 / 1,505.88 kg; exact."""
    row = _results()["simple-1"]
    assert row["transport_activity_tkm"] == approx(16_920, rel=1e-12)
    assert row["co2e_wtw_kg"] == approx(1962.72, rel=1e-12)
    assert row["co2e_ttw_kg"] == approx(1505.88, rel=1e-12)


def test_pre_and_post_legs_total() -> None:
    """E18 pre-and-post-legs-1: 95.16 + 132 + 158.6 = 385.76 kg WTW; exact."""
    rows = _results()
    total = sum(rows[t]["co2e_wtw_kg"] for t in ("pre-leg", "warehouse", "post-leg"))
    assert total == approx(385.76, rel=1e-12)
    assert rows["warehouse"]["co2e_ttw_kg"] == approx(40, rel=1e-12)
    assert rows["warehouse"]["kind"] == "hub"


def test_feu_counts_two_teu_and_locations_give_gcd() -> None:
    """A Container-FEU is 2 TEU; a LOCODE to a lat/lng gives a great-circle distance."""
    row = _results()["container-leg"]
    assert row["distance_type"] == "gcd"
    assert row["co2e_wtw_kg"] == approx(2 * row["distance_km_used"] * 0.0499, rel=1e-12)
