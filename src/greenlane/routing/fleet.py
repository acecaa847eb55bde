"""Vehicle types of a mixed fleet: capacity, energy carrier, energy use, range, costs, shift.

Energy use per km is stated twice, empty and fully loaded, and taken as linear in the load
carried (the load term of the comprehensive modal emission model is affine in load). CO2e per
unit of energy comes from the factor pack's energy table (GLEC v3.0 Module 1), so a route's
CO2e in the plan and in the ISO 14083 report are the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from greenlane.emissions.categories import energy_factor
from greenlane.errors import FieldError
from greenlane.factors import FactorPack, load_pack

CARRIERS = {  # carrier -> (energy source in the factor pack, unit)
    "diesel": ("diesel", "l"),
    "battery_electric": ("electricity", "kWh"),
    "hydrogen_fuel_cell": ("hydrogen", "kg"),
    "e_cargo_bike": ("electricity", "kWh"),
    "campus_robot": ("electricity", "kWh"),
}
ELECTRIC = {"battery_electric", "e_cargo_bike", "campus_robot"}


@dataclass(frozen=True, slots=True)
class VehicleType:
    """One type of vehicle in the fleet, with how many are available at its depot."""

    type_id: str
    carrier: str
    capacity_kg: float
    capacity_m3: float
    energy_per_km_empty: float  # in the carrier's unit (l, kWh or kg of hydrogen)
    energy_per_km_full: float
    fixed_cost: float  # per vehicle used
    cost_per_km: float
    cost_per_hour: float
    depot: str
    shift_start_h: float
    shift_end_h: float
    available: int
    speed_kmh: float
    range_km: float | None = None  # battery vehicles: distance on a full charge
    charge_kw: float | None = None  # battery vehicles: charging power at a station
    group: str = ""  # vehicles that can replace each other (for fleet-mix comparisons)
    region: str = "EU"  # grid or fuel region of the energy factor
    service_radius_km: float | None = None  # road km from its base it may deliver within
    stop_kinds: tuple[str, ...] = ()  # the kinds of stop it may serve (none given: any)

    def __post_init__(self) -> None:
        """Refuse a vehicle that cannot exist or cannot be priced."""
        if self.carrier not in CARRIERS:
            raise FieldError("carrier", f"must be one of {sorted(CARRIERS)}, got {self.carrier!r}")
        if not (self.capacity_kg > 0 and self.capacity_m3 > 0):
            raise ValueError("capacity_kg and capacity_m3 must be > 0")
        if not 0 <= self.energy_per_km_empty <= self.energy_per_km_full:
            raise FieldError("energy_per_km_full", "must be >= energy_per_km_empty >= 0")
        if not 0 <= self.shift_start_h < self.shift_end_h:
            raise FieldError("shift_end_h", "must be after shift_start_h, which is >= 0")
        if self.available < 0 or not self.speed_kmh > 0:
            raise FieldError("available", "must be >= 0 and speed_kmh > 0")
        if min(self.fixed_cost, self.cost_per_km, self.cost_per_hour) < 0:
            raise ValueError("cost_per_km, cost_per_hour and fixed_cost must be >= 0")
        if self.carrier in ELECTRIC and not (self.range_km and 0 < self.range_km < math.inf):
            raise FieldError("range_km", f"must be > 0 and finite for a {self.carrier} vehicle")
        if self.charge_kw is not None and not 0 < self.charge_kw < math.inf:
            raise FieldError(
                "charge_kw", "must be > 0 and finite (leave it empty if it does not charge)"
            )
        if self.service_radius_km is not None and not self.service_radius_km > 0:
            raise FieldError("service_radius_km", "must be > 0 (leave it empty for no limit)")

    def may_serve(self, stop_kind: str, km_from_base: float) -> bool:
        """Whether a stop of this kind, this far from its base by road, is in its service area."""
        if self.stop_kinds and stop_kind not in self.stop_kinds:
            return False
        return self.service_radius_km is None or km_from_base <= self.service_radius_km

    @property
    def energy(self) -> tuple[str, str]:
        """The energy source and unit it is priced in."""
        return CARRIERS[self.carrier]

    @property
    def is_electric(self) -> bool:
        """Battery vehicles: range-limited, charged at the depot or at stations."""
        return self.carrier in ELECTRIC

    def energy_per_km(self, load_kg: float) -> float:
        """Energy per km carrying ``load_kg`` (linear between empty and full)."""
        share = min(max(load_kg / self.capacity_kg, 0.0), 1.0)
        return self.energy_per_km_empty + share * (
            self.energy_per_km_full - self.energy_per_km_empty
        )

    def co2e_per_unit(self, pack: FactorPack | None = None) -> float:
        """WTW kg CO2e per unit of its energy, from the factor pack's energy table."""
        source, unit = self.energy
        found = energy_factor(
            pack or load_pack(), {"source": source, "unit": unit, "region": self.region}
        )
        if isinstance(found, str):
            raise ValueError(f"vehicle type {self.type_id}: {found}")
        return found.wtw


def apportion(weights: Sequence[float], count: int) -> list[int]:
    """``count`` split in proportion to ``weights`` (equal if all zero), largest remainder.

    Ties go to the earlier weight, so the same weights always give the same split.

    Parameters
    ----------
    weights
        What each share is in proportion to (not negative).
    count
        The whole to split.

    Returns
    -------
    list of int
        One share per weight, adding up to ``count``.

    """
    base = np.array(weights, dtype=float) if sum(weights) else np.ones(len(weights))
    exact = base / base.sum() * count
    whole = np.floor(exact).astype(int)
    for n in np.argsort(-(exact - whole), kind="stable")[: count - whole.sum()]:
        whole[n] += 1
    return [int(k) for k in whole]
