"""PV lands in the right interval, from every weather format, and clear sky says what it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from greenlane.energy.document import ParkDoc, park_for
from greenlane.energy.pv import Array, ac_kw
from greenlane.energy.weather import read_weather
from greenlane.errors import InputError
from tests.energy import weather_files
from tests.energy.test_cli_energy import PARK

ARRAY = Array(1000, 25, 180)


def _hours(times: pd.DatetimeIndex) -> np.ndarray:
    """Hours since 1970 (UTC), whatever the index's resolution."""
    return np.asarray((times - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(hours=1))


def _transit(lat: float, lon: float, day: pd.Timestamp) -> pd.Timestamp:
    """Solar noon (the sun's transit) on ``day``, UTC."""
    times = pd.DatetimeIndex([day.tz_convert("UTC").normalize()])
    found = pvlib.solarposition.sun_rise_set_transit_spa(times, lat, lon)
    return pd.Timestamp(found["transit"].iloc[0]).tz_convert("UTC")


@pytest.mark.parametrize("step_h", [1.0, 0.25])
def test_clear_sky_pv_centres_on_solar_noon_on_the_tariffs_intervals(step_h: float) -> None:
    """Interval starts as the tariffs; the day's PV centroid within 15 min of solar noon."""
    doc = ParkDoc(**PARK)
    park, source = park_for(doc, datetime(2026, 6, 21), 2, step_h)  # noon to noon, local
    starts = pd.date_range("2026-06-21 04:00", periods=park.steps, freq=f"{step_h}h", tz="UTC")
    day = slice(round(12 / step_h), round(36 / step_h))  # 22 June, local midnight to midnight
    pv, middles = park.pv_kw[day], _hours(starts[day] + pd.Timedelta(hours=step_h / 2))
    centroid = float(np.sum(pv * middles) / np.sum(pv))
    transit = _transit(doc.lat, doc.lon, pd.Timestamp("2026-06-22 04:00", tz="UTC"))
    noon = float(_hours(pd.DatetimeIndex([transit]))[0])
    assert abs(centroid - noon) * 60 <= 15
    if step_h == 0.25:  # the strongest quarter-hour holds solar noon within 15 min
        assert abs(middles[int(np.argmax(pv))] - noon) * 60 <= 15
    assert "upper bound" in source


def test_tmy3_hours_are_moved_to_their_start() -> None:
    """A year of TMY3: its mean day's PV centroid within 15 min of the mean solar noon."""
    weather, lat, lon = read_weather(weather_files.GREENSBORO)
    assert lat is not None and lon is not None
    first = weather.frame.index[0].tz_convert("Etc/GMT+5")  # the file's local standard time
    assert (first.month, first.day, first.hour) == (1, 1, 0)
    pv = ac_kw(ARRAY, lat, lon, weather)
    hours = (pv.index + weather.offset).hour + 0.5  # each hour's middle
    by_hour = pv.groupby(hours).sum()
    centroid = float(np.sum(by_hour.index * by_hour) / by_hour.sum())
    noon = 12 - lon / 15  # mean solar noon in UTC hours (the equation of time averages out)
    assert abs(centroid - noon) * 60 <= 15


WRITERS: dict[str, Callable[[Path], Path]] = {
    "EPW": lambda d: weather_files.write_epw(d / "greensboro.epw"),
    "PVGIS JSON": lambda d: weather_files.write_pvgis_json(d / "tmy.json"),
    "PVGIS CSV": lambda d: weather_files.write_pvgis_csv(d / "tmy.csv"),
    "CSV": lambda d: weather_files.write_csv(d / "weather.csv"),
}


@pytest.mark.parametrize("name", WRITERS)
def test_every_format_gives_the_tmy3_years_yield(name: str, tmp_path: Path) -> None:
    """The same hours written in each format: the same annual yield as the TMY3 file."""
    reference, lat, lon = read_weather(weather_files.GREENSBORO)
    assert lat is not None and lon is not None
    expected = float(ac_kw(ARRAY, lat, lon, reference).sum())
    weather, *_ = read_weather(WRITERS[name](tmp_path))
    got = float(ac_kw(ARRAY, lat, lon, weather).sum())
    assert got == pytest.approx(expected, rel=2e-3), name
    assert 1100 < got / 1000 < 1600  # MWh per MWp a year in North Carolina
    first, expected_first = weather.frame.index[0], reference.frame.index[0]
    assert (first.month, first.day, first.hour) == (
        expected_first.month,
        expected_first.day,
        expected_first.hour,
    )


def test_a_bad_weather_file_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    """A negative irradiance, a time without its zone, and a file of no known format."""
    bad = tmp_path / "w.csv"
    bad.write_text("time,ghi,dni,dhi,temp_air,wind_speed\n2026-06-21T00:00Z,-5,0,0,20,1\n"
                   "2026-06-21T01:00Z,0,0,0,20,1\n")  # fmt: skip
    with pytest.raises(InputError) as refused:
        read_weather(bad)
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "ghi")]
    bad.write_text("time,ghi,dni,dhi,temp_air,wind_speed\n2026-06-21T00:00,0,0,0,20,1\n")
    with pytest.raises(InputError, match="zone"):
        read_weather(bad)
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    with pytest.raises(InputError, match="not a weather file"):
        read_weather(other)
