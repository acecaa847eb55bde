"""Free-size box design: known optima, never worse than LSAH, always a valid packing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.packing.checker import check
from greenlane.packing.freesize import Design, design_box, lsah
from greenlane.packing.model import Carton, Item


def valid(design: Design) -> Design:
    """The design, after the checker found every unit inside its box and none overlapping."""
    box = Carton("free", design.length_cm, design.width_cm, design.height_cm, 1e9, 0.0)
    assert check(box, design.placements, min_support=0.0) == []
    return design


def test_eight_cubes_make_the_cube_of_twice_their_side() -> None:
    """Eight 10 cm cubes: a 20 cm cube, 2400 cm2, the least surface that holds them."""
    design = valid(design_box([Item("c", 10, 10, 10, 1.0, quantity=8)]))
    assert design.surface_cm2 == pytest.approx(2400)


def test_two_slabs_stack_into_a_cube() -> None:
    """Two 10x10x5 slabs: a 10 cm cube (600 cm2) rather than a 20x10x5 slab (700 cm2)."""
    design = valid(design_box([Item("s", 10, 10, 5, 1.0, quantity=2)]))
    assert design.surface_cm2 == pytest.approx(600)


def test_upright_items_stay_upright() -> None:
    """A 'this side up' bottle keeps its 30 cm vertical in the designed box."""
    design = valid(design_box([Item("b", 8, 8, 30, 1.0, upright=True, quantity=3)]))
    assert all(p.dz == 30 for p in design.placements)


side = st.integers(min_value=1, max_value=40).map(float)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(side, side, side), min_size=1, max_size=7))
def test_the_search_is_never_worse_than_lsah(sizes: list[tuple[float, float, float]]) -> None:
    """On random orders the designed box is valid and no larger in area than LSAH's."""
    items = [Item(f"i{n}", a, b, c, 0.5) for n, (a, b, c) in enumerate(sizes)]
    ours, theirs = valid(design_box(items, iterations=10)), valid(lsah(items))
    assert ours.surface_cm2 <= theirs.surface_cm2 + 1e-6
    assert len(ours.placements) == len(items)
