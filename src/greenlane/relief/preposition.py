"""Pre-positioning: where to hold how much stock so the deadline holds in most disaster scenarios.

A two-stage stochastic LP (Rawls & Turnquist 2010, without facility opening): the first stage
places a given total of each kit type at the hubs (within each hub's storage volume); in every
scenario the second stage ships it, on options arriving within the deadline and within their
capacity, to the areas hit. The placement maximises the expected priority-weighted people
served, each scenario weighted by its probability. The result is then checked scenario by
scenario with the dispatch planner itself, and the coverage (share of need met within the
deadline) is reported per scenario.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix

from greenlane.relief.dispatch import plan
from greenlane.relief.model import Area, Event, Hub, Network, Option


@dataclass(frozen=True, slots=True)
class Scenario:
    """A disaster that may happen, and how likely it is."""

    event: Event
    probability: float


@dataclass(frozen=True, slots=True)
class Placement:
    """Stock per hub and the coverage it gives in each scenario."""

    stock: dict[str, dict[str, int]]  # hub -> kit -> units
    coverage: dict[str, float]  # event id -> share of need met within the deadline

    def holds_in(self, share: float) -> float:
        """Share of scenarios in which at least ``share`` of the need is met."""
        values = list(self.coverage.values())
        return sum(v >= share - 1e-9 for v in values) / len(values) if values else 0.0


Row = tuple[list[int], list[float], float]  # variables, coefficients, upper bound
Flow = tuple[int, Option, str, int]  # scenario, option, kit, need of the area for the kit


def preposition(
    network: Network,
    scenarios: Sequence[Scenario],
    totals: dict[str, int],
    storage_m3: dict[str, float],
    seconds: float = 60.0,
) -> Placement:
    """Place ``totals`` units of each kit at the hubs for the best expected people served.

    Parameters
    ----------
    network
        Hubs, kit types, options.
    scenarios
        Possible events with their probabilities.
    totals
        Units of each kit type to place.
    storage_m3
        Each hub's storage.
    seconds
        Solver time.

    Returns
    -------
    Placement
        Units of each kit at each hub, and the expected share of need met.

    References
    ----------
    C. G. Rawls and M. A. Turnquist, "Pre-positioning of emergency supplies for disaster
    response", Transportation Research Part B 44(4) (2010) 521-534.

    """
    if not scenarios:
        raise ValueError("pre-positioning needs at least one scenario")
    unknown = sorted(set(totals) - set(network.kits))
    if unknown:
        raise ValueError(f"unknown kit types: {unknown}")
    hubs, kits = [h.hub_id for h in network.hubs], sorted(totals)
    place = {key: i for i, key in enumerate((h, k) for h in hubs for k in kits)}
    flows = _flows(network, scenarios, kits)
    rows = _second_stage(network, flows, place)
    rows += [([place[(h, k)] for h in hubs], [1.0] * len(hubs), float(totals[k])) for k in kits]
    volumes = [network.kits[k].volume_m3 for k in kits]
    rows += [([place[(h, k)] for k in kits], volumes, storage_m3.get(h, math.inf)) for h in hubs]
    cost = np.zeros(len(place) + len(flows))
    cost[len(place) :] = [
        -scenarios[s].probability
        * _area(scenarios[s].event, o.area_id).priority
        / scenarios[s].event.norms[k]
        for s, o, k, _ in flows
    ]
    result = milp(
        c=cost,
        constraints=[LinearConstraint(_matrix(rows, len(cost)), -np.inf, [r[2] for r in rows])],
        options={"time_limit": seconds},
    )
    if result.x is None:
        raise RuntimeError(f"the pre-positioning LP found no solution: {result.message}")
    stock = {h: {k: math.floor(result.x[place[(h, k)]] + 1e-6) for k in kits} for h in hubs}
    placed = replace(
        network, hubs=tuple(Hub(h.hub_id, h.lat, h.lon, stock[h.hub_id]) for h in network.hubs)
    )
    coverage = {
        s.event.event_id: plan(s.event, placed, seconds=seconds).share_met for s in scenarios
    }
    return Placement(stock, coverage)


def _flows(network: Network, scenarios: Sequence[Scenario], kits: list[str]) -> list[Flow]:
    """Second-stage shipments that could happen: on-time options to areas that need the kit."""
    flows = []
    for s, scenario in enumerate(scenarios):
        event = scenario.event
        areas = {a.area_id: a for a in event.areas}
        for option in network.options:
            if option.lead_h > event.deadline_h or option.area_id not in areas:
                continue
            for kit in (k for k in kits if k in event.norms):
                need = event.need(areas[option.area_id], kit)
                if need > 0:
                    flows.append((s, option, kit, need))
    return flows


def _second_stage(
    network: Network, flows: list[Flow], place: dict[tuple[str, str], int]
) -> list[Row]:
    """Per scenario: shipped from a hub <= placed there; weight <= capacity; units <= need."""
    groups: dict[tuple[str, int, str, str], Row] = {}
    first = len(place)
    for j, (s, option, kit, need) in enumerate(flows):
        weight = network.kits[kit].weight_kg
        for key, coef, bound in (
            (("stock", s, option.hub_id, kit), 1.0, 0.0),
            (("capacity", s, option.option_id, ""), weight, option.capacity_kg),
            (("need", s, option.area_id, kit), 1.0, float(need)),
        ):
            variables, coefs, _ = groups.setdefault(key, ([], [], bound))
            variables.append(first + j)
            coefs.append(coef)
    for (kind, _, hub_id, kit), (variables, coefs, _) in groups.items():
        if kind == "stock":
            variables.append(place[(hub_id, kit)])
            coefs.append(-1.0)
    return list(groups.values())


def _area(event: Event, area_id: str) -> Area:
    return next(a for a in event.areas if a.area_id == area_id)


def _matrix(rows: list[Row], width: int) -> csr_matrix:
    data, row_index, col_index = [], [], []
    for r, (variables, coefs, _) in enumerate(rows):
        row_index += [r] * len(variables)
        col_index += variables
        data += coefs
    return csr_matrix(coo_matrix((data, (row_index, col_index)), shape=(len(rows), width)))
