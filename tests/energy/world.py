"""A park like one of Cainiao's, for a day at 15 minutes: 2 MWp of PV, a battery, 20 EVs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenlane.energy.park import Battery, Park, Session
from greenlane.energy.pv import Array, ac_kw, clearsky

LAT, LON = 30.27, 120.15  # Hangzhou
PV = Array(2000, 20, 180)


def park(seed: int = 1, step_h: float = 0.25) -> Park:
    """From noon to noon (UTC+8): PV, a two-shift load, 20 vans charging overnight."""
    n = int(24 / step_h)
    times = pd.date_range("2025-06-21 04:00", periods=n, freq=f"{int(step_h * 60)}min", tz="UTC")
    pv = ac_kw(PV, LAT, LON, clearsky(LAT, LON, times)).to_numpy()
    hour = (np.arange(n) * step_h + 12) % 24
    rng = np.random.default_rng(seed)
    load = 300 + 250 * ((hour >= 6) & (hour < 22)) + rng.uniform(0, 50, n)
    tariff = np.where((hour >= 8) & (hour < 22), 0.16, 0.05)
    ef = np.full(n, 0.5366)  # MEE 2022 national average, kg CO2/kWh
    per = int(1 / step_h)
    arrive = 6 * per + rng.integers(0, 3 * per, 20)  # 18:00-21:00
    leave = 18 * per - rng.integers(0, 2 * per, 20)  # 04:00-06:00
    need = rng.uniform(30, 70, 20)
    sessions = tuple(
        Session(f"van{i}", int(arrive[i]), int(leave[i]), float(need[i]), 22.0) for i in range(20)
    )
    return Park("hz-park", step_h, pv, load, tariff, ef, "MEE 2022 average", Battery(2000, 500),
                sessions, import_kw=2500, export_kw=1000, feed_in=0.03)  # fmt: skip
