"""Reusable box against a carton, and cartons at post stations, recomputed by hand."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from greenlane.emissions import calculate
from greenlane.errors import InputError
from greenlane.factors.materials import BOARD_CO2E_KG_PER_KG
from greenlane.traceability.cartons import collections, savings
from greenlane.traceability.reuse import compare, read_case

VAN = "road.eu.van_lt3p5t.diesel"


def leg_kg(mass_kg: float, km: float) -> float:
    """One leg priced by the engine directly, as the comparison must."""
    frame = pl.DataFrame([{"shipment_id": "x", "tce_id": "x", "kind": "transport",
                           "mass_kg": mass_kg, "toc_id": VAN, "distance_km": km}])  # fmt: skip
    return float(calculate(frame)["co2e_wtw_kg"][0])


def test_per_trip_figures_and_break_even_by_hand() -> None:
    """Carton = board + its leg; box = production / trips + washing + extra mass + return."""
    case = read_case()
    result = compare(case, trips=50)
    carton = case.carton_board_kg * BOARD_CO2E_KG_PER_KG + leg_kg(case.carton_board_kg, 30)
    operating = (
        case.washing_co2e_kg
        + leg_kg(case.box_mass_kg - case.carton_board_kg, 30)
        + leg_kg(case.box_mass_kg, 30)
    )
    assert result.carton_per_trip_kg == pytest.approx(carton)
    assert result.box_operating_per_trip_kg == pytest.approx(operating)
    assert result.box_per_trip_kg == pytest.approx(case.box_production_co2e_kg / 50 + operating)
    assert result.break_even_trips == pytest.approx(
        case.box_production_co2e_kg / (carton - operating)
    )
    at_break_even = compare(case, trips=result.break_even_trips)
    assert at_break_even.saving_per_trip_kg == pytest.approx(0, abs=1e-12)


def test_a_long_empty_return_never_pays_back() -> None:
    """2,000 km of empty return costs more per trip than a carton: break-even is infinite."""
    result = compare(replace(read_case(), return_km=2000))
    assert math.isinf(result.break_even_trips) and result.saving_per_trip_kg < 0


def test_a_case_file_missing_a_parameter_is_refused(tmp_path) -> None:
    """The file and the missing parameter are named."""
    path = tmp_path / "case.csv"
    path.write_text("parameter,value\nbox_mass_kg,2\n")
    with pytest.raises(ValueError, match="missing parameter"):
        read_case(path)
    with pytest.raises(ValueError, match="box_design_trips must be >= 1"):
        replace(read_case(), box_design_trips=0)


def test_carton_savings_by_hand() -> None:
    """Reuse saves board x FEFCO factor; recycling only with a stated credit."""
    rows = [
        {"station_id": "P1", "date": "2026-03-01", "collected": 100, "reused": 60,
         "recycled": 40, "carton_kg": 0.3},
        {"station_id": "P2", "date": "2026-03-01", "collected": 50, "reused": 10,
         "recycled": 30, "carton_kg": 0.2},
    ]  # fmt: skip
    found = collections(rows, "cartons.csv")
    assert found[0].day == date(2026, 3, 1)
    s = savings(found)
    assert (s.collected, s.reused, s.recycled) == (150, 70, 70)
    assert s.board_reused_kg == pytest.approx(60 * 0.3 + 10 * 0.2)
    assert s.co2e_saved_kg == pytest.approx(20 * BOARD_CO2E_KG_PER_KG)
    assert savings(found, 0.1).co2e_saved_kg == pytest.approx(20 * BOARD_CO2E_KG_PER_KG + 18 * 0.1)


def test_bad_collection_rows_are_named_and_nothing_is_taken() -> None:
    """More reused and recycled than collected, a negative count, a bad date: each named."""
    rows = [
        {"station_id": "P1", "date": "2026-03-01", "collected": 10, "reused": 8, "recycled": 5,
         "carton_kg": 0.3},
        {"station_id": "P2", "date": "yesterday", "collected": -1, "reused": 0, "recycled": 0,
         "carton_kg": 0.3},
    ]  # fmt: skip
    with pytest.raises(InputError) as caught:
        collections(rows, "cartons.csv")
    named = {(p.row, p.column) for p in caught.value.problems}
    assert named == {(1, "reused"), (2, "collected"), (2, "date")}
