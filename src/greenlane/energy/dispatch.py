"""Energy dispatch of a park: the optimised LP, and the rule a park runs without optimisation.

LP (HiGHS, interior point, through SciPy) per step t: grid import and export, battery charge
and discharge, battery state of charge, PV curtailment and each plugged-in EV's charging power.

- Balance: PV - curtailed + import + discharge = load + charge + export + EV charging.
- Battery: soc[t+1] = soc[t] + (eta_c charge - discharge / eta_d) step; bounds on soc, powers;
  the battery ends the horizon at least as full as it started (no borrowing from later days).
- EVs: each session gets its energy before it leaves, at most its charger's power.
- Objectives: ``cost`` (tariff x import - feed-in x export), ``co2e`` (grid factor x import),
  or ``clean`` (least import: the most of the park's own PV). A tiny charge on battery
  throughput keeps the LP from cycling the battery for nothing.

The baseline rule: EVs charge at full power from arrival until full; surplus PV charges the
battery, deficits discharge it; what is left is exported (up to the limit, else curtailed) or
imported. Like the LP, the rule ends each window at least as full as it began: what it lacks
is bought from the grid in the window's cheapest steps with room to charge (a park tops its
battery up at the night tariff), so neither side borrows from the next day. A year is solved
in windows of one day, the state of charge carried over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, vstack

from greenlane.energy.park import Park, Session
from greenlane.errors import FieldError

OBJECTIVES = ("cost", "co2e", "clean")
THROUGHPUT = 1e-6  # per kWh through the battery: breaks ties against needless cycling


@dataclass(frozen=True, slots=True)
class Flows:
    """Per step (kW): what the park did."""

    grid_import: np.ndarray
    grid_export: np.ndarray
    charge: np.ndarray
    discharge: np.ndarray
    soc_kwh: np.ndarray  # at the start of each step, then after the last (steps + 1)
    curtailed: np.ndarray
    ev: np.ndarray  # per step, all EVs together


def baseline(park: Park, soc_kwh: float | None = None) -> Flows:
    """The rule without optimisation (see the module).

    Parameters
    ----------
    park
        The park's series (PV, load, tariffs, EV sessions) and assets.
    soc_kwh
        The battery's state of charge at the start (its initial setting when None).

    Returns
    -------
    Flows
        Import, export, battery and EV charging per step.

    """
    b, dt, n = park.battery, park.step_h, park.steps
    ev = np.zeros(n)
    for s in park.sessions:
        left = s.kwh
        for t in range(s.arrive, s.leave):
            power = min(s.charger_kw, left / dt)
            ev[t] += power
            left -= power * dt
    soc = np.zeros(n + 1)
    soc[0] = b.soc_start * b.kwh if soc_kwh is None else soc_kwh
    flows = {k: np.zeros(n) for k in ("imp", "exp", "ch", "dis", "cut")}
    for t in range(n):
        net = park.pv_kw[t] - park.load_kw[t] - ev[t]
        if net >= 0:
            room = (b.soc_max * b.kwh - soc[t]) / (b.eta_charge * dt)
            flows["ch"][t] = min(net, b.kw, max(room, 0.0))
            spill = net - flows["ch"][t]
            flows["exp"][t] = min(spill, park.export_kw)
            flows["cut"][t] = spill - flows["exp"][t]
        else:
            stored = (soc[t] - b.soc_min * b.kwh) * b.eta_discharge / dt
            flows["dis"][t] = min(-net, b.kw, max(stored, 0.0))
            flows["imp"][t] = -net - flows["dis"][t]
        soc[t + 1] = (
            soc[t] + (b.eta_charge * flows["ch"][t] - flows["dis"][t] / b.eta_discharge) * dt
        )
    _top_up(park, flows, soc)
    return Flows(flows["imp"], flows["exp"], flows["ch"], flows["dis"], soc, flows["cut"], ev)


def _top_up(park: Park, flows: dict[str, np.ndarray], soc: np.ndarray) -> None:
    """Grid charging in the cheapest steps until the battery ends as full as it began.

    Charging at step t raises the state of charge from t + 1 on; each step takes what the
    battery's power and the room left at every later step allow.
    """
    b, dt = park.battery, park.step_h
    missing = min(soc[0], b.soc_max * b.kwh) - soc[-1]
    for t in sorted(range(park.steps), key=lambda t: (park.tariff[t], -t)):
        if missing <= 1e-9:
            return
        if flows["dis"][t] > 0:
            continue  # the rule does not charge and discharge in one step
        room = (b.soc_max * b.kwh - soc[t + 1 :].max()) / (b.eta_charge * dt)
        grid = park.import_kw - flows["imp"][t]
        power = min(b.kw - flows["ch"][t], room, grid, missing / (b.eta_charge * dt))
        if power <= 0:
            continue
        flows["ch"][t] += power
        flows["imp"][t] += power
        soc[t + 1 :] += b.eta_charge * power * dt
        missing -= b.eta_charge * power * dt


def optimise(park: Park, objective: str = "cost", soc_kwh: float | None = None) -> Flows:
    """The LP's plan for the whole grid of ``park`` (see the module).

    Parameters
    ----------
    park
        The park's series and assets.
    objective
        ``cost``, ``co2e`` or ``clean``.
    soc_kwh
        The battery's state of charge at the start (its initial setting when None).

    Returns
    -------
    Flows
        Import, export, battery and EV charging per step.

    References
    ----------
    Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex method",
    Mathematical Programming Computation 10 (2018) 119-142 (HiGHS, the solver used).

    """
    if objective not in OBJECTIVES:
        raise FieldError("objective", f"must be one of {OBJECTIVES}, got {objective!r}")
    b, dt, n = park.battery, park.step_h, park.steps
    start = b.soc_start * b.kwh if soc_kwh is None else soc_kwh
    # variables: imp, exp, ch, dis, cut (n each), soc (n + 1), then one per plugged step of each EV
    plugged = [(i, t) for i, s in enumerate(park.sessions) for t in range(s.arrive, s.leave)]
    imp, exp, ch, dis, cut = (np.arange(n) + k * n for k in range(5))
    soc = np.arange(5 * n, 6 * n + 1)
    first_ev = 6 * n + 1
    width = first_ev + len(plugged)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        r = len(lo)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    ev_at: dict[int, list[int]] = {}
    for k, (_, t) in enumerate(plugged):
        ev_at.setdefault(t, []).append(first_ev + k)
    for t in range(n):  # balance: imp + dis - cut - exp - ch - ev = load - pv
        entries: list[tuple[int, float]] = [
            (int(imp[t]), 1.0),
            (int(dis[t]), 1.0),
            (int(cut[t]), -1.0),
            (int(exp[t]), -1.0),
            (int(ch[t]), -1.0),
        ]
        entries += [(c, -1.0) for c in ev_at.get(t, [])]
        row(entries, park.load_kw[t] - park.pv_kw[t], park.load_kw[t] - park.pv_kw[t])
        state = [
            (soc[t + 1], 1),
            (soc[t], -1),
            (ch[t], -b.eta_charge * dt),
            (dis[t], dt / b.eta_discharge),
        ]
        row(state, 0.0, 0.0)
    row([(soc[0], 1)], start, start)
    row([(soc[n], 1)], min(start, b.soc_max * b.kwh), np.inf)
    for i, s in enumerate(park.sessions):
        row([(first_ev + k, dt) for k, (j, _) in enumerate(plugged) if j == i], s.kwh, np.inf)
    upper = np.concatenate(
        [
            np.full(n, park.import_kw),
            np.full(n, park.export_kw),
            np.full(n, b.kw),
            np.full(n, b.kw),
            park.pv_kw,
            np.full(n + 1, b.soc_max * b.kwh),
            [park.sessions[i].charger_kw for i, _ in plugged],
        ]
    )
    lower = np.zeros(width)
    lower[soc] = b.soc_min * b.kwh
    lower[soc[0]] = min(start, lower[soc[0]])
    cost = np.zeros(width)
    weights = {"cost": park.tariff, "co2e": park.grid_ef, "clean": np.ones(n)}[objective]
    cost[imp] = weights * dt
    cost[exp] = -park.feed_in * dt if objective == "cost" else 0.0
    cost[ch] = cost[dis] = THROUGHPUT * dt
    matrix = csr_matrix(coo_matrix((vals, (rows, cols)), shape=(len(lo), width)))
    low, high = np.array(lo), np.array(hi)
    equal = low == high
    result = linprog(
        cost,
        A_ub=_stack(matrix, low, high, equal),
        b_ub=np.r_[high[~equal & np.isfinite(high)], -low[~equal & np.isfinite(low)]],
        A_eq=matrix[equal],
        b_eq=low[equal],
        bounds=np.column_stack([lower, upper]),
        method="highs-ipm",
    )
    if result.x is None:
        raise ValueError(f"park {park.park_id}: no feasible dispatch ({result.message})")
    x = result.x
    ev = np.zeros(n)
    for k, (_, t) in enumerate(plugged):
        ev[t] += x[first_ev + k]
    return Flows(x[imp], x[exp], x[ch], x[dis], x[soc], x[cut], ev)


def _stack(matrix: csr_matrix, low: np.ndarray, high: np.ndarray, equal: np.ndarray) -> csr_matrix:
    """The inequality rows as A_ub: upper bounds as they are, lower bounds negated."""
    upper_rows = matrix[~equal & np.isfinite(high)]
    lower_rows = -matrix[~equal & np.isfinite(low)]
    return csr_matrix(vstack([upper_rows, lower_rows]))


def by_day(park: Park, objective: str, steps_per_window: int) -> tuple[Flows, Flows]:
    """The optimised plan and the baseline over the whole grid, in windows, soc carried over.

    Parameters
    ----------
    park
        The park's series and assets.
    objective
        ``cost``, ``co2e`` or ``clean``.
    steps_per_window
        Steps in one window (a day at the series' step).

    Returns
    -------
    tuple of Flows
        The optimised plan, then the rule's.

    """
    planned, ruled = [], []
    soc_plan = soc_rule = None
    for first in range(0, park.steps, steps_per_window):
        window = _window(park, first, min(first + steps_per_window, park.steps))
        planned.append(optimise(window, objective, soc_plan))
        ruled.append(baseline(window, soc_rule))
        soc_plan, soc_rule = planned[-1].soc_kwh[-1], ruled[-1].soc_kwh[-1]
    return _joined(planned), _joined(ruled)


def _window(park: Park, first: int, last: int) -> Park:
    """The park between two steps; sessions outside it are dropped, crossing ones refused."""
    sessions = []
    for s in park.sessions:
        if s.leave <= first or s.arrive >= last:
            continue
        if s.arrive < first or s.leave > last:
            raise ValueError(
                f"{s.vehicle}: a session crosses a window edge (step {first} or {last})"
            )
        sessions.append(Session(s.vehicle, s.arrive - first, s.leave - first, s.kwh, s.charger_kw))
    cut = slice(first, last)
    return replace(
        park,
        pv_kw=park.pv_kw[cut],
        load_kw=park.load_kw[cut],
        tariff=park.tariff[cut],
        grid_ef=park.grid_ef[cut],
        sessions=tuple(sessions),
    )


def _joined(parts: list[Flows]) -> Flows:
    def join(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts])

    soc = np.concatenate([p.soc_kwh[:-1] for p in parts] + [parts[-1].soc_kwh[-1:]])
    return Flows(join("grid_import"), join("grid_export"), join("charge"), join("discharge"), soc,
                 join("curtailed"), join("ev"))  # fmt: skip
