"""CO2e of a reusable box's trip against a single-use corrugated carton, and the break-even.

Per trip, the reusable box carries its production spread over its trips, its washing, the
extra mass it adds to the outbound leg over a carton's, and the empty return leg; the carton
carries its board and its own outbound mass. Both legs are priced by the emissions engine
(ISO 14083 TCEs), so they use the same factors as every other figure.

Notes
-----
Break-even trips n* = P / (e_s - u), with P the box's production and end of life, e_s the
carton's CO2e per trip and u the box's CO2e per trip without production. When u >= e_s no
number of trips pays the box back (n* is infinite): a long empty return leg can do that.

References
----------
``../shared/reference/trace_relief_esg.md`` section 1.11 (studies and the formula).

"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

import polars as pl

from greenlane.emissions import calculate
from greenlane.errors import FieldError
from greenlane.factors.materials import BOARD_CO2E_KG_PER_KG
from greenlane.traceability.containers import FleetKpis


@dataclass(frozen=True, slots=True)
class ReuseCase:
    """The parameters (their sources are in ``data/reuse-defaults.csv`` and the docs)."""

    box_mass_kg: float
    box_production_co2e_kg: float
    box_design_trips: int
    washing_co2e_kg: float
    carton_board_kg: float
    outbound_km: float
    outbound_toc_id: str
    return_km: float
    return_toc_id: str

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, str) and not value >= 0:
                raise ValueError(f"{f.name} must be >= 0, got {value!r}")
        if self.box_design_trips < 1:
            raise FieldError("box_design_trips", f"must be >= 1, got {self.box_design_trips}")


@dataclass(frozen=True, slots=True)
class ReuseComparison:
    """CO2e per trip both ways (kg), and the trips the box needs to pay its production back."""

    carton_per_trip_kg: float
    box_per_trip_kg: float  # at the trips achieved (or the design trips)
    box_operating_per_trip_kg: float  # washing, extra outbound mass, empty return
    return_leg_kg: float
    break_even_trips: float  # math.inf when the box never pays back
    trips: float

    @property
    def saving_per_trip_kg(self) -> float:
        """What one trip in the box saves against one carton (negative: it costs)."""
        return self.carton_per_trip_kg - self.box_per_trip_kg


def read_case(path: Path | None = None) -> ReuseCase:
    """A case from a ``parameter,value`` CSV (greenlane's documented defaults without one).

    Parameters
    ----------
    path
        The CSV file, or None for the defaults.

    Returns
    -------
    ReuseCase
        Box and single-use carton data.

    """
    text = (
        path.read_text()
        if path
        else resources.files("greenlane.traceability")
        .joinpath("data/reuse-defaults.csv")
        .read_text()
    )
    values = {row["parameter"]: row["value"] for row in csv.DictReader(text.splitlines())}
    kinds = {f.name: f.type for f in fields(ReuseCase)}
    missing = sorted(set(kinds) - set(values))
    if missing:
        raise ValueError(f"{path}: missing parameter(s) {missing}")
    convert = {"float": float, "int": int, "str": str}
    return ReuseCase(**{n: convert[str(k)](values[n]) for n, k in kinds.items()})


def compare(case: ReuseCase, trips: float | None = None) -> ReuseComparison:
    """The comparison at ``trips`` uses of the box (default: its design trips).

    Parameters
    ----------
    case
        The reuse case.
    trips
        Trips per box.

    Returns
    -------
    ReuseComparison
        CO2e per trip of the box against a single-use carton, and the break-even trips.

    """
    used = float(trips or case.box_design_trips)
    extra_kg = max(0.0, case.box_mass_kg - case.carton_board_kg)
    legs = _priced(
        [
            ("extra", extra_kg, case.outbound_km, case.outbound_toc_id),
            ("return", case.box_mass_kg, case.return_km, case.return_toc_id),
            ("carton", case.carton_board_kg, case.outbound_km, case.outbound_toc_id),
        ]
    )
    operating = case.washing_co2e_kg + legs["extra"] + legs["return"]
    carton = case.carton_board_kg * BOARD_CO2E_KG_PER_KG + legs["carton"]
    gap = carton - operating
    return ReuseComparison(
        carton_per_trip_kg=carton,
        box_per_trip_kg=case.box_production_co2e_kg / used + operating,
        box_operating_per_trip_kg=operating,
        return_leg_kg=legs["return"],
        break_even_trips=case.box_production_co2e_kg / gap if gap > 0 else math.inf,
        trips=used,
    )


def lifetime_trips(case: ReuseCase, kpis: FleetKpis) -> float:
    """Trips a box makes: its design trips, or fewer when the pool loses boxes.

    Parameters
    ----------
    case
        The reuse case.
    kpis
        The pool's figures (its loss rate).

    Returns
    -------
    float
        Trips per box.

    Notes
    -----
    With a loss rate p per trip, trips until loss are geometric with mean 1/p; a box makes
    min(design trips, 1/p) (``../shared/reference/trace_relief_esg.md`` section 1.10).

    """
    loss = kpis.loss_rate_per_trip
    return float(case.box_design_trips if not loss else min(case.box_design_trips, 1 / loss))


def _priced(legs: list[tuple[str, float, float, str]]) -> dict[str, float]:
    """Kg CO2e (WTW) of each leg, by the emissions engine; a weightless leg is zero."""
    rows = [
        {"shipment_id": name, "tce_id": name, "kind": "transport", "mass_kg": kg,
         "toc_id": toc, "distance_km": km}
        for name, kg, km, toc in legs
        if kg > 0 and km > 0
    ]  # fmt: skip
    priced = (
        calculate(pl.DataFrame(rows)) if rows else pl.DataFrame({"tce_id": [], "co2e_wtw_kg": []})
    )
    found = dict(zip(priced["tce_id"].to_list(), priced["co2e_wtw_kg"].to_list(), strict=True))
    return {name: float(found.get(name, 0.0)) for name, *_ in legs}
