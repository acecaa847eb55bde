"""What-if comparisons on the same demand: fleet mixes, and last-mile delivery modes.

Fleet mixes: within each ``group`` of vehicle types that replace each other (say diesel and
electric vans), the number of vehicles stays the same and a given share of them is electric,
shared among the group's types as their listed numbers are (largest remainder). Types without
a group keep their numbers.

Last-mile modes, every parcel a stop:
- ``door``: vans from the depot to every door;
- ``post_station``: vans drop each parcel at its nearest post station (one drop a station,
  10 minutes, open the whole of its parcels' windows); the consignee's trip to collect is not
  freight transport and is not counted;
- ``robot``: the same drops, then campus robots based at each station take the parcels on to
  the doors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from greenlane.routing.fleet import VehicleType, apportion
from greenlane.routing.planner import plan
from greenlane.routing.problem import Problem, Site, Stop
from greenlane.routing.solve import Solved
from greenlane.routing.tces import price

DROP_MIN = 10.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """One variant's plan in figures."""

    name: str
    vehicles: int
    km: float
    cost: float
    co2e_wtw_kg: float
    served: int
    unserved: int

    @property
    def co2e_per_stop_g(self) -> float:
        """Grams of CO2e (WTW) per stop served."""
        return 1000 * self.co2e_wtw_kg / self.served if self.served else 0.0


def outcome(name: str, problem: Problem, solved: Solved, plan_id: str = "plan") -> Outcome:
    """A solved plan priced by the emissions engine, in figures.

    Parameters
    ----------
    name
        The plan's label.
    problem
        The problem.
    solved
        Its routes.
    plan_id
        The id its TCEs are priced under.

    Returns
    -------
    Outcome
        Vehicles, km, cost, CO2e and stops served.

    """
    priced = price(problem, solved, plan_id)
    return Outcome(
        name,
        len(priced),
        sum(p.route.km for p in priced),
        sum(p.cost for p in priced),
        sum(p.co2e_wtw_kg for p in priced),
        sum(len(p.route.deliveries) for p in priced),
        len(solved.unserved),
    )


def fleet_mix(fleet: Sequence[VehicleType], electric_share: float) -> list[VehicleType]:
    """The fleet with ``electric_share`` (0-1) of each group's vehicles electric.

    Parameters
    ----------
    fleet
        The vehicle types.
    electric_share
        The share of each group's vehicles to make electric.

    Returns
    -------
    list of VehicleType
        The fleet of that mix.

    """
    if not 0 <= electric_share <= 1:
        raise ValueError(f"electric share must be in [0, 1], got {electric_share!r}")
    out = list(fleet)
    for group in sorted({v.group for v in fleet if v.group}):
        members = [n for n, v in enumerate(fleet) if v.group == group]
        total = sum(fleet[n].available for n in members)
        electric = [n for n in members if fleet[n].is_electric]
        other = [n for n in members if not fleet[n].is_electric]
        wanted = round(electric_share * total) if electric and other else None
        if wanted is None:
            continue
        for part, count in ((electric, wanted), (other, total - wanted)):
            counts = apportion([fleet[n].available for n in part], count)
            for n, k in zip(part, counts, strict=True):
                out[n] = replace(fleet[n], available=k)
    return out


def compare_fleets(
    problem: Problem, shares: Sequence[float], carbon_price: float, seconds: float, seed: int
) -> list[Outcome]:
    """The same demand planned under each electric share of the fleet.

    Parameters
    ----------
    problem
        The problem.
    shares
        Electric shares to compare (0-1).
    carbon_price
        Currency per kg CO2e (WTW).
    seconds
        Solver time per plan.
    seed
        Solver seed.

    Returns
    -------
    list of Outcome
        One per share.

    """
    return [
        outcome(
            f"{share:.0%} electric",
            mixed := problem.with_fleet(fleet_mix(problem.fleet, share)),
            plan(mixed, carbon_price, seconds, seed),
        )
        for share in shares
    ]


