"""An independent check of a packed carton: every rule, from the coordinates alone.

It shares no geometry code with the packer (its own interval arithmetic), so a packer bug
cannot hide behind the same bug here. Tests and benchmarks run it on every packing returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from greenlane.packing.model import Carton, Placement

TOLERANCE_CM = 1e-6
MIN_SUPPORT = 0.7  # share of an item's base that must rest on the floor or on items below


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule: which, the units involved, and why."""

    rule: str
    units: tuple[str, ...]
    reason: str


def check(
    carton: Carton, placements: Sequence[Placement], min_support: float = MIN_SUPPORT
) -> list[Violation]:
    """Every violation in ``placements`` inside ``carton``; empty when the packing is valid.

    Rules: inside the carton; extents a permitted rotation of the item; no shared volume;
    total weight within the limit; nothing resting on a fragile item; each base supported on
    at least ``min_support`` of its area; an own-box item alone; no excluded classes together.

    Parameters
    ----------
    carton
        The container.
    placements
        Where each unit is, with its extents.
    min_support
        The share of a base that must rest on the floor or on other units.

    Returns
    -------
    list of Violation
        Each broken rule with the units involved.

    """
    found = [v for p in placements for v in _alone_checks(carton, p)]
    found += [v for a, b in combinations(placements, 2) for v in _pair_checks(a, b)]
    found += _weight(carton, placements) + _support(placements, min_support)
    return found


def _alone_checks(carton: Carton, p: Placement) -> list[Violation]:
    found = []
    for corner, extent, limit, axis in zip(
        (p.x, p.y, p.z), (p.dx, p.dy, p.dz), carton.dims, "xyz", strict=True
    ):
        if corner < -TOLERANCE_CM or corner + extent > limit + TOLERANCE_CM:
            reason = f"{axis} from {corner:g} to {corner + extent:g} leaves 0..{limit:g}"
            found.append(Violation("inside", (p.label,), reason))
    extents = (p.dx, p.dy, p.dz)
    if not any(_same(extents, allowed) for allowed in _rotations(p)):
        rule = "upright" if p.item.verticals != "lwh" else "orientation"
        found.append(Violation(rule, (p.label,), f"extent {extents} is not allowed"))
    return found


def _rotations(p: Placement) -> list[tuple[float, float, float]]:
    """The six axis orders of the item's sides, kept when the vertical one may stand."""
    length, width, height = p.item.dims
    allowed = "h" if p.item.upright else p.item.vertical_sides
    every = [
        ((length, width, height), "h"),
        ((width, length, height), "h"),
        ((length, height, width), "w"),
        ((height, length, width), "w"),
        ((width, height, length), "l"),
        ((height, width, length), "l"),
    ]
    return [extent for extent, vertical in every if vertical in allowed]


def _same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(abs(u - v) <= TOLERANCE_CM for u, v in zip(a, b, strict=True))


def _shared(a0: float, da: float, b0: float, db: float) -> float:
    return min(a0 + da, b0 + db) - max(a0, b0)


def _pair_checks(a: Placement, b: Placement) -> list[Violation]:
    found = []
    units = (a.label, b.label)
    spans = [
        _shared(a.x, a.dx, b.x, b.dx),
        _shared(a.y, a.dy, b.y, b.dy),
        _shared(a.z, a.dz, b.z, b.dz),
    ]
    if all(s > TOLERANCE_CM for s in spans):
        found.append(Violation("overlap", units, f"they share {spans} cm"))
    if a.item.own_box or b.item.own_box:
        found.append(Violation("own_box", units, "an own-box item shares its carton"))
    if a.item.conflicts_with(b.item):
        reason = f"classes {a.item.item_class!r} and {b.item.item_class!r} may not share"
        found.append(Violation("excludes", units, reason))
    for low, high in ((a, b), (b, a)):
        touching = abs(high.z - (low.z + low.dz)) <= TOLERANCE_CM
        if low.item.fragile and touching and spans[0] > TOLERANCE_CM and spans[1] > TOLERANCE_CM:
            found.append(Violation("fragile", (high.label, low.label), "rests on a fragile item"))
    return found


def _weight(carton: Carton, placements: Sequence[Placement]) -> list[Violation]:
    total = sum(p.item.weight_kg for p in placements)
    if total > carton.max_weight_kg + 1e-9:
        reason = f"{total:g} kg over the limit of {carton.max_weight_kg:g} kg"
        return [Violation("weight", tuple(p.label for p in placements), reason)]
    return []


def _support(placements: Sequence[Placement], min_support: float) -> list[Violation]:
    found = []
    for p in placements:
        if p.z <= TOLERANCE_CM:
            continue  # on the carton's floor
        below = [q for q in placements if q is not p and abs(q.z + q.dz - p.z) <= TOLERANCE_CM]
        area = sum(
            max(0.0, _shared(p.x, p.dx, q.x, q.dx)) * max(0.0, _shared(p.y, p.dy, q.y, q.dy))
            for q in below
        )
        share = area / (p.dx * p.dy)
        if share < min_support - 1e-9:
            reason = f"{share:.0%} of its base is supported, {min_support:.0%} required"
            found.append(Violation("support", (p.label,), reason))
    return found
