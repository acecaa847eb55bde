"""Orders and cartons from typed table rows, with every bad row reported, not raised.

An order with an invalid item row is left out whole (packing part of an order would ship it
short without saying so); every other order is still packed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Set
from pathlib import Path
from typing import Any

from greenlane.errors import FieldError, InputError, Problem, row_problem
from greenlane.io import read_tces
from greenlane.packing.model import Carton, Item
from greenlane.packing.schema import CARTON_COLUMNS

TRUE = {"true", "yes", "1", "y", "t"}
FALSE = {"false", "no", "0", "n", "f", ""}
FLAP_CM = 3.5  # the glue flap of a FEFCO 0201 regular slotted carton's blank


def orders_from_rows(
    rows: Iterable[Mapping[str, Any]],
    file: str,
    unparsed: Set[int] | None = None,
    numbers: Iterable[int] | None = None,
) -> tuple[dict[str, list[Item]], list[Problem]]:
    """Items grouped by order (in file order) and the problems of the rows left out.

    ``unparsed`` are rows (1-based) whose values did not parse, reported already: their
    orders are left out too.

    Parameters
    ----------
    rows
        Typed item rows (docs/data-formats.md).
    file
        The file's name, used in problems.
    unparsed
        Rows whose values did not parse.
    numbers
        The rows' numbers in the file (1-based), when they are some of its rows (a batch of
        orders); by default 1, 2, 3, ...

    Returns
    -------
    tuple of dict and list of Problem
        Order id to its items, and the problems.

    """
    orders: dict[str, list[Item]] = {}
    problems: list[Problem] = []
    bad_orders: set[str] = set()
    for n, row in zip(itertools.count(1) if numbers is None else numbers, rows, strict=False):
        order_id = row.get("order_id")
        if unparsed and n in unparsed:
            bad_orders.add(str(order_id))
            continue
        try:
            item = _item(row)
        except ValueError as e:
            problems.append(row_problem(file, n, e))
            bad_orders.add(str(order_id))
            continue
        orders.setdefault(str(order_id), []).append(item)
    return {k: v for k, v in orders.items() if k not in bad_orders}, problems


def cartons_from_rows(
    rows: Iterable[Mapping[str, Any]], file: str
) -> tuple[list[Carton], list[Problem]]:
    """Carton types and the problems of the rows that are not usable.

    Parameters
    ----------
    rows
        Typed carton rows (docs/data-formats.md).
    file
        The file's name, used in problems.

    Returns
    -------
    tuple of list of Carton and list of Problem
        The cartons, and the problems.

    """
    cartons, problems = [], []
    for n, row in enumerate(rows, start=1):
        try:
            cartons.append(_carton(row))
        except ValueError as e:
            problems.append(row_problem(file, n, e))
    return cartons, problems


def read_catalogue(path: Path) -> list[Carton]:
    """A carton catalogue file; any bad row stops it (a plan on half a catalogue misleads).

    Parameters
    ----------
    path
        The catalogue (CSV, Parquet or JSON).

    Returns
    -------
    list of Carton
        The carton types.

    Raises
    ------
    InputError
        Naming every bad row, column and reason.

    """
    frame, problems = read_tces(path, CARTON_COLUMNS)
    cartons, more = cartons_from_rows(frame.to_dicts(), path.name)
    if problems or more or not cartons:
        raise InputError(problems + more or [Problem(path.name, None, "file", "no cartons")])
    return cartons


def blank_board_kg(length_cm: float, width_cm: float, height_cm: float, gsm: float) -> float:
    """Board in a FEFCO 0201 carton: its blank's area times the grammage.

    Parameters
    ----------
    length_cm, width_cm, height_cm
        Inner sides.
    gsm
        Board grammage, g/m2.

    Returns
    -------
    float
        kg of board.

    Notes
    -----
    Blank (2L + 2W + flap) x (H + W) for inner L, W, H: four panels round, and top and bottom
    flaps of half the width each; flap = 3.5 cm. Creases and board thickness are ignored.

    References
    ----------
    FEFCO/ESBO, "International Fibreboard Case Code", 11th edition (2007): style 0201.

    """
    area_m2 = (2 * (length_cm + width_cm) + FLAP_CM) * (height_cm + width_cm) / 10_000
    return area_m2 * gsm / 1000


def _item(row: Mapping[str, Any]) -> Item:
    _required(row, ("order_id", "item_id", "length_cm", "width_cm", "height_cm", "weight_kg"))
    return Item(
        item_id=str(row["item_id"]),
        length_cm=row["length_cm"],
        width_cm=row["width_cm"],
        height_cm=row["height_cm"],
        weight_kg=row["weight_kg"],
        quantity=1 if row.get("quantity") is None else row["quantity"],
        upright=_flag(row, "upright"),
        fragile=_flag(row, "fragile"),
        own_box=_flag(row, "own_box"),
        item_class=row.get("item_class") or "",
        excludes=frozenset(c.strip() for c in (row.get("excludes") or "").split(";") if c.strip()),
    )


def _carton(row: Mapping[str, Any]) -> Carton:
    _required(row, ("carton_id", "length_cm", "width_cm", "height_cm", "max_weight_kg"))
    reusable = _flag(row, "reusable")
    board = row.get("board_kg")
    if board is None and row.get("board_gsm") is not None:
        dims = (row["length_cm"], row["width_cm"], row["height_cm"])
        board = blank_board_kg(*dims, row["board_gsm"])
    if board is None and not reusable:
        raise FieldError("board_kg", "give board_kg or board_gsm", ": ")
    return Carton(
        carton_id=str(row["carton_id"]),
        length_cm=row["length_cm"],
        width_cm=row["width_cm"],
        height_cm=row["height_cm"],
        max_weight_kg=row["max_weight_kg"],
        board_kg=0.0 if reusable or board is None else board,
        cost=row.get("cost") or 0.0,
        reusable=reusable,
    )


def _required(row: Mapping[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if row.get(name) is None:
            raise FieldError(name, "required", ": ")


def _flag(row: Mapping[str, Any], name: str) -> bool:
    text = str(row.get(name) or "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise FieldError(name, f"must be true or false, got {row.get(name)!r}", ": ")
