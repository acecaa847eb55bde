"""What the parcel planner asks of a packer: the packaging and outer volume of some orders.

The planner never imports a packing engine. It takes a :data:`Packer`, a callable from the
orders that travel together to what packing them takes; the pipeline passes greenlane's carton
engine (``greenlane.app.parcel_packing``), and a caller without carton data passes
:func:`fixed_packaging`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from greenlane.errors import FieldError
from greenlane.parcels.merge import Order


@dataclass(frozen=True, slots=True)
class Packed:
    """Packing some orders as one parcel: material used and the parcel's outer volume."""

    material_kg: float  # corrugated board or mailer film; 0 for a reusable box
    volume_cm3: float  # the space the parcel takes in a bag

    def __post_init__(self) -> None:
        """Refuse packing that cannot exist."""
        if not (self.material_kg >= 0 and self.volume_cm3 > 0):
            raise FieldError("material_kg", "must be >= 0 and volume_cm3 > 0")


Packer = Callable[[Sequence[Order]], Packed]


def fixed_packaging(material_kg: float = 0.1) -> Packer:
    """A packer that knows no cartons: a fixed mass of packaging, the orders' own volume.

    Parameters
    ----------
    material_kg
        Packaging per parcel, kg.

    Returns
    -------
    Packer
        The packer.

    """
    if not material_kg >= 0:
        raise FieldError("material_kg", f"must be >= 0, got {material_kg!r}")

    def pack(orders: Sequence[Order]) -> Packed:
        return Packed(material_kg, sum(o.volume_cm3 for o in orders))

    return pack
