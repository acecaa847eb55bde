"""Refusals carry their field: a reader never recovers a column from an error's wording."""

from __future__ import annotations

import pytest

from greenlane.errors import FieldError, Problem, row_problem
from greenlane.packing.model import Carton
from greenlane.packing.tables import cartons_from_rows


def test_a_field_error_is_reported_under_its_field_and_reads_as_before() -> None:
    """The column comes from the error's field; the text is the familiar sentence."""
    error = FieldError("weight_kg", "must be > 0, got -1")
    assert str(error) == "weight_kg must be > 0, got -1"
    assert row_problem("f.csv", 3, error) == Problem("f.csv", 3, "weight_kg", "must be > 0, got -1")
    named = FieldError("metric", "unknown 'x'", ": ")
    assert str(named) == "metric: unknown 'x'"
    assert row_problem("f.csv", 1, named).column == "metric"


def test_any_other_refusal_concerns_the_row_whatever_its_words() -> None:
    """A plain ValueError whose text looks like 'column: reason' is not parsed."""
    problem = row_problem("f.csv", 2, ValueError("looks_like_a_column: but is not one"))
    assert (problem.column, problem.reason) == ("row", "looks_like_a_column: but is not one")


def test_a_record_check_names_its_field_through_a_reader() -> None:
    """A carton with no weight limit is refused under max_weight_kg, as its check says."""
    with pytest.raises(FieldError) as refused:
        Carton("C1", 10, 10, 10, 0.0, 0.1)
    assert refused.value.field == "max_weight_kg"
    row = {"carton_id": "C1", "length_cm": 10.0, "width_cm": 10.0, "height_cm": 10.0,
           "max_weight_kg": 0.0, "board_kg": 0.1}  # fmt: skip
    _, problems = cartons_from_rows([row], "cartons.csv")
    assert [(p.row, p.column) for p in problems] == [(1, "max_weight_kg")]
