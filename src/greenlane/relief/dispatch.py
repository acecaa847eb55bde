"""The dispatch plan: what goes from which hub to which area, by which option, within the deadline.

Only options that arrive within the deadline are used, so nothing the plan calls on time
arrives late. The plan is solved by HiGHS (through SciPy's ``milp``) in three steps:

1. **Equity.** Lexicographic max-min fairness over the (area, kit type) pairs that some
   on-time option with stock can reach: the worst-served share of need is raised as far as
   it goes, the pairs that cannot go higher are fixed there, and the rest are raised again,
   until every pair is fixed. Each kit type so finds its own level (water is not held to
   the level of a scarcer kit), and a shortage is shared, not left to fall on whoever is
   served last.
2. **Need met.** With those shares held, what is still open (the whole kits rounding leaves,
   a kit no fairness level binds) goes where it meets the most priority-weighted need,
   counted in people: units delivered over the norm's units per person, times the area's
   priority, summed over areas and kit types. Equity comes first: priority never takes a
   share from another area.
3. **Cost and CO2e.** With both figures held, the least cost plus carbon price x WTW CO2e,
   in whole kits: an MILP over the options and kits the LP relaxation uses (the guaranteed
   share rounded down to whole kits, the people served allowed one kit less per area and kit).

The LP steps run HiGHS's interior-point method, which solves them at the scale of ten hubs,
two hundred areas and twenty kit types in seconds where the simplex stalls.

Every shortfall is reported with its cause, worked out from what the area received: no
option arrives within the deadline, no stock of that kit within reach, all the stock within
reach sent and still short, the transport capacity within the deadline used up, a kit type
the network does not know, or the stock shared out by the equity rule.
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
    fair_share: float  # the lowest share of need of a reachable (area, kit): the worst served

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
    loads: dict[str, float] = defaultdict(float)
    consignments = []
    for (option, kit_id), n in zip(columns, units, strict=True):
        if n <= 0:
            continue
        weight = n * network.kits[kit_id].weight_kg
        delivered[(option.area_id, kit_id)] += n
        loads[option.option_id] += weight
        consignments.append(
            Consignment(option, kit_id, n, weight, weight * option.cost_per_kg,
                        weight * per_kg[option.option_id])
        )  # fmt: skip
    served = {(o.area_id, k) for o, k in columns}
    fair = min((delivered[key] / need[key] for key in served), default=1.0)
    reach = _Reach(event, network, on_time, served, need, delivered, loads)
    return ReliefPlan(
        event.event_id,
        event.deadline_h,
        tuple(consignments),
        need,
        {key: delivered[key] for key in need},
        tuple(
            Shortfall(a, k, need[(a, k)], delivered[(a, k)], reach.cause(a, k))
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
    # step 1: each pair's share of need, lexicographically max-min
    levels = _max_min(limits, by_pair, need_v, n, seconds)
    # step 2: max priority-weighted people served, holding D x >= share x need
    people = np.array([1.0 / per_person[p] for p in pairs])
    value = np.asarray(people @ by_pair).ravel()
    held_share = LinearConstraint(by_pair, (levels - 1e-7) * need_v, np.inf)
    best = float(value @ _lp(-value, [*limits, held_share], np.full(n, np.inf), seconds))
    # step 3: whole units at least cost + price x CO2e; rounding may cost one unit a pair
    price = np.array([o.cost_per_kg + carbon_price * per_kg[o.option_id] for o, _ in columns])
    step3 = [
        *limits,
        LinearConstraint(by_pair, np.floor(levels * need_v + 1e-9), np.inf),
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


def _max_min(
    limits: list[LinearConstraint],
    by_pair: csr_matrix,
    need_v: np.ndarray,
    n: int,
    seconds: float,
) -> np.ndarray:
    """Each pair's share of need under lexicographic max-min fairness (progressive filling).

    Each round maximises the level ``t`` that every unfixed pair reaches (the fixed ones
    keep theirs); the pairs whose row binds with a positive dual cannot go higher and are
    fixed at ``t``. A round changes only the fixed pairs' rows, so HiGHS re-solves from the
    previous basis (dual simplex) instead of from scratch. In a degenerate round with no
    positive dual, each unfixed pair is tested on its own (can it pass ``t`` while the
    others hold it?).

    References
    ----------
    B. Radunovic and J.-Y. Le Boudec, "A unified framework for max-min and min-max
    fairness with applications", IEEE/ACM Transactions on Networking 15(5) (2007)
    1073-1083 (the water-filling algorithm on a convex feasible set).

    """
    import highspy
    from highspy._core import _Highs
    from scipy.sparse import vstack

    pairs = by_pair.shape[0]
    rising = _with_column(by_pair, -need_v)  # D x - t need >= 0, one row per pair
    rows = vstack([*(_with_column(c.A, 0.0) for c in limits), rising]).tocsc()
    lower = np.concatenate([np.broadcast_to(c.lb, (c.A.shape[0],)) for c in limits])
    upper = np.concatenate([np.broadcast_to(c.ub, (c.A.shape[0],)) for c in limits])
    first = len(lower)  # the pairs' rows follow the limits
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + 1, rows.shape[0]
    lp.col_cost_ = np.r_[np.zeros(n), -1.0]
    lp.col_lower_, lp.col_upper_ = np.zeros(n + 1), np.r_[np.full(n, inf), 1.0]
    lp.row_lower_ = np.r_[np.where(np.isfinite(lower), lower, -inf), np.zeros(pairs)]
    lp.row_upper_ = np.r_[np.where(np.isfinite(upper), upper, inf), np.full(pairs, inf)]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = rows.indptr, rows.indices
    lp.a_matrix_.value_ = rows.data
    solver = _Highs()  # the bare solver: highspy.Highs() prints a banner whatever the options
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(seconds))
    solver.setOptionValue("solver", "ipm")  # the first solve from scratch; crossover gives a basis
    solver.passModel(lp)
    levels = np.zeros(pairs)
    free = np.ones(pairs, dtype=bool)
    while free.any():
        solver.run()
        if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"the fairness LP: {solver.modelStatusToString(solver.getModelStatus())}"
            )
        solver.setOptionValue("solver", "simplex")  # later rounds start from this basis
        solution = solver.getSolution()
        level = min(float(solution.col_value[n]), 1.0)
        duals = np.asarray(solution.row_dual)[first:] * -1.0  # maximising t: binding rows < 0
        blocked = free & (np.abs(duals) > 1e-9)
        if level >= 1.0 - 1e-9:
            blocked = free.copy()  # every pair fully met: nothing can rise further
        elif not blocked.any():
            blocked = free.copy()
            blocked[free] = _cannot_rise(limits, by_pair, need_v, free, levels, level, n, seconds)
        for pair in np.flatnonzero(blocked):  # fixed: D x >= level x need, t no longer in it
            solver.changeCoeff(first + int(pair), n, 0.0)
            solver.changeRowBounds(first + int(pair), (level - 1e-9) * need_v[pair], inf)
        levels[blocked] = level
        free &= ~blocked
    return levels


def _cannot_rise(
    limits: list[LinearConstraint],
    by_pair: csr_matrix,
    need_v: np.ndarray,
    free: np.ndarray,
    levels: np.ndarray,
    level: float,
    n: int,
    seconds: float,
) -> np.ndarray:
    """Of the unfixed pairs, those that cannot pass ``level`` while the others hold it."""
    from scipy.optimize import LinearConstraint

    floor = np.where(free, level, levels) - 1e-9
    held = LinearConstraint(by_pair, floor * need_v, np.inf)
    stuck = []
    for row in np.flatnonzero(free):
        share = by_pair[row].toarray().ravel() / need_v[row]
        best = _lp(-share, [*limits, held], np.full(n, np.inf), seconds)
        stuck.append(float(share @ best) <= level + 1e-7)
    found = np.array(stuck, dtype=bool)
    return found if found.any() else np.ones(len(found), dtype=bool)


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


@dataclass(frozen=True, slots=True)
class _Reach:
    """What each area could be reached with, and what it received: the shortfalls' causes."""

    event: Event
    network: Network
    on_time: tuple[Option, ...]
    served: set[tuple[str, str]]
    need: dict[tuple[str, str], int]
    delivered: dict[tuple[str, str], int]
    loads: dict[str, float]  # kg carried on each option

    def cause(self, area_id: str, kit_id: str) -> str:
        """Why (area, kit) still misses units, from what it could reach and what it received."""
        if kit_id not in self.network.kits:
            return f"unknown kit type {kit_id!r}"
        options = [o for o in self.on_time if o.area_id == area_id]
        if not options:
            every = [o.lead_h for o in self.network.options if o.area_id == area_id]
            known = f" (fastest option {min(every):g} h)" if every else " (no option at all)"
            return f"no option arrives within {self.event.deadline_h:g} h{known}"
        if (area_id, kit_id) not in self.served:
            return "no stock of it at any hub with an option arriving in time"
        reachable = {o.hub_id for o in options}
        held = sum(h.stock.get(kit_id, 0) for h in self.network.hubs if h.hub_id in reachable)
        got, wanted = self.delivered[(area_id, kit_id)], self.need[(area_id, kit_id)]
        if got >= held:
            return f"all {held} units within reach were sent, for a need of {wanted}"
        kit_kg = self.network.kits[kit_id].weight_kg
        stocked = [o for o in options if self._holds(o.hub_id, kit_id)]
        if all(self.loads[o.option_id] > o.capacity_kg - kit_kg for o in stocked):
            return "the transport capacity to the area within the deadline is used up"
        shared = "shared with other areas at the same share of need (equity rule)"
        if held < wanted:
            return (
                f"the hubs within reach hold {held} units for a need of {wanted}, {shared}; "
                f"{got} sent here"
            )
        return f"stock {shared}"

    def _holds(self, hub_id: str, kit_id: str) -> bool:
        return any(h.hub_id == hub_id and h.stock.get(kit_id, 0) > 0 for h in self.network.hubs)
