"""The TMY3 year pvlib ships, written out in each format greenlane reads (for the tests).

Each writer follows its format's own time labels (EPW: hour 1 is 00:00-01:00 local standard
time; PVGIS: UTC, the hour's start; the CSV: the interval's start with its zone), so every
file holds the same hours and must give the same yield.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pvlib

GREENSBORO = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"  # shipped with pvlib


def year() -> tuple[pd.DataFrame, dict]:
    """The TMY3 hours with hour-ending local labels, as pvlib reads them, and the site."""
    data, meta = pvlib.iotools.read_tmy3(GREENSBORO, coerce_year=2005, map_variables=True)
    return data, meta


def write_epw(path: Path) -> Path:
    """An EPW file: 8 header lines, then 35 fields an hour (unknowns as EPW's missing codes)."""
    data, meta = year()
    header = [
        f"LOCATION,Greensboro,NC,USA,TMY3,723170,{meta['latitude']},{meta['longitude']},"
        f"{meta['TZ']},{meta['altitude']}",
        "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,written by greenlane's tests",
        "COMMENTS 2,", "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
    ]  # fmt: skip
    lines = []
    start = data.index - pd.Timedelta(hours=1)  # the hour's start, local standard time
    for moment, (_, row) in zip(start, data.iterrows(), strict=True):
        fields = [2005, moment.month, moment.day, moment.hour + 1, 60, "?", row["temp_air"],
                  10.0, 50, 101325, 9999, 9999, 9999, row["ghi"], row["dni"], row["dhi"],
                  999999, 999999, 999999, 9999, 180, row["wind_speed"], 5, 5, 9999, 99999, 9,
                  999999999, 999, 0.999, 999, 99, 999, 999, 99]  # fmt: skip
        lines.append(",".join(str(f) for f in fields))
    path.write_text("\n".join([*header, *lines]) + "\n")
    return path


def _pvgis_rows() -> tuple[list[dict], dict]:
    data, meta = year()
    start = (data.index - pd.Timedelta(hours=1)).tz_convert("UTC")
    rows = [
        {"time(UTC)": moment.strftime("%Y%m%d:%H%M"), "T2m": row["temp_air"], "RH": 50.0,
         "G(h)": row["ghi"], "Gb(n)": row["dni"], "Gd(h)": row["dhi"], "IR(h)": 300.0,
         "WS10m": row["wind_speed"], "WD10m": 180.0, "SP": 101325.0}
        for moment, (_, row) in zip(start, data.iterrows(), strict=True)
    ]  # fmt: skip
    return rows, meta


def write_pvgis_json(path: Path) -> Path:
    """A PVGIS TMY JSON document (inputs, outputs.tmy_hourly, months_selected, meta)."""
    rows, meta = _pvgis_rows()
    where = {"latitude": meta["latitude"], "longitude": meta["longitude"],
             "elevation": meta["altitude"]}  # fmt: skip
    document = {
        "inputs": {"location": where, "meteo_data": {}},
        "outputs": {"months_selected": [{"month": m, "year": 2005} for m in range(1, 13)],
                    "tmy_hourly": rows},
        "meta": {"inputs": {}, "outputs": {}},
    }  # fmt: skip
    path.write_text(json.dumps(document))
    return path


def write_pvgis_csv(path: Path) -> Path:
    """A PVGIS TMY CSV file: site lines, the months selected, then 8,760 hours."""
    rows, meta = _pvgis_rows()
    names = list(rows[0])
    lines = [
        f"Latitude (decimal degrees): {meta['latitude']}",
        f"Longitude (decimal degrees): {meta['longitude']}",
        f"Elevation (m): {meta['altitude']}",
        "month,year",
        *(f"{m},2005" for m in range(1, 13)),
        ",".join(names),
        *(",".join(str(r[n]) for n in names) for r in rows),
        "T2m: 2-m air temperature (degree Celsius)",
    ]
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def write_csv(path: Path) -> Path:
    """Greenlane's own CSV: the interval's start with its zone, then the five values."""
    data, _ = year()
    start = data.index - pd.Timedelta(hours=1)
    lines = ["time,ghi,dni,dhi,temp_air,wind_speed"] + [
        f"{moment.isoformat()},{r['ghi']},{r['dni']},{r['dhi']},{r['temp_air']},{r['wind_speed']}"
        for moment, (_, r) in zip(start, data.iterrows(), strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path
