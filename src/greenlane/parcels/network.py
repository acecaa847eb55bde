"""The lanes a plan ships on, read from route rows: routes, baseline, transit times, cut-offs.

One row per destination country (docs/data-formats.md, "Parcel routes"). The baseline route
is the same row with the line haul an order shipped alone would take. Line hauls leave every
day at the country's cut-off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from greenlane.errors import InputError, Problem
from greenlane.parcels.chains import Route
from greenlane.parcels.consolidate import Container, Departure
from greenlane.parcels.merge import Order
from greenlane.parcels.packer import Packer
from greenlane.parcels.plan import ParcelPlan, plan_day
from greenlane.parcels.schema import ROUTE_COLUMNS


@dataclass(frozen=True, slots=True)
class Network:
    """Per country: the plan's route, the baseline's, days in transit, the daily cut-off."""

    planned: dict[str, Route]
    baseline: dict[str, Route]
    transit_days: dict[str, float]
    cutoffs: dict[str, time]

    def transit(self, country: str, service: str) -> timedelta:
        """Door-to-door time after departure (the same for every service of a country)."""
        return timedelta(days=self.transit_days[country])

    def plan(
        self,
        orders: Sequence[Order],
        hold: timedelta,
        container: Container,
        parcel_id: Callable[[int], str],
        packer: Packer | None = None,
        progress: Callable[[str], None] = lambda stage: None,
    ) -> ParcelPlan:
        """The day's plan on this network, line hauls leaving daily at the cut-offs."""
        return plan_day(
            orders,
            hold,
            self.transit,
            self.planned,
            self.baseline,
            daily_departures(orders, self.cutoffs),
            container,
            parcel_id,
            packer,
            progress,
        )


def network_from_rows(rows: Iterable[Mapping[str, Any]], file: str) -> Network:
    """The network of these route rows; every bad row is named and nothing is planned on it.

    Parameters
    ----------
    rows
        Typed route rows (docs/data-formats.md).
    file
        The file's name, used in problems.

    Returns
    -------
    Network
        Routes and baseline routes by country, transit times, cut-offs.

    Raises
    ------
    InputError
        Naming every bad row.

    """
    problems: list[Problem] = []
    network = Network({}, {}, {}, {})
    for n, row in enumerate(rows, start=1):
        missing = [c.name for c in ROUTE_COLUMNS if c.required and row.get(c.name) is None]
        if missing:
            problems += [Problem(file, n, m, "required") for m in missing]
            continue
        country = str(row["country"]).strip().upper()
        try:
            cutoff = time.fromisoformat(str(row["cutoff"]))
        except ValueError:
            problems.append(Problem(file, n, "cutoff", f"not a time HH:MM: {row['cutoff']!r}"))
            continue
        try:
            route = _route(row)
        except ValueError as e:
            column = "station_km" if "station" in str(e) else "first_mile_km"
            problems.append(Problem(file, n, column, str(e)))
            continue
        network.planned[country] = route
        network.baseline[country] = replace(route, line_haul_toc=str(row["baseline_line_haul_toc"]))
        network.transit_days[country] = float(row["transit_days"])
        network.cutoffs[country] = cutoff
    if problems or not network.planned:
        raise InputError(problems or [Problem(file, None, "file", "no routes")])
    return network


def daily_departures(orders: Sequence[Order], cutoffs: Mapping[str, time]) -> list[Departure]:
    """A line haul per country and service every day at its cut-off, from the first order on.

    Parameters
    ----------
    orders
        The day's orders.
    cutoffs
        Country to its daily cut-off time.

    Returns
    -------
    list of Departure
        The departures.

    """
    if not orders:
        return []
    first = min(o.placed_at for o in orders).date()
    last = max(o.placed_at for o in orders).date() + timedelta(days=1)
    lanes = sorted({(o.country, o.service) for o in orders})
    days = [first + timedelta(days=d) for d in range((last - first).days + 1)]
    return [
        Departure(f"{c}-{s}-{day}", c, s, datetime.combine(day, cutoffs[c]))
        for c, s in lanes
        for day in days
    ]


def _route(row: Mapping[str, Any]) -> Route:
    return Route(
        origin_hub=str(row["origin_hub"]),
        gateway=str(row["gateway"]),
        first_mile_km=float(row["first_mile_km"]),
        last_mile_km=float(row["last_mile_km"]),
        first_mile_toc=str(row["first_mile_toc"]),
        line_haul_toc=str(row["line_haul_toc"]),
        last_mile_toc=str(row["last_mile_toc"]),
        hub_hoc=str(row["hub_hoc"]),
        station_km=None if row.get("station_km") is None else float(row["station_km"]),
        station_toc=None if row.get("station_toc") is None else str(row["station_toc"]),
    )
