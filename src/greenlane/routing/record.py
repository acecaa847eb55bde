"""A route plan as plain data (JSON for the CLI's file and the API's answer)."""

from __future__ import annotations

from typing import Any

from greenlane.routing.problem import Problem
from greenlane.routing.solve import Solved
from greenlane.routing.tces import PricedRoute


def plan_record(
    problem: Problem, solved: Solved, priced: list[PricedRoute], carbon_price: float
) -> dict[str, Any]:
    """Totals; routes with visits, energy, cost, CO2e; stops left out; places (for maps).

    Parameters
    ----------
    problem
        The problem.
    solved
        Its routes.
    priced
        The routes priced by the emissions engine.
    carbon_price
        The carbon price the plan was made with.

    Returns
    -------
    dict
        The plan, JSON-ready.

    """
    served = sum(len(p.route.deliveries) for p in priced)
    co2e = sum(p.co2e_wtw_kg for p in priced)
    return {
        "totals": {
            "carbon_price_per_kg": carbon_price,
            "vehicles": len(priced),
            "km": sum(p.route.km for p in priced),
            "cost": sum(p.cost for p in priced),
            "co2e_wtw_kg": co2e,
            "stops_served": served,
            "stops_unserved": len(solved.unserved),
            "co2e_wtw_kg_per_stop": co2e / served if served else 0.0,
        },
        "routes": [
            {
                "route_id": p.route.route_id,
                "type_id": p.route.vehicle.type_id,
                "carrier": p.route.vehicle.carrier,
                "depot": p.route.vehicle.depot,
                "start_h": p.route.start_h,
                "end_h": p.route.end_h,
                "km": p.route.km,
                "energy": p.energy,
                "energy_unit": p.route.vehicle.energy[1],
                "cost": p.cost,
                "co2e_wtw_kg": p.co2e_wtw_kg,
                "visits": [
                    {
                        "place_id": v.stop_id,
                        "arrival_h": v.arrival_h,
                        "load_after_kg": v.load_after_kg,
                        "kind": v.kind,
                        "charge_kwh": v.charge_kwh,
                    }
                    for v in p.route.visits
                ],
            }
            for p in priced
        ],
        "unserved": [{"place_id": u.stop_id, "why": u.reason} for u in solved.unserved],
        "places": {
            place_id: [problem.places[row].lat, problem.places[row].lon]
            for place_id, row in problem.rows.items()
        },
    }
