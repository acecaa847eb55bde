"""Carton selection: the cartons for an order, and every unit's place, by a stated objective.

Objectives (per carton, summed over the order's cartons): ``board`` kg of corrugated (the
default), ``cost``, or ``dim_weight``: the chargeable weight, the larger of the contents'
weight and the carton's volume over a divisor (5000 or 6000 cm3/kg are common).

An order is split first into what may not travel together (an own-box item alone; classes
that exclude each other apart). Each group goes in the single carton of least objective that
the packer fills with all of it; when none holds it all, cartons are filled one at a time
(the one that takes the most volume first), each then swapped for the cheapest that holds
exactly its contents.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from greenlane.errors import FieldError
from greenlane.packing.model import EPS, Carton, Item, Placement
from greenlane.packing.place import ROTATION_PREFERENCES, Unit, pack_into, search_into, walls

OBJECTIVES = ("board", "cost", "dim_weight")
SEARCH_BUDGET = 2_000  # positions the backtracking search tries per carton
PLANS_REMEMBERED = 1 << 17  # plans kept for repeat orders (1.2 KB each: 160 MB when full)


@dataclass(frozen=True, slots=True)
class PackedCarton:
    """One carton of a plan with its contents."""

    carton: Carton
    placements: tuple[Placement, ...]

    @property
    def contents_kg(self) -> float:
        """Weight of what it holds."""
        return sum(p.item.weight_kg for p in self.placements)

    @property
    def fill_rate(self) -> float:
        """Item volume over the carton's inner volume."""
        return sum(p.dx * p.dy * p.dz for p in self.placements) / self.carton.volume_cm3


