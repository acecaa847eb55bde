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
            if _may_stand(item, (x, y, z), (dx, dy, dz), placed, min_support):
                return Placement(item, unit, x, y, z, dx, dy, dz)
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


def _may_stand(
    item: Item, corner: Point, extent: Dims, placed: list[Placement], min_support: float
) -> bool:
    """Free of every placed box, resting well, and (if fragile) bearing nothing.

    Asked of a corner and an extent before any Placement is made: most positions fail.
    """
    return (
        _free(corner, extent, placed)
        and _rests_well(corner, extent, placed, min_support)
        and (not item.fragile or _bears_nothing(corner, extent, placed))
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
    rotations = [sorted(item.orientations(), key=_flat) for item, _ in units]

    def extend(k: int, placed: list[Placement], points: set[Point]) -> bool:
        if k == len(units):
            return True
        item, unit = units[k]
        for x, y, z in sorted(points, key=lambda p: (p[2], p[1], p[0])):
            for dx, dy, dz in rotations[k]:
                if x + dx > length or y + dy > width or z + dz > height:
                    continue
                if left[0] <= 0:
                    return False
                left[0] -= 1
                if not _may_stand(item, (x, y, z), (dx, dy, dz), placed, min_support):
                    continue
                spot = Placement(item, unit, x, y, z, dx, dy, dz)
                placed.append(spot)
                if extend(k + 1, placed, (points - {(x, y, z)}) | _new_points(spot, placed)):
                    return True
                placed.pop()
        return False

    placed: list[Placement] = []
    return placed if extend(0, placed, {(0.0, 0.0, 0.0)}) else None


def _free(corner: Point, extent: Dims, placed: list[Placement]) -> bool:
    """Whether the box shares no volume with a placed one (``Placement.overlaps``, inlined)."""
    x, y, z = corner
    x_end, y_end, z_end = x + extent[0], y + extent[1], z + extent[2]
    for o in placed:
        if (
            min(x_end, o.x + o.dx) - max(x, o.x) > EPS
            and min(y_end, o.y + o.dy) - max(y, o.y) > EPS
            and min(z_end, o.z + o.dz) - max(z, o.z) > EPS
        ):
            return False
    return True


def _rests_well(corner: Point, extent: Dims, placed: list[Placement], min_support: float) -> bool:
    """On the floor, or on tops at its height covering enough of its base, none fragile."""
    x, y, z = corner
    if z <= EPS:
        return True
    x_end, y_end = x + extent[0], y + extent[1]
    area = 0.0
    for p in placed:
        if abs(p.z + p.dz - z) > EPS:
            continue
        shared = max(0.0, min(x_end, p.x + p.dx) - max(x, p.x)) * max(
            0.0, min(y_end, p.y + p.dy) - max(y, p.y)
        )  # Placement.base_overlap, inlined
        if shared > EPS:
            if p.item.fragile:
                return False
            area += shared
    return area >= min_support * extent[0] * extent[1] - EPS


def _bears_nothing(corner: Point, extent: Dims, placed: list[Placement]) -> bool:
    """Whether nothing already placed would rest on a fragile unit here.

    Fragile units are placed last, but one may still fit into a gap below an overhang.
    """
    x, y, top = corner[0], corner[1], corner[2] + extent[2]
    x_end, y_end = x + extent[0], y + extent[1]
    return not any(
        abs(p.z - top) <= EPS
        and max(0.0, min(x_end, p.x + p.dx) - max(x, p.x))
        * max(0.0, min(y_end, p.y + p.dy) - max(y, p.y))
        > EPS
        for p in placed
    )


def _new_points(spot: Placement, placed: list[Placement]) -> set[Point]:
    """The corners beside, behind and above ``spot``, each also projected onto surfaces.

    Each corner is slid towards 0 along each axis (down, back, left) until it meets a face
    of a placed box or a wall; a face counts when the corner lies within the box's extent on
    the other two axes. The three slides of a corner are made in one pass over the boxes.
    """
    corners = (
        (spot.x + spot.dx, spot.y, spot.z),
        (spot.x, spot.y + spot.dy, spot.z),
        (spot.x, spot.y, spot.top),
    )
    boxes = [(p.x, p.y, p.z, p.x + p.dx, p.y + p.dy, p.z + p.dz) for p in placed]
    points = set(corners)
    for px, py, pz in corners:
        to_x = to_y = to_z = 0.0  # the wall, unless a face is met (every face is beyond 0)
        for x0, y0, z0, x1, y1, z1 in boxes:
            in_x = x0 - EPS <= px < x1 - EPS
            in_y = y0 - EPS <= py < y1 - EPS
            in_z = z0 - EPS <= pz < z1 - EPS
            if in_x and in_y and z1 <= pz + EPS and z1 > to_z:
                to_z = z1
            if in_y and in_z and x1 <= px + EPS and x1 > to_x:
                to_x = x1
            if in_x and in_z and y1 <= py + EPS and y1 > to_y:
                to_y = y1
        points.update(((px, py, to_z), (to_x, py, pz), (px, to_y, pz)))
    return points
