"""Build the ``glec-v3.0`` factor pack from the vetted GLEC v3.0 CSVs.

Run once when the reference tables change::

    python scripts/build_glec_pack.py ../shared/reference/factors \
        src/greenlane/factors/data/glec-v3.0

The pack normalises the reference tables into the format every greenlane pack uses
(docs/data-formats.md): intensities in kg CO2e per activity unit with their distance basis,
energy factors per unit of quantity, and traceability columns (table, page, edition) on
every row. Values that the pack derives rather than copies say so in ``derived``.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

EU27_GRID_KG_PER_KWH = 0.3492  # Module 1 p.77 (97.0 g/MJ x 3.6), printed on p.106
MJ_PER_KWH = 3.6
ALIASES = {  # greenlane source name -> GLEC energy_carrier slug
    "petrol": "gasoline",
    "hvo": "hvo_hefa",
    "hydrogen": "hydrogen_smr",
}
TRACE = {"source_table": "source_table", "source_page": "source_page", "edition": "source"}


def read(path: Path) -> list[dict[str, str]]:
    """Read a CSV as a list of dicts."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, rows: list[dict[str, object]]) -> None:
    """Write dict rows with the union of their keys as header, in first-seen order."""
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def num(text: str) -> float | None:
    """Parse a number; empty means not printed."""
    return float(text) if text.strip() else None


def kg(value: float | None, divisor: float) -> float | None:
    """Convert g per unit to kg per unit, rounded to hide float noise."""
    return None if value is None else round(value / divisor, 12)


def road_size(row: dict[str, str]) -> str:
    """Vehicle size class for the p.94 uplifts: van (<= 3.5 t GVW) or heavy."""
    if row["mode"] != "road" or row["region"] != "EU_SA":
        return ""
    return "van" if "van" in row["toc_id"] else "heavy"


def toc_rows(src: Path) -> list[dict[str, object]]:
    """Transport categories with intensities in kg CO2e per tkm or TEU-km."""
    out = []
    for row in read(src / "transport_intensities.csv"):
        derived = row["derived_fields"]
        wtt, ttw, wtw = num(row["wtt"]), num(row["ttw"]), num(row["wtw"])
        unit = row["unit"]
        if unit == "kwh_per_tkm":
            kwh = float(row["energy_kwh_per_tkm"])
            wtw = round(kwh * EU27_GRID_KG_PER_KWH * 1000, 9)
            wtt, ttw, unit = wtw, 0.0, "g_co2e_per_tkm"
            derived = (
                "wtt;ttw;wtw = energy_kwh_per_tkm x EU27 2019 grid 349.2 g/kWh (Module 1 p.77)"
            )
        lane = row["toc_id"]
        out.append(
            {
                "toc_id": lane,
                "mode": row["mode"],
                "region": row["region"],
                "description": " ".join(
                    x
                    for x in (
                        row["vehicle_class"],
                        row["size_class"],
                        row["fuel_or_energy"],
                        row["load_characteristic"],
                        row["trade_lane"],
                    )
                    if x
                ),
                "activity_unit": "teu_km" if unit == "g_co2e_per_teu_km" else "tkm",
                "distance_basis": "gcd" if row["mode"] == "air" else "sfd",
                "wtt_kg": kg(wtt, 1000),
                "ttw_kg": kg(ttw, 1000),
                "wtw_kg": kg(wtw, 1000),
                "road_size": road_size(row),
                "reefer_toc_id": lane[: -len(".dry")] + ".reefer" if lane.endswith(".dry") else "",
                "derived": derived,
                **{k: row[v] for k, v in TRACE.items()},
            }
        )
    return out


def hoc_rows(src: Path) -> list[dict[str, object]]:
    """Hub categories in kg CO2e per outbound tonne (or per container moved)."""
    return [
        {
            "hoc_id": row["hoc_id"],
            "description": f"{row['hub_type_label']}, {row['temperature']}",
            "activity_unit": "container" if row["unit"] == "kg_co2e_per_container" else "t",
            "wtt_kg": "",
            "ttw_kg": "",
            "wtw_kg": float(row["wtw"]),
            "derived": "",
            **{k: row[v] for k, v in TRACE.items()},
        }
        for row in read(src / "hub_intensities.csv")
    ]


