"""Catalogue design on a history with known best sizes."""

from __future__ import annotations

import pytest

from greenlane.packing.catalogue import design_catalogue
from greenlane.packing.model import Item
from greenlane.packing.tables import blank_board_kg

CUBES = [Item("c", 10, 10, 10, 0.5, quantity=8)]  # packs into a 20 cm cube
SLAB = [Item("s", 30, 20, 10, 1.0)]  # its own box


def test_two_shapes_get_their_own_sizes() -> None:
    """With k = 2, the two order shapes each get their exact box; every order is served."""
    history = [CUBES] * 5 + [SLAB] * 3
    cartons, board, unserved = design_catalogue(history, k=2)
    assert sorted(c.dims for c in cartons) == [(20.0, 20.0, 20.0), (30.0, 20.0, 10.0)]
    expected = 5 * blank_board_kg(20, 20, 20, 400) + 3 * blank_board_kg(30, 20, 10, 400)
    assert (board, unserved) == (pytest.approx(expected), 0)


def test_one_size_serves_the_commoner_shape_and_says_who_is_left() -> None:
    """With k = 1 neither box holds the other's order: five cube orders served, three not."""
    cartons, _, unserved = design_catalogue([CUBES] * 5 + [SLAB] * 3, k=1)
    assert [c.dims for c in cartons] == [(20.0, 20.0, 20.0)] and unserved == 3
    with pytest.raises(ValueError, match="k >= 1"):
        design_catalogue([CUBES], k=0)