@dataclass(frozen=True, slots=True)
class Refused:
    """An item the engine will not pack, and why."""

    item_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The cartons of one order, and the items refused."""

    order_id: str
    cartons: tuple[PackedCarton, ...]
    refused: tuple[Refused, ...] = ()


def objective_of(name: str, divisor_cm3_per_kg: float = 5000.0) -> Callable[[Carton, float], float]:
    """The cost of one carton holding ``contents_kg``, for the named objective.

    Parameters
    ----------
    name
        ``board``, ``volume``, ``cost`` or ``dim_weight``.
    divisor_cm3_per_kg
        The carrier's dimensional-weight divisor.

    Returns
    -------
    callable
        (carton, contents kg) to its cost under the objective.

    """
    if name == "board":
        return lambda carton, _: carton.board_kg
    if name == "cost":
        return lambda carton, _: carton.cost
    if name == "dim_weight":
        if not divisor_cm3_per_kg > 0:
            raise FieldError("divisor", f"must be > 0 cm3/kg, got {divisor_cm3_per_kg!r}")
        return lambda carton, kg: max(kg, carton.dim_weight_kg(divisor_cm3_per_kg))
    raise FieldError("objective", f"must be one of {OBJECTIVES}, got {name!r}")


def plan_order(
    order_id: str,
    items: Sequence[Item],
    cartons: Sequence[Carton],
    objective: str = "board",
    divisor_cm3_per_kg: float = 5000.0,
) -> Plan:
    """The cartons for one order and every unit's placement, least objective first.

    Items that no carton can hold (too large in every rotation, or too heavy) are refused with
    the reason; the rest of the order is still packed.

    Parameters
    ----------
    order_id
        The order.
    items
        Its items (quantities, orientation, fragility, classes).
    cartons
        The catalogue.
    objective
        What to minimise: ``board``, ``volume``, ``cost`` or ``dim_weight``.
    divisor_cm3_per_kg
        The carrier's dimensional-weight divisor.

    Returns
    -------
    Plan
        The cartons with their placements, and the refused items.

    References
    ----------
    T. G. Crainic, G. Perboli and R. Tadei, "Extreme Point-Based Heuristics for
    Three-Dimensional Bin Packing", INFORMS Journal on Computing 20(3) (2008) 368-384.

    """
    if not cartons:
        raise ValueError("the carton catalogue is empty")
    plan = _plan(tuple(items), tuple(cartons), objective, divisor_cm3_per_kg)
    return replace(plan, order_id=order_id)


@functools.lru_cache(maxsize=PLANS_REMEMBERED)
def _plan(
    items: tuple[Item, ...], cartons: tuple[Carton, ...], objective: str, divisor: float
) -> Plan:
    """The plan of :func:`plan_order`, without the order's id.

    Remembered: orders repeat the same products in the same quantities (a day of 100,000
    generated orders holds some 60,000 different ones, and fewer the larger the day), and the
    same items always get the same plan.
    """
    cost = objective_of(objective, divisor)
    refused = [r for item in items if (r := _refusal(item, cartons)) is not None]
    packable = [i for i in items if i.item_id not in {r.item_id for r in refused}]
    units = [(i, n) for i in packable for n in range(1, i.quantity + 1)]
    boxes = [box for group in _groups(units) for box in _pack_group(group, cartons, cost)]
    return Plan("", tuple(boxes), tuple(refused))


def _refusal(item: Item, cartons: Sequence[Carton]) -> Refused | None:
    fitting = [c for c in cartons if _fits(item, c)]
    if not fitting:
        return Refused(item.item_id, f"larger than every carton ({item.dims} cm)")
    if not any(item.weight_kg <= c.max_weight_kg for c in fitting):
        return Refused(item.item_id, f"{item.weight_kg:g} kg is over every carton's limit")
    return None


def _fits(item: Item, carton: Carton) -> bool:
    length, width, height = walls(carton)
    for a, b, c in item.orientations():  # noqa: SIM110 (a loop: asked a great many times)
        if a <= length and b <= width and c <= height:
            return True
    return False


def _groups(units: list[Unit]) -> list[list[Unit]]:
    """Own-box units alone; the others in the first group holding no class they exclude."""
    groups: list[list[Unit]] = []
    shared: list[list[Unit]] = []
    for unit in units:
        if unit[0].own_box:
            groups.append([unit])
            continue
        home = next((g for g in shared if not any(unit[0].conflicts_with(o[0]) for o in g)), None)
        if home is None:
            shared.append(home := [])
        home.append(unit)
    return groups + shared


def _order(units: list[Unit]) -> list[Unit]:
    """Packing order: fragile items last (so nothing lands on them), larger units first."""
    return sorted(units, key=lambda u: (u[0].fragile, -u[0].volume_cm3, u[0].item_id, u[1]))


def _pack_group(
    units: list[Unit], cartons: Sequence[Carton], cost: Callable[[Carton, float], float]
) -> list[PackedCarton]:
    single = _cheapest_holding(units, cartons, cost)
    if single is not None:
        return [single]
    boxes = []
    remaining = _order(units)
    while remaining:
        attempts = [(c, pack_into(c, remaining)[0]) for c in cartons]
        carton, placed = max(attempts, key=lambda a: sum(p.dx * p.dy * p.dz for p in a[1]))
        taken = {(p.item.item_id, p.unit) for p in placed}
        contents = [u for u in remaining if (u[0].item_id, u[1]) in taken]
        as_filled = PackedCarton(carton, tuple(placed))
        weight = as_filled.contents_kg
        smaller = _cheapest_holding(contents, cartons, cost)  # the same units, repacked
        better = smaller is not None and cost(smaller.carton, weight) < cost(carton, weight)
        boxes.append(smaller if better and smaller is not None else as_filled)
        remaining = [u for u in remaining if (u[0].item_id, u[1]) not in taken]
    return boxes


def _cheapest_holding(
    units: list[Unit], cartons: Sequence[Carton], cost: Callable[[Carton, float], float]
) -> PackedCarton | None:
    """The carton of least objective in which every one of ``units`` is placed.

    Cartons are tried cheapest first; in each, the greedy packer with each rotation preference,
    then a backtracking search over every corner and rotation (``SEARCH_BUDGET`` positions),
    with the units largest first and then smallest first, so a cheaper carton is missed only
    when no packing is found in that budget (never for two units: the search is exhaustive).
    """
    ordered = tuple(_order(units))
    for carton in _candidates(units, cartons, cost):
        packed = _holding(carton, ordered)
        if packed is not None:
            return packed
    return None


def _candidates(
    units: Sequence[Unit], cartons: Sequence[Carton], cost: Callable[[Carton, float], float]
) -> list[Carton]:
    """The cartons that may hold ``units``, least objective first.

    Large and strong enough by volume and weight, and each unit fitting by its sides.
    """
    volume = sum(u[0].volume_cm3 for u in units)
    weight = sum(u[0].weight_kg for u in units)
    kinds = {u[0] for u in units}
    candidates = [
        c
        for c in cartons
        if c.volume_cm3 >= volume - EPS
        and c.max_weight_kg >= weight
        and all(_fits(item, c) for item in kinds)
    ]
    return sorted(candidates, key=lambda c: (cost(c, weight), c.volume_cm3, c.carton_id))


def carton_for(
    item: Item, cartons: Sequence[Carton], cost: Callable[[Carton, float], float]
) -> Carton | None:
    """The carton :func:`plan_order` gives one unit of ``item`` alone, found without packing.

    One unit stands in the corner of any carton it fits (turned as it may be) and is light
    enough for, so the first candidate always holds it; None when there is none, and then
    ``plan_order`` refuses the unit or splits hairs at the walls' tolerance.

    Parameters
    ----------
    item
        The item (its quantity is not read: one unit).
    cartons
        The catalogue.
    cost
        The objective, from :func:`objective_of`.

    Returns
    -------
    Carton or None
        The carton of least objective holding the unit.

    """
    candidates = _candidates([(item, 1)], cartons, cost)
    return candidates[0] if candidates else None


@functools.lru_cache(maxsize=256)
def _holding(carton: Carton, ordered: tuple[Unit, ...]) -> PackedCarton | None:
    """Every unit placed in this carton, or None: greedy with each preference, then search.

    Remembered: an order's baseline (its items in the standard carton) asks again what its
    plan asked of that carton, and a failed search is the costliest answer there is.
    """
    if not _pairs_fit(carton, ordered):
        return None  # what both packers would find, the search only after its whole budget
    for prefer in ROTATION_PREFERENCES:  # a carton the first try misses may take a second
        placements, left = pack_into(carton, ordered, prefer=prefer)
        if not left:
            return PackedCarton(carton, tuple(placements))
    for sequence in (ordered, ordered[::-1]):  # either unit of a pair may need the corner
        found = search_into(carton, sequence, budget=SEARCH_BUDGET)
        if found is not None:
            return PackedCarton(carton, tuple(found))
    return None


def _pairs_fit(carton: Carton, units: tuple[Unit, ...]) -> bool:
    """Whether every two of ``units`` fit in the carton side by side along some axis.

    A necessary condition for any packing (each unit turned as it may be, with the EPS of
    give the packers allow at a wall and between two boxes); cheap beside a search that
    fails, and on a generated day it rules out three in four of the searches that did.
    """
    sides = walls(carton)
    counts = Counter(item for item, _ in units)
    turns = {
        item: [o for o in item.orientations() if all(map(operator.le, o, sides))] for item in counts
    }
    kinds = list(counts)
    for n, first in enumerate(kinds):
        for second in kinds[n if counts[first] > 1 else n + 1 :]:
            if not any(
                a[axis] + b[axis] <= sides[axis] + EPS
                for a in turns[first]
                for b in turns[second]
                for axis in range(3)
            ):
                return False
    return True


def plan_record(plan: Plan) -> dict[str, Any]:
    """The plan as plain data (for JSON): cartons with their placements, refused items.

    Parameters
    ----------
    plan
        A packing plan.

    Returns
    -------
    dict
        The plan, JSON-ready.

    """
    return {
        "order_id": plan.order_id,
        "cartons": [
            {
                "carton_id": box.carton.carton_id,
                "length_cm": box.carton.length_cm,
                "width_cm": box.carton.width_cm,
                "height_cm": box.carton.height_cm,
                "fill_rate": round(box.fill_rate, 4),
                "contents_kg": round(box.contents_kg, 3),
                "placements": [
                    {"item_id": p.item.item_id, "unit": p.unit}
                    | {k: getattr(p, k) for k in ("x", "y", "z", "dx", "dy", "dz")}
                    for p in box.placements
                ],
            }
            for box in plan.cartons
        ],
        "refused": [{"item_id": r.item_id, "reason": r.reason} for r in plan.refused],
    }
