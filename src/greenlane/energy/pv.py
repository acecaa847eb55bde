"""PV yield of a park's arrays with pvlib: clear-sky weather or a TMY file, PVWatts model.

Each array: plane-of-array irradiance from the sky (isotropic transposition), cell temperature
by the SAPM open-rack glass-glass model, DC power by PVWatts (``gamma_pdc`` -0.4%/K), the
losses of PVWatts (14.08% by default) and a PVWatts inverter (96% nominal). Every result
states the weather it used: ``clearsky`` (Ineichen with pvlib's Linke turbidity, 20 °C, 1 m/s)
or the TMY file's name.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True, slots=True)
class Weather:
    """Irradiance, temperature and wind at the site, and where they come from."""

    frame: (
        pd.DataFrame
    )  # ghi, dni, dhi (W/m2), temp_air (°C), wind_speed (m/s), indexed by UTC time
    source: str


def clearsky(lat: float, lon: float, times: pd.DatetimeIndex, altitude: float = 0.0) -> Weather:
    """Ineichen clear-sky irradiance at the site, with 20 °C and 1 m/s.

    Parameters
    ----------
    lat, lon
        The site, degrees.
    times
        The times (time-zone aware).
    altitude
        Metres above sea level.

    Returns
    -------
    Weather
        GHI, DNI, DHI, air temperature and wind speed at each time.

    References
    ----------
    P. Ineichen and R. Perez, "A new airmass independent formulation for the Linke turbidity
    coefficient", Solar Energy 73 (2002) 151-157 (via pvlib).

    """
    location = pvlib.location.Location(lat, lon, altitude=altitude)
    with warnings.catch_warnings():  # pvlib still calls pandas APIs that pandas 3 deprecates
        warnings.simplefilter("ignore", DEPRECATED)
        sky = location.get_clearsky(times, model="ineichen")
    frame = sky.assign(temp_air=20.0, wind_speed=1.0)
    return Weather(frame[["ghi", "dni", "dhi", "temp_air", "wind_speed"]], "clearsky (Ineichen)")


def tmy(path: Path) -> tuple[Weather, float, float]:
    """A TMY3 file's weather (pvlib reads it), with the file's latitude and longitude.

    Parameters
    ----------
    path
        A TMY3 CSV file.

    Returns
    -------
    tuple of Weather, float, float
        The weather, the latitude and the longitude.

    References
    ----------
    S. Wilcox and W. Marion, "Users Manual for TMY3 Data Sets", NREL/TP-581-43156 (2008).

    """
    data, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
    frame = data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]].tz_convert("UTC")
    return Weather(frame, f"TMY3 {path.name}"), float(meta["latitude"]), float(meta["longitude"])


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
        position = pvlib.solarposition.get_solarposition(weather.frame.index, lat, lon)
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
