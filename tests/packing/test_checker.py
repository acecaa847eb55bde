"""The checker rejects each broken rule and accepts a valid packing."""

from __future__ import annotations

from greenlane.packing.checker import check
from greenlane.packing.model import Carton, Item, Placement

BOX = Carton("b", 40, 30, 20, max_weight_kg=10, board_kg=0.4)
CUBE = Item("cube", 10, 10, 10, weight_kg=1)


def at(
    item: Item,
    x: float,
    y: float,
    z: float,
    dims: tuple[float, float, float] | None = None,
    unit: int = 1,
) -> Placement:
    dx, dy, dz = dims or item.dims
    return Placement(item, unit, x, y, z, dx, dy, dz)


def rules(placements: list[Placement], carton: Carton = BOX) -> set[str]:
    return {v.rule for v in check(carton, placements)}


def test_a_valid_stack_passes() -> None:
    """Two cubes side by side and one on top of both: no violation."""
    packing = [at(CUBE, 0, 0, 0), at(CUBE, 10, 0, 0, unit=2), at(CUBE, 5, 0, 10, unit=3)]
    assert check(BOX, packing) == []


def test_overlap_and_overhang_are_rejected() -> None:
    """Shared volume is an overlap; a unit past the wall is outside."""
    assert rules([at(CUBE, 0, 0, 0), at(CUBE, 5, 5, 5, unit=2)]) >= {"overlap"}
    assert rules([at(CUBE, 35, 0, 0)]) == {"inside"}


def test_overweight_is_rejected() -> None:
    """Eleven kilograms in a ten-kilogram carton."""
    heavy = Item("heavy", 10, 10, 10, weight_kg=5.5)
    assert rules([at(heavy, 0, 0, 0), at(heavy, 10, 0, 0, unit=2)]) == {"weight"}


def test_upside_down_and_impossible_extents_are_rejected() -> None:
    """An upright item on its side breaks 'this side up'; an extent of no rotation is refused."""
    tall = Item("tall", 10, 10, 20, weight_kg=1, upright=True)
    assert rules([at(tall, 0, 0, 0, (20, 10, 10))]) == {"upright"}
    assert rules([at(CUBE, 0, 0, 0, (10, 10, 12))]) == {"orientation"}


def test_fragile_items_carry_nothing_and_bases_need_support() -> None:
    """A unit on a fragile one is refused; so is one that overhangs with under 70% support."""
    glass = Item("glass", 10, 10, 10, weight_kg=1, fragile=True)
    assert "fragile" in rules([at(glass, 0, 0, 0), at(CUBE, 0, 0, 10)])
    # resting on a 10x10 cube with 6 of its 10 cm over thin air: 40% supported
    assert rules([at(CUBE, 0, 0, 0), at(CUBE, 6, 0, 10, unit=2)]) == {"support"}
    assert rules([at(CUBE, 0, 0, 5)]) == {"support"}  # floating


def test_own_box_and_excluded_classes_are_rejected() -> None:
    """An own-box item shares with nobody; excluded classes never share."""
    alone = Item("tv", 10, 10, 10, weight_kg=1, own_box=True)
    assert rules([at(alone, 0, 0, 0), at(CUBE, 10, 0, 0)]) == {"own_box"}
    food = Item("rice", 10, 10, 10, weight_kg=1, item_class="food")
    bleach = Item(
        "bleach", 10, 10, 10, weight_kg=1, item_class="chemical", excludes=frozenset({"food"})
    )
    assert rules([at(food, 0, 0, 0), at(bleach, 10, 0, 0)]) == {"excludes"}
