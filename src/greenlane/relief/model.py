"""A relief network and a disaster event: kits, hubs with stock, transport options, areas, norms.

Needs come from stated norms: a norm says how many units of a kit type one person needs over
the response (water 45 L for three days at Sphere's 15 L a day; one hygiene kit per five
people is 0.2), so an area needs ``ceil(population x units per person)`` of each. Transport
options are priced per kg; their CO2e per kg comes from the emissions engine (a TCE of the
option's mode and distance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime

from greenlane.errors import FieldError

DEADLINE_H = 72.0


@dataclass(frozen=True, slots=True)
class KitType:
    """A kind of relief item or kit, with what one unit weighs and takes up."""

    kit_id: str
    weight_kg: float
    volume_m3: float

    def __post_init__(self) -> None:
        """Refuse a kit that cannot be carried or counted."""
        if not (self.weight_kg > 0 and self.volume_m3 >= 0):
            raise FieldError("weight_kg", f"must be > 0 and volume_m3 >= 0 ({self.kit_id})")


@dataclass(frozen=True, slots=True)
class Hub:
    """A relief hub or warehouse and the units of each kit type it holds."""

    hub_id: str
    lat: float
    lon: float
    stock: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Refuse negative stock."""
        if any(units < 0 for units in self.stock.values()):
            raise FieldError("stock", f"must be >= 0 ({self.hub_id})")


@dataclass(frozen=True, slots=True)
class Option:
    """A way from a hub to an area: mode, transport category, distance, lead time, capacity."""

    option_id: str
    hub_id: str
    area_id: str
    mode: str  # air_charter, belly, road, sea
    toc_id: str  # the transport category the emissions engine prices it with
    distance_km: float
    lead_h: float  # from the decision to dispatch to arrival in the area
    capacity_kg: float  # what it can carry within the response
    cost_per_kg: float

    def __post_init__(self) -> None:
        """Refuse an option that cannot run."""
        if min(self.distance_km, self.lead_h, self.capacity_kg, self.cost_per_kg) < 0:
            raise ValueError(
                f"distance, lead time, capacity and cost must be >= 0 ({self.option_id})"
            )


@dataclass(frozen=True, slots=True)
class Area:
    """An affected area: where, how many people, and how urgent (priority >= 1)."""

    area_id: str
    lat: float
    lon: float
    population: int
    priority: float = 1.0

    def __post_init__(self) -> None:
        """Refuse an area without people or with no priority."""
        if self.population < 0 or not self.priority > 0:
            raise FieldError("population", f"must be >= 0 and priority > 0 ({self.area_id})")


@dataclass(frozen=True, slots=True)
class Network:
    """Kit types, hubs and transport options."""

    kits: dict[str, KitType]
    hubs: tuple[Hub, ...]
    options: tuple[Option, ...]


def without(network: Network, hub_id: str, blocked: dict[str, int]) -> Network:
    """The network with ``blocked`` units (by kit type) taken out of one hub's stock.

    Parameters
    ----------
    network
        The network.
    hub_id
        The hub the checked kits are at.
    blocked
        Kit type to the units that failed their check.

    Returns
    -------
    Network
        The network with that hub's stock reduced (never below zero).

    """
    if hub_id not in {h.hub_id for h in network.hubs}:
        raise ValueError(f"no hub {hub_id!r}")
    hubs = tuple(
        replace(h, stock={k: max(0, n - blocked.get(k, 0)) for k, n in h.stock.items()})
        if h.hub_id == hub_id
        else h
        for h in network.hubs
    )
    return replace(network, hubs=hubs)


@dataclass(frozen=True, slots=True)
class Event:
    """A disaster: the areas hit, the norms their needs follow, the delivery deadline."""

    event_id: str
    areas: tuple[Area, ...]
    norms: dict[str, float]  # kit_id -> units per person
    deadline_h: float = DEADLINE_H
    starts_at: datetime | None = None  # when dispatch starts (UTC); times are hours after it

    def need(self, area: Area, kit_id: str) -> int:
        """Units of a kit type the area needs by the norm."""
        return math.ceil(area.population * self.norms[kit_id] - 1e-9)
