"""TCE, TOC and HOC tables from CSV, Parquet, JSON or iLEAP JSON; atomic writes of results."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from greenlane.errors import InputError, Problem
from greenlane.io.columns import Column
from greenlane.io.ileap import is_ileap, parse_ileap

T = TypeVar("T")

_POLARS = {"String": pl.String, "Float64": pl.Float64, "Int64": pl.Int64}


def _read_raw(source: Path | bytes, suffix: str, name: str) -> pl.DataFrame:
    """The file (a path, or its bytes) as a frame of text columns (Parquet keeps its types)."""
    data = source if isinstance(source, Path) else io.BytesIO(source)
    if suffix == ".parquet":
        return pl.read_parquet(data)
    if suffix == ".csv":
        return pl.read_csv(data, infer_schema=False)
    if suffix == ".json":
        text = source.read_bytes() if isinstance(source, Path) else source
        document = json.loads(text)
        rows = parse_ileap(document) if is_ileap(document) else document
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError(
                [
                    Problem(
                        name,
                        None,
                        "file",
                        "JSON must be a list of row objects or iLEAP ShipmentFootprints",
                    )
                ]
            )
        cells = [{k: None if v is None else str(v) for k, v in r.items()} for r in rows]
        return pl.DataFrame(cells, infer_schema_length=None) if cells else pl.DataFrame()
    raise InputError(
        [
            Problem(
                name,
                None,
                "file",
                f"unsupported file type {suffix!r} (use .csv, .parquet or .json)",
            )
        ]
    )


def coerce(
    frame: pl.DataFrame, columns: Sequence[Column], file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """Cast known columns to their schema types; a value that does not parse is a problem.

    Empty strings become nulls. Unknown extra columns are kept as they are. One pass casts
    and flags every column; rows are looked at one by one only when some value failed.
    """
    casts, flags = [], {}
    for col in columns:
        if col.name not in frame.columns:
            continue
        text = pl.col(col.name).cast(pl.String).str.strip_chars()
        text = pl.when(text == "").then(None).otherwise(text)
        target = _POLARS[col.dtype.__name__]
        typed = text.cast(target, strict=False) if target is not pl.String else text
        casts.append(typed.alias(col.name))
        if target is not pl.String:
            flags[col.name] = (text.is_not_null() & typed.is_null()).alias(f"__bad_{col.name}")
    typed_frame = frame.with_columns(*casts, *flags.values())
    bad_columns = [f"__bad_{c}" for c in flags]
    problems: list[Problem] = []
    if bad_columns and typed_frame.select(pl.any_horizontal(bad_columns).any()).item():
        bad = frame.with_row_index("__n").with_columns(flags.values())
        for name in flags:
            rows = bad.filter(pl.col(f"__bad_{name}")).select("__n", name)
            problems += [
                Problem(file, r["__n"] + 1, name, f"not a number: {r[name]!r}")
                for r in rows.iter_rows(named=True)
            ]
    return typed_frame.drop(bad_columns), sorted(problems, key=lambda p: (p.row or 0, p.column))


def read_tces(path: str | Path, columns: Sequence[Column]) -> tuple[pl.DataFrame, list[Problem]]:
    """A TCE file as a typed Polars frame plus the values that could not be parsed."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), None, "file", "no such file")])
    return coerce(_read_raw(path, path.suffix.lower(), str(path)), columns, path.name)


def parse_tces(
    data: bytes, suffix: str, name: str, columns: Sequence[Column]
) -> tuple[pl.DataFrame, list[Problem]]:
    """Like :func:`read_tces`, for an uploaded body; ``suffix`` is .csv, .parquet or .json."""
    try:
        raw = _read_raw(data, suffix, name)
    except (pl.exceptions.PolarsError, json.JSONDecodeError, UnicodeDecodeError, OSError) as e:
        raise InputError([Problem(name, None, "file", f"cannot be read as {suffix}: {e}")]) from e
    return coerce(raw, columns, name)


def read_rows(path: str | Path, columns: Sequence[Column]) -> list[dict[str, Any]]:
    """A small table (TOC or HOC file) as typed row dicts; raises InputError on bad values."""
    frame, problems = read_tces(path, columns)
    if problems:
        raise InputError(problems)
    return frame.to_dicts()


def read_parsed(
    path: str | Path,
    columns: Sequence[Column],
    parse: Callable[[list[dict[str, Any]], str], tuple[list[T], list[Problem]]],
    name: str | None = None,
) -> list[T]:
    """A file's rows turned into objects by ``parse``; InputError with every problem, by row.

    ``parse`` takes the typed rows and the file's name (``name``, else the file name) and
    returns the objects and the problems of the rows it refused.
    """
    frame, problems = read_tces(path, columns)
    found, more = parse(frame.to_dicts(), name or Path(path).name)
    if problems or more:
        raise InputError(sorted(problems + more, key=lambda p: (p.row or 0, p.column)))
    return found


def write_table(frame: pl.DataFrame, path: str | Path) -> None:
    """Write CSV, Parquet or JSON by suffix, atomically: readers never see a partial file."""
    path = Path(path)
    suffix = path.suffix.lower()
    writers: dict[str, Callable[[str], None]] = {
        ".csv": frame.write_csv,
        ".parquet": frame.write_parquet,
        ".json": frame.write_json,
    }
    if suffix not in writers:
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    "file",
                    f"unsupported output type {suffix!r} (use .csv, .parquet or .json)",
                )
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        writers[suffix](tmp)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> Path:
    """Write a text file atomically (a temporary file renamed over it); the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
