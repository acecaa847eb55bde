"""Cross-border consolidation: parcels for one country and service fill bags for one departure.

Each parcel takes the first departure for its destination country and service whose cut-off
it makes. The parcels of a departure go into as few bags (or master cartons, or ULDs) as first
fit decreasing finds, by the larger of their weight and volume shares of a bag; no bag is ever
over its weight or volume limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Parcel:
    """An outbound parcel waiting at the origin hub."""

    parcel_id: str
    country: str
    service: str
    ready_at: datetime
    weight_kg: float
    volume_cm3: float


@dataclass(frozen=True, slots=True)
class Container:
    """What parcels are consolidated into: a bag, a master carton or a ULD, with its limits."""

    kind: str
    max_weight_kg: float
    max_volume_cm3: float

    def __post_init__(self) -> None:
        """Refuse limits that hold nothing."""
        if not (self.max_weight_kg > 0 and self.max_volume_cm3 > 0):
            raise ValueError("max_weight_kg and max_volume_cm3 must be > 0")


@dataclass(frozen=True, slots=True)
class Departure:
    """A line haul leaving the origin hub for one country and service, with its cut-off."""

    departure_id: str
    country: str
    service: str
    cutoff: datetime


@dataclass(frozen=True, slots=True)
class Consolidated:
    """The bags of one departure."""

    departure: Departure
    bags: tuple[tuple[Parcel, ...], ...]

    @property
    def parcels(self) -> int:
        """Parcels on the departure."""
        return sum(len(bag) for bag in self.bags)


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A parcel with no bag, and why."""

    parcel_id: str
    reason: str


def consolidate(
    parcels: Sequence[Parcel], departures: Sequence[Departure], container: Container
) -> tuple[list[Consolidated], list[Unplaced]]:
    """Bags per departure; parcels with no departure or larger than a bag come back unplaced."""
    chosen: dict[str, list[Parcel]] = {}
    unplaced: list[Unplaced] = []
    by_id = {d.departure_id: d for d in departures}
    for parcel in parcels:
        if (
            parcel.weight_kg > container.max_weight_kg
            or parcel.volume_cm3 > container.max_volume_cm3
        ):
            unplaced.append(Unplaced(parcel.parcel_id, f"larger than a {container.kind}"))
            continue
        departure = _first_departure(parcel, departures)
        if departure is None:
            reason = f"no departure to {parcel.country} ({parcel.service}) after it is ready"
            unplaced.append(Unplaced(parcel.parcel_id, reason))
            continue
        chosen.setdefault(departure.departure_id, []).append(parcel)
    plans = [
        Consolidated(by_id[d], tuple(tuple(bag) for bag in _first_fit_decreasing(group, container)))
        for d, group in chosen.items()
    ]
    return sorted(plans, key=lambda c: (c.departure.cutoff, c.departure.departure_id)), unplaced


def _first_departure(parcel: Parcel, departures: Sequence[Departure]) -> Departure | None:
    open_ones = [
        d
        for d in departures
        if d.country == parcel.country
        and d.service == parcel.service
        and d.cutoff >= parcel.ready_at
    ]
    return min(open_ones, key=lambda d: (d.cutoff, d.departure_id), default=None)


def _first_fit_decreasing(parcels: list[Parcel], container: Container) -> list[list[Parcel]]:
    """Bags filled largest parcel first, each parcel into the first bag with room."""

    def share(p: Parcel) -> float:
        return max(p.weight_kg / container.max_weight_kg, p.volume_cm3 / container.max_volume_cm3)

    bags: list[list[Parcel]] = []
    loads: list[tuple[float, float]] = []
    for parcel in sorted(parcels, key=lambda p: (-share(p), p.parcel_id)):
        for n, (kg, cm3) in enumerate(loads):
            fits_weight = kg + parcel.weight_kg <= container.max_weight_kg + 1e-9
            if fits_weight and cm3 + parcel.volume_cm3 <= container.max_volume_cm3 + 1e-9:
                bags[n].append(parcel)
                loads[n] = (kg + parcel.weight_kg, cm3 + parcel.volume_cm3)
                break
        else:
            bags.append([parcel])
            loads.append((parcel.weight_kg, parcel.volume_cm3))
    return bags
