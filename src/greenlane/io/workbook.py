"""Tables as an Excel workbook (.xlsx), one sheet each, for people who open them in Excel.

Every text cell is written as text, never as a formula or a link, whatever it starts with: a
tenant's ``=HYPERLINK(...)`` stays text in the workbook of whoever opens it. Cells that are
numbers for people ("1,234.5") are written as numbers, so that the sheet can sum them.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import xlsxwriter

Sheet = tuple[Sequence[str], Sequence[Sequence[Any]]]  # headers, rows
NUMBER = re.compile(r"^[+-]?[\d,]*\.?\d+$")  # "1,234.5" as tables show numbers
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name


def workbook(sheets: Mapping[str, Sheet]) -> bytes:
    """The workbook of ``sheets`` (name -> headers and rows), header rows bold and frozen.

    Parameters
    ----------
    sheets
        Each sheet's name (cut to Excel's 31 characters) and its headers and rows.

    Returns
    -------
    bytes
        The .xlsx file.

    """
    body = io.BytesIO()
    book = xlsxwriter.Workbook(
        body, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    )  # fmt: skip
    bold = book.add_format({"bold": True})
    taken: set[str] = set()
    for name, (headers, rows) in sheets.items():
        sheet = book.add_worksheet(_sheet_name(name, taken))
        sheet.write_row(0, 0, [str(h) for h in headers], bold)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                _write(sheet, r, c, value)
    book.close()
    return body.getvalue()


def _write(sheet: Any, row: int, column: int, value: Any) -> None:
    """A number as a number (finite ones), anything else as text."""
    if isinstance(value, bool) or value is None:
        sheet.write_string(row, column, "" if value is None else str(value))
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, column, value)
    elif isinstance(value, str) and NUMBER.match(value):
        sheet.write_number(row, column, float(value.replace(",", "")))
    else:
        sheet.write_string(row, column, str(value))


def _sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters, none of its forbidden ones), unique in the book."""
    base = SHEET_NAME.sub("_", name)[:31] or "sheet"
    unique, n = base, 1
    while unique.lower() in taken:
        n += 1
        unique = f"{base[: 31 - len(str(n)) - 1]}-{n}"
    taken.add(unique.lower())
    return unique
