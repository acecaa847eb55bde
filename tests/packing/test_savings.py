"""Savings against the baselines, computed by hand on small cases."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.factors.materials import BOARD_CO2E_KG_PER_KG
from greenlane.packing.checker import check
from greenlane.packing.model import Carton, Item
from greenlane.packing.savings import (
    default_carton_boxes,
    footprint,
    in_default_carton,
    plan_boxes,
    smallest_by_volume_boxes,
)
from greenlane.packing.select import plan_order

S = Carton("S", 20, 20, 20, max_weight_kg=20, board_kg=0.3)
XL = Carton("XL", 30, 30, 30, max_weight_kg=30, board_kg=0.5)


def test_a_footprint_adds_board_void_dim_weight_and_co2e() -> None:
    """S holding 4000 cm3 and XL holding nothing: board 0.8 kg, void 4000 + 27000 cm3."""
    total = footprint([(S, 4000.0), (XL, 0.0)], divisor_cm3_per_kg=5000)
    assert total.cartons == 2
    assert total.board_kg == pytest.approx(0.8)
    assert total.void_cm3 == pytest.approx(4000 + 27000)
    assert total.dim_weight_kg == pytest.approx((8000 + 27000) / 5000)
    assert total.co2e_board_kg == pytest.approx(0.8 * BOARD_CO2E_KG_PER_KG)


def test_the_plan_saves_against_one_default_carton() -> None:
    """Eight 10 cm cubes: the plan uses S (0.3 kg board) where the XL default uses 0.5 kg."""
    order = [("o1", [Item("c", 10, 10, 10, 0.5, quantity=8)])]
    plan = footprint(plan_boxes(plan_order(o, items, [S, XL]) for o, items in order))
    baseline = footprint(default_carton_boxes(order, XL))
    saved = baseline - plan
    assert saved.board_kg == pytest.approx(0.2)
    assert saved.void_cm3 == pytest.approx(27000 - 8000)
    assert saved.co2e_board_kg == pytest.approx(0.2 * BOARD_CO2E_KG_PER_KG)


def test_the_volume_rule_ignores_shape() -> None:
    """A 25 cm rod has 250 cm3: the volume rule picks S, which cannot hold it; the plan XL."""
    order = [("o1", [Item("rod", 25, 2, 5, 0.2)])]
    (baseline,) = smallest_by_volume_boxes(order, [S, XL])
    assert baseline == (S, 250.0)
    (box,) = plan_order("o1", order[0][1], [S, XL]).cartons
    assert box.carton is XL
    many = smallest_by_volume_boxes([("o2", [Item("c", 20, 20, 20, 1.0, quantity=5)])], [S, XL])
    assert [c.carton_id for c, _ in many] == ["XL", "XL"]  # 40,000 cm3 over 27,000 per XL


def test_the_volume_rule_stays_bounded_when_weight_limits_are_tiny() -> None:
    """A carton that carries almost nothing is never counted a billion times over."""
    feather = Carton("F", 100, 100, 100, max_weight_kg=1e-9, board_kg=1.0)
    order = [("o", [Item("c", 10, 10, 10, 1.0, quantity=3)])]
    boxes = smallest_by_volume_boxes(order, [feather, S])
    assert [c.carton_id for c, _ in boxes] == ["S"]  # S alone holds 3 kg and 3,000 cm3
    alone = smallest_by_volume_boxes(order, [feather, Carton("T", 10, 10, 10, 1.0, 0.1)])
    assert [c.carton_id for c, _ in alone] == ["T", "T", "T"]


NESTED = [  # the generated network's catalogue: all but XL stand inside L1
    Carton("S1", 20, 15, 8, 5, board_kg=0.1),
    Carton("S2", 25, 20, 10, 8, board_kg=0.15),
    Carton("M1", 30, 25, 15, 15, board_kg=0.25),
    Carton("M2", 40, 30, 20, 20, board_kg=0.4),
    Carton("L1", 50, 40, 30, 25, board_kg=0.6),
    Carton("XL", 60, 50, 40, 30, board_kg=0.9),
]
STANDARDS = [NESTED[4], Carton("T", 45, 30, 30, 12, board_kg=0.5)]  # T takes M2 turned
side = st.integers(min_value=2, max_value=45).map(float)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(side, side, side, st.integers(1, 3), st.booleans()), min_size=1, max_size=4),
    st.sampled_from(STANDARDS),
)
def test_the_default_baseline_read_off_the_plan_is_a_real_packing(
    rows: list[tuple], standard: Carton
) -> None:
    """Where the plan's one carton stands in the default, its placements are a valid packing there.

    Turned about the vertical where the floor needs it; elsewhere the default is packed. Never
    more cartons than packing the default finds, the same where it finds one.
    """
    order = [
        Item(f"i{n}", a, b, c, 1.5, quantity=q, upright=up)
        for n, (a, b, c, q, up) in enumerate(rows)
    ]
    plan = plan_order("o", order, NESTED)
    refused = {r.item_id for r in plan.refused}
    packable = [i for i in order if i.item_id not in refused]
    packed = default_carton_boxes([("o", packable)], standard)
    read = in_default_carton(plan, packable, standard)
    assert len(read) <= len(packed)
    if len(packed) == 1:  # the same carton and contents (the volume maybe summed otherwise)
        assert read == [(standard, pytest.approx(packed[0][1]))]
    if len(plan.cartons) != 1 or plan.cartons[0].contents_kg > standard.max_weight_kg:
        assert read == packed
        return
    box = plan.cartons[0].carton
    sides, floor = (box.length_cm, box.width_cm), (standard.length_cm, standard.width_cm)
    turn = not (sides[0] <= floor[0] and sides[1] <= floor[1])
    if box.height_cm > standard.height_cm or (
        turn and not (sides[1] <= floor[0] and sides[0] <= floor[1])
    ):
        assert read == packed
        return
    placed = [
        replace(p, x=p.y, y=p.x, dx=p.dy, dy=p.dx) if turn else p
        for p in plan.cartons[0].placements
    ]
    assert check(standard, placed) == []  # a real packing in the default carton
    assert read == [(standard, pytest.approx(sum(p.dx * p.dy * p.dz for p in placed)))]


def test_a_plan_the_default_cannot_take_is_packed_again() -> None:
    """Taller than the default, or heavier than its limit: the default is packed for real."""
    tall = Carton("tall", 10, 10, 40, 20, board_kg=0.2)
    low = Carton("low", 30, 30, 30, 20, board_kg=0.3)
    rod = [Item("rod", 8, 8, 35, 1.0, upright=True)]
    plan = plan_order("o", rod, [tall])
    assert in_default_carton(plan, rod, low) == default_carton_boxes([("o", rod)], low) == []
    bricks = [Item("brick", 10, 10, 5, 4.0, quantity=4)]
    small, weak = Carton("S", 20, 20, 10, 20, 0.1), Carton("W", 40, 40, 40, 10, 0.4)
    plan = plan_order("o", bricks, [small])
    (box,) = plan.cartons
    assert box.carton is small and box.contents_kg == 16.0
    assert in_default_carton(plan, bricks, weak) == default_carton_boxes([("o", bricks)], weak)
    assert len(in_default_carton(plan, bricks, weak)) == 2  # 10 kg a carton: two of W
