"""Where a battery vehicle charges along a given order of stops, under either recharge policy.

Schneider et al.'s E-VRPTW charges to full at every station visit (``full``); its variant with
partial recharging (Keskin & Catay) takes on only part (``partial``). For a fixed order of
stops, a labelling pass tries each leg direct and via the few stations that add the least
detour or are nearest its ends, and keeps the labels that no other beats on distance, clock
and charge left. Under ``partial`` a visit charges what the next leg needs, what the rest of
the route needs, or to full: each is a label, and the pass keeps those that pay off.
The pass is what the electric search (``greenlane.routing.electric``) evaluates every move
with, so charging is part of the search, not added after it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from greenlane.errors import FieldError
from greenlane.routing.fleet import VehicleType
from greenlane.routing.problem import Problem

POLICIES = ("full", "partial")
STATIONS_PER_LEG = 4  # stations tried on a leg: least detour, and nearest either end
LABELS = 8  # labels kept per position, beyond the one with most charge and the earliest
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Charge:
    """A charging stop: before the ``before``-th stop of the order (its length: the return)."""

    before: int
    station: int  # matrix row
    kwh: float


@dataclass(frozen=True, slots=True)
class Charged:
    """An order of stops made feasible: its distance, charging stops and return time."""

    km: float
    charges: tuple[Charge, ...]
    end_h: float


@dataclass(frozen=True)
class Network:
    """One depot, its stations and stops, and one battery vehicle type, as plain lists."""

    km: list[list[float]]
    depot: int
    stations: tuple[int, ...]
    ready: list[float]
    due: list[float]
    service: list[float]  # hours
    demand: list[float]  # kg
    volume: list[float]  # m3
    vehicle: VehicleType
    policy: str
    via: list[list[tuple[int, ...]]]  # stations worth trying on each leg

    @property
    def battery(self) -> float:
        """Energy on a full charge (kWh)."""
        return float(self.vehicle.range_km or 0.0) * self.vehicle.energy_per_km_full

    @classmethod
    def of(cls, problem: Problem, policy: str = "full") -> Network:
        """The network of a problem with one depot and one battery vehicle type.

        Parameters
        ----------
        problem
            Stops, one depot, its stations and one battery vehicle type with a charging power.
        policy
            ``full`` (to full at every station visit) or ``partial``.

        Returns
        -------
        Network
            Lists the labelling pass reads quickly.

        """
        if policy not in POLICIES:
            raise FieldError("policy", f"must be one of {POLICIES}, got {policy!r}")
        if len(problem.depots) != 1 or len(problem.fleet) != 1:
            raise ValueError("the electric search plans one depot and one vehicle type")
        vehicle = problem.fleet[0]
        if not (vehicle.range_km and vehicle.charge_kw):
            raise FieldError("charge_kw", "the electric search needs a range and a charging power")
        matrix = np.asarray(problem.km, dtype=float)
        size = len(matrix)
        ready, due, service = [0.0] * size, [0.0] * size, [0.0] * size
        demand, volume = [0.0] * size, [0.0] * size
        depot = problem.rows[problem.depots[0].site_id]
        ready[depot], due[depot] = vehicle.shift_start_h, vehicle.shift_end_h
        for stop in problem.stops:
            row = problem.rows[stop.stop_id]
            ready[row], due[row] = stop.ready_h, stop.due_h
            service[row], demand[row] = stop.service_min / 60, stop.demand_kg
            volume[row] = stop.demand_m3
        stations = tuple(problem.rows[s.site_id] for s in problem.stations)
        return cls(
            matrix.tolist(), depot, stations, ready, due, service, demand, volume, vehicle, policy,
            _legs(matrix, stations),
        )  # fmt: skip

    def charge(self, order: list[int] | tuple[int, ...]) -> Charged | None:
        """The shortest way found to drive ``order`` from the depot and back, or None.

        Parameters
        ----------
        order
            Matrix rows of the stops, in the order they are served.

        Returns
        -------
        Charged or None
            Distance, charging stops and return time; None if no way was found that keeps
            every window, the shift and the battery.

        """
        km, ready, due, service, speed = self.km, self.ready, self.due, self.service, self.speed
        rate, full, slow = self.vehicle.energy_per_km_full, self.battery, self.hours_per_kwh
        places = [self.depot, *order, self.depot]
        rest = [0.0] * len(places)  # direct km from each place to the end
        for n in range(len(places) - 2, -1, -1):
            rest[n] = rest[n + 1] + km[places[n]][places[n + 1]]
        direct = self._direct(places)  # charging only adds time: late direct, late always
        if direct is None or rate * rest[0] <= full + EPS:
            return direct  # None, or no charging needed: the direct way is best
        labels: list[tuple[float, float, float, tuple[Charge, ...]]] = [
            (0.0, ready[self.depot], full, ())
        ]
        for position, (here, there) in enumerate(itertools.pairwise(places)):
            grown = []
            opens, closes, serves = ready[there], due[there], service[there]
            leg = km[here][there]
            for dist, clock, left, charges in labels:
                arrive = clock + leg / speed
                if left - rate * leg >= -EPS and arrive <= closes + EPS:
                    start = arrive if arrive > opens else opens
                    grown.append((dist + leg, start + serves, left - rate * leg, charges))
                if left >= rate * rest[position] - EPS:
                    continue  # enough charge to the end: a station only costs
                for station in self.via[here][there]:
                    to, on = km[here][station], km[station][there]
                    reached = left - rate * to
                    if reached < -EPS:
                        continue
                    top = full - reached
                    if top <= EPS:
                        continue  # arrives full: not a visit
                    for kwh in (
                        (top,)
                        if self.policy == "full"
                        else _partial(
                            top, rate * on - reached, rate * (on + rest[position + 1]) - reached
                        )
                    ):
                        arrive = clock + (to + on) / speed + kwh * slow
                        after = reached + kwh - rate * on
                        if after < -EPS or arrive > closes + EPS:
                            continue
                        start = arrive if arrive > opens else opens
                        grown.append(
                            (
                                dist + to + on, start + serves, after,
                                (*charges, Charge(position, station, kwh)),
                            )
                        )  # fmt: skip
            labels = _front(grown)
            if not labels:
                return None
        dist, clock, _, charges = labels[0]
        return Charged(dist, charges, clock)

    def _direct(self, places: list[int]) -> Charged | None:
        """The order driven without charging, or None if a window or the shift is missed."""
        km, ready, due, service, speed = self.km, self.ready, self.due, self.service, self.speed
        clock, dist = ready[self.depot], 0.0
        for here, there in itertools.pairwise(places):
            clock += km[here][there] / speed
            if clock > due[there] + EPS:
                return None
            clock = (clock if clock > ready[there] else ready[there]) + service[there]
            dist += km[here][there]
        return Charged(dist, (), clock)

    @property
    def speed(self) -> float:
        """Speed in km per hour."""
        return self.vehicle.speed_kmh

    @property
    def hours_per_kwh(self) -> float:
        """Charging time per kWh at a station."""
        return 1.0 / float(self.vehicle.charge_kw or 1.0)


def _partial(top: float, leg: float, rest: float) -> tuple[float, ...]:
    """What a visit may take on under partial recharging, ``top`` at most.

    Just what the next leg needs, just what the rest of the route needs driven direct (each
    where positive and less than ``top``), or to full.
    """
    amounts = [a for a in (leg, rest) if EPS < a < top - EPS]
    if len(amounts) == 2 and amounts[1] - amounts[0] < EPS:
        amounts.pop()
    return (*amounts, top)


def _legs(matrix: np.ndarray, stations: tuple[int, ...]) -> list[list[tuple[int, ...]]]:
    """For each leg, the stations with least detour and those nearest either end."""
    if not stations:
        return [[() for _ in range(len(matrix))] for _ in range(len(matrix))]
    to = matrix[:, stations]  # (n, s)
    detour = to[:, None, :] + to[None, :, :] - matrix[:, :, None]
    least = np.argsort(detour, axis=2, kind="stable")[:, :, : STATIONS_PER_LEG - 2]
    nearest = np.argsort(to, axis=1, kind="stable")[:, 0]
    row = np.asarray(stations)
    legs = []
    for i in range(len(matrix)):
        out = []
        for j in range(len(matrix)):
            picks = dict.fromkeys([*least[i, j].tolist(), int(nearest[i]), int(nearest[j])])
            out.append(tuple(int(row[p]) for p in picks if row[p] not in (i, j)))
        legs.append(out)
    return legs


def _front(labels: list[tuple[float, float, float, tuple[Charge, ...]]]) -> list:
    """The labels no other beats on distance, clock and charge left; the shortest first.

    At most ``LABELS`` of them, and always the one with most charge and the earliest.
    """
    labels.sort(key=lambda label: (label[0], label[1], -label[2]))
    kept: list = []
    for label in labels:
        _, clock, left, _ = label
        for other in kept:  # shorter or as short: beaten if also as early and as charged
            if other[1] <= clock + EPS and other[2] >= left - EPS:
                break
        else:
            kept.append(label)
    if len(kept) <= LABELS:
        return kept
    extremes = {id(max(kept, key=lambda k: k[2])), id(min(kept, key=lambda k: k[1]))}
    head = kept[:LABELS]
    return head + [k for k in kept[LABELS:] if id(k) in extremes]
