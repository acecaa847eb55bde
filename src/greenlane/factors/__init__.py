"""Emission-factor packs: a folder of CSVs per pack and edition, one loader for name or path.

A pack holds ``tocs.csv`` (transport categories, kg CO2e per tkm or TEU-km), ``hocs.csv``
(hub categories, kg CO2e per outbound tonne or container), ``energy.csv`` (kg CO2e per unit
of fuel, electricity or leaked refrigerant), ``uplifts.csv`` and ``rules.csv``. The format is
described in docs/data-formats.md; ``glec-v3.0`` ships inside the package.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polars as pl

from greenlane.errors import InputError, Problem

DEFAULT_PACK = "glec-v3.0"
PACK_FILES = ("tocs.csv", "hocs.csv", "energy.csv", "uplifts.csv", "rules.csv")
_TEXT = {
    "source_page": pl.String,
    "road_size": pl.String,
    "reefer_toc_id": pl.String,
    "derived": pl.String,
    "wtt_kg": pl.Float64,
    "ttw_kg": pl.Float64,
}


@dataclass(frozen=True, slots=True, eq=False)  # identity: packs are cached and shared
class FactorPack:
    """A loaded factor pack: its tables as Polars frames and its scalar rules."""

    name: str
    tocs: pl.DataFrame
    hocs: pl.DataFrame
    energy: pl.DataFrame
    uplifts: pl.DataFrame
    rules: dict[str, float]

    def rule(self, rule_id: str) -> float:
        """A scalar rule such as ``air.daf_offset_km``; KeyError names the pack if absent."""
        try:
            return self.rules[rule_id]
        except KeyError:
            raise KeyError(f"factor pack {self.name!r} has no rule {rule_id!r}") from None


def builtin_packs() -> list[str]:
    """Names of the packs shipped inside greenlane."""
    return list(_builtin_names())


@functools.cache
def _builtin_names() -> tuple[str, ...]:
    root = resources.files("greenlane.factors").joinpath("data")
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir()))


def _pack_dir(name_or_path: str | Path) -> tuple[str, Path]:
    path = Path(name_or_path)
    if path.is_dir():
        return path.name, path
    if str(name_or_path) in builtin_packs():
        root = resources.files("greenlane.factors").joinpath("data", str(name_or_path))
        return str(name_or_path), Path(str(root))
    known = ", ".join(builtin_packs())
    raise InputError(
        [
            Problem(
                str(name_or_path),
                None,
                "pack",
                f"no such factor pack folder or built-in pack (built-in: {known})",
            )
        ]
    )


def load_pack(name_or_path: str | Path = DEFAULT_PACK) -> FactorPack:
    """Load a factor pack by built-in name (``glec-v3.0``) or by folder path.

    Built-in packs are read once per process (they are package data and never change); a
    folder is read on every call, so edits to it are seen.

    Raises
    ------
    InputError
        If the folder or one of its files is missing.

    """
    if isinstance(name_or_path, str) and name_or_path in builtin_packs():
        return _builtin(name_or_path)
    return _read_pack(name_or_path)


@functools.lru_cache(maxsize=8)
def _builtin(name: str) -> FactorPack:
    return _read_pack(name)


def _read_pack(name_or_path: str | Path) -> FactorPack:
    name, folder = _pack_dir(name_or_path)
    missing = [f for f in PACK_FILES if not (folder / f).is_file()]
    if missing:
        raise InputError(
            [Problem(str(folder / f), None, "file", "missing from factor pack") for f in missing]
        )
    tables = {
        f: pl.read_csv(folder / f, schema_overrides=_TEXT, infer_schema_length=None)
        for f in PACK_FILES
    }
    rules = {
        r["rule_id"]: float(r["value"])
        for r in tables["rules.csv"].iter_rows(named=True)
        if r["unit"] not in (None, "boolean") and r["value"] is not None
    }
    return FactorPack(
        name,
        tables["tocs.csv"],
        tables["hocs.csv"],
        tables["energy.csv"],
        tables["uplifts.csv"],
        rules,
    )


def search_tocs(pack: FactorPack, mode: str | None = None, text: str | None = None) -> pl.DataFrame:
    """Transport and hub categories of a pack, filtered by mode and a case-insensitive text."""
    hubs = pack.hocs.select(
        pl.col("hoc_id").alias("id"),
        pl.lit("hub").alias("mode"),
        "description",
        pl.col("activity_unit"),
        "wtt_kg",
        "ttw_kg",
        "wtw_kg",
        "source_table",
        "source_page",
    )
    tocs = pack.tocs.select(
        pl.col("toc_id").alias("id"),
        "mode",
        "description",
        "activity_unit",
        "wtt_kg",
        "ttw_kg",
        "wtw_kg",
        "source_table",
        "source_page",
    )
    table = pl.concat([tocs, hubs])
    if mode:
        table = table.filter(pl.col("mode") == mode)
    if text:
        needle = text.lower()
        table = table.filter(
            pl.col("id").str.to_lowercase().str.contains(needle, literal=True)
            | pl.col("description").str.to_lowercase().str.contains(needle, literal=True)
        )
    return table
