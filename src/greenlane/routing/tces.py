"""Routes as TCEs and TOCs, so the emissions engine prices them as it prices everything else.

Each route is one round of one vehicle: a TOC whose energy is the route's energy use (every
leg at its own load, linear between empty and full; the TOC is "modelled" data, not metered).
Each delivery is a TCE whose activity is its mass times the notional direct distance from the
depot, so the round's emissions are shared out by direct tonne-km (ISO 14083, GLEC v3.0
p.107). The TCEs of a route therefore add up to the route's emissions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import polars as pl

from greenlane.emissions import calculate
from greenlane.routing.problem import Problem
from greenlane.routing.solve import Route, Solved
from greenlane.routing.timing import added_in_order


@dataclass(frozen=True, slots=True)
class PricedRoute:
    """A route with its energy, cost and WTW CO2e (from the emissions engine)."""

    route: Route
    energy: float  # in the vehicle's energy unit
    cost: float
    co2e_wtw_kg: float


def route_energy(problem: Problem, route: Route) -> float:
    """Energy of the round: each leg's km times the energy per km at the load it carries.

    Parameters
    ----------
    problem
        The problem (distances, loads).
    route
        The route.

    Returns
    -------
    float
        Energy in the vehicle type's unit (kWh, l, kg).

    """
    rows = [problem.rows[route.vehicle.depot], *(problem.rows[v.stop_id] for v in route.visits)]
    rows.append(rows[0])
    loads = [route.start_load_kg, *(v.load_after_kg for v in route.visits)]
    return added_in_order(
        float(problem.km[a, b]) * route.vehicle.energy_per_km(load)
        for (a, b), load in zip(itertools.pairwise(rows), loads, strict=True)
    )


def route_cost(route: Route) -> float:
    """Fixed cost, per-km cost and per-hour cost of the round.

    Parameters
    ----------
    route
        The route.

    Returns
    -------
    float
        Its cost.

    """
    vehicle = route.vehicle
    hours = route.end_h - route.start_h
    return vehicle.fixed_cost + vehicle.cost_per_km * route.km + vehicle.cost_per_hour * hours


def plan_rows(
    problem: Problem, solved: Solved, plan_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The TOC rows (one per route) and TCE rows (one per delivery) of a plan.

    Parameters
    ----------
    problem
        The problem.
    solved
        Its routes.
    plan_id
        The id the rows are named under.

    Returns
    -------
    tuple of list of dict
        TOC rows (each route's energy over its tonne-km), then TCE rows.

    References
    ----------
    ISO 14083:2023, 6.3 and 8.5 (TOC intensity from the operation's energy); GLEC Framework
    v3.0, p.107 (a round's emissions shared by tonne-km).

    """
    stops = {s.stop_id: s for s in problem.stops}
    tocs, tces = [], []
    for route in solved.routes:
        toc_id = f"{plan_id}:{route.route_id}"
        source, unit = route.vehicle.energy
        tocs.append(
            {
                "toc_id": toc_id,
                "mode": "road",
                "source": source,
                "quantity": route_energy(problem, route),
                "unit": unit,
                "region": route.vehicle.region,
                "data_type": "modelled",
            }
        )
        depot = problem.rows[route.vehicle.depot]
        for visit in route.deliveries:
            stop = stops[visit.stop_id]
            tces.append(
                {
                    "shipment_id": stop.stop_id,
                    "tce_id": f"{toc_id}:{stop.stop_id}",
                    "kind": "transport",
                    "mass_kg": stop.demand_kg,
                    "toc_id": toc_id,
                    "distance_km": float(problem.km[depot, problem.rows[stop.stop_id]]),
                    "shipper_id": stop.shipper_id or None,
                    "sequence": 1,
                }
            )
    return tocs, tces


def price(problem: Problem, solved: Solved, plan_id: str = "plan") -> list[PricedRoute]:
    """Every route with its energy, cost and CO2e, the CO2e summed from its priced TCEs.

    Parameters
    ----------
    problem
        The problem.
    solved
        Its routes.
    plan_id
        The id the TCEs are priced under.

    Returns
    -------
    list of PricedRoute
        Each route priced by the emissions engine.

    """
    tocs, tces = plan_rows(problem, solved, plan_id)
    if not tces:
        return []
    priced = calculate(pl.DataFrame(tces, infer_schema_length=None), tocs=tocs)
    by_toc = dict(priced.group_by("toc_id").agg(pl.col("co2e_wtw_kg").sum()).iter_rows())
    return [
        PricedRoute(
            route,
            route_energy(problem, route),
            route_cost(route),
            float(by_toc.get(f"{plan_id}:{route.route_id}", 0.0)),
        )
        for route in solved.routes
    ]
