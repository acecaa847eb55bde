"""PV yield matches pvlib's own ModelChain (PVWatts) on a known case, clear sky and TMY3."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from pvlib.location import Location
from pvlib.modelchain import ModelChain
from pvlib.pvsystem import PVSystem

from greenlane.energy.pv import DEPRECATED, SAPM, Array, Weather, ac_kw, clearsky
from greenlane.energy.weather import read_weather

GREENSBORO = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"  # shipped with pvlib


def reference_kw(array: Array, lat: float, lon: float, weather: Weather) -> pd.Series:
    """Pvlib's ModelChain with the same PVWatts model, isotropic sky, no AOI or spectral loss."""
    system = PVSystem(
        surface_tilt=array.tilt,
        surface_azimuth=array.azimuth,
        module_parameters={"pdc0": array.kwp * 1000, "gamma_pdc": -0.004},
        inverter_parameters={"pdc0": array.kwp * 1000},
        temperature_model_parameters=SAPM,
    )
    chain = ModelChain(system, Location(lat, lon), aoi_model="no_loss", spectral_model="no_loss",
                       losses_model="pvwatts", transposition_model="isotropic")  # fmt: skip
    at_middle = weather.frame.set_index(weather.frame.index + weather.offset)  # pvlib's instants
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DEPRECATED)
        chain.run_model(at_middle)
    return chain.results.ac.clip(lower=0) / 1000


def test_a_clear_summer_day_in_hangzhou_matches_pvlib() -> None:
    """1 MWp tilted 20° south at Hangzhou on 21 June: the same power as pvlib's chain, all day."""
    times = pd.date_range("2025-06-21", periods=96, freq="15min", tz="UTC")
    weather = clearsky(30.27, 120.15, times)
    ours = ac_kw(Array(1000, 20, 180), 30.27, 120.15, weather)
    ref = reference_kw(Array(1000, 20, 180), 30.27, 120.15, weather)
    assert np.allclose(ours, ref, rtol=1e-4, atol=0.05)
    assert 600 < ours.max() < 800 and "upper bound" in weather.source


def test_a_year_of_tmy3_matches_pvlib() -> None:
    """The TMY3 year pvlib ships (Greensboro NC): annual yield within 0.1% of pvlib's chain."""
    weather, lat, lon = read_weather(GREENSBORO)
    assert lat is not None and lon is not None
    array = Array(1000, 25, 180)
    ours, ref = ac_kw(array, lat, lon, weather).sum(), reference_kw(array, lat, lon, weather).sum()
    assert ours == pytest.approx(ref, rel=1e-3)
    assert 1100 < ours / 1000 < 1600  # MWh per MWp a year, a sound figure for North Carolina
    assert weather.source == "TMY3 723170TYA.CSV"
