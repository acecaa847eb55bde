"""A park as a JSON document (docs/energy.md), turned into time series for a period.

The load is a day's profile (24 hourly or 96 quarter-hourly values, kW, local time from
midnight), repeated every day; the tariff and,
where known, the grid factor likewise by hour (else one annual figure with its source). EV
sessions repeat daily (arrive in the evening, leave in the morning). Weather comes from a
weather file (``greenlane.energy.weather``), or is clear sky when the document asks for it
(an upper bound); the plan says which.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from greenlane.energy.park import Battery, Park, Session
from greenlane.energy.pv import CLEAR_SKY, Array, Weather, ac_kw, clearsky
from greenlane.energy.weather import read_weather
from greenlane.errors import FieldError


class _Doc(BaseModel):
    """Unknown fields are refused and no type is coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class ArrayDoc(_Doc):
    """A PV array (losses in percent; PVWatts' 14.08 by default)."""

    kwp: float = Field(gt=0)
    tilt: float = Field(ge=0, le=90)
    azimuth: float = Field(ge=0, lt=360)
    losses_pct: float = Field(default=14.08, ge=0, lt=100)


class BatteryDoc(_Doc):
    """The battery (0 kWh for none)."""

    kwh: float = Field(ge=0)
    kw: float = Field(ge=0)
    eta_charge: float = Field(default=0.95, gt=0, le=1)
    eta_discharge: float = Field(default=0.95, gt=0, le=1)
    soc_min: float = Field(default=0.1, ge=0, le=1)
    soc_max: float = Field(default=0.95, ge=0, le=1)


class RefrigerantDoc(_Doc):
    """A refrigerant the park's cooling leaks: its gas (as GLEC names it) and kg a year."""

    gas: str = Field(min_length=2, max_length=16, pattern=r"^R-[0-9A-Za-z]+$")
    kg_per_year: float = Field(ge=0, le=1e6)


class SessionDoc(_Doc):
    """A van that charges every night: plug-in and plug-out hour (local), energy, charger."""

    vehicle: str = Field(min_length=1)
    arrive_hour: int = Field(ge=12, le=23)
    leave_hour: int = Field(ge=0, le=11)
    kwh: float = Field(ge=0)
    charger_kw: float = Field(gt=0)


class ParkDoc(_Doc):
    """A logistics park."""

    park_id: str = Field(min_length=1, max_length=100)
    hub: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="the hub (its location code) whose handling the park's electricity serves: "
        "its TCEs take the park's energy as their HOC (with handled_t_per_day)",
    )
    handled_t_per_day: float | None = Field(
        default=None,
        gt=0,
        le=1e7,
        description="tonnes the hub handles a day, every customer's: what its energy is shared by",
    )
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    utc_offset_h: int = Field(ge=-12, le=14)
    arrays: list[ArrayDoc] = Field(min_length=1)
    battery: BatteryDoc
    load_kw_profile: list[float] = Field(min_length=24, max_length=96, description="24 or 96")
    tariff_by_hour: list[float] = Field(min_length=24, max_length=24)
    grid_ef: float | list[float] = Field(description="kg CO2e/kWh: annual, or 24 hourly values")
    grid_ef_source: str = Field(min_length=1)
    region: str = Field(
        default="GLOBAL", min_length=2, max_length=16, description="grid region (CN, EU27 ...)"
    )
    sessions: list[SessionDoc] = Field(default_factory=list)
    refrigerants: list[RefrigerantDoc] = Field(
        default_factory=list, max_length=20, description="the cooling's leaks, kg a year by gas"
    )
    import_kw: float = Field(default=1e9, gt=0)
    export_kw: float = Field(default=0.0, ge=0)
    feed_in: float = Field(default=0.0, ge=0)
    weather: str = Field(
        min_length=1,
        max_length=1000,
        description="a weather file's path (TMY3, EPW, PVGIS TMY JSON/CSV, or a CSV), or "
        "clearsky: an upper bound, only when asked for",
    )

    @model_validator(mode="after")
    def _hub_needs_tonnes(self) -> ParkDoc:
        """A hub's energy is shared by all it handles: without its tonnes there is no HOC."""
        if self.hub is not None and self.handled_t_per_day is None:
            raise ValueError("a park serving a hub needs handled_t_per_day, its daily tonnes")
        return self


