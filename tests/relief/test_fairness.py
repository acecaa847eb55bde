"""Each kit type finds its own fair level: lexicographic max-min, held to an independent LP.

Tents are scarcest (10% of need everywhere); water is not held down to the tents' level. A5
is reached by one small truck, so its water stops where the truck is full; the other four
areas share the rest of the water equally, at the highest level an LP finds possible.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from greenlane.relief.dispatch import plan
from greenlane.relief.model import Area, Event, Hub, KitType, Network, Option

KITS = {"water": KitType("water", 1.0, 0.001), "tent": KitType("tent", 40.0, 0.2)}
ROAD = "road.eu.artic_le40t.diesel.average"
AREAS = tuple(Area(f"A{n}", 36.0 + n / 10, 36.0, 1000) for n in range(1, 6))
SMALL_KG = 2000.0  # the one truck to A5


def _network() -> Network:
    hub = Hub("H", 37.0, 37.0, {"water": 25_000, "tent": 50})
    options = tuple(
        Option(f"H-{a.area_id}", "H", a.area_id, "road", ROAD, 200, 24,
               SMALL_KG if a.area_id == "A5" else 1e6, 0.2)
        for a in AREAS
    )  # fmt: skip
    return Network(KITS, (hub,), options)


def test_each_kit_type_has_its_own_max_min_level() -> None:
    """Tents 10% everywhere; A5's water fills its truck; A1-A4 share the rest at the LP's level."""
    event = Event("flood", AREAS, {"water": 10.0, "tent": 0.1})
    result = plan(event, _network())
    share = {(a, k): result.delivered[(a, k)] / result.need[(a, k)] for a, k in result.need}
    assert all(share[(a.area_id, "tent")] == pytest.approx(0.1) for a in AREAS)
    a5_water = result.delivered[("A5", "water")]
    assert a5_water + 40 * result.delivered[("A5", "tent")] == pytest.approx(SMALL_KG, abs=1)
    others = [result.delivered[(f"A{n}", "water")] for n in range(1, 5)]
    assert max(others) - min(others) <= 1  # equal, up to a whole unit
    # the independent LP: the highest level t that A1-A4's water can all reach, with tents at
    # 10% and A5 as planned; variables x1..x4 (water), t
    cost = np.r_[np.zeros(4), -1.0]
    rows = [np.r_[np.ones(4), 0.0]]  # the hub's water left after A5
    bounds = [25_000 - a5_water]
    for n in range(4):  # x_n >= t * 10,000
        row = np.zeros(5)
        row[n], row[4] = -1.0, 10_000.0
        rows.append(row)
        bounds.append(0.0)
    best = linprog(cost, A_ub=np.array(rows), b_ub=bounds, bounds=[(0, 10_000)] * 4 + [(0, 1)])
    level = best.x[4]
    assert level == pytest.approx((25_000 - a5_water) / 40_000)
    assert min(others) / 10_000 >= level - 1e-4
    assert result.fair_share == pytest.approx(0.1)
    # a single floor shared by every kit type would have stopped at the tents' 10%
    assert min(others) / 10_000 > 5 * result.fair_share


def test_a_shortfall_cause_follows_what_the_area_received() -> None:
    """A5 got water but its truck is full: the cause is transport, not the hub's stock."""
    result = plan(Event("flood", AREAS, {"water": 10.0, "tent": 0.1}), _network())
    causes = {(s.area_id, s.kit_id): s.cause for s in result.shortfalls}
    assert "transport capacity" in causes[("A5", "water")]
    assert "hold 25000 units for a need of" not in causes[("A1", "water")]
    assert "equity rule" in causes[("A1", "water")]
