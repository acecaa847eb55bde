"""Carton selection on hand-made orders with known optima; every plan passes the checker."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.packing.checker import check
from greenlane.packing.model import Carton, Item
from greenlane.packing.place import search_into
from greenlane.packing.select import (
    OBJECTIVES,
    Plan,
    _pairs_fit,
    carton_for,
    objective_of,
    plan_order,
)

CATALOGUE = [
    Carton("S", 20, 20, 20, max_weight_kg=20, board_kg=0.30, cost=0.9),
    Carton("L", 40, 20, 10, max_weight_kg=20, board_kg=0.35, cost=0.5),
    Carton("XL", 30, 30, 30, max_weight_kg=30, board_kg=0.50, cost=1.2),
]


def valid(plan: Plan) -> Plan:
    """The plan, after the checker found nothing wrong in any of its cartons."""
    for box in plan.cartons:
        assert check(box.carton, box.placements) == [], box.carton.carton_id
    return plan


def units(plan: Plan) -> int:
    return sum(len(box.placements) for box in plan.cartons)


def test_eight_cubes_fill_the_carton_they_exactly_fit() -> None:
    """Eight 10 cm cubes: the 20 cm cube (least board) at a fill rate of 1."""
    plan = valid(plan_order("o", [Item("c", 10, 10, 10, 0.5, quantity=8)], CATALOGUE))
    (box,) = plan.cartons
    assert box.carton.carton_id == "S" and box.fill_rate == pytest.approx(1.0)


def test_the_objective_chooses_the_carton() -> None:
    """Four cubes fit S and L: least board picks S, least cost picks L."""
    order = [Item("c", 10, 10, 10, 0.5, quantity=4)]
    assert plan_order("o", order, CATALOGUE).cartons[0].carton.carton_id == "S"
    assert plan_order("o", order, CATALOGUE, "cost").cartons[0].carton.carton_id == "L"


def test_dimensional_weight_prefers_the_smaller_carton_for_light_goods() -> None:
    """A 1 kg item: S weighs 8000/5000 = 1.6 kg chargeable, L 1.6, XL 5.4: never XL."""
    plan = plan_order("o", [Item("c", 15, 15, 9, 1.0)], CATALOGUE, "dim_weight", 5000)
    assert plan.cartons[0].carton.carton_id in {"S", "L"}


def test_an_order_too_big_for_one_carton_ships_in_several() -> None:
    """Three 30 cm cubes go in three XL cartons; two 16 kg items (32 > 30 kg) in two."""
    plan = valid(plan_order("o", [Item("big", 30, 30, 30, 1.0, quantity=3)], CATALOGUE))
    assert [b.carton.carton_id for b in plan.cartons] == ["XL"] * 3
    heavy = valid(plan_order("o", [Item("h", 10, 10, 10, 16.0, quantity=2)], CATALOGUE))
    assert len(heavy.cartons) == 2


def test_items_no_carton_can_hold_are_refused_and_the_rest_packed() -> None:
    """A 50 cm rod and a 40 kg anvil are refused with reasons; the cube still ships."""
    order = [
        Item("rod", 50, 2, 2, 1.0),
        Item("anvil", 10, 10, 10, 40.0),
        Item("cube", 10, 10, 10, 1.0),
    ]
    plan = valid(plan_order("o", order, CATALOGUE))
    reasons = {r.item_id: r.reason for r in plan.refused}
    assert "larger than every carton" in reasons["rod"]
    assert "over every carton's limit" in reasons["anvil"]
    assert units(plan) == 1


def test_rules_split_the_order() -> None:
    """An own-box item and excluded classes travel in separate cartons; upright stays upright."""
    order = [
        Item("tv", 10, 10, 10, 1.0, own_box=True),
        Item("rice", 10, 10, 10, 1.0, item_class="food"),
        Item("bleach", 10, 10, 10, 1.0, item_class="chemical", excludes=frozenset({"food"})),
    ]
    plan = valid(plan_order("o", order, CATALOGUE))
    assert len(plan.cartons) == 3
    tall = valid(plan_order("o", [Item("vase", 10, 10, 25, 1.0, upright=True)], CATALOGUE))
    assert tall.cartons[0].carton.carton_id == "XL"  # S and L are too low for it upright


dims = st.integers(min_value=1, max_value=35).map(float)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(dims, dims, dims, st.integers(1, 3), st.booleans(), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_every_unit_is_packed_validly_or_refused_for_a_reason(rows: list[tuple]) -> None:
    """Random orders: each carton passes the checker; units packed + refused = units ordered."""
    order = [
        Item(f"i{n}", a, b, c, 0.5, quantity=q, upright=up, fragile=fr)
        for n, (a, b, c, q, up, fr) in enumerate(rows)
    ]
    plan = valid(plan_order("o", order, CATALOGUE))
    refused = {r.item_id for r in plan.refused}
    expected = sum(i.quantity for i in order if i.item_id not in refused)
    assert units(plan) == expected


def test_a_carton_the_first_rotation_choice_misses_is_still_found() -> None:
    """Three mugs on a book fit a 30x20x15 carton only with the mugs turned long side along x."""
    order = [Item("mug", 12, 9, 10, 0.4, quantity=3), Item("book", 24, 17, 3, 0.6)]
    cartons = [Carton("M", 30, 20, 15, 20, 0.25), Carton("L", 50, 40, 30, 30, 0.6)]
    plan = valid(plan_order("o", order, cartons))
    assert [b.carton.carton_id for b in plan.cartons] == ["M"]


def test_a_reusable_container_is_an_option_with_no_board() -> None:
    """A reusable tote (no board, dearer per trip) wins on board and loses on cost."""
    tote = Carton("TOTE", 40, 30, 20, max_weight_kg=25, board_kg=0.0, cost=1.5, reusable=True)
    order = [Item("c", 10, 10, 10, 0.5, quantity=4)]
    by_board = valid(plan_order("o", order, [*CATALOGUE, tote]))
    by_cost = valid(plan_order("o", order, [*CATALOGUE, tote], "cost"))
    assert by_board.cartons[0].carton.carton_id == "TOTE"
    assert by_cost.cartons[0].carton.carton_id == "L"


def test_a_fragile_unit_never_goes_into_a_gap_under_an_overhang() -> None:
    """The order Hypothesis found: a fragile plate once went under a box placed before it."""
    rows = [(1.0, 1.0, 1.0, 1, False, False), (1.0, 1.0, 1.0, 1, False, False),
            (1.0, 5.0, 5.0, 1, False, True), (5.0, 11.0, 14.0, 3, False, False),
            (5.0, 25.0, 26.0, 2, False, False)]  # fmt: skip
    order = [
        Item(f"i{n}", a, b, c, 0.5, quantity=q, upright=up, fragile=fr)
        for n, (a, b, c, q, up, fr) in enumerate(rows)
    ]
    valid(plan_order("o", order, CATALOGUE))


def test_units_stood_on_edge_take_the_smaller_carton() -> None:
    """Two 25.2 x 14.8 x 10.5 units fit 30 x 25 x 20 only on edge, side by side: it is chosen."""
    catalogue = [
        Carton("M", 30, 25, 20, max_weight_kg=30, board_kg=0.20),
        Carton("L", 35, 25, 15, max_weight_kg=30, board_kg=0.24),
        Carton("XL", 45, 35, 25, max_weight_kg=30, board_kg=0.39),
    ]
    plan = valid(plan_order("o", [Item("b", 25.2, 14.8, 10.5, 1.0, quantity=2)], catalogue))
    (box,) = plan.cartons
    assert box.carton.carton_id == "M"
    assert all(p.dz == 14.8 for p in box.placements)  # neither lies flat


def _two_unit_orders(n: int) -> list[list[Item]]:
    rng = random.Random(3)
    orders = []
    for k in range(n):
        sides = [[round(rng.uniform(4, 30), 1) for _ in range(3)] for _ in range(2)]
        orders.append([Item(f"{k}-{j}", *s, weight_kg=0.5) for j, s in enumerate(sides)])
    return orders


def test_no_cheaper_carton_holds_a_two_unit_order() -> None:
    """For two units the search is exhaustive: no cheaper carton takes them in any placement.

    Two boxes pushed towards the carton's corner lie at the origin and at an extreme point of
    the first, so trying every corner and rotation with either unit first covers every packing.
    """
    catalogue = [
        Carton(f"C{n}", *dims, max_weight_kg=30, board_kg=board)
        for n, (dims, board) in enumerate(
            [((20, 15, 10), 0.1), ((25, 20, 15), 0.16), ((30, 25, 20), 0.2), ((40, 30, 30), 0.3),
             ((35, 35, 20), 0.31), ((60, 40, 40), 0.6)]
        )
    ]  # fmt: skip
    for items in _two_unit_orders(600):
        plan = valid(plan_order("o", items, catalogue))
        if len(plan.cartons) != 1:
            continue
        chosen = plan.cartons[0].carton
        for carton in catalogue:
            if carton.board_kg < chosen.board_kg:
                pairs = [(items[0], 1), (items[1], 1)]
                assert search_into(carton, pairs, budget=10**6) is None, (items, carton)
                assert search_into(carton, pairs[::-1], budget=10**6) is None, (items, carton)


sides = st.integers(min_value=2, max_value=30).map(float)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(sides, sides, sides, st.booleans()), min_size=2, max_size=3),
       st.tuples(sides, sides, sides))  # fmt: skip
def test_the_pair_rule_rules_out_only_what_no_search_packs(rows: list[tuple], box: tuple) -> None:
    """Where two units cannot stand side by side on any axis, no search places them all."""
    carton = Carton("C", *box, max_weight_kg=100, board_kg=0.2)
    units = [(Item(f"i{n}", a, b, c, 0.5, upright=up), 1) for n, (a, b, c, up) in enumerate(rows)]
    if not _pairs_fit(carton, tuple(units)):
        assert search_into(carton, units, budget=10**5) is None
        assert search_into(carton, units[::-1], budget=10**5) is None


def test_two_units_that_cannot_stand_apart_take_the_larger_carton() -> None:
    """Two 25 cm cubes fill under half of a 40 cm cube's volume but cannot share it."""
    small, large = Carton("M", 40, 40, 40, 30, 0.3), Carton("L", 50, 40, 30, 30, 0.4)
    cubes = [(Item("cube", 25, 25, 25, 1.0, quantity=2), n) for n in (1, 2)]
    assert not _pairs_fit(small, tuple(cubes))
    assert _pairs_fit(large, tuple(cubes))
    plan = valid(plan_order("o", [cubes[0][0]], [small, large]))
    assert [b.carton.carton_id for b in plan.cartons] == ["L"]


