"""The planner packs through a callable; greenlane's carton engine is one such packer."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.app.parcel_packing import _pack, carton_packer
from greenlane.packing.model import Carton
from greenlane.parcels.merge import Order
from greenlane.parcels.packer import Packed, fixed_packaging

T0 = datetime(2026, 11, 11, 9, 0)
CARTONS = [
    Carton("S", 20, 15, 10, 10, board_kg=0.10),
    Carton("M", 30, 20, 15, 15, board_kg=0.18),
    Carton("L", 60, 40, 40, 30, board_kg=0.60),
]

sides = st.sampled_from([5.0, 10.0, 14.999999, 15.0, 15.000001, 20.0, 30.0, 40.0, 60.0, 61.0])


def order(n: int, dims: tuple[float, float, float] | None, volume: float = 1000.0) -> Order:
    return Order(
        f"o{n}",
        "m",
        "ann",
        "1 Elm St",
        "BE",
        "standard",
        T0,
        T0 + timedelta(days=9),
        1.0,
        volume,
        dims,
    )


def test_two_orders_packed_together_take_less_board_than_each_alone() -> None:
    """Two 18x14x7 boxes fit one M (0.18 kg) together; alone each takes an S (0.10 kg)."""
    pack = carton_packer(CARTONS)
    a, b = order(1, (18, 14, 7)), order(2, (18, 14, 7))
    together = pack([a, b])
    alone = [pack([a]), pack([b])]
    assert together == Packed(0.18, 30 * 20 * 15)
    assert [p.material_kg for p in alone] == [0.10, 0.10]


def test_an_order_without_sides_is_a_cube_of_its_volume() -> None:
    """1000 cm3 and no sides: a 10 cm cube, which the small carton holds."""
    assert carton_packer(CARTONS)([order(1, None, 1000.0)]) == Packed(0.10, 20 * 15 * 10)


def test_an_order_no_carton_holds_ships_in_its_own_box() -> None:
    """A 90 cm long box: no board, its own volume."""
    packed = carton_packer(CARTONS)([order(1, (90, 10, 10), 9000.0)])
    assert packed.material_kg == 0.0 and packed.volume_cm3 == pytest.approx(9000.0)


def test_fixed_packaging_takes_the_orders_own_volume() -> None:
    """Without cartons: a fixed mass and the orders' summed volume; a negative mass is refused."""
    assert fixed_packaging(0.2)([order(1, None, 500.0), order(2, None, 700.0)]) == Packed(
        0.2, 1200.0
    )
    with pytest.raises(ValueError, match="material_kg"):
        fixed_packaging(-1.0)


@settings(max_examples=150, deadline=None)
@given(st.tuples(sides, sides, sides), st.sampled_from([0.5, 10.0, 14.9, 15.0, 29.0, 31.0]))
def test_an_order_alone_is_packed_as_the_carton_engine_packs_it(box: tuple, kg: float) -> None:
    """The one-box path (no packing) gives what packing the box with plan_order gives."""
    alone = Order("o1", "m", "ann", "1 Elm St", "BE", "standard", T0, T0, kg, 1.0, box)
    general = _pack(((*box, kg),), tuple(CARTONS), "board")
    assert carton_packer(CARTONS)([alone]) == general
