"""What a packing plan saves against a baseline policy: board, void, dimensional weight, CO2e.

Baselines (each priced by the same footprint as the plan):
- ``smallest_that_fits`` (the CLI's default): every order in the smallest carton that really
  holds all of it (packed for real, carton types tried from the smallest up), or in as many of
  the largest as it takes: what a packer at the bench does;
- ``default``: every order in one stated carton type, as many as it takes (packed for real;
  an order whose plan is one carton that stands inside it needs no packing: see
  :func:`in_default_carton`);
- ``smallest_by_volume``: the smallest carton whose volume and weight limit hold the order's
  total, ignoring shape (a rule of thumb, and a bound rather than a packing: orders it puts in
  a carton they do not fit make the plan look worse than it is); the largest carton, repeated,
  when none does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from greenlane.factors.materials import BOARD_CO2E_KG_PER_KG
from greenlane.packing.model import Carton, Item
from greenlane.packing.select import Plan, plan_order

Boxes = list[tuple[Carton, float]]  # each carton used and the item volume inside, cm3
Baseline = Callable[[Plan, Sequence[Item]], Boxes]  # an order's plan and packable items


@dataclass(frozen=True, slots=True)
class Footprint:
    """Material and charges of a set of cartons."""

    cartons: int
    board_kg: float
    void_cm3: float
    dim_weight_kg: float
    co2e_board_kg: float

    def __add__(self, other: Footprint) -> Footprint:
        return Footprint(
            self.cartons + other.cartons,
            self.board_kg + other.board_kg,
            self.void_cm3 + other.void_cm3,
            self.dim_weight_kg + other.dim_weight_kg,
            self.co2e_board_kg + other.co2e_board_kg,
        )

    def __sub__(self, other: Footprint) -> Footprint:
        return Footprint(
            self.cartons - other.cartons,
            self.board_kg - other.board_kg,
            self.void_cm3 - other.void_cm3,
            self.dim_weight_kg - other.dim_weight_kg,
            self.co2e_board_kg - other.co2e_board_kg,
        )


def footprint(
    boxes: Iterable[tuple[Carton, float]],
    divisor_cm3_per_kg: float = 5000.0,
    co2e_per_board_kg: float = BOARD_CO2E_KG_PER_KG,
) -> Footprint:
    """Totals over ``(carton, item volume inside in cm3)`` pairs.

    Parameters
    ----------
    boxes
        Each carton used, with the item volume it holds.
    divisor_cm3_per_kg
        The carrier's dimensional-weight divisor.
    co2e_per_board_kg
        kg CO2e per kg of corrugated board.

    Returns
    -------
    Footprint
        Cartons, board kg, void cm3, dimensional weight and board CO2e.

    Notes
    -----
    CO2e of the board = board kg x factor (kg CO2e per kg corrugated); dimensional weight =
    inner volume / divisor; void = inner volume - item volume.

    """
    pairs = list(boxes)
    board = sum(c.board_kg for c, _ in pairs)
    return Footprint(
        cartons=len(pairs),
        board_kg=board,
        void_cm3=sum(c.volume_cm3 - v for c, v in pairs),
        dim_weight_kg=sum(c.dim_weight_kg(divisor_cm3_per_kg) for c, _ in pairs),
        co2e_board_kg=board * co2e_per_board_kg,
    )


def plan_boxes(plans: Iterable[Plan]) -> list[tuple[Carton, float]]:
    """The cartons of these plans with the item volume each holds.

    Parameters
    ----------
    plans
        Packing plans.

    Returns
    -------
    list of tuple of Carton and float
        Each carton used and the item volume inside, cm3.

    """
    return [
        (box.carton, sum(p.dx * p.dy * p.dz for p in box.placements))
        for plan in plans
        for box in plan.cartons
    ]


def default_carton_boxes(
    orders: Sequence[tuple[str, Sequence[Item]]], carton: Carton
) -> list[tuple[Carton, float]]:
    """The baseline that ships every order in ``carton``, as many as it takes.

    Parameters
    ----------
    orders
        (order id, items) of each order.
    carton
        The one carton type used for all.

    Returns
    -------
    list of tuple of Carton and float
        Each carton used and the item volume inside, cm3.

    """
    return plan_boxes(plan_order(order_id, items, [carton]) for order_id, items in orders)


def in_default_carton(plan: Plan, items: Sequence[Item], carton: Carton) -> Boxes:
    """The ``default`` baseline of one order, read off its plan when the plan proves it.

    A plan of a single carton that stands inside ``carton`` (no taller, its floor within
    either way round) holds the same placements there, turned about the vertical at most,
    which every item allows; within the weight limit, the order ships in one ``carton``
    with the same contents, and nothing need be packed. Otherwise the order is packed into
    ``carton`` as :func:`default_carton_boxes` does. The two agree wherever that packing
    finds a way; where its search gives up on an order the plan's carton holds, this is the
    one that is right.

    Parameters
    ----------
    plan
        The order's plan (its single carton, if it has one, is read).
    items
        The order's items that the plan packed.
    carton
        The one carton type of the baseline.

    Returns
    -------
    list of tuple of Carton and float
        Each carton used and the item volume inside, cm3.

    """
    if len(plan.cartons) == 1:
        (box,) = plan.cartons
        if _stands_in(box.carton, carton) and box.contents_kg <= carton.max_weight_kg:
            return [(carton, volume) for _, volume in plan_boxes([plan])]
    return default_carton_boxes([(plan.order_id, items)], carton)


def _stands_in(inner: Carton, outer: Carton) -> bool:
    """Whether ``inner`` fits in ``outer`` upright, turned about the vertical if need be."""
    floors = zip(sorted(inner.dims[:2]), sorted(outer.dims[:2]), strict=True)
    return inner.height_cm <= outer.height_cm and all(a <= b for a, b in floors)


def smallest_that_fits_boxes(
    orders: Sequence[tuple[str, Sequence[Item]]], cartons: Sequence[Carton]
) -> list[tuple[Carton, float]]:
    """The baseline that puts each order in the smallest carton it really packs into.

    Carton types are tried from the smallest volume up; the first whose packing holds every
    unit in one carton is used; an order no single carton holds goes into as many of the
    largest carton as it takes. Callers pass only items some carton can hold.

    Parameters
    ----------
    orders
        (order id, items) of each order.
    cartons
        The catalogue.

    Returns
    -------
    list of tuple of Carton and float
        Each carton used and the item volume inside, cm3.

    """
    by_size = sorted(cartons, key=lambda c: (c.volume_cm3, c.carton_id))
    plans = []
    for order_id, items in orders:
        if not items:
            continue
        volume = sum(i.volume_cm3 * i.quantity for i in items)
        weight = sum(i.weight_kg * i.quantity for i in items)
        for carton in (c for c in by_size if c.volume_cm3 >= volume and c.max_weight_kg >= weight):
            plan = plan_order(order_id, items, [carton])
            if len(plan.cartons) == 1 and not plan.refused:
                break
        else:
            plan = plan_order(order_id, items, [by_size[-1]])
        plans.append(plan)
    return plan_boxes(plans)


def smallest_by_volume_boxes(
    orders: Sequence[tuple[str, Sequence[Item]]], cartons: Sequence[Carton]
) -> list[tuple[Carton, float]]:
    """The baseline that picks by total volume and weight alone (no geometry).

    An order no single carton holds takes as many of one carton as its volume and weight need,
    the carton needing fewest among those that can take its largest and heaviest unit; when no
    carton takes every unit, each unit goes alone in the smallest carton that takes it.
    Callers pass only items some carton can hold (the plan's refused items left out).

    Parameters
    ----------
    orders
        (order id, items) of each order.
    cartons
        The catalogue.

    Returns
    -------
    list of tuple of Carton and float
        Each carton used and the item volume inside, cm3.

    """
    boxes: list[tuple[Carton, float]] = []
    for _, items in orders:
        if not items:
            continue
        volume = sum(i.volume_cm3 * i.quantity for i in items)
        weight = sum(i.weight_kg * i.quantity for i in items)
        holding = [c for c in cartons if c.volume_cm3 >= volume and c.max_weight_kg >= weight]
        if holding:
            boxes.append((min(holding, key=lambda c: c.volume_cm3), volume))
            continue
        boxes += _several(items, cartons, volume, weight)
    return boxes


def _several(
    items: Sequence[Item], cartons: Sequence[Carton], volume: float, weight: float
) -> list[tuple[Carton, float]]:
    biggest = max(i.volume_cm3 for i in items)
    heaviest = max(i.weight_kg for i in items)
    able = [c for c in cartons if c.volume_cm3 >= biggest and c.max_weight_kg >= heaviest]
    if able:  # at most one carton per unit, so the count stays bounded

        def needed(c: Carton) -> int:
            return max(math.ceil(volume / c.volume_cm3), math.ceil(weight / c.max_weight_kg))

        chosen = min(able, key=lambda c: (needed(c), c.volume_cm3))
        count = needed(chosen)
        return [(chosen, volume / count)] * count
    alone = []
    for item in items:
        fits = [
            c
            for c in cartons
            if c.volume_cm3 >= item.volume_cm3 and c.max_weight_kg >= item.weight_kg
        ]
        if fits:
            alone += [(min(fits, key=lambda c: c.volume_cm3), item.volume_cm3)] * item.quantity
    return alone


def assigned_boxes(
    orders: Sequence[tuple[str, Sequence[Item]]],
    assignment: Sequence[tuple[str, str]],
    cartons: Sequence[Carton],
) -> list[tuple[Carton, float]]:
    """The baseline of the operator's current practice: ``(order_id, carton_id)`` per carton used.

    Each order's item volume is shared evenly among its cartons. Orders missing from the
    assignment are left out of both sides by the caller.

    Parameters
    ----------
    orders
        (order id, items) of each order.
    assignment
        (order id, carton id), one pair per carton used today.
    cartons
        The catalogue.

    Returns
    -------
    list of tuple of Carton and float
        Each carton used and the item volume inside, cm3.

    Raises
    ------
    ValueError
        Naming a carton id that is not in the catalogue.

    """
    by_id = {c.carton_id: c for c in cartons}
    volume = {o: sum(i.volume_cm3 * i.quantity for i in items) for o, items in orders}
    used: dict[str, list[Carton]] = {}
    for order_id, carton_id in assignment:
        if carton_id not in by_id:
            raise ValueError(f"carton {carton_id!r} of order {order_id!r} is not in the catalogue")
        used.setdefault(order_id, []).append(by_id[carton_id])
    return [
        (carton, volume[order_id] / len(boxes))
        for order_id, boxes in used.items()
        if order_id in volume
        for carton in boxes
    ]


def against(
    plan: Plan,
    items: Sequence[Item],
    baseline: Baseline,
    divisor_cm3_per_kg: float = 5000.0,
) -> tuple[Footprint, Footprint]:
    """An order's plan and a baseline's boxes for the same order, priced alike.

    Items no carton holds are refused by the plan, so neither side counts them.

    Parameters
    ----------
    plan
        The order's packing plan.
    items
        The order's items.
    baseline
        The boxes the baseline ships the order in, given its plan and its items the plan
        packed.
    divisor_cm3_per_kg
        The carrier's dimensional-weight divisor.

    Returns
    -------
    tuple of Footprint
        The plan's footprint, then the baseline's.

    """
    refused = {r.item_id for r in plan.refused}
    packable = [i for i in items if i.item_id not in refused]
    base = baseline(plan, packable)
    return footprint(plan_boxes([plan]), divisor_cm3_per_kg), footprint(base, divisor_cm3_per_kg)
