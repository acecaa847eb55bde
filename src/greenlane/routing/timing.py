"""A route's visits in a new order (or with a stop added), re-timed, re-loaded and re-measured.

Used after solving, where greenlane changes a route itself (a charging stop, a better order
for load-dependent energy): arrival times follow the vehicle's speed, waiting for a window to
open; a stop reached after its window closes, or a return after the shift, makes the order
infeasible.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import replace

from greenlane.routing.problem import Problem
from greenlane.routing.solve import Route, Visit


def retime(problem: Problem, route: Route, visits: Sequence[Visit]) -> Route | None:
    """``route`` with ``visits`` in this order, or None if a window or the shift is missed.

    Parameters
    ----------
    problem
        The problem (travel times, windows).
    route
        The route.
    visits
        The visits in the new order.

    Returns
    -------
    Route or None
        The retimed route, or None.

    """
    vehicle = route.vehicle
    stops = {s.stop_id: s for s in problem.stops}
    loads = _loads(visits, {k: s.demand_kg for k, s in stops.items()})
    clock, here, timed = route.start_h, vehicle.depot, []
    for visit, load in zip(visits, loads[1:], strict=True):
        clock += _km(problem, here, visit.stop_id) / vehicle.speed_kmh
        stop = stops.get(visit.stop_id) if visit.kind == "stop" else None
        if stop is not None:
            clock = max(clock, stop.ready_h)
            if clock > stop.due_h + 1e-9:
                return None
        timed.append(Visit(visit.stop_id, clock, load, visit.charge_kwh, visit.kind))
        if stop is not None:
            clock += stop.service_min / 60
        elif visit.kind == "charge":
            clock += visit.charge_kwh / float(vehicle.charge_kw or 1.0)
        here = visit.stop_id
    clock += _km(problem, here, vehicle.depot) / vehicle.speed_kmh
    if clock > vehicle.shift_end_h + 1e-9:
        return None
    ids = [vehicle.depot, *(v.stop_id for v in visits), vehicle.depot]
    km = added_in_order(_km(problem, a, b) for a, b in itertools.pairwise(ids))
    return replace(route, visits=tuple(timed), end_h=clock, km=km, start_load_kg=loads[0])


def added_in_order(values: Iterable[float]) -> float:
    """The values added one after the other, left to right.

    Python 3.12's ``sum`` compensates and NumPy's ``sum`` adds pairwise; a route's km and
    energy add in order everywhere, so a move priced as arrays prices as its route does.

    Parameters
    ----------
    values
        The numbers, in order.

    Returns
    -------
    float
        Their sum, rounded after each addition.

    """
    return functools.reduce(operator.add, values, 0.0)


def _loads(visits: Sequence[Visit], demand: dict[str, float]) -> list[float]:
    """Load on leaving the depot, then after each visit (a reload takes on the next trip)."""
    trips: list[float] = [0.0]
    for visit in visits:
        if visit.kind == "reload":
            trips.append(0.0)
        elif visit.kind == "stop":
            trips[-1] += demand[visit.stop_id]
    loads, trip = [trips[0]], 0
    for visit in visits:
        if visit.kind == "reload":
            trip += 1
            loads.append(trips[trip])
        elif visit.kind == "stop":
            loads.append(max(loads[-1] - demand[visit.stop_id], 0.0))
        else:
            loads.append(loads[-1])
    return loads


def _km(problem: Problem, a: str, b: str) -> float:
    return float(problem.km[problem.rows[a], problem.rows[b]])
