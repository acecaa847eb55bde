"""Places and fleets from typed rows: every bad row named by row and column.

A bad stop is left out and reported; the other stops are still planned. A bad depot, charger
or vehicle type stops the plan, since planning on part of a fleet would mislead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from greenlane.errors import FieldError, InputError, Problem, row_problem
from greenlane.routing.fleet import VehicleType
from greenlane.routing.problem import Problem as RoutingProblem
from greenlane.routing.problem import Site, Stop

KINDS = ("stop", "depot", "charger", "post_station")


def problem_from_tables(
    places: pl.DataFrame,
    unparsed: list[Problem],
    places_name: str,
    fleet: pl.DataFrame,
    fleet_name: str,
) -> tuple[RoutingProblem, list[Problem]]:
    """The problem of typed places and fleet tables, and the stop rows left out.

    ``unparsed`` are the values the places table could not be read as (by row); such a stop
    is left out, such a depot or charger stops the plan.

    Parameters
    ----------
    places
        Typed place rows (stops, depots, chargers, post stations).
    unparsed
        The values of ``places`` that did not parse.
    places_name
        The places file's name, used in problems.
    fleet
        Typed fleet rows.
    fleet_name
        The fleet file's name, used in problems.

    Returns
    -------
    tuple of Problem and list of Problem
        The routing problem, and the input problems of the stops left out.

    """
    rows = places.to_dicts()
    bad = {p.row for p in unparsed}
    if any(str(rows[n - 1].get("kind") or "stop") != "stop" for n in bad if n):
        raise InputError(unparsed)
    kept = [n for n in range(1, len(rows) + 1) if n not in bad]
    stops, sites, problems = places_from_rows([rows[n - 1] for n in kept], places_name)
    renumbered = [Problem(p.file, kept[p.row - 1], p.column, p.reason) for p in problems if p.row]
    vehicles = fleet_from_rows(fleet.to_dicts(), fleet_name)
    try:
        problem = RoutingProblem(
            tuple(stops),
            (*sites["depot"], *sites["post_station"]),
            tuple(vehicles),
            tuple(sites["charger"]),
        )
    except ValueError as e:
        raise InputError([Problem(fleet_name, None, "depot", str(e))]) from e
    return problem, sorted(unparsed + renumbered, key=lambda p: (p.row or 0, p.column))


def places_from_rows(
    rows: Iterable[Mapping[str, Any]], file: str
) -> tuple[list[Stop], dict[str, list[Site]], list[Problem]]:
    """Stops, the other sites by kind, and the problems of the stop rows left out.

    Parameters
    ----------
    rows
        Typed place rows.
    file
        The file's name, used in problems.

    Returns
    -------
    tuple
        The stops, the other sites by kind, and the problems.

    Raises
    ------
    InputError
        When a depot, charger or post-station row is bad, or an id repeats.

    """
    stops: list[Stop] = []
    sites: dict[str, list[Site]] = {k: [] for k in KINDS[1:]}
    problems: list[Problem] = []
    fatal: list[Problem] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        kind = str(row.get("kind") or "stop").strip()
        try:
            place_id = _required(row, "place_id")
            if place_id in seen:
                raise FieldError("place_id", f"{place_id!r} appears more than once", ": ")
            seen.add(place_id)
            if kind not in KINDS:
                raise FieldError("kind", f"must be one of {list(KINDS)}, got {kind!r}", ": ")
            lat, lon = _number(row, "lat"), _number(row, "lon")
            if kind == "stop":
                stops.append(_stop(place_id, lat, lon, row))
            else:
                sites[kind].append(Site(place_id, lat, lon))
        except ValueError as e:
            (problems if kind == "stop" else fatal).append(row_problem(file, n, e))
    if fatal:
        raise InputError(fatal)
    return stops, sites, problems


def fleet_from_rows(rows: Iterable[Mapping[str, Any]], file: str) -> list[VehicleType]:
    """The fleet; any bad row raises InputError with every problem.

    Parameters
    ----------
    rows
        Typed fleet rows.
    file
        The file's name, used in problems.

    Returns
    -------
    list of VehicleType
        The vehicle types.

    Raises
    ------
    InputError
        Naming every bad row.

    """
    fleet, problems = [], []
    for n, row in enumerate(rows, start=1):
        try:
            fleet.append(_vehicle(row))
        except ValueError as e:
            problems.append(row_problem(file, n, e))
    ids = [v.type_id for v in fleet]
    if len(set(ids)) < len(ids):
        problems.append(Problem(file, None, "type_id", "type ids must be unique"))
    if problems or not fleet:
        raise InputError(problems or [Problem(file, None, "file", "no vehicle types")])
    return fleet


def _stop(place_id: str, lat: float, lon: float, row: Mapping[str, Any]) -> Stop:
    return Stop(
        place_id,
        lat,
        lon,
        demand_kg=_number(row, "demand_kg"),
        demand_m3=_number(row, "demand_m3", 0.0),
        service_min=_number(row, "service_min", 0.0),
        ready_h=_number(row, "ready_h", 0.0),
        due_h=_number(row, "due_h", 24.0),
        shipper_id=str(row.get("shipper_id") or ""),
        kind=str(row.get("stop_kind") or "").strip(),
    )


def _vehicle(row: Mapping[str, Any]) -> VehicleType:
    optional = {k: row.get(k) for k in ("range_km", "charge_kw", "service_radius_km")}
    kinds = (k.strip() for k in str(row.get("stop_kinds") or "").split(";"))
    return VehicleType(
        type_id=_required(row, "type_id"),
        carrier=_required(row, "carrier"),
        capacity_kg=_number(row, "capacity_kg"),
        capacity_m3=_number(row, "capacity_m3"),
        energy_per_km_empty=_number(row, "energy_per_km_empty"),
        energy_per_km_full=_number(row, "energy_per_km_full"),
        fixed_cost=_number(row, "fixed_cost"),
        cost_per_km=_number(row, "cost_per_km"),
        cost_per_hour=_number(row, "cost_per_hour"),
        depot=_required(row, "depot"),
        shift_start_h=_number(row, "shift_start_h"),
        shift_end_h=_number(row, "shift_end_h"),
        available=int(_number(row, "available")),
        speed_kmh=_number(row, "speed_kmh"),
        range_km=None if optional["range_km"] is None else float(optional["range_km"]),
        charge_kw=None if optional["charge_kw"] is None else float(optional["charge_kw"]),
        group=str(row.get("group") or ""),
        region=str(row.get("region") or "EU"),
        service_radius_km=(
            None if optional["service_radius_km"] is None else float(optional["service_radius_km"])
        ),
        stop_kinds=tuple(sorted({k for k in kinds if k})),
    )


def _required(row: Mapping[str, Any], name: str) -> str:
    value = str(row.get(name) or "").strip()
    if not value:
        raise FieldError(name, "required", ": ")
    return value


def _number(row: Mapping[str, Any], name: str, default: float | None = None) -> float:
    value = row.get(name)
    if value is None:
        if default is None:
            raise FieldError(name, "required", ": ")
        return default
    return float(value)
