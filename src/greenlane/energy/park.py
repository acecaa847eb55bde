"""A logistics park's energy system, as time series on one time grid.

Series are per step (kW or kg/kWh); ``step_h`` is the grid's step in hours (1 or 0.25). EV
sessions give each vehicle's plug-in and plug-out step, the energy it must leave with, and its
charger's power.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greenlane.errors import FieldError


@dataclass(frozen=True, slots=True)
class Battery:
    """A stationary battery: energy, power, efficiencies, state-of-charge bounds."""

    kwh: float
    kw: float
    eta_charge: float = 0.95
    eta_discharge: float = 0.95
    soc_min: float = 0.1  # shares of kwh
    soc_max: float = 0.95
    soc_start: float = 0.5

    def __post_init__(self) -> None:
        """Refuse a battery that cannot work."""
        if not (self.kwh >= 0 and self.kw >= 0):
            raise ValueError("kwh and kw must be >= 0")
        if not (0 < self.eta_charge <= 1 and 0 < self.eta_discharge <= 1):
            raise FieldError("efficiencies", "must be in (0, 1]")
        if not 0 <= self.soc_min <= self.soc_start <= self.soc_max <= 1:
            raise ValueError("need 0 <= soc_min <= soc_start <= soc_max <= 1")


@dataclass(frozen=True, slots=True)
class Session:
    """An EV plugged in from step ``arrive`` to step ``leave`` (exclusive), needing ``kwh``."""

    vehicle: str
    arrive: int
    leave: int
    kwh: float
    charger_kw: float

    def __post_init__(self) -> None:
        """Refuse a session that cannot be met even at full power."""
        if not 0 <= self.arrive < self.leave:
            raise ValueError(f"{self.vehicle}: leave must be after arrive")
        if self.kwh < 0 or self.charger_kw <= 0:
            raise ValueError(f"{self.vehicle}: kwh must be >= 0 and charger_kw > 0")


@dataclass(frozen=True, slots=True)
class Park:
    """What the park has and pays, on a grid of ``len(load_kw)`` steps of ``step_h`` hours."""

    park_id: str
    step_h: float
    pv_kw: np.ndarray
    load_kw: np.ndarray
    tariff: np.ndarray  # currency per kWh imported
    grid_ef: np.ndarray  # kg CO2e per kWh imported (hourly, or the annual average repeated)
    grid_ef_source: str
    battery: Battery
    sessions: tuple[Session, ...] = ()
    import_kw: float = float("inf")
    export_kw: float = 0.0
    feed_in: float = 0.0  # currency per kWh exported

    def __post_init__(self) -> None:
        """Refuse series of different lengths, and sessions outside the grid or unmeetable."""
        steps = len(self.load_kw)
        if any(len(s) != steps for s in (self.pv_kw, self.tariff, self.grid_ef)):
            raise ValueError("pv_kw, load_kw, tariff and grid_ef must have one value per step")
        for s in self.sessions:
            if s.leave > steps:
                raise ValueError(f"{s.vehicle}: the session ends after the last step")
            if s.kwh > s.charger_kw * (s.leave - s.arrive) * self.step_h + 1e-9:
                raise ValueError(f"{s.vehicle}: {s.kwh} kWh cannot be charged while plugged in")

    @property
    def steps(self) -> int:
        """Steps on the grid."""
        return len(self.load_kw)
