"""Cartons collected at post stations, reused or recycled: material and CO2e saved.

A reused carton ships a parcel that would otherwise take a new one: its board and the board's
cradle-to-grave CO2e (FEFCO 2021) are saved. A recycled carton is board kept out of waste;
its CO2e credit depends on what the recycled fibre displaces, for which greenlane has no
vetted factor, so it is 0 unless the caller states one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from greenlane.errors import InputError, Problem
from greenlane.factors.materials import BOARD_CO2E_KG_PER_KG


@dataclass(frozen=True, slots=True)
class Collection:
    """One station's cartons over a day (or the period ending that day)."""

    station_id: str
    day: date
    collected: int
    reused: int
    recycled: int
    carton_kg: float


@dataclass(frozen=True, slots=True)
class CartonSavings:
    """Totals over collections."""

    collected: int
    reused: int
    recycled: int
    board_reused_kg: float
    board_recycled_kg: float
    co2e_saved_kg: float


def collections(rows: Iterable[Mapping[str, Any]], name: str) -> list[Collection]:
    """Typed rows as collections; every row's problem named, nothing taken if any.

    Parameters
    ----------
    rows
        Typed carton-collection rows.
    name
        The file's name, used in problems.

    Returns
    -------
    list of Collection
        The collections.

    Raises
    ------
    InputError
        Naming every bad row.

    """
    found, problems = [], []
    for n, row in enumerate(rows, start=1):
        reasons = _problems(row)
        problems += [Problem(name, n, column, reason) for column, reason in reasons]
        if not reasons:
            found.append(Collection(str(row["station_id"]), date.fromisoformat(str(row["date"])),
                                    int(row["collected"]), int(row["reused"]),
                                    int(row["recycled"]), float(row["carton_kg"])))  # fmt: skip
    if problems:
        raise InputError(problems)
    return found


def savings(found: Iterable[Collection], recycling_credit_kg_per_kg: float = 0.0) -> CartonSavings:
    """Board reused and recycled, and the CO2e the reuse (and any stated credit) saves.

    Parameters
    ----------
    found
        The collections.
    recycling_credit_kg_per_kg
        kg CO2e credited per kg recycled (0 unless stated).

    Returns
    -------
    CartonSavings
        Cartons and board reused and recycled, CO2e saved.

    """
    items = list(found)
    reused_kg = sum(c.reused * c.carton_kg for c in items)
    recycled_kg = sum(c.recycled * c.carton_kg for c in items)
    return CartonSavings(
        collected=sum(c.collected for c in items),
        reused=sum(c.reused for c in items),
        recycled=sum(c.recycled for c in items),
        board_reused_kg=reused_kg,
        board_recycled_kg=recycled_kg,
        co2e_saved_kg=reused_kg * BOARD_CO2E_KG_PER_KG + recycled_kg * recycling_credit_kg_per_kg,
    )


def _problems(row: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = [(c, "must be >= 0") for c in ("collected", "reused", "recycled", "carton_kg")
             if row.get(c) is not None and row[c] < 0]  # fmt: skip
    if not found and row["reused"] + row["recycled"] > row["collected"]:
        found.append(("reused", "reused + recycled exceeds collected"))
    try:
        date.fromisoformat(str(row["date"]))
    except ValueError:
        found.append(("date", f"not an ISO 8601 date: {row['date']!r}"))
    return found