def last_mile_modes(
    problem: Problem, carbon_price: float, seconds: float, seed: int
) -> list[Outcome]:
    """Door delivery, post-station delivery and robot delivery of the same parcels.

    Parameters
    ----------
    problem
        The problem (stops, post stations, robots).
    carbon_price
        Currency per kg CO2e (WTW).
    seconds
        Solver time per plan.
    seed
        Solver seed.

    Returns
    -------
    list of Outcome
        One per mode.

    """
    stations = [d for d in problem.depots if d.site_id not in {v.depot for v in _vans(problem)}]
    if not stations:
        raise ValueError("no post station among the places (kind post_station)")
    vans = problem.with_fleet(_vans(problem))
    robots = [v for v in problem.fleet if v.carrier == "campus_robot"]
    door = outcome("door", vans, plan(vans, carbon_price, seconds, seed))
    nearest = _nearest(problem, stations)
    drops = vans.with_stops(_drops(problem, nearest))
    dropped = plan(drops, carbon_price, seconds, seed)
    at_station = outcome("post_station", drops, dropped)
    modes = [door, replace(at_station, served=len(problem.stops) - _lost(dropped, nearest))]
    if robots:
        by_robot = problem.with_fleet(robots)
        onward = outcome("robot legs", by_robot, plan(by_robot, carbon_price, seconds, seed))
        modes.append(
            Outcome(
                "robot",
                at_station.vehicles + onward.vehicles,
                at_station.km + onward.km,
                at_station.cost + onward.cost,
                at_station.co2e_wtw_kg + onward.co2e_wtw_kg,
                onward.served,
                onward.unserved,
            )
        )
    return modes


def diesel_baseline(fleet: Sequence[VehicleType]) -> list[VehicleType]:
    """What a network runs without the green fleet: its diesel vehicles, as many as its groups.

    Each group keeps its number of vehicles, all of its diesel type(s); types that are not
    diesel and in no group (e-cargo bikes, campus robots) are left out, so the baseline is the
    diesel fleet it says it is. A fleet with no diesel type gets its 0% electric mix.

    Parameters
    ----------
    fleet
        The vehicle types.

    Returns
    -------
    list of VehicleType
        The baseline fleet.

    """
    out = [v for v in fleet if v.carrier == "diesel" and not v.group]
    for group in sorted({v.group for v in fleet if v.group}):
        members = [v for v in fleet if v.group == group]
        diesel = [v for v in members if v.carrier == "diesel"]
        if not diesel:
            continue
        total = sum(v.available for v in members)
        shares = apportion([v.available for v in diesel], total)
        out += [replace(v, available=k) for v, k in zip(diesel, shares, strict=True)]
    return [v for v in out if v.available > 0] or fleet_mix(fleet, 0.0)


def _vans(problem: Problem) -> list[VehicleType]:
    return [v for v in problem.fleet if v.carrier != "campus_robot"]


def _nearest(problem: Problem, stations: list[Site]) -> dict[str, str]:
    """Each stop's nearest post station."""
    return {
        s.stop_id: min(
            stations,
            key=lambda d: problem.km[problem.rows[s.stop_id], problem.rows[d.site_id]],
        ).site_id
        for s in problem.stops
    }


def _drops(problem: Problem, nearest: dict[str, str]) -> list[Stop]:
    """One drop per post station: its parcels' weight and volume, open over their windows."""
    drops = []
    for station in sorted(set(nearest.values())):
        mine = [s for s in problem.stops if nearest[s.stop_id] == station]
        site = problem.places[problem.rows[station]]
        drops.append(
            Stop(
                f"drop@{station}",
                site.lat,
                site.lon,
                sum(s.demand_kg for s in mine),
                sum(s.demand_m3 for s in mine),
                DROP_MIN,
                min(s.ready_h for s in mine),
                max(s.due_h for s in mine),
            )
        )
    return drops


def _lost(solved: Solved, nearest: dict[str, str]) -> int:
    """Parcels whose station drop could not be planned."""
    missing = {u.stop_id.removeprefix("drop@") for u in solved.unserved}
    return sum(1 for station in nearest.values() if station in missing)
