"""Bad input: every problem is named (row, column, reason) in one run, and nothing is half-done."""

from __future__ import annotations

import pytest

from greenlane.emissions import run
from greenlane.errors import InputError
from tests.conftest import tces

ROAD = "road.eu.artic_le40t.diesel.average"
BAD = tces(
    {"mass_kg": 1000.0, "toc_id": ROAD, "distance_km": 10.0},  # 1 valid
    {"mass_kg": 1000.0, "toc_id": "no.such.toc", "distance_km": 10.0},  # 2 unknown toc
    {"mass_kg": -5.0, "toc_id": ROAD, "distance_km": 10.0},  # 3 negative mass
    {"mass_kg": None, "toc_id": ROAD, "distance_km": 10.0},  # 4 missing mass
    {"mass_kg": 1000.0, "toc_id": ROAD},  # 5 no distance
    {
        "mass_kg": 1000.0,
        "toc_id": "air.freighter.long_haul",
        "origin": "XQZ",
        "destination": "LGG",
    },  # 6 unknown airport
    {"tce_id": "t1", "mass_kg": 1000.0, "toc_id": ROAD, "distance_km": 10.0},  # 7 duplicate
    {
        "mass_kg": 1000.0,
        "toc_id": "air.freighter.long_haul",
        "mode": "road",
        "distance_km": 10.0,
    },  # 8 mode mismatch
    {"kind": "hub", "mass_kg": 1000.0, "hoc_id": "hub.nowhere"},  # 9 unknown hoc
)
EXPECTED = {
    (2, "toc_id"),
    (3, "mass_kg"),
    (4, "mass_kg"),
    (5, "distance_km"),
    (6, "origin"),
    (7, "tce_id"),
    (8, "mode"),
    (9, "hoc_id"),
}


def test_every_problem_is_reported_in_one_run() -> None:
    """One run names the row and column of each of the eight problems, and no valid row."""
    with pytest.raises(InputError) as caught:
        run(BAD, file="bad.csv")
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == EXPECTED
    assert all(p.file == "bad.csv" for p in caught.value.problems)
    messages = {p.row: p.reason for p in caught.value.problems}
    assert "'no.such.toc'" in messages[2]
    assert "'XQZ'" in messages[6]
    assert "first in row 1" in messages[7]


def test_skip_invalid_keeps_every_valid_row_and_rejects_the_rest() -> None:
    """With skip_invalid the valid row is calculated and each bad row is a reject with reasons."""
    result = run(BAD, skip_invalid=True)
    assert result.results["tce_id"].to_list() == ["t1"]
    assert sorted(result.rejects["input_row"].to_list()) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert result.rejects["reject_reasons"].str.len_chars().min() > 0


def test_unit_that_does_not_fit_the_source() -> None:
    """A TOC energy row in litres of electricity is named with its file, row and column."""
    toc = [{"toc_id": "X", "mode": "road", "source": "electricity", "quantity": 5.0, "unit": "l"}]
    with pytest.raises(InputError) as caught:
        run(tces({"mass_kg": 1.0, "toc_id": "X", "distance_km": 1.0}), tocs=toc, toc_file="t.csv")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("t.csv", 1, "source")
    assert "does not fit" in problem.reason


def test_toc_file_problems_are_all_reported() -> None:
    """Unknown source, bad quantity and a mixed intensity/energy TOC are all named at once."""
    toc = [
        {"toc_id": "A", "mode": "road", "source": "unobtainium", "quantity": 1.0, "unit": "kg"},
        {"toc_id": "B", "mode": "road", "source": "diesel", "quantity": -1.0, "unit": "l"},
        {"toc_id": "C", "mode": "ship", "co2e_intensity_wtw": 0.1},
    ]
    with pytest.raises(InputError) as caught:
        run(tces({"mass_kg": 1.0, "toc_id": "A", "distance_km": 1.0}), tocs=toc)
    assert {(p.row, p.column) for p in caught.value.problems} == {
        (1, "source"),
        (2, "quantity"),
        (3, "mode"),
    }


def test_electricity_needs_a_grid_region() -> None:
    """Electricity without a known grid region is refused rather than priced at a guess."""
    toc = [
        {
            "toc_id": "E",
            "mode": "rail",
            "source": "electricity",
            "quantity": 5.0,
            "unit": "kWh",
            "region": "CN",
        }
    ]
    with pytest.raises(InputError, match="no factor for 'electricity' in region 'CN'"):
        run(tces({"mass_kg": 1.0, "toc_id": "E", "distance_km": 1.0}), tocs=toc)