def park_for(doc: ParkDoc, first_day: datetime, days: int, step_h: float = 1.0) -> tuple[Park, str]:
    """The park's series from local noon of ``first_day`` for ``days`` days; and the weather used.

    Days run noon to noon (local), so each night's charging lies within one day's window.

    Parameters
    ----------
    doc
        The park document (site, arrays, battery, chargers, load, tariffs).
    first_day
        The first day planned.
    days
        How many days.
    step_h
        The step of the series, in hours.

    Returns
    -------
    tuple of Park and str
        The park's series, and which weather was used (a TMY file or clear sky).

    """
    per_day = round(24 / step_h)
    start = first_day.replace(hour=12, minute=0) - timedelta(hours=doc.utc_offset_h)
    times = pd.date_range(start, periods=per_day * days, freq=f"{round(step_h * 60)}min", tz="UTC")
    if doc.weather == "clearsky":
        weather = clearsky(doc.lat, doc.lon, times, interval_h=step_h)
    else:
        weather = _on_days(read_weather(Path(doc.weather))[0], times, step_h)
    if len(doc.load_kw_profile) not in (24, 96):
        raise FieldError("load_kw_profile", "give 24 hourly or 96 quarter-hourly values", ": ")
    arrays = [Array(a.kwp, a.tilt, a.azimuth, a.losses_pct) for a in doc.arrays]
    pv = sum(ac_kw(array, doc.lat, doc.lon, weather) for array in arrays)
    local = (np.arange(len(times)) * step_h + 12) % 24
    local_hour = local.astype(int)
    per_hour = len(doc.load_kw_profile) // 24
    load_index = (local * per_hour).astype(int)
    hourly_ef = doc.grid_ef if isinstance(doc.grid_ef, list) else [doc.grid_ef] * 24
    sessions = [
        Session(f"{s.vehicle}-{d}", d * per_day + round((s.arrive_hour - 12) / step_h),
                d * per_day + round((s.leave_hour + 12) / step_h), s.kwh, s.charger_kw)
        for d in range(days)
        for s in doc.sessions
    ]  # fmt: skip
    b = doc.battery
    park = Park(
        doc.park_id,
        step_h,
        np.asarray(pv, dtype=float),
        np.asarray(doc.load_kw_profile)[load_index],
        np.asarray(doc.tariff_by_hour)[local_hour],
        np.asarray(hourly_ef)[local_hour],
        doc.grid_ef_source,
        Battery(b.kwh, b.kw, b.eta_charge, b.eta_discharge, b.soc_min, b.soc_max),
        tuple(sessions),
        doc.import_kw,
        doc.export_kw,
        doc.feed_in,
    )
    return park, weather.source


def weather_label(weather: str) -> str:
    """How a park document's weather is named in plans and summaries.

    Parameters
    ----------
    weather
        The document's ``weather``: ``clearsky`` or a file's path.

    Returns
    -------
    str
        The label (clear sky says it is an upper bound).

    """
    return CLEAR_SKY if weather == "clearsky" else f"weather file {Path(weather).name}"


def _on_days(year: Weather, times: pd.DatetimeIndex, step_h: float) -> Weather:
    """A weather year's hours on the planned days (by day of year and hour, UTC)."""
    frame = year.frame
    by_hour = frame.groupby([frame.index.day_of_year, frame.index.hour]).mean()
    keys = list(zip(times.day_of_year, times.hour, strict=True))
    planned = by_hour.reindex(keys).set_index(times).fillna(0.0)
    return Weather(planned, year.source, pd.Timedelta(hours=step_h / 2))
