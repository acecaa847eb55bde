"""PV yield of a park's arrays with pvlib: weather from a file, or clear sky, PVWatts model.

Each array: plane-of-array irradiance from the sky (isotropic transposition), cell temperature
by the SAPM open-rack glass-glass model, DC power by PVWatts (``gamma_pdc`` -0.4%/K), the
losses of PVWatts (14.08% by default) and a PVWatts inverter (96% nominal). Every result
states the weather it used: a weather file (``greenlane.energy.weather``) or clear sky
(Ineichen with pvlib's Linke turbidity, 20 °C, 1 m/s), which is an upper bound and says so.

Time convention: a series is labelled by the start of each interval, as the park's load and
tariffs are (hour 8 is 08:00-09:00), and holds the interval's average. The sun is placed at
the middle of each interval (``Weather.offset``): placing it at the label would move the PV
half a step early against the tariffs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd
import pvlib

from greenlane.errors import FieldError

GAMMA_PDC = -0.004
DEPRECATED = getattr(pd.errors, "PandasDeprecationWarning", DeprecationWarning)
SAPM = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_glass"]


@dataclass(frozen=True, slots=True)
class Array:
    """A PV array: peak power, orientation, and its losses in percent."""

    kwp: float
    tilt: float
    azimuth: float  # degrees from north, 180 = south
    losses_pct: float = float(pvlib.pvsystem.pvwatts_losses())

    def __post_init__(self) -> None:
        """Refuse an array that cannot exist."""
        if not self.kwp > 0 or not 0 <= self.tilt <= 90 or not 0 <= self.azimuth < 360:
            raise FieldError("kwp", "must be > 0, tilt 0-90 and azimuth 0-360")
        if not 0 <= self.losses_pct < 100:
            raise FieldError("losses_pct", "must be in [0, 100)")


INSTANT = pd.Timedelta(0)  # values taken at their labels
CLEAR_SKY = "clear sky (Ineichen): an upper bound, not a forecast"


@dataclass(frozen=True, slots=True)
class Weather:
    """Irradiance, temperature and wind at the site, and where they come from.

    ``frame`` holds ghi, dni, dhi (W/m2), temp_air (°C) and wind_speed (m/s), indexed by the
    UTC start of each interval; ``offset`` is where in the interval the sun is placed (its
    middle for interval averages; zero for instantaneous values).
    """

    frame: pd.DataFrame
    source: str
    offset: pd.Timedelta = INSTANT


def clearsky(
    lat: float, lon: float, times: pd.DatetimeIndex, altitude: float = 0.0, interval_h: float = 0.0
) -> Weather:
    """Ineichen clear-sky irradiance at the site, with 20 °C and 1 m/s: an upper bound.

    Parameters
    ----------
    lat, lon
        The site, degrees.
    times
        The times (time-zone aware): instants, or the starts of intervals.
    altitude
        Metres above sea level.
    interval_h
        The intervals' length in hours: the sky is taken at each interval's middle (0: at
        the instants given).

    Returns
    -------
    Weather
        GHI, DNI, DHI, air temperature and wind speed at each time.

    References
    ----------
    P. Ineichen and R. Perez, "A new airmass independent formulation for the Linke turbidity
    coefficient", Solar Energy 73 (2002) 151-157 (via pvlib).

    """
    offset = pd.Timedelta(hours=interval_h / 2)
    location = pvlib.location.Location(lat, lon, altitude=altitude)
    with warnings.catch_warnings():  # pvlib still calls pandas APIs that pandas 3 deprecates
        warnings.simplefilter("ignore", DEPRECATED)
        sky = location.get_clearsky(times + offset, model="ineichen")
    frame = sky.assign(temp_air=20.0, wind_speed=1.0).set_index(times)
    return Weather(frame[["ghi", "dni", "dhi", "temp_air", "wind_speed"]], CLEAR_SKY, offset)


def ac_kw(array: Array, lat: float, lon: float, weather: Weather) -> pd.Series:
    """AC power of one array (kW) at each time of the weather.

    Parameters
    ----------
    array
        The array (tilt, azimuth, DC rating, losses).
    lat, lon
        The site, degrees.
    weather
        Irradiance, temperature and wind at each time.

    Returns
    -------
    pd.Series
        AC power, kW.

    References
    ----------
    A. P. Dobos, "PVWatts Version 5 Manual", NREL/TP-6A20-62641 (2014); D. L. King et al.,
    "Photovoltaic Array Performance Model", SAND2004-3535 (2004) (cell temperature).

    """
    with warnings.catch_warnings():  # as in clearsky
        warnings.simplefilter("ignore", DEPRECATED)
        moments = weather.frame.index + weather.offset
        position = pvlib.solarposition.get_solarposition(moments, lat, lon).set_index(
            weather.frame.index
        )
    poa = pvlib.irradiance.get_total_irradiance(
        array.tilt,
        array.azimuth,
        position["apparent_zenith"],
        position["azimuth"],
        weather.frame["dni"],
        weather.frame["ghi"],
        weather.frame["dhi"],
    )["poa_global"].fillna(0.0)
    cell = pvlib.temperature.sapm_cell(
        poa, weather.frame["temp_air"], weather.frame["wind_speed"], **SAPM
    )
    pdc0 = array.kwp * 1000
    dc = pvlib.pvsystem.pvwatts_dc(poa, cell, pdc0, GAMMA_PDC) * (1 - array.losses_pct / 100)
    return (pvlib.inverter.pvwatts(dc, pdc0).clip(lower=0.0) / 1000).rename("pv_kw")
