"""Free-size box design (Hu et al. 2017): the box of least surface area that packs an order.

Cross-border parcels are often wrapped in flexible material cut to size, so the cost is the
wrapped box's surface area, not a catalogue carton. Items are placed one at a time at extreme
points of an open space; each placement picks the point and rotation that keep the bounding
box's surface smallest.

- :func:`lsah` is the paper's heuristic baseline, re-implemented from its description: the
  item of largest surface area first, then each step the item whose best placement wastes
  least space (bounding volume minus item volume), placed by least surface area.
- :func:`design_box` searches instead: each sequence (several sorted orders, then seeded
  swap moves on the best) is placed by a small beam search over partial packings, and the
  least-area result wins (LSAH's own result included, so it is never worse).

References
----------
Hu, H., Zhang, X., Yan, X., Wang, L., Xu, Y. (2017). Solving a new 3D bin packing problem
with deep reinforcement learning method. arXiv:1708.05930.

"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from greenlane.packing.model import Dims, Item, Placement

Box = tuple[float, float, float, float, float, float]  # x, y, z, dx, dy, dz
BEAM = 4  # partial packings kept per step by the sequence search


@dataclass(frozen=True, slots=True)
class Design:
    """A box size and where each unit goes in it."""

    length_cm: float
    width_cm: float
    height_cm: float
    placements: tuple[Placement, ...]

    @property
    def surface_cm2(self) -> float:
        """The box's outer surface, 2(LW + LH + WH)."""
        a, b, c = self.length_cm, self.width_cm, self.height_cm
        return 2 * (a * b + a * c + b * c)


def lsah(items: Sequence[Item]) -> Design:
    """Hu et al.'s heuristic: largest surface first, then least waste, placed by least area.

    Parameters
    ----------
    items
        The items to box.

    Returns
    -------
    Design
        The box's sides and the placements.

    References
    ----------
    H. Hu, X. Zhang, X. Yan, L. Wang and Y. Xu, "Solving a New 3D Bin Packing Problem with
    Deep Reinforcement Learning Method", arXiv:1708.05930 (2017) (LSAH).

    """
    units = _units(items)
    first = max(units, key=lambda u: _surface(u[0].dims))
    placed = [_box_at((0.0, 0.0, 0.0), _flattest(first[0]))]
    order = [first]
    remaining = [u for u in units if u is not first]
    while remaining:
        scored = [(u, *_best_spot(placed, u[0])) for u in remaining]
        unit, box, _ = min(scored, key=lambda s: (_waste(placed, s[1]), -s[0][0].volume_cm3))
        placed.append(box)
        order.append(unit)
        remaining = [u for u in remaining if u is not unit]
    return _design(order, placed)


def design_box(items: Sequence[Item], iterations: int = 30, seed: int = 0) -> Design:
    """The least-area box found over sorted sequences, LSAH's, and seeded swap moves.

    Parameters
    ----------
    items
        The items to box.
    iterations
        Swap moves tried.
    seed
        Seed of the moves.

    Returns
    -------
    Design
        The box of least surface area found, with the placements.

    References
    ----------
    H. Hu, X. Zhang, X. Yan, L. Wang and Y. Xu, "Solving a New 3D Bin Packing Problem with
    Deep Reinforcement Learning Method", arXiv:1708.05930 (2017) (LSAH).

    """
    units = _units(items)
    starts = [
        sorted(units, key=lambda u: -u[0].volume_cm3),
        sorted(units, key=lambda u: -max(u[0].dims)),
        sorted(units, key=lambda u: -_surface(u[0].dims)),
    ]
    best = min((_greedy(s) for s in starts), key=lambda d: d.surface_cm2)
    baseline = lsah(items)
    if baseline.surface_cm2 < best.surface_cm2:
        best = baseline
    rng = random.Random(seed)
    sequence = [(p.item, p.unit) for p in best.placements]
    for _ in range(iterations if len(sequence) > 1 else 0):
        i, j = rng.sample(range(len(sequence)), 2)
        trial = sequence.copy()
        trial[i], trial[j] = trial[j], trial[i]
        candidate = _greedy(trial)
        if candidate.surface_cm2 < best.surface_cm2 - 1e-9:
            best, sequence = candidate, trial
    return best


