"""Container loading: as much box volume as fits in one container (Bischoff & Ratcliff's problem).

Block building with guillotine residual spaces, after Eley (2002) and Fanslau & Bortfeldt
(2010) without their tree search: the free space is a stack of cuboids, starting with the
container. The space nearest the back wall is filled at its corner by a block (a grid of
boxes of one type and rotation, every grid that fits and that the stock allows) and split into
what remains beside, behind and above the block. Every block stands on the floor of its
space, the container floor or the whole top of an earlier block, so each box is fully
supported. Greedy runs rank blocks four ways in turn (volume; volume weighted as a wall, as a
layer; volume less the slivers it leaves), with seeded noise from the fifth run on.

Then pilot searches, after Fanslau & Bortfeldt's: at each space, the ``width`` best blocks by
each ranking, each with either cut of the space, are placed in turn and the loading completed
greedily; the block and cut whose completion loads the most are kept, and the search moves to
the next space. One pilot search per ranking of the completion, first 2 blocks wide, then
wider while the effort allows; the fullest loading of all runs is kept. Effort is counted in
blocks considered, not seconds, so a loading does not depend on the machine.

References
----------
Eley, M. (2002). Solving container loading problems by block arrangement. EJOR 141(2).
Fanslau, T., Bortfeldt, A. (2010). A tree search algorithm for solving the container loading
problem. INFORMS J. Computing 22(2).

"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from greenlane.packing.model import Carton, Dims, Item, Placement

Space = tuple[float, float, float, float, float, float]  # corner x, y, z and size
EFFORT = 1_000_000  # blocks considered per loading: BR7's widest instances take about 5 s here
MAX_WIDTH = 12  # wider shortlists repeat the same blocks on the BR instances


@dataclass(frozen=True, slots=True)
class Block:
    """A grid of ``nx x ny x nz`` boxes of one item type in one rotation."""

    item: Item
    rotation: Dims
    nx: int
    ny: int
    nz: int

    @property
    def size(self) -> Dims:
        """The block's extent."""
        a, b, c = self.rotation
        return (a * self.nx, b * self.ny, c * self.nz)

    @property
    def count(self) -> int:
        """Boxes in the block."""
        return self.nx * self.ny * self.nz


def load_container(
    container: Carton,
    items: Sequence[Item],
    runs: int = 40,
    seed: int = 0,
    effort: int = EFFORT,
) -> list[Placement]:
    """The fullest of ``runs`` greedy block loadings and pilot searches of growing width.

    Parameters
    ----------
    container
        The container (inner sides and weight limit).
    items
        The items to load (their quantities, orientation flags and support rules).
    runs
        Greedy loadings tried: four rankings without noise first, then with seeded noise.
    seed
        Seed of the noise.
    effort
        Blocks the searches may consider in all (0: greedy runs only). The pilot searches 2
        blocks wide always run; a wider round runs while its expected cost (the last round's,
        scaled by width) stays within the effort.

    Returns
    -------
    list of Placement
        The placements of the fullest loading.

    References
    ----------
    M. Eley, "Solving container loading problems by block arrangement", EJOR 141(2) (2002)
    393-409; T. Fanslau and A. Bortfeldt, "A tree search algorithm for solving the container
    loading problem", INFORMS Journal on Computing 22(2) (2010) 222-235.

    """
    rng = random.Random(seed)
    tally = [0]  # blocks considered so far, by every run
    loads = []
    for run in range(runs):
        noise = 0.0 if run < len(RANKS) else rng.uniform(0.0, 0.3)
        start = _Load.empty(container, items, tally)
        loads.append(_greedy(start, RANKS[run % len(RANKS)], rng, noise))
    width = 2
    while effort > 0 and width <= MAX_WIDTH:
        before = tally[0]
        loads += [_pilot(_Load.empty(container, items, tally), width, r) for r in RANKS]
        expected = (tally[0] - before) * (width + 1) / width
        width += 1
        if tally[0] + expected > effort:
            break
    return max(loads, key=lambda load: load.volume).placements()


class _Load:
    """A loading under way: stock left, free spaces, blocks placed, weight and volume."""

    __slots__ = ("chosen", "container", "items", "left", "spaces", "tally", "volume", "weight")

    def __init__(
        self,
        container: Carton,
        items: Sequence[Item],
        left: dict[str, int],
        spaces: list[Space],
        chosen: list[tuple[Block, Space, int]],
        weight: float,
        volume: float,
        tally: list[int],
    ) -> None:
        self.container, self.items, self.left, self.spaces = container, items, left, spaces
        self.chosen, self.weight, self.volume, self.tally = chosen, weight, volume, tally

    @classmethod
    def empty(cls, container: Carton, items: Sequence[Item], tally: list[int]) -> _Load:
        """The empty container with all the stock; ``tally`` counts the blocks considered."""
        left = {item.item_id: item.quantity for item in items}
        space = (0.0, 0.0, 0.0, *container.dims)
        return cls(container, items, left, [space], [], 0.0, 0.0, tally)

    def copy(self) -> _Load:
        """An independent copy to try a placement on (the tally stays shared)."""
        return _Load(self.container, self.items, dict(self.left), list(self.spaces),
                     list(self.chosen), self.weight, self.volume, self.tally)  # fmt: skip

    def next_space(self) -> Space:
        """Take the space nearest the back wall, then the lowest."""
        spaces = self.spaces
        return spaces.pop(min(range(len(spaces)), key=lambda i: (spaces[i][0], spaces[i][2])))

    def options(self, space: Space) -> list[Block]:
        """The blocks that fit the space within stock and the weight limit."""
        limit = self.container.max_weight_kg
        blocks = _blocks(space, self.items, self.left)
        self.tally[0] += len(blocks)
        return [b for b in blocks if self.weight + b.count * b.item.weight_kg <= limit]

    def place(self, block: Block, space: Space, flip: bool = False) -> None:
        """Put the block at the space's corner and keep what remains of the space."""
        first_unit = block.item.quantity - self.left[block.item.item_id] + 1
        self.chosen.append((block, space, first_unit))
        self.left[block.item.item_id] -= block.count
        self.weight += block.count * block.item.weight_kg
        self.volume += _volume(block.size)
        self.spaces += _residues(space, block.size, flip)

    def placements(self) -> list[Placement]:
        """Every box placed."""
        return [p for block, space, first in self.chosen for p in _boxes(block, space, first)]


