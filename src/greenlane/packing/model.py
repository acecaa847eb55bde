"""Items, cartons and placements: the packing engine's small domain objects.

Lengths are centimetres and masses kilograms. A placement is axis-aligned: its corner
``(x, y, z)`` and its extent ``(dx, dy, dz)`` along the carton's length, width and height.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from itertools import permutations

from greenlane.errors import FieldError

Dims = tuple[float, float, float]
MIN_SIDE_CM = 0.01  # a tenth of a millimetre: smaller sides are data errors (and underflow)


class _Cuboid:
    """Sides and volume of anything with length, width and height in centimetres."""

    __slots__ = ()
    length_cm: float
    width_cm: float
    height_cm: float

    @property
    def dims(self) -> Dims:
        """Length, width, height (inner ones for a carton)."""
        return (self.length_cm, self.width_cm, self.height_cm)

    @property
    def volume_cm3(self) -> float:
        """Length x width x height."""
        return self.length_cm * self.width_cm * self.height_cm

    def _check_sides(self) -> None:
        for name in ("length_cm", "width_cm", "height_cm"):
            _check(self, name, MIN_SIDE_CM, f"a finite number >= {MIN_SIDE_CM} cm")


def _check(thing: object, name: str, least: float, wanted: str, *, above: bool = False) -> None:
    """Refuse a field that is not a finite number from ``least`` up (or above it)."""
    value = getattr(thing, name)
    if not (math.isfinite(value) and (value > least if above else value >= least)):
        raise FieldError(name, f"must be {wanted}, got {value!r}")


@dataclass(frozen=True, slots=True)
class Item(_Cuboid):
    """An item of an order, with the rules that constrain how it is packed."""

    item_id: str
    length_cm: float
    width_cm: float
    height_cm: float
    weight_kg: float
    quantity: int = 1
    upright: bool = False  # "this side up": its height stays vertical
    fragile: bool = False  # nothing may rest on it
    own_box: bool = False  # ships alone in a box of its own
    item_class: str = ""
    excludes: frozenset[str] = field(default_factory=frozenset)  # classes it may not share with
    vertical_sides: str = "lwh"  # which of length, width, height may stand vertical

    def __post_init__(self) -> None:
        """Refuse an item that cannot exist."""
        if not self.vertical_sides or set(self.vertical_sides) - set("lwh"):
            raise FieldError(
                "vertical_sides", f"must be letters of 'lwh', got {self.vertical_sides!r}"
            )
        self._check_sides()
        _check(self, "weight_kg", 0, "a finite number >= 0")
        if self.quantity < 1:
            raise FieldError("quantity", f"must be >= 1, got {self.quantity!r}")

    @property
    def verticals(self) -> str:
        """The sides that may stand vertical: only the height when upright."""
        return "h" if self.upright else self.vertical_sides

    def orientations(self) -> tuple[Dims, ...]:
        """The distinct extents it may take, each with a permitted side vertical."""
        return _orientations(self.length_cm, self.width_cm, self.height_cm, self.verticals)

    def conflicts_with(self, other: Item) -> bool:
        """Whether the two may not share a box (either excludes the other's class)."""
        return bool(
            (other.item_class and other.item_class in self.excludes)
            or (self.item_class and self.item_class in other.excludes)
        )


@functools.lru_cache(maxsize=4096, typed=True)  # the packers ask again and again
def _orientations(length: float, width: float, height: float, verticals: str) -> tuple[Dims, ...]:
    """Typed: 17 and 17.0 are equal keys otherwise, and a plan would show the other's type."""
    sides = {"l": length, "w": width, "h": height}
    return tuple(
        sorted(
            {(sides[a], sides[b], sides[c]) for a, b, c in permutations("lwh") if c in verticals}
        )
    )


@dataclass(frozen=True, slots=True)
class Carton(_Cuboid):
    """A carton type (or a reusable container) of the catalogue: inner dimensions and limits."""

    carton_id: str
    length_cm: float
    width_cm: float
    height_cm: float
    max_weight_kg: float
    board_kg: float  # corrugated board in one carton (0 for a reusable container's trip)
    cost: float = 0.0
    reusable: bool = False

    def __post_init__(self) -> None:
        """Refuse a carton that cannot hold anything."""
        self._check_sides()
        _check(self, "max_weight_kg", 0, "a finite number > 0", above=True)
        _check(self, "board_kg", 0, "a finite number >= 0")

    def dim_weight_kg(self, divisor_cm3_per_kg: float) -> float:
        """Dimensional weight: volume over the carrier's divisor (5000 and 6000 are common)."""
        return self.volume_cm3 / divisor_cm3_per_kg


@dataclass(frozen=True, slots=True)
class Placement:
    """One unit of an item at a corner of the carton, with the extent it takes."""

    item: Item
    unit: int  # 1..quantity
    x: float
    y: float
    z: float
    dx: float
    dy: float
    dz: float

    @property
    def label(self) -> str:
        """The unit's name: item id and unit number."""
        return f"{self.item.item_id}#{self.unit}"

    @property
    def top(self) -> float:
        """Height of its top face."""
        return self.z + self.dz

    @property
    def corner(self) -> Dims:
        """Its corner nearest the carton's origin."""
        return (self.x, self.y, self.z)

    @property
    def extent(self) -> Dims:
        """Its size along the carton's length, width and height."""
        return (self.dx, self.dy, self.dz)

    def overlaps(self, other: Placement) -> bool:
        """Whether the two share volume (touching faces do not count)."""
        return (
            _overlap(self.x, self.dx, other.x, other.dx) > EPS
            and _overlap(self.y, self.dy, other.y, other.dy) > EPS
            and _overlap(self.z, self.dz, other.z, other.dz) > EPS
        )

    def base_overlap(self, other: Placement) -> float:
        """Area where the two overlap seen from above."""
        return _overlap(self.x, self.dx, other.x, other.dx) * _overlap(
            self.y, self.dy, other.y, other.dy
        )


EPS = 1e-6  # cm: tolerance for touching faces and rounding


def _overlap(a: float, da: float, b: float, db: float) -> float:
    return max(0.0, min(a + da, b + db) - max(a, b))
