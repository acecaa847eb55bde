"""The extreme-point packer: units placed one by one at the lowest free corner that holds them.

Crainic, Perboli & Tadei (2008), "Extreme point-based heuristics for three-dimensional bin
packing", INFORMS J. Computing 20(3): each placed box adds the corners next to it (beside,
behind, above), each also projected down and back onto the nearest surface, as candidate
positions. A unit goes to the first candidate (lowest, then nearest the back wall) where one
of its allowed rotations fits inside, overlaps nothing, rests on enough support and not on a
fragile item.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from greenlane.packing.model import EPS, Carton, Dims, Item, Placement

Unit = tuple[Item, int]
Point = tuple[float, float, float]


def _flat(d: Dims) -> tuple[float, ...]:
    return (d[2], -d[0] * d[1])


def _long_x(d: Dims) -> tuple[float, ...]:
    return (d[2], -d[0])


def _long_y(d: Dims) -> tuple[float, ...]:
    return (d[2], -d[1])


# Which rotation a unit tries first: lowest, then largest base, or longest along x, or y.
ROTATION_PREFERENCES: tuple[Callable[[Dims], tuple[float, ...]], ...] = (_flat, _long_x, _long_y)


def pack_into(
    carton: Carton,
    units: Sequence[Unit],
    min_support: float = 0.7,
    prefer: Callable[[Dims], tuple[float, ...]] = _flat,
) -> tuple[list[Placement], list[Unit]]:
    """Place ``units`` in this order; the placements, and the units that found no place.

    Parameters
    ----------
    carton
        The carton.
    units
        The units, in the order to place them.
    min_support
        The share of a base that must rest on something.
    prefer
        Ranks candidate extreme points (lowest first).

    Returns
    -------
    tuple of list of Placement and list of Unit
        The placements, and the units left over.

    References
    ----------
    T. G. Crainic, G. Perboli and R. Tadei, "Extreme Point-Based Heuristics for
    Three-Dimensional Bin Packing", INFORMS Journal on Computing 20(3) (2008) 368-384.

    """
    placed: list[Placement] = []
    points: set[Point] = {(0.0, 0.0, 0.0)}
    weight = 0.0
    left: list[Unit] = []
    for item, unit in units:
        spot = None
        if weight + item.weight_kg <= carton.max_weight_kg + 1e-9:
            spot = _first_fit(carton, item, unit, placed, points, min_support, prefer)
        if spot is None:
            left.append((item, unit))
            continue
        placed.append(spot)
        weight += item.weight_kg
        points.discard((spot.x, spot.y, spot.z))
        points |= _new_points(spot, placed)
    return placed, left


def _first_fit(
    carton: Carton,
    item: Item,
    unit: int,
    placed: list[Placement],
    points: set[Point],
    min_support: float,
    prefer: Callable[[Dims], tuple[float, ...]],
) -> Placement | None:
    rotations = sorted(item.orientations(), key=prefer)
    length, width, height = walls(carton)
    for x, y, z in sorted(points, key=lambda p: (p[2], p[1], p[0])):
        for dx, dy, dz in rotations:
            if x + dx > length or y + dy > width or z + dz > height:
                continue  # through a wall
            spot = Placement(item, unit, x, y, z, dx, dy, dz)
            if _may_stand(spot, placed, min_support):
                return spot
    return None


def walls(carton: Carton) -> Dims:
    """How far a box may reach along each axis: the carton's inner sides, give or take EPS.

    The packers' innermost test compares against these, written out rather than called (a
    third of the search's time went to calling a function for it).

    Parameters
    ----------
    carton
        The carton.

    Returns
    -------
    Dims
        Its inner length, width and height, each plus EPS.

    """
    return (carton.length_cm + EPS, carton.width_cm + EPS, carton.height_cm + EPS)


def _may_stand(spot: Placement, placed: list[Placement], min_support: float) -> bool:
    """Free of every placed box, resting well, and (if fragile) bearing nothing."""
    return (
        _free(spot, placed)
        and _rests_well(spot, placed, min_support)
        and _bears_nothing(spot, placed)
    )


def search_into(
    carton: Carton, units: Sequence[Unit], min_support: float = 0.7, budget: int = 2_000
) -> list[Placement] | None:
    """Every unit placed in ``carton``, found by backtracking; None if none is found.

    Where ``pack_into`` takes each unit's first fitting corner and rotation, this tries every
    extreme point with every allowed rotation (on edge and on end included), going back when a
    later unit finds no place, until ``budget`` positions have been tried. Its first attempt
    is ``pack_into``'s, so it finds at least what the greedy packer finds.

    Parameters
    ----------
    carton, units, min_support
        As for :func:`pack_into`.
    budget
        How many positions (corner and rotation that fit inside the carton) to try at most.

    Returns
    -------
    list of Placement or None
        A placement of every unit, or None when none was found within the budget.

    """
    if sum(item.weight_kg for item, _ in units) > carton.max_weight_kg + 1e-9:
        return None
    left = [budget]
    length, width, height = walls(carton)

    def extend(k: int, placed: list[Placement], points: set[Point]) -> bool:
        if k == len(units):
            return True
        item, unit = units[k]
        rotations = sorted(item.orientations(), key=_flat)
        for x, y, z in sorted(points, key=lambda p: (p[2], p[1], p[0])):
            for dx, dy, dz in rotations:
                if x + dx > length or y + dy > width or z + dz > height:
                    continue
                if left[0] <= 0:
                    return False
                left[0] -= 1
                spot = Placement(item, unit, x, y, z, dx, dy, dz)
                if not _may_stand(spot, placed, min_support):
                    continue
                placed.append(spot)
                if extend(k + 1, placed, (points - {(x, y, z)}) | _new_points(spot, placed)):
                    return True
                placed.pop()
        return False

    placed: list[Placement] = []
    return placed if extend(0, placed, {(0.0, 0.0, 0.0)}) else None


def _free(spot: Placement, placed: list[Placement]) -> bool:
    """Whether ``spot`` shares no volume with a placed box (``Placement.overlaps``, inlined)."""
    x, y, z = spot.x, spot.y, spot.z
    x_end, y_end, z_end = x + spot.dx, y + spot.dy, z + spot.dz
    for o in placed:
        if (
            min(x_end, o.x + o.dx) - max(x, o.x) > EPS
            and min(y_end, o.y + o.dy) - max(y, o.y) > EPS
            and min(z_end, o.z + o.dz) - max(z, o.z) > EPS
        ):
            return False
    return True


def _rests_well(spot: Placement, placed: list[Placement], min_support: float) -> bool:
    """On the floor, or on tops at its height covering enough of its base, none fragile."""
    if spot.z <= EPS:
        return True
    below = [p for p in placed if abs(p.top - spot.z) <= EPS and spot.base_overlap(p) > EPS]
    if any(p.item.fragile for p in below):
        return False
    return sum(spot.base_overlap(p) for p in below) >= min_support * spot.dx * spot.dy - EPS


def _bears_nothing(spot: Placement, placed: list[Placement]) -> bool:
    """Whether nothing already placed would rest on ``spot`` if it is fragile.

    Fragile units are placed last, but one may still fit into a gap below an overhang.
    """
    if not spot.item.fragile:
        return True
    return not any(abs(p.z - spot.top) <= EPS and p.base_overlap(spot) > EPS for p in placed)


OTHER_AXES = {0: (1, 2), 1: (0, 2), 2: (0, 1)}


def _new_points(spot: Placement, placed: list[Placement]) -> set[Point]:
    """The corners beside, behind and above ``spot``, each also projected onto surfaces."""
    corners = [
        (spot.x + spot.dx, spot.y, spot.z),
        (spot.x, spot.y + spot.dy, spot.z),
        (spot.x, spot.y, spot.top),
    ]
    boxes = [(p.x, p.y, p.z, p.x + p.dx, p.y + p.dy, p.z + p.dz) for p in placed]
    return set(corners) | {_slide(point, boxes, axis) for point in corners for axis in (2, 0, 1)}


def _slide(point: Point, boxes: Sequence[tuple[float, ...]], axis: int) -> Point:
    """Move the point towards 0 along ``axis`` (down for 2) until it meets a face or a wall.

    ``boxes`` are the placed boxes as (x, y, z, x_end, y_end, z_end). A face counts when the
    point lies within the box's extent on the other two axes.
    """
    a, b = OTHER_AXES[axis]
    reach, pa, pb = point[axis] + EPS, point[a], point[b]
    face = None
    for box in boxes:
        end = box[axis + 3]
        if (
            end <= reach
            and box[a] - EPS <= pa < box[a + 3] - EPS
            and box[b] - EPS <= pb < box[b + 3] - EPS
            and (face is None or end > face)
        ):
            face = end
    moved = list(point)
    moved[axis] = 0.0 if face is None else face
    return (moved[0], moved[1], moved[2])
