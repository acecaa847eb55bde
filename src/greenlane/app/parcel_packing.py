"""greenlane's carton engine as the parcel planner's packer (the one place the two meet).

Each order is one box (its length, width and height, or a cube of its volume when the file
gives no sides); the orders of a parcel are packed together into the catalogue's cartons of
least board (an order alone in the carton its box fits, without packing it). An order no
carton holds ships in its own box: no new board, its own volume.
Packings are remembered by the boxes' sizes and weights, since a day repeats the same products.
"""

from __future__ import annotations

from collections.abc import Sequence

from greenlane.packing.model import Carton, Item
from greenlane.packing.select import carton_for, objective_of, plan_order
from greenlane.parcels.merge import Order
from greenlane.parcels.packer import Packed, Packer


def carton_packer(cartons: Sequence[Carton], objective: str = "board") -> Packer:
    """A :data:`~greenlane.parcels.packer.Packer` that packs orders into ``cartons``."""
    if not cartons:
        raise ValueError("the carton catalogue is empty")
    catalogue, cost = tuple(cartons), objective_of(objective)
    known: dict[tuple[tuple[float, float, float, float], ...], Packed] = {}

    def pack(orders: Sequence[Order]) -> Packed:
        key = tuple(sorted((*_sides(o), o.weight_kg) for o in orders))
        if key not in known:
            alone = carton_for(Item("o0", *key[0]), catalogue, cost) if len(key) == 1 else None
            known[key] = (
                Packed(alone.board_kg, alone.volume_cm3)
                if alone is not None
                else _pack(key, catalogue, objective)
            )
        return known[key]

    return pack


def _sides(order: Order) -> tuple[float, float, float]:
    if order.dims_cm is not None:
        return order.dims_cm
    side = order.volume_cm3 ** (1 / 3)
    return (side, side, side)


def _pack(
    boxes: tuple[tuple[float, float, float, float], ...],
    cartons: tuple[Carton, ...],
    objective: str,
) -> Packed:
    items = [Item(f"o{n}", *box) for n, box in enumerate(boxes)]
    plan = plan_order("parcel", items, cartons, objective)
    refused = {r.item_id for r in plan.refused}
    own = sum(i.length_cm * i.width_cm * i.height_cm for i in items if i.item_id in refused)
    return Packed(
        material_kg=sum(c.carton.board_kg for c in plan.cartons),
        volume_cm3=sum(c.carton.volume_cm3 for c in plan.cartons) + own,
    )
