"""The packing model's small objects."""

from __future__ import annotations

import math

import pytest

from greenlane.errors import FieldError
from greenlane.packing.model import MIN_SIDE_CM, Carton, Item


def test_rotations_keep_the_sides_own_numbers_whatever_was_asked_before() -> None:
    """17 and 17.0 are equal, but a plan shows what the item said (a cache once mixed them)."""
    as_floats = Item("a", 17.0, 24.0, 3.0, 1.0).orientations()
    as_ints = Item("b", 17, 24, 3, 1.0).orientations()
    assert as_floats == as_ints
    assert all(type(side) is int for rotation in as_ints for side in rotation)
    assert all(type(side) is float for rotation in as_floats for side in rotation)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, -1.0])
@pytest.mark.parametrize("field", ["length_cm", "width_cm", "height_cm", "weight_kg"])
def test_an_item_built_in_python_refuses_a_side_or_weight_that_is_not_a_finite_number(
    field: str, bad: float
) -> None:
    """The edges check their rows; an Item built by a caller's code is checked the same."""
    sides = {"length_cm": 10.0, "width_cm": 10.0, "height_cm": 10.0, "weight_kg": 1.0}
    with pytest.raises(FieldError, match=f"{field} must be a finite number"):
        Item("a", **(sides | {field: bad}))


@pytest.mark.parametrize("bad", [math.inf, math.nan, -1.0])
@pytest.mark.parametrize("field", ["length_cm", "max_weight_kg", "board_kg"])
def test_a_carton_refuses_a_side_or_limit_that_is_not_a_finite_number(
    field: str, bad: float
) -> None:
    """An infinite limit would let a carton take any weight: refused, not read as 'no limit'."""
    values = {"length_cm": 30.0, "width_cm": 20.0, "height_cm": 10.0}
    values |= {"max_weight_kg": 10.0, "board_kg": 0.1}
    with pytest.raises(FieldError, match=f"{field} must be a finite number"):
        Carton("c", **(values | {field: bad}))


def test_an_item_of_zero_weight_and_a_carton_of_no_board_are_allowed() -> None:
    """The lower bounds are inclusive where nothing is a real value (a gift card, a crate)."""
    assert Item("a", 1.0, 1.0, MIN_SIDE_CM, 0.0).weight_kg == 0.0
    assert Carton("c", 30.0, 20.0, 10.0, 10.0, 0.0).board_kg == 0.0
