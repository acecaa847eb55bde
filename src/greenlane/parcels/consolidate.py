"""Cross-border consolidation: parcels for one country and service fill bags for one departure.

Each parcel takes the first departure for its destination country and service whose cut-off
it makes. The parcels of a departure go into as few bags (or master cartons, or ULDs) as first
fit decreasing finds, by the larger of their weight and volume shares of a bag, improved on
small departures by seeded re-runs; no bag is ever over its weight or volume limit.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MULTISTART_UP_TO = 400  # parcels on a departure that still get perturbed re-runs
TRIES = 50


@dataclass(frozen=True, slots=True)
class Parcel:
    """An outbound parcel waiting at the origin hub."""

    parcel_id: str
    country: str
    service: str
    ready_at: datetime
    weight_kg: float
    volume_cm3: float

    def __reduce__(self) -> tuple[type[Parcel], tuple[Any, ...]]:
        """Pickled as its fields (see :meth:`greenlane.parcels.merge.Shipment.__reduce__`)."""
        fields = (self.country, self.service, self.ready_at, self.weight_kg, self.volume_cm3)
        return Parcel, (self.parcel_id, *fields)


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
    """Bags per departure; parcels with no departure or larger than a bag come back unplaced.

    Parameters
    ----------
    parcels
        The day's parcels.
    departures
        The line hauls (country, service, cut-off).
    container
        The bag (weight and volume limits).

    Returns
    -------
    tuple of list of Consolidated and list of Unplaced
        The bags of each departure, and the parcels left with the reason.

    """
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
        Consolidated(by_id[d], tuple(tuple(bag) for bag in _bags(group, container)))
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


def _bags(parcels: list[Parcel], container: Container) -> list[list[Parcel]]:
    """First fit decreasing; on a small departure, also seeded re-runs in perturbed orders.

    Where one bag is a large share of a departure (up to ``MULTISTART_UP_TO`` parcels), FFD is
    run again up to ``TRIES`` times with each parcel's size share scaled by a factor drawn from
    [0.7, 1.3], keeping the fewest bags, and stopping at the lower bound (total weight or volume
    over a bag's). The draws are seeded by the parcels' ids, so a plan repeats exactly.
    """
    share = _share(container)
    best = _first_fit_decreasing(parcels, container, share)
    if len(parcels) > MULTISTART_UP_TO:
        return best
    bound = max(
        math.ceil(sum(p.weight_kg for p in parcels) / container.max_weight_kg - 1e-9),
        math.ceil(sum(p.volume_cm3 for p in parcels) / container.max_volume_cm3 - 1e-9),
    )
    draws = random.Random(zlib.crc32("|".join(sorted(p.parcel_id for p in parcels)).encode()))
    for _ in range(TRIES):
        if len(best) <= bound:
            break
        tried = _first_fit_decreasing(parcels, container, _scaled(share, parcels, draws))
        if len(tried) < len(best):
            best = tried
    return best


def _scaled(
    share: Callable[[Parcel], float], parcels: list[Parcel], draws: random.Random
) -> Callable[[Parcel], float]:
    """``share`` times a factor drawn from [0.7, 1.3] per parcel."""
    scale = {p.parcel_id: draws.uniform(0.7, 1.3) for p in parcels}
    return lambda p: share(p) * scale[p.parcel_id]


def _share(container: Container) -> Callable[[Parcel], float]:
    """A parcel's size as the larger of its weight and volume shares of a bag."""
    return lambda p: max(
        p.weight_kg / container.max_weight_kg, p.volume_cm3 / container.max_volume_cm3
    )


def _first_fit_decreasing(
    parcels: list[Parcel], container: Container, share: Callable[[Parcel], float]
) -> list[list[Parcel]]:
    """Bags filled largest ``share`` first, each parcel into the first bag with room.

    A bag too full for the lightest and for the smallest parcel still to come is closed and
    never looked at again: the same bags, found in far fewer steps.
    """
    ordered = sorted(parcels, key=lambda p: (-share(p), p.parcel_id))
    least_kg, least_cm3 = _suffix_minima(ordered)
    bags: list[list[Parcel]] = []
    room: list[list[float]] = []  # per bag: kg and cm3 still free
    open_bags: list[int] = []
    for n, parcel in enumerate(ordered):
        for b in open_bags:
            kg, cm3 = room[b]
            if parcel.weight_kg <= kg + 1e-9 and parcel.volume_cm3 <= cm3 + 1e-9:
                bags[b].append(parcel)
                room[b] = [kg - parcel.weight_kg, cm3 - parcel.volume_cm3]
                break
        else:
            b = len(bags)
            bags.append([parcel])
            room.append(
                [
                    container.max_weight_kg - parcel.weight_kg,
                    container.max_volume_cm3 - parcel.volume_cm3,
                ]
            )
            open_bags.append(b)
        if n + 1 < len(ordered):
            kg, cm3 = room[b]
            if kg + 1e-9 < least_kg[n + 1] or cm3 + 1e-9 < least_cm3[n + 1]:
                open_bags.remove(b)
    return bags


def _suffix_minima(parcels: list[Parcel]) -> tuple[list[float], list[float]]:
    """For each position, the least weight and the least volume from there to the end."""
    kg, cm3 = [0.0] * len(parcels), [0.0] * len(parcels)
    lowest_kg = lowest_cm3 = float("inf")
    for n in range(len(parcels) - 1, -1, -1):
        lowest_kg = min(lowest_kg, parcels[n].weight_kg)
        lowest_cm3 = min(lowest_cm3, parcels[n].volume_cm3)
        kg[n], cm3[n] = lowest_kg, lowest_cm3
    return kg, cm3
