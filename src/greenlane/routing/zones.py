"""A large day cut into delivery zones, each a problem the solver handles in bounded time.

The solver's time per iteration grows with the stops it holds (more slowly than they do: a
day cut into fewer, larger zones takes less CPU, up to the 800 stops of the main job's
default), and its distance matrix with their square: 140,000 stops in one problem would not
fit in memory. A zone is a sector of
the city seen from its depots (the sweep method of Gillett and Miller, 1974), holding at
most a given number of stops; each vehicle type's count is shared out among the zones in
proportion to the stops of each that it may serve. The cut depends on the stops alone, so
the same day gives the same zones, and the same plans, wherever they are solved.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from greenlane.geo import great_circle_from_km
from greenlane.routing.fleet import apportion
from greenlane.routing.problem import Problem


def zones(problem: Problem, max_stops: int) -> list[Problem]:
    """The problem as sectors of at most ``max_stops`` stops, each with its share of the fleet.

    Parameters
    ----------
    problem
        The day's problem (its distance matrix is never built whole).
    max_stops
        The most stops a zone may hold (at least 1).

    Returns
    -------
    list of Problem
        One problem per zone, in sweep order (a single zone: the problem itself).

    References
    ----------
    B. E. Gillett and L. R. Miller, "A heuristic algorithm for the vehicle-dispatch problem",
    Operations Research 22(2):340-349 (1974), doi:10.1287/opre.22.2.340.

    """
    if max_stops < 1:
        raise ValueError(f"max_stops must be at least 1, got {max_stops}")
    count = math.ceil(len(problem.stops) / max_stops)
    if count <= 1:
        return [problem]
    chunks = np.array_split(_sweep(problem), count)
    servable = _servable(problem)  # type -> which stops it may serve
    shares = {
        v.type_id: apportion([int(servable[v.type_id][c].sum()) for c in chunks], v.available)
        for v in problem.fleet
    }
    return [
        problem.with_stops([problem.stops[i] for i in chunk]).with_fleet(
            [replace(v, available=shares[v.type_id][n]) for v in problem.fleet]
        )
        for n, chunk in enumerate(chunks)
    ]


def _sweep(problem: Problem) -> np.ndarray:
    """The stops' indices by bearing from the depots' centre, then distance, then id."""
    lat = float(np.mean([d.lat for d in problem.depots]))
    lon = float(np.mean([d.lon for d in problem.depots]))
    north = np.array([s.lat for s in problem.stops]) - lat
    east = (np.array([s.lon for s in problem.stops]) - lon) * math.cos(math.radians(lat))
    ids = np.array([s.stop_id for s in problem.stops])
    return np.lexsort((ids, np.hypot(north, east), np.arctan2(north, east)))


def _servable(problem: Problem) -> dict[str, np.ndarray]:
    """For each vehicle type, which stops lie in its service area (road km from its base)."""
    depots = {d.site_id: d for d in problem.depots}
    lats = [s.lat for s in problem.stops]
    lons = [s.lon for s in problem.stops]
    kinds = [s.kind for s in problem.stops]
    first = len(problem.depots) + len(problem.stations)  # the matrix row of the first stop
    found = {}
    for vehicle in problem.fleet:
        base = depots[vehicle.depot]
        km = (
            problem.distances_km[problem.rows[vehicle.depot], first:]
            if problem.distances_km is not None
            else great_circle_from_km(base.lat, base.lon, lats, lons) * problem.circuity
        )
        found[vehicle.type_id] = np.array(
            [vehicle.may_serve(kind, float(d)) for kind, d in zip(kinds, km, strict=True)]
        )
    return found
