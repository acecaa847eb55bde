"""The dispatch plan: what goes from which hub to which area, by which option, within the deadline.

Only options that arrive within the deadline are used, so nothing the plan calls on time
arrives late. The plan is solved by HiGHS (through SciPy's ``milp``) in three steps:

1. **Equity.** Every (area, kit type) that some on-time option with stock can reach gets the
   same share of its need, the largest share possible (max-min fairness): a shortage is
   shared, not left to fall on whoever is served last.
2. **Need met.** With that share guaranteed, the rest of the stock goes where it meets the
   most priority-weighted need, counted in people: units delivered over the norm's units per
   person, times the area's priority, summed over areas and kit types.
3. **Cost and CO2e.** With both figures held, the least cost plus carbon price x WTW CO2e,
   in whole kits: an MILP over the options and kits the LP relaxation uses (the guaranteed
   share rounded down to whole kits, the people served allowed one kit less per area and kit).

The LP steps run HiGHS's interior-point method, which solves them at the scale of ten hubs,
two hundred areas and twenty kit types in seconds where the simplex stalls.

Every shortfall is reported with its cause: no option arrives within the deadline, no stock
of that kit within reach, a kit type the network does not know, transport capacity, or the
stock shared out by the equity rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import polars as pl

from greenlane.emissions import calculate
from greenlane.relief.model import Event, Network, Option

if TYPE_CHECKING:  # SciPy is imported where it solves: it costs 0.45 s to import
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_matrix

K = TypeVar("K", bound=Hashable)
CARBON_PRICE = 0.1  # currency per kg CO2e, to weigh CO2e against cost in step 3


@dataclass(frozen=True, slots=True)
class Consignment:
    """Kits of one type on one option."""

    option: Option
    kit_id: str
    units: int
    weight_kg: float
    cost: float
    co2e_wtw_kg: float


@dataclass(frozen=True, slots=True)
class Shortfall:
    """What an area still misses of a kit type after the plan, and why."""

    area_id: str
    kit_id: str
    need: int
    delivered: int
    cause: str

    @property
    def missing(self) -> int:
        """Units not delivered within the deadline."""
        return self.need - self.delivered


@dataclass(frozen=True, slots=True)
class ReliefPlan:
    """Consignments, what each area gets of its need, and the shortfalls with causes."""

    event_id: str
    deadline_h: float
    consignments: tuple[Consignment, ...]
    need: dict[tuple[str, str], int]
    delivered: dict[tuple[str, str], int]
    shortfalls: tuple[Shortfall, ...]
    fair_share: float  # the share of need every reachable (area, kit) is guaranteed

    @property
    def share_met(self) -> float:
        """Units delivered within the deadline over units needed."""
        total = sum(self.need.values())
        return sum(self.delivered.values()) / total if total else 1.0

    @property
    def cost(self) -> float:
        """Transport cost of every consignment."""
        return sum(c.cost for c in self.consignments)

    @property
    def co2e_wtw_kg(self) -> float:
        """WTW CO2e of every consignment."""
        return sum(c.co2e_wtw_kg for c in self.consignments)


def co2e_per_kg(options: tuple[Option, ...]) -> dict[str, float]:
    """WTW kg CO2e per kg carried on each option, from the emissions engine (1 t over its km).

    Parameters
    ----------
    options
        The transport options (hub to area, mode, distance).

    Returns
    -------
    dict of str to float
        Option id to WTW kg CO2e per kg.

    References
    ----------
    ISO 14083:2023, clauses 10-11, through :func:`greenlane.emissions.calculate`.

    """
    if not options:
        return {}
    rows = [
        {
            "shipment_id": o.option_id,
            "tce_id": o.option_id,
            "kind": "transport",
            "mass_kg": 1000.0,
            "toc_id": o.toc_id,
            "distance_km": max(o.distance_km, 1e-3),
        }
        for o in options
    ]
    priced = calculate(pl.DataFrame(rows))
    return dict(zip(priced["tce_id"], (priced["co2e_wtw_kg"] / 1000).to_list(), strict=True))


def plan(
    event: Event,
    network: Network,
    carbon_price: float = CARBON_PRICE,
    seconds: float = 30.0,
) -> ReliefPlan:
    """The dispatch plan for ``event`` on ``network`` (see the module's three steps).

    Parameters
    ----------
    event
        The disaster: areas, needs by kit type, priorities, deadline.
    network
        Hubs with their stock, kit types, transport options.
    carbon_price
        Currency per kg CO2e (WTW), weighed against cost in the third step.
    seconds
        Solver time per step.

    Returns
    -------
    ReliefPlan
        Consignments, and every shortfall with its cause.

    References
    ----------
    B. Balcik, B. M. Beamon and K. Smilowitz, "Last mile distribution in humanitarian relief",
    Journal of Intelligent Transportation Systems 12(2) (2008) 51-63; M. Huang, K. Smilowitz
    and B. Balcik, "Models for relief routing: equity, efficiency and efficacy",
    Transportation Research Part E 48(1) (2012) 2-18.

    """
    on_time = tuple(o for o in network.options if o.lead_h <= event.deadline_h)
    areas = {a.area_id: a for a in event.areas}
    stock = {(h.hub_id, k): units for h in network.hubs for k, units in h.stock.items()}
    need = {(a.area_id, k): event.need(a, k) for a in event.areas for k in event.norms}
    need = {key: units for key, units in need.items() if units > 0}
    columns = [
        (o, k)
        for o in on_time
        if o.area_id in areas
        for k in event.norms
        if k in network.kits and need.get((o.area_id, k), 0) > 0 and stock.get((o.hub_id, k), 0) > 0
    ]
    per_kg = co2e_per_kg(tuple({o.option_id: o for o, _ in columns}.values()))
    per_person = {(a, k): event.norms[k] / areas[a].priority for a, k in need}
    units = _solve(columns, need, stock, network, per_person, per_kg, carbon_price, seconds)
    delivered: dict[tuple[str, str], int] = defaultdict(int)
    consignments = []
    for (option, kit_id), n in zip(columns, units, strict=True):
        if n <= 0:
            continue
        weight = n * network.kits[kit_id].weight_kg
        delivered[(option.area_id, kit_id)] += n
        consignments.append(
            Consignment(option, kit_id, n, weight, weight * option.cost_per_kg,
                        weight * per_kg[option.option_id])
        )  # fmt: skip
    served = {(o.area_id, k) for o, k in columns}
    fair = min((delivered[key] / need[key] for key in served), default=1.0)
    return ReliefPlan(
        event.event_id,
        event.deadline_h,
        tuple(consignments),
        need,
        {key: delivered[key] for key in need},
        tuple(
            Shortfall(
                a,
                k,
                need[(a, k)],
                delivered[(a, k)],
                _cause(a, k, event, network, on_time, served, need),
            )
            for a, k in sorted(need)
            if delivered[(a, k)] < need[(a, k)]
        ),
        fair,
    )


def _solve(
    columns: list[tuple[Option, str]],
    need: dict[tuple[str, str], int],
    stock: dict[tuple[str, str], int],
    network: Network,
    per_person: dict[tuple[str, str], float],
    per_kg: dict[str, float],
    carbon_price: float,
    seconds: float,
) -> list[int]:
    """Units per column, by the three lexicographic steps.

    ``per_person`` is, per (area, kit), the units that count as one priority-weighted person.
    """
    from scipy.optimize import LinearConstraint, milp

    if not columns:
        return []
    n = len(columns)
    weights = np.array([network.kits[k].weight_kg for _, k in columns])
    by_pair, pairs = _grouping(columns, lambda o, k: (o.area_id, k), np.ones(n))
    by_hub, hub_kits = _grouping(columns, lambda o, k: (o.hub_id, k), np.ones(n))
    by_option, option_ids = _grouping(columns, lambda o, k: o.option_id, weights)
    capacity = {o.option_id: o.capacity_kg for o, _ in columns}
    need_v = np.array([need[p] for p in pairs], dtype=float)
    limits = [
        LinearConstraint(by_hub, -np.inf, [stock[key] for key in hub_kits]),
        LinearConstraint(by_option, -np.inf, [capacity[key] for key in option_ids]),
        LinearConstraint(by_pair, -np.inf, need_v),
    ]
    # step 1: max z over [x, z], with D x - z need >= 0
    step1 = _lp(
        np.r_[np.zeros(n), -1.0],
        [
            *(LinearConstraint(_with_column(c.A, 0.0), c.lb, c.ub) for c in limits),
            LinearConstraint(_with_column(by_pair, -need_v), 0, np.inf),
        ],
        np.r_[np.full(n, np.inf), 1.0],
        seconds,
    )
    share = float(step1[-1])
    # step 2: max priority-weighted people served, holding D x >= share x need
    people = np.array([1.0 / per_person[p] for p in pairs])
    value = np.asarray(people @ by_pair).ravel()
    held_share = LinearConstraint(by_pair, (share - 1e-7) * need_v, np.inf)
    best = float(value @ _lp(-value, [*limits, held_share], np.full(n, np.inf), seconds))
    # step 3: whole units at least cost + price x CO2e; rounding may cost one unit a pair
    price = np.array([o.cost_per_kg + carbon_price * per_kg[o.option_id] for o, _ in columns])
    step3 = [
        *limits,
        LinearConstraint(by_pair, np.floor(share * need_v + 1e-9), np.inf),
        LinearConstraint(value.reshape(1, -1), best - float(np.sum(people)), np.inf),
    ]
    relaxed = _lp(price * weights, step3, np.full(n, np.inf), seconds)
    used = relaxed > 1e-6  # the MILP chooses whole units among the columns the LP uses
    units = np.floor(relaxed + 1e-6)
    whole = milp(
        c=(price * weights)[used],
        constraints=[LinearConstraint(c.A[:, used], c.lb, c.ub) for c in step3],
        integrality=np.ones(int(used.sum())),
        options={"time_limit": seconds, "mip_rel_gap": 1e-4},
    )
    if whole.x is not None:
        units[used] = np.round(whole.x)
    return [int(u) for u in units]


def _lp(
    cost: np.ndarray, constraints: list[LinearConstraint], upper: np.ndarray, seconds: float
) -> np.ndarray:
    """An LP by HiGHS's interior point method (the simplex stalls on these at scale)."""
    from scipy.optimize import linprog
    from scipy.sparse import vstack

    matrix = vstack([c.A for c in constraints]).tocsr()
    lower_b = np.concatenate([np.broadcast_to(c.lb, (c.A.shape[0],)) for c in constraints])
    upper_b = np.concatenate([np.broadcast_to(c.ub, (c.A.shape[0],)) for c in constraints])
    below, above = np.isfinite(upper_b), np.isfinite(lower_b)
    result = linprog(
        cost,
        A_ub=vstack([matrix[below], -matrix[above]]).tocsr(),
        b_ub=np.r_[upper_b[below], -lower_b[above]],
        bounds=np.column_stack([np.zeros(len(cost)), upper]),
        method="highs-ipm",
        options={"time_limit": seconds},
    )
    if result.x is None:
        raise RuntimeError(f"the dispatch LP found no solution: {result.message}")
    return np.asarray(result.x)


def _grouping(
    columns: list[tuple[Option, str]],
    key_of: Callable[[Option, str], K],
    values: np.ndarray,
) -> tuple[csr_matrix, list[K]]:
    """A matrix summing ``values`` of the columns that share a key, one row per key."""
    from scipy.sparse import coo_matrix, csr_matrix

    keys = sorted({key_of(o, k) for o, k in columns}, key=str)
    row = {key: i for i, key in enumerate(keys)}
    rows = [row[key_of(o, k)] for o, k in columns]
    shape = (len(keys), len(columns))
    return csr_matrix(coo_matrix((values, (rows, range(len(columns)))), shape=shape)), keys


def _with_column(matrix: csr_matrix, column: float | np.ndarray) -> csr_matrix:
    """The matrix with one more column (the fair share z of step 1)."""
    from scipy.sparse import coo_matrix, csr_matrix, hstack

    extra = np.broadcast_to(np.asarray(column, dtype=float), (matrix.shape[0],)).reshape(-1, 1)
    return csr_matrix(hstack([matrix, coo_matrix(extra)]))


def _cause(
    area_id: str,
    kit_id: str,
    event: Event,
    network: Network,
    on_time: tuple[Option, ...],
    served: set[tuple[str, str]],
    need: dict[tuple[str, str], int],
) -> str:
    """Why (area, kit) still misses units."""
    if kit_id not in network.kits:
        return f"unknown kit type {kit_id!r}"
    if not any(o.area_id == area_id for o in on_time):
        slowest = min((o.lead_h for o in network.options if o.area_id == area_id), default=None)
        known = f" (fastest option {slowest:g} h)" if slowest is not None else " (no option at all)"
        return f"no option arrives within {event.deadline_h:g} h{known}"
    if (area_id, kit_id) not in served:
        return "no stock of it at any hub with an option arriving in time"
    reachable = {o.hub_id for o in on_time if o.area_id == area_id}
    held = sum(h.stock.get(kit_id, 0) for h in network.hubs if h.hub_id in reachable)
    if held < need[(area_id, kit_id)]:
        return f"the hubs within reach hold {held} units for a need of {need[(area_id, kit_id)]}"
    return "stock and transport capacity shared with other areas (equity rule)"