def _by_volume(block: Block, room: Dims) -> float:
    return _volume(block.size)


def _as_wall(block: Block, room: Dims) -> float:
    """Volume, weighted by how much of the space's width and height the block spans."""
    _, b, c = block.size
    return _volume(block.size) * (b / room[1]) * (c / room[2])


def _as_layer(block: Block, room: Dims) -> float:
    """Volume, weighted by how much of the space's floor the block covers."""
    a, b, _ = block.size
    return _volume(block.size) * (a / room[0]) * (b / room[1])


def _snug(block: Block, room: Dims) -> float:
    """Volume, less the slivers it leaves: gaps thinner than its boxes' smallest side."""
    a, b, c = block.size
    thin = min(block.rotation)
    gx, gy, gz = (r - d if r - d < thin else 0.0 for r, d in zip(room, (a, b, c), strict=True))
    return _volume(block.size) - gx * room[1] * room[2] - gy * a * room[2] - gz * a * b


RANKS = (_by_volume, _as_wall, _as_layer, _snug)


def _greedy(
    load: _Load,
    rank: Callable[[Block, Dims], float],
    rng: random.Random | None = None,
    noise: float = 0.0,
) -> _Load:
    """Fill every space with its best block by ``rank`` (times noise), until none is left."""
    while load.spaces:
        space = load.next_space()
        blocks = load.options(space)
        if not blocks:
            continue  # nothing fits: the space stays empty
        room = space[3:]
        if rng is None:
            block, flip = max(blocks, key=lambda b: rank(b, room)), False
        else:
            block = max(blocks, key=lambda b: rank(b, room) * (1 + noise * rng.random()))
            flip = noise > 0 and rng.random() < noise  # now and then, the other cut
        load.place(block, space, flip)
    return load


def _pilot(load: _Load, width: int, rank: Callable[[Block, Dims], float]) -> _Load:
    """At each space, the block and cut whose greedy completion by ``rank`` loads the most."""
    while load.spaces:
        space = load.next_space()
        blocks = load.options(space)
        if not blocks:
            continue
        room = space[3:]
        ranked = (heapq.nlargest(width, blocks, key=lambda b: r(b, room)) for r in RANKS)
        shortlist = list(dict.fromkeys(b for best in ranked for b in best))
        best, best_volume = (shortlist[0], False), -1.0
        for block in shortlist:
            for flip in (False, True):
                trial = load.copy()
                trial.place(block, space, flip)
                volume = _greedy(trial, rank).volume
                if volume > best_volume:
                    best, best_volume = (block, flip), volume
        load.place(best[0], space, best[1])
    return load


def _blocks(space: Space, items: Sequence[Item], left: dict[str, int]) -> list[Block]:
    """Every grid of each type and rotation that fits the space, as tall as stock allows."""
    found = []
    room = space[3:]
    for item in items:
        available = left[item.item_id]
        if available <= 0:
            continue
        for rotation in item.orientations():
            fits = [int(r // d + 1e-9) for r, d in zip(room, rotation, strict=True)]
            if min(fits) < 1:
                continue
            for nx in range(1, fits[0] + 1):
                for ny in range(1, min(fits[1], available // nx) + 1):
                    nz = min(fits[2], available // (nx * ny))
                    found.append(Block(item, rotation, nx, ny, nz))
    return found


def _boxes(block: Block, space: Space, first_unit: int) -> list[Placement]:
    """The block's boxes at the space's corner, numbered on from ``first_unit``."""
    x0, y0, z0 = space[:3]
    a, b, c = block.rotation
    cells = [(i, j, k) for i in range(block.nx) for j in range(block.ny) for k in range(block.nz)]
    return [
        Placement(block.item, first_unit + n, x0 + i * a, y0 + j * b, z0 + k * c, a, b, c)
        for n, (i, j, k) in enumerate(cells)
    ]


def _residues(space: Space, size: Dims, flip: bool = False) -> list[Space]:
    """What remains beside, behind and above the block; the largest is filled last.

    The cut keeps the larger of the two floor strips whole (the one along x or along y), so
    big residues stay big. The space above the block is the block's footprint only, so what
    goes there rests fully on the block.
    """
    x, y, z, sx, sy, sz = space
    a, b, c = size
    above = (x, y, z + c, a, b, sz - c)
    if ((sx - a) * sy >= sx * (sy - b)) != flip:  # keep the larger floor strip whole
        front = (x + a, y, z, sx - a, sy, sz)
        side = (x, y + b, z, a, sy - b, sz)
    else:
        front = (x + a, y, z, sx - a, b, sz)
        side = (x, y + b, z, sx, sy - b, sz)
    kept = [s for s in (front, side, above) if min(s[3:]) > 1e-9]
    return sorted(kept, key=lambda s: _volume(s[3:]))  # the stack pops the largest first


def _volume(size: Sequence[float]) -> float:
    return size[0] * size[1] * size[2]
