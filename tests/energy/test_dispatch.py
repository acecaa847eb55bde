"""The LP keeps every bound, never does worse than the rule on its own objective, KPIs by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from greenlane.energy.dispatch import OBJECTIVES, Flows, baseline, by_day, optimise
from greenlane.energy.kpis import hoc_rows, kpis
from greenlane.energy.park import Park
from tests.energy.world import park

TOL = 1e-5


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_the_lp_respects_every_bound(objective: str) -> None:
    """Balance; battery, grid and charger limits; soc in bounds; each EV charged in time."""
    p = park()
    _keeps_every_bound(p, optimise(p, objective))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rule_ends_as_full_as_it_began_within_every_bound(seed: int) -> None:
    """A cloudy day: the rule buys back what its battery lacks at the end, at the night tariff."""
    sunny = park(seed)
    p = replace(sunny, pv_kw=sunny.pv_kw * 0.1)
    f = baseline(p)
    assert f.soc_kwh[-1] >= f.soc_kwh[0] - 1e-6
    _keeps_every_bound(p, f)
    bought = f.charge - np.minimum(f.charge, np.maximum(p.pv_kw - p.load_kw - f.ev, 0.0))
    assert bought.sum() > 0  # this park's nights empty the battery: the rule must top it up
    assert p.tariff[bought > 1e-9].max() == p.tariff.min()  # at the night tariff


def _keeps_every_bound(p: Park, f: Flows) -> None:
    b, dt = p.battery, p.step_h
    balance = (
        p.pv_kw
        - f.curtailed
        + f.grid_import
        + f.discharge
        - p.load_kw
        - f.charge
        - f.grid_export
        - f.ev
    )
    assert np.abs(balance).max() < 1e-4
    for series, top in (
        (f.charge, b.kw),
        (f.discharge, b.kw),
        (f.grid_import, p.import_kw),
        (f.grid_export, p.export_kw),
    ):
        assert series.min() >= -TOL and series.max() <= top + TOL
    assert (f.curtailed >= -TOL).all() and (f.curtailed <= p.pv_kw + TOL).all()
    assert (
        f.soc_kwh.min() >= b.soc_min * b.kwh - 1e-3 and f.soc_kwh.max() <= b.soc_max * b.kwh + 1e-3
    )
    soc_next = f.soc_kwh[:-1] + (b.eta_charge * f.charge - f.discharge / b.eta_discharge) * dt
    assert np.abs(soc_next - f.soc_kwh[1:]).max() < 1e-3
    assert f.soc_kwh[-1] >= f.soc_kwh[0] - 1e-3  # nothing borrowed from the next day
    plugged = np.zeros(p.steps)
    for s in p.sessions:
        plugged[s.arrive : s.leave] += s.charger_kw
    assert (f.ev <= plugged + TOL).all()  # no charging of an absent van, never above its charger
    assert f.ev.sum() * dt >= sum(s.kwh for s in p.sessions) - 1e-3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_plan_is_never_worse_than_the_rule_on_its_own_objective(seed: int) -> None:
    """Cost, CO2e and grid import of each optimised plan are at most the baseline's."""
    p = park(seed)
    rule = kpis(p, baseline(p))
    assert kpis(p, optimise(p, "cost")).cost <= rule.cost + 1e-6
    assert kpis(p, optimise(p, "co2e")).co2e_kg <= rule.co2e_kg + 1e-6
    assert kpis(p, optimise(p, "clean")).import_kwh <= rule.import_kwh + 1e-6


def test_kpis_and_hoc_rows_by_hand() -> None:
    """One hour, 100 kWh PV: 20 exported, 80 used; 120 imported; the shares worked by hand."""
    p = park(step_h=1.0)
    n = p.steps
    from dataclasses import replace

    one = replace(
        p,
        pv_kw=np.r_[100.0, np.zeros(n - 1)],
        grid_ef=np.full(n, 0.5),
        tariff=np.full(n, 0.1),
        feed_in=0.02,
    )
    zeros = np.zeros(n)
    flows = Flows(np.r_[120.0, zeros[1:]], np.r_[20.0, zeros[1:]], zeros, zeros,
                  np.zeros(n + 1), zeros, zeros)  # fmt: skip
    k = kpis(one, flows, certified_share=0.25)
    assert (k.pv_used_kwh, k.consumption_kwh) == (80.0, 200.0)
    assert k.clean_share == pytest.approx((80 + 0.25 * 120) / 200)
    assert k.self_consumption == pytest.approx(0.8) and k.self_sufficiency == pytest.approx(0.4)
    assert k.avoided_co2e_kg == pytest.approx(40.0) and k.co2e_kg == pytest.approx(60.0)
    assert k.cost == pytest.approx(120 * 0.1 - 20 * 0.02)
    grid, solar = hoc_rows(one, flows, data_type="modelled")
    assert (grid["quantity"], grid["ef_wtw_kg_per_unit"]) == (120.0, 0.5)
    assert grid["data_type"] == solar["data_type"] == "modelled"
    assert (solar["quantity"], solar["ef_wtw_kg_per_unit"]) == (80.0, 0.0)


def test_a_year_in_daily_windows_carries_the_battery_over() -> None:
    """Three days in day windows: each starts where the last ended."""
    days = [park(s) for s in (1, 2, 3)]
    three = replace(
        days[0],
        pv_kw=np.concatenate([d.pv_kw for d in days]),
        load_kw=np.concatenate([d.load_kw for d in days]),
        tariff=np.concatenate([d.tariff for d in days]),
        grid_ef=np.concatenate([d.grid_ef for d in days]),
        sessions=tuple(
            replace(s, vehicle=f"{s.vehicle}-{k}", arrive=s.arrive + k * 96, leave=s.leave + k * 96)
            for k, d in enumerate(days)
            for s in d.sessions
        ),
    )
    planned, ruled = by_day(three, "cost", 96)
    assert len(planned.grid_import) == 288 and len(planned.soc_kwh) == 289
    assert kpis(three, planned).cost <= kpis(three, ruled).cost
