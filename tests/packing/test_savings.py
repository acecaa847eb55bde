"""Savings against the baselines, computed by hand on small cases."""

from __future__ import annotations

import pytest

from greenlane.factors.materials import BOARD_CO2E_KG_PER_KG
from greenlane.packing.model import Carton, Item
from greenlane.packing.savings import (
    default_carton_boxes,
    footprint,
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