def _units(items: Sequence[Item]) -> list[tuple[Item, int]]:
    return [(i, n) for i in items for n in range(1, i.quantity + 1)]


def _greedy(sequence: Sequence[tuple[Item, int]], width: int = BEAM) -> Design:
    """Place units in this order, keeping the ``width`` partial packings of least surface.

    Each partial packing grows by every free extreme point and rotation of the next unit; a
    beam of a few packings escapes the one-step greed that lines up eight cubes in a row.
    """
    states: list[list[Box]] = [[]]
    for item, _ in sequence:
        grown = []
        for placed in states:
            for box in _spots(placed, item):
                bound = _bounds([*placed, box])
                grown.append((_surface(bound), bound[0] * bound[1] * bound[2], [*placed, box]))
        grown.sort(key=lambda g: (g[0], g[1]))
        states, seen = [], set()
        for area, volume, placed in grown:
            if (area, volume) not in seen:  # the same outline twice adds nothing to the beam
                seen.add((area, volume))
                states.append(placed)
            if len(states) == width:
                break
    return _design(list(sequence), states[0])


def _spots(placed: list[Box], item: Item) -> list[Box]:
    """Every free position of ``item`` at an extreme point of ``placed``, each rotation."""
    points = _points(placed) or {(0.0, 0.0, 0.0)}
    boxes = [_box_at(point, dims) for point in points for dims in item.orientations()]
    return [box for box in boxes if not any(_overlap(box, other) for other in placed)]


def _best_spot(placed: list[Box], item: Item) -> tuple[Box, float]:
    """The free spot of least bounding surface (ties: least volume, then the first found)."""
    bound = _bounds(placed)

    def outline(box: Box) -> tuple[float, float]:
        grown = [max(bound[k], box[k] + box[k + 3]) for k in range(3)]
        return _surface(grown), grown[0] * grown[1] * grown[2]

    best = min(_spots(placed, item), key=outline)  # a point past every box is always free
    return best, outline(best)[0]


def _points(placed: list[Box]) -> set[tuple[float, float, float]]:
    points = set()
    for x, y, z, dx, dy, dz in placed:
        points |= {(x + dx, y, z), (x, y + dy, z), (x, y, z + dz)}
    return points


def _box_at(point: tuple[float, float, float], dims: Dims) -> Box:
    return (*point, *dims)


def _overlap(a: Box, b: Box) -> bool:
    return all(min(a[k] + a[k + 3], b[k] + b[k + 3]) - max(a[k], b[k]) > 1e-9 for k in range(3))


def _bounds(placed: list[Box]) -> tuple[float, float, float]:
    return (
        max((b[0] + b[3] for b in placed), default=0.0),
        max((b[1] + b[4] for b in placed), default=0.0),
        max((b[2] + b[5] for b in placed), default=0.0),
    )


def _surface(dims: Sequence[float]) -> float:
    a, b, c = dims
    return 2 * (a * b + a * c + b * c)


def _waste(placed: list[Box], box: Box) -> float:
    """Bounding volume minus item volume, were ``box`` added."""
    boxes = [*placed, box]
    a, b, c = _bounds(boxes)
    return a * b * c - sum(x[3] * x[4] * x[5] for x in boxes)


def _flattest(item: Item) -> Dims:
    return min(item.orientations(), key=lambda d: (d[2], -d[0]))


def _design(sequence: Sequence[tuple[Item, int]], placed: list[Box]) -> Design:
    length, width, height = _bounds(placed)
    placements = tuple(
        Placement(item, unit, *box) for (item, unit), box in zip(sequence, placed, strict=True)
    )
    return Design(length, width, height, placements)