def test_orders_with_the_same_items_get_the_same_plan_under_their_own_ids() -> None:
    """Plans are remembered by the items: a repeat gets the same cartons with its own id."""
    order = [Item("cube", 10, 10, 10, 0.5, quantity=4)]
    first, again = plan_order("a", order, CATALOGUE), plan_order("b", list(order), CATALOGUE)
    assert (first.order_id, again.order_id) == ("a", "b")
    assert again.cartons == first.cartons and again.refused == first.refused
    by_cost = plan_order("c", order, CATALOGUE, "cost")
    assert by_cost.cartons[0].carton.carton_id == "L"  # the objective is part of what is kept
    assert first.cartons[0].carton.carton_id == "S"


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(st.sampled_from([10.0, 20.0, 20.000001, 30.0, 40.0, 45.0]), dims, dims),
    st.sampled_from([0.5, 19.9, 20.0, 25.0, 31.0]),
    st.booleans(),
    st.sampled_from(OBJECTIVES),
)
def test_one_unit_gets_the_carton_for_it_without_packing(
    sides: tuple, kg: float, upright: bool, objective: str
) -> None:
    """``carton_for`` names the carton plan_order packs one unit in, or None when it refuses."""
    item = Item("i", *sides, kg, upright=upright)
    plan = plan_order("o", [item], CATALOGUE, objective)
    found = carton_for(item, CATALOGUE, objective_of(objective))
    if found is None:
        assert not plan.cartons and [r.item_id for r in plan.refused] == ["i"]
    else:
        assert [b.carton for b in plan.cartons] == [found] and not plan.refused
