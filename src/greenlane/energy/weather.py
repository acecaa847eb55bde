"""Weather for a park's PV from the files people have, on the series' time convention.

Formats (pvlib reads the first three):

- **TMY3** (NREL, ``.csv`` whose first line is the station header): hour-ending labels in
  local standard time; each value is moved to the start of its hour.
- **EPW** (EnergyPlus, ``.epw``, as from climate.onebuilding.org or PVGIS): hour ``h`` is
  ``h-1`` to ``h`` local standard time; pvlib already labels it by its start.
- **PVGIS TMY** (``.json``, or ``.csv`` starting ``Latitude (decimal degrees)``): UTC labels
  at the start of each hour (the irradiance is sampled inside it).
- **A user CSV** with the columns ``time`` (ISO 8601 with its zone: the start of the interval
  the values average), ``ghi``, ``dni``, ``dhi`` (W/m2), ``temp_air`` (°C) and ``wind_speed``
  (m/s), at any fixed step.

Every reader returns the UTC start of each interval with the sun placed at its middle
(``Weather.offset``); values are checked (finite, irradiance 0-1,500 W/m2, temperature
-90-70 °C, wind 0-100 m/s) and a bad file is named with the row and column.

References
----------
S. Wilcox and W. Marion, "Users Manual for TMY3 Data Sets", NREL/TP-581-43156 (2008);
EnergyPlus Auxiliary Programs, "Weather Converter Program" (EPW format); European
Commission JRC, PVGIS 5.3 user manual (TMY tool).

"""

from __future__ import annotations

import csv
import math
from datetime import datetime
from pathlib import Path

import pandas as pd

from greenlane.energy.pv import Weather
from greenlane.errors import InputError, Problem

COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
RANGES = {"ghi": (0, 1500), "dni": (0, 1500), "dhi": (0, 1500), "temp_air": (-90, 70),
          "wind_speed": (0, 100)}  # fmt: skip
HALF_HOUR = pd.Timedelta(minutes=30)


def read_weather(path: Path) -> tuple[Weather, float | None, float | None]:
    """A weather file's series (interval starts, UTC), with the site it names if it does.

    Parameters
    ----------
    path
        A TMY3, EPW, PVGIS TMY (JSON or CSV) or user CSV file.

    Returns
    -------
    tuple of Weather, float or None, float or None
        The weather, and the file's latitude and longitude (None for a user CSV).

    Raises
    ------
    InputError
        Naming the file (and the row and column) when it cannot be read or a value is wrong.

    """
    kind = _format(path)
    try:
        weather, lat, lon = READERS[kind](path)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, OSError) as e:
        reason = f"not a readable {kind} file: {e}"
        raise InputError([Problem(str(path), None, "file", reason)]) from e
    _check(weather.frame, str(path))
    return weather, lat, lon


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".epw":
        return "EPW"
    if suffix == ".json":
        return "PVGIS JSON"
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            first = f.readline()
    except OSError as e:
        raise InputError([Problem(str(path), None, "file", f"cannot be read: {e}")]) from e
    if first.startswith("Latitude (decimal degrees)"):
        return "PVGIS CSV"
    fields = next(csv.reader([first]), [])
    if len(fields) == 7 and fields[0].strip().isdigit():
        return "TMY3"
    if "ghi" in [f.strip() for f in fields]:
        return "CSV"
    reason = "not a weather file greenlane reads (TMY3, EPW, PVGIS TMY JSON/CSV, or a CSV " \
        "with time, ghi, dni, dhi, temp_air, wind_speed)"  # fmt: skip
    raise InputError([Problem(str(path), None, "file", reason)])


def _tmy3(path: Path) -> tuple[Weather, float, float]:
    import pvlib

    data, meta = pvlib.iotools.read_tmy3(path, map_variables=True)
    frame = data[list(COLUMNS)].tz_convert("UTC")
    frame.index = frame.index - pd.Timedelta(hours=1)  # hour-ending -> the hour's start
    return Weather(frame, f"TMY3 {path.name}", HALF_HOUR), meta["latitude"], meta["longitude"]


def _epw(path: Path) -> tuple[Weather, float, float]:
    import pvlib

    data, meta = pvlib.iotools.read_epw(path)
    frame = data[list(COLUMNS)].tz_convert("UTC")
    return Weather(frame, f"EPW {path.name}", HALF_HOUR), meta["latitude"], meta["longitude"]


def _pvgis(path: Path) -> tuple[Weather, float, float]:
    import pvlib

    kind = "json" if path.suffix.lower() == ".json" else "csv"
    data, meta = pvlib.iotools.read_pvgis_tmy(path, pvgis_format=kind, map_variables=True)
    frame = data[list(COLUMNS)].astype(float)
    where = meta["inputs"]["location"] if kind == "json" else meta["inputs"]
    lat, lon = float(where["latitude"]), float(where["longitude"])
    return Weather(frame, f"PVGIS TMY {path.name}", HALF_HOUR), lat, lon


def _user_csv(path: Path) -> tuple[Weather, None, None]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    missing = [c for c in ("time", *COLUMNS) if rows and c not in rows[0]]
    if not rows or missing:
        reason = f"needs the columns time, {', '.join(COLUMNS)}; missing {missing or 'rows'}"
        raise InputError([Problem(str(path), None, "file", reason)])
    problems, times, values = [], [], []
    for n, row in enumerate(rows, start=1):
        try:
            moment = datetime.fromisoformat(str(row["time"]).strip())
            if moment.tzinfo is None:
                raise ValueError("a time needs its zone (Z or ±hh:mm)")
            times.append(moment)
            values.append([float(row[c]) for c in COLUMNS])
        except ValueError as e:
            problems.append(Problem(str(path), n, "time", str(e)))
    if problems:
        raise InputError(problems)
    index = pd.DatetimeIndex(pd.to_datetime(times, utc=True))
    frame = pd.DataFrame(values, index=index, columns=list(COLUMNS))
    steps = index.to_series().diff().dropna()
    step = steps.mode().iloc[0] if not steps.empty else pd.Timedelta(0)
    if step <= pd.Timedelta(0) or index.has_duplicates:
        reason = "times must be distinct, at one step (a typical year may join several years)"
        raise InputError([Problem(str(path), None, "time", reason)])
    return Weather(frame, f"weather CSV {path.name}", step / 2), None, None


READERS = {"TMY3": _tmy3, "EPW": _epw, "PVGIS JSON": _pvgis, "PVGIS CSV": _pvgis,
           "CSV": _user_csv}  # fmt: skip


def _check(frame: pd.DataFrame, file: str) -> None:
    """Every value finite and in its range, or InputError naming the row and column."""
    problems = []
    for column, (low, high) in RANGES.items():
        for n, value in enumerate(frame[column].tolist(), start=1):
            if not (math.isfinite(value) and low <= value <= high):
                reason = f"{value!r} is outside {low}..{high}"
                problems.append(Problem(file, n, column, reason))
                break  # one problem per column is enough to act on
    if problems:
        raise InputError(problems)
