"""Container loading: known full loadings, orientation limits, weight, and a valid result."""

from __future__ import annotations

import pytest

from greenlane.packing.checker import check
from greenlane.packing.container import load_container
from greenlane.packing.model import Carton, Item, Placement


def test_boxes_that_tile_the_container_fill_it() -> None:
    """Eight 10 cm cubes and four 20x10x10 bars tile a 20x20x40 container exactly."""
    container = Carton("c", 20, 20, 40, 1e6, 0)
    items = [Item("cube", 10, 10, 10, 1, quantity=8), Item("bar", 20, 10, 10, 1, quantity=4)]
    loaded = load_container(container, items)
    assert check(container, loaded) == []
    assert sum(p.dx * p.dy * p.dz for p in loaded) == pytest.approx(container.volume_cm3)


def test_sides_that_may_not_stand_vertical_never_do() -> None:
    """Boards whose only permitted vertical side is the 5 cm one lie flat; the checker agrees."""
    container = Carton("c", 60, 40, 30, 1e6, 0)
    board = Item("board", 40, 30, 5, 1, quantity=10, vertical_sides="h")
    loaded = load_container(container, [board])
    assert loaded and all(p.dz == 5 for p in loaded)
    assert check(container, loaded) == []
    on_edge = Placement(board, 1, 0, 0, 0, 40, 5, 30)
    assert {v.rule for v in check(container, [on_edge])} == {"upright"}


def test_the_weight_limit_caps_the_load() -> None:
    """Ten 3 kg boxes and a 20 kg limit: six go in, and the load stays valid."""
    container = Carton("c", 100, 100, 100, 20, 0)
    loaded = load_container(container, [Item("b", 10, 10, 10, 3.0, quantity=10)])
    assert len(loaded) == 6 and check(container, loaded) == []


def test_every_box_is_used_at_most_as_often_as_it_is_available() -> None:
    """Units are numbered 1..quantity without repeats, per type."""
    container = Carton("c", 50, 50, 50, 1e6, 0)
    items = [Item("a", 20, 15, 10, 1, quantity=7), Item("b", 12, 12, 30, 1, quantity=5)]
    loaded = load_container(container, items)
    for item in items:
        units = [p.unit for p in loaded if p.item is item]
        assert len(units) == len(set(units)) and all(1 <= u <= item.quantity for u in units)


def test_the_pilot_search_loads_more_than_greedy_runs_alone() -> None:
    """Fifteen boxes of three types: greedy runs 77.5%, pilot searches 2 wide 82.0%, wider 85.0%.

    The effort (blocks considered) decides how wide the searches go, so the loading is the same
    on any machine; every loading is valid.
    """
    container = Carton("c", 100, 60, 50, 1e9, 0)
    items = [
        Item("a", 22, 30, 27, 1.0, quantity=4),
        Item("b", 26, 31, 25, 1.0, quantity=8),
        Item("c", 33, 14, 29, 1.0, quantity=3),
    ]
    greedy = load_container(container, items, effort=0)
    narrow = load_container(container, items, effort=1)  # the 2-wide searches, no wider
    wide = load_container(container, items)
    assert check(container, narrow) == [] and check(container, wide) == []

    def used(loaded: list[Placement]) -> float:
        return sum(p.dx * p.dy * p.dz for p in loaded) / container.volume_cm3

    assert used(greedy) == pytest.approx(0.7749, abs=1e-4)
    assert used(narrow) == pytest.approx(0.8196, abs=1e-4)
    assert used(wide) == pytest.approx(0.8495, abs=1e-4)
