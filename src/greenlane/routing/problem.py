"""A routing problem: stops with demand and time windows, depots, charging stations, a fleet.

Locations are latitude and longitude; road distance is the great-circle distance times a
circuity factor (1.3 by default, a common urban value), unless a distance matrix from a road
router (or a benchmark instance) is given. Times are hours from the day's midnight.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from greenlane.errors import FieldError
from greenlane.geo import great_circle_matrix_km
from greenlane.routing.fleet import VehicleType

CIRCUITY = 1.3


@dataclass(frozen=True, slots=True)
class Site:
    """A depot or a charging station."""

    site_id: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Stop:
    """A delivery: where, how much, how long it takes, and when it may be made."""

    stop_id: str
    lat: float
    lon: float
    demand_kg: float
    demand_m3: float
    service_min: float = 0.0
    ready_h: float = 0.0
    due_h: float = 24.0
    shipper_id: str = ""
    kind: str = ""  # what kind of stop (campus, locker ...), for vehicle types limited to some

    def __post_init__(self) -> None:
        """Refuse a stop that cannot be served by anyone."""
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise FieldError(
                "lat", f"must be in [-90, 90] and lon in [-180, 180]: {self.lat}, {self.lon}"
            )
        if not self.demand_kg > 0:
            raise FieldError("demand_kg", f"must be > 0, got {self.demand_kg!r}")
        if self.demand_m3 < 0 or self.service_min < 0:
            raise ValueError("demand_m3 and service_min must be >= 0")
        if not self.ready_h >= 0:  # times are hours from the day's midnight, as the solver's
            raise FieldError("ready_h", f"must be >= 0 h after midnight, got {self.ready_h!r}")
        if not self.ready_h <= self.due_h:
            raise FieldError("due_h", f"must not be before ready_h: {self.due_h} < {self.ready_h}")


@dataclass(frozen=True)
class Problem:
    """Everything a plan is made from (the distance matrix is computed once, on first use)."""

    stops: tuple[Stop, ...]
    depots: tuple[Site, ...]
    fleet: tuple[VehicleType, ...]
    stations: tuple[Site, ...] = ()
    circuity: float = CIRCUITY
    distances_km: np.ndarray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        """Refuse vehicles at unknown depots and ids used twice."""
        depot_ids = {d.site_id for d in self.depots}
        unknown = sorted({v.depot for v in self.fleet} - depot_ids)
        if unknown:
            raise ValueError(f"vehicle types at unknown depots: {unknown}")
        ids = [s.stop_id for s in self.stops]
        if len(set(ids)) < len(ids):
            raise ValueError("stop ids must be unique")
        size = len(self.depots) + len(self.stations) + len(self.stops)
        if self.distances_km is not None and self.distances_km.shape != (size, size):
            raise FieldError("distances_km", f"must be {size} x {size} (depots, stations, stops)")

    @property
    def places(self) -> tuple[Site | Stop, ...]:
        """Depots, then stations, then stops: the order of the distance matrix."""
        return (*self.depots, *self.stations, *self.stops)

    @functools.cached_property
    def km(self) -> np.ndarray:
        """Road kilometres between every pair of places."""
        if self.distances_km is not None:
            return self.distances_km
        lats, lons = [p.lat for p in self.places], [p.lon for p in self.places]
        return great_circle_matrix_km(lats, lons) * self.circuity

    @functools.cached_property
    def rows(self) -> dict[str, int]:
        """Row of each depot, station and stop in the matrix, by id."""
        return {
            (p.site_id if isinstance(p, Site) else p.stop_id): n for n, p in enumerate(self.places)
        }

    def with_stops(self, stops: Sequence[Stop]) -> Problem:
        """The same depots, stations and fleet for other stops (distances by coordinates)."""
        if tuple(stops) == self.stops:
            return self._sharing_distances(replace(self, stops=self.stops))
        if self.distances_km is not None:
            keep = [
                *range(len(self.depots) + len(self.stations)),
                *(self.rows[s.stop_id] for s in stops),
            ]
            matrix = self.distances_km[np.ix_(keep, keep)]
            return replace(self, stops=tuple(stops), distances_km=matrix)
        return replace(self, stops=tuple(stops))

    def with_fleet(self, fleet: Sequence[VehicleType]) -> Problem:
        """The same stops, depots and stations for another fleet."""
        return self._sharing_distances(replace(self, fleet=tuple(fleet)))

    def _sharing_distances(self, other: Problem) -> Problem:
        """``other``, of the same places, with this problem's matrix if it was computed.

        A zone's plan, its baseline and its first charging round are problems of the same
        places: each computed the same 800 x 800 haversine matrix again (3 % of a zone's CPU).
        """
        if "km" in self.__dict__:
            other.__dict__["km"] = self.__dict__["km"]
        return other