def per_unit(fuel: dict[str, str], unit: str) -> tuple[float, float, str] | None:
    """WTT and TTW kg CO2e per unit of fuel, and the derivation note; None if unit unfit."""
    wtt_mj, ttw_mj = num(fuel["wtt_g_per_mj"]), num(fuel["ttw_g_per_mj"])
    if unit == "MJ" and wtt_mj is not None and ttw_mj is not None:
        return wtt_mj / 1000, ttw_mj / 1000, "g/MJ / 1000"
    if unit == "kWh" and wtt_mj is not None and ttw_mj is not None:
        return wtt_mj * MJ_PER_KWH / 1000, ttw_mj * MJ_PER_KWH / 1000, "g/MJ x 3.6 / 1000"
    wtt_kg, ttw_kg = num(fuel["wtt_kg_per_kg"]), num(fuel["ttw_kg_per_kg"])
    if wtt_kg is None or ttw_kg is None:
        return None
    if unit == "kg":
        return wtt_kg, ttw_kg, "kg/kg as printed (wtt = wtw - ttw)"
    density = num(fuel["density_kg_per_l"])
    if unit == "l" and density is not None:
        return wtt_kg * density, ttw_kg * density, f"kg/kg x density {density} kg/l"
    return None


def energy_rows(src: Path) -> list[dict[str, object]]:
    """Energy factors per (source, region, unit); GLOBAL = the higher of EU and NA (p.76)."""
    fuels = read(src / "fuels.csv") + [
        {**b, "energy_carrier": b["blend_id"].split(".")[1], "fuel_id": b["blend_id"]}
        for b in read(src / "fuel_blends.csv")
    ]
    names = {v: k for k, v in ALIASES.items()}
    out: list[dict[str, object]] = []
    by_carrier: dict[str, list[dict[str, str]]] = {}
    for fuel in fuels:
        if fuel["energy_carrier"] == "electricity":
            continue
        by_carrier.setdefault(fuel["energy_carrier"], []).append(fuel)
    for carrier, variants in by_carrier.items():
        worst = max(variants, key=lambda f: float(f["wtw_g_per_mj"]))
        for fuel in [*variants, {**worst, "region": "GLOBAL"}]:
            for unit in ("kg", "l", "MJ", "kWh"):
                factor = per_unit(fuel, unit)
                if factor is None:
                    continue
                note = factor[2] + (
                    f"; GLOBAL = higher of EU/NA ({worst['region']}) per p.76"
                    if fuel["region"] == "GLOBAL"
                    else ""
                )
                out.append(
                    {
                        "source": names.get(carrier, carrier),
                        "region": fuel["region"],
                        "unit": unit,
                        "wtt_kg_per_unit": round(factor[0], 9),
                        "ttw_kg_per_unit": round(factor[1], 9),
                        "derived": note,
                        **{k: fuel[v] for k, v in TRACE.items()},
                    }
                )
    return out + electricity_rows(src)


def electricity_rows(src: Path) -> list[dict[str, object]]:
    """Grid WTW factors; TTW of electricity is 0 (Module 1). CO2-only rows are left out."""
    out: list[dict[str, object]] = []
    aliases = {"EU27": ["EU27", "EU"], "US": ["US", "NA"], "DE": ["DE"]}
    for row in read(src / "electricity.csv"):
        for region in aliases.get(row["region"], []):
            g_kwh = float(row["g_co2e_per_kwh"])
            for unit, factor in (("kWh", g_kwh / 1000), ("MJ", g_kwh / MJ_PER_KWH / 1000)):
                out.append(
                    {
                        "source": "electricity",
                        "region": region,
                        "unit": unit,
                        "wtt_kg_per_unit": round(factor, 9),
                        "ttw_kg_per_unit": 0.0,
                        "derived": f"{row['usage']}; {row['note']}",
                        **{k: row[v] for k, v in TRACE.items()},
                    }
                )
    return out


def refrigerant_rows(src: Path) -> list[dict[str, object]]:
    """Refrigerant GWP100 (AR6) as kg CO2e per kg leaked: all operational (TTW)."""
    return [
        {
            "source": row["refrigerant"],
            "region": "GLOBAL",
            "unit": "kg",
            "wtt_kg_per_unit": 0.0,
            "ttw_kg_per_unit": float(row["gwp100_ar6"]),
            "derived": "refrigerant leakage: GWP100 AR6",
            **{k: row[v] for k, v in TRACE.items()},
        }
        for row in read(src / "refrigerants.csv")
        if row["gwp100_ar6"]
    ]


def main(src: Path, dest: Path) -> None:
    """Write the pack folder."""
    dest.mkdir(parents=True, exist_ok=True)
    write(dest / "tocs.csv", toc_rows(src))
    write(dest / "hocs.csv", hoc_rows(src))
    write(dest / "energy.csv", energy_rows(src) + refrigerant_rows(src))
    for name in ("uplifts.csv", "rules.csv"):
        shutil.copyfile(src / name, dest / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
