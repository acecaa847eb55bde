"""A small upload read as typed rows without a data frame, for a quote of a few TCEs.

The frame reader (:mod:`greenlane.io.tables`) costs about 2 ms whatever the size: a Polars
frame is built, cast and checked. A quote holds a handful of rows, so this reader types them
in Python, but only when every value is plainly valid under the frame reader's rules (a
decimal number of magnitude at most 1e15, a 32-bit integer, text within its column's length
and without NUL, a real ISO 8601 date). Anything else (a bad value, an unusual spelling such as
``inf`` or ``1_000``, a ragged CSV line, an iLEAP document) returns None, and the caller reads
the body with the frame reader, which gives the same rows or names every problem.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import narwhals as nw

from greenlane.io.columns import Column
from greenlane.io.tables import DATE_FORMATS, INT_RANGE, MAX_MAGNITUDE

MAX_ROWS = 100  # more rows than this go to the frame reader, which is as fast per row
DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
INTEGER = re.compile(r"^[+-]?\d+$")
Rows = list[dict[str, Any]]


def typed_rows(data: bytes, suffix: str, columns: Sequence[Column]) -> Rows | None:
    """The body's rows typed as the frame reader would type them, or None to use that reader."""
    raw = _csv(data) if suffix == ".csv" else _json(data) if suffix == ".json" else None
    if raw is None or not 0 < len(raw) <= MAX_ROWS:
        return None
    known = {c.name: c for c in columns}
    names = list(dict.fromkeys(name for row in raw for name in row))  # as a frame's columns
    if any(c.required and c.name not in names for c in columns):
        return None  # a required column missing: the frame reader names it once
    typed = []
    for row in raw:
        out: dict[str, Any] = {}
        for name, value in ((n, row.get(n)) for n in names):
            column = known.get(name)
            if column is None:
                out[name] = value  # an extra column stays as it came
                continue
            ok, out[name] = _typed(value, column)
            if not ok:
                return None
        typed.append(out)
    return typed


def _csv(data: bytes) -> list[dict[str, str | None]] | None:
    """Rows of a plain CSV (UTF-8, a header, every line as wide), else None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("\ufeff") or "\r" in text or "\x00" in text:
        return None
    lines = list(csv.reader(io.StringIO(text)))
    if not lines or len(set(lines[0])) != len(lines[0]) or "" in lines[0]:
        return None
    header, body = lines[0], lines[1:]
    if any(len(line) != len(header) or any("\n" in f for f in line) for line in body):
        return None  # a blank or ragged line, or a quoted line break: the frame reader decides
    return [{k: (v if v != "" else None) for k, v in zip(header, line, strict=True)}
            for line in body]  # fmt: skip


def _json(data: bytes) -> list[dict[str, str | None]] | None:
    """Rows of a JSON list of flat objects, each value as the text a CSV cell would hold."""
    try:
        document = json.loads(data)
    except ValueError:
        return None
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        return None
    rows = []
    for row in document:
        cells: dict[str, str | None] = {}
        for key, value in row.items():
            if isinstance(value, dict | list):
                return None  # nested: the frame reader refuses it, naming the row
            cells[key] = None if value is None else _cell(value)
        rows.append(cells)
    return rows


def _cell(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _typed(value: str | None, column: Column) -> tuple[bool, Any]:
    """(whether the value is plainly valid, the value typed); empty text is a null."""
    text = None if value is None else value.strip()
    if not text:
        return True, None
    if column.dtype is nw.Float64:
        if not DECIMAL.match(text):
            return False, None
        number = float(text)
        return abs(number) <= MAX_MAGNITUDE, number
    if column.dtype is nw.Int64:
        if not INTEGER.match(text):
            return False, None
        return abs(int(text)) <= INT_RANGE, int(text)
    if len(text) > column.max_length or "\x00" in text:
        return False, None
    if column.unit in DATE_FORMATS:
        pattern, _ = DATE_FORMATS[column.unit]
        if not re.search(pattern, text) or not _real_date(text[:10]):
            return False, None
    return True, text


def _real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
