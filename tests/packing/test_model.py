"""The packing model's small objects."""

from __future__ import annotations

from greenlane.packing.model import Item


def test_rotations_keep_the_sides_own_numbers_whatever_was_asked_before() -> None:
    """17 and 17.0 are equal, but a plan shows what the item said (a cache once mixed them)."""
    as_floats = Item("a", 17.0, 24.0, 3.0, 1.0).orientations()
    as_ints = Item("b", 17, 24, 3, 1.0).orientations()
    assert as_floats == as_ints
    assert all(type(side) is int for rotation in as_ints for side in rotation)
    assert all(type(side) is float for rotation in as_floats for side in rotation)
