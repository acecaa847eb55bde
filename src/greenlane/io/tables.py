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
        try:
            return pl.read_csv(data, infer_schema=False)
        except pl.exceptions.NoDataError:  # an empty file: no rows, not a failure
            return pl.DataFrame()
    if suffix == ".json":
        text = source.read_bytes() if isinstance(source, Path) else source
        document = json.loads(text)
        return _frame_of_rows(parse_ileap(document) if is_ileap(document) else document, name)
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


def _frame_of_rows(rows: Any, name: str) -> pl.DataFrame:
    """JSON rows (a list of objects of plain values) as a frame of text columns."""
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
    refused = [
        Problem(name, n, str(k), "must be a plain value, not an object or a list")
        for n, row in enumerate(rows, start=1)
        for k, v in row.items()
        if isinstance(v, dict | list)
    ]
    if refused:
        raise InputError(refused)
    cells = [{k: _cell(v) for k, v in r.items()} for r in rows]
    return pl.DataFrame(cells, infer_schema_length=None) if cells else pl.DataFrame()


MAX_MAGNITUDE = 1e15  # no freight, energy or ledger quantity comes near; sums stay finite
INT_RANGE = 2**31 - 1  # integer columns are 32-bit in the store
_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)?"
DATE_FORMATS = {  # unit -> (pattern, how to say it)
    "ISO 8601": (f"^{_DATE}({_TIME})?$", "an ISO 8601 date or date-time"),
    "ISO 8601 date": (f"^{_DATE}$", "an ISO 8601 date (YYYY-MM-DD)"),
}
Check = tuple[str, pl.Expr, str]  # column, the rows that fail, the reason


def _cell(value: Any) -> str | None:
    """A JSON value as the text a CSV cell would hold (objects and lists are refused)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def coerce(
    frame: pl.DataFrame, columns: Sequence[Column], file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """Cast known columns to their schema types; every value that cannot be used is a problem.

    Empty strings become nulls. Numbers must be finite and of magnitude at most 1e15 (integers
    32-bit), text at most the column's length and without NUL, dates real calendar dates.
    Unknown extra columns are kept as they are. One pass casts and flags every column; rows
    are looked at one by one only when some value failed.
    """
    _has_required(frame, columns, file)
    frame, problems = _plain(frame, columns, file)
    casts, checks = [], []
    for col in (c for c in columns if c.name in frame.columns):
        target = _POLARS[col.dtype.__name__]
        if target is not pl.String and frame.schema[col.name] == target:
            text = typed = pl.col(col.name)  # typed already (Parquet): not parsed from text again
        else:
            text = pl.col(col.name).cast(pl.String).str.strip_chars()
            text = pl.when(text == "").then(None).otherwise(text)
            typed = text.cast(target, strict=False) if target is not pl.String else text
        casts.append(typed.alias(col.name))
        checks += _checks(col, text, typed, target)
    flags = [flag.alias(f"__bad{n}") for n, (_, flag, _) in enumerate(checks)]
    if flags and frame.select(pl.any_horizontal(flags).any()).item():
        bad = frame.with_row_index("__n").with_columns(flags)
        for n, (name, _, reason) in enumerate(checks):
            rows = bad.filter(pl.col(f"__bad{n}")).select("__n", name)
            problems += [
                Problem(file, r["__n"] + 1, name, f"{reason}: {_shown(r[name])}")
                for r in rows.iter_rows(named=True)
            ]
    typed_frame = frame.with_columns(casts)
    return typed_frame, sorted(problems, key=lambda p: (p.row or 0, p.column))


def _checks(col: Column, text: pl.Expr, typed: pl.Expr, target: Any) -> list[Check]:
    """What a column's values must satisfy, as flag expressions over the raw frame."""
    given = text.is_not_null()
    if target is pl.Float64:
        return [
            (col.name, given & typed.is_null(), "not a number"),
            (col.name, ~typed.is_finite() | (typed.abs() > MAX_MAGNITUDE),
             "must be a finite number of magnitude at most 1e15"),
        ]  # fmt: skip
    if target is pl.Int64:
        return [
            (col.name, given & typed.is_null(), "not an integer"),
            (col.name, typed.abs() > INT_RANGE, f"must be an integer within ±{INT_RANGE}"),
        ]
    found = [
        (col.name, text.str.len_chars() > col.max_length,
         f"longer than {col.max_length} characters"),
        (col.name, text.str.contains("\x00", literal=True), "must not contain a NUL character"),
    ]  # fmt: skip
    if col.unit in DATE_FORMATS:
        pattern, what = DATE_FORMATS[col.unit]
        real = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).is_not_null()
        found.append((col.name, given & ~(text.str.contains(pattern) & real), f"not {what}"))
    return found


def _has_required(frame: pl.DataFrame, columns: Sequence[Column], file: str) -> None:
    """A file without a required column is the wrong file: said once, not once per row."""
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    if missing and frame.height:
        has = ", ".join(frame.columns[:12]) + (" ..." if frame.width > 12 else "")
        reason = f"required column missing: is this the right file? (it has {has})"
        raise InputError([Problem(file, None, name, reason) for name in missing])


def _plain(
    frame: pl.DataFrame, columns: Sequence[Column], file: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """Known columns holding lists or structs (Parquet can) are a problem, read as empty."""
    nested = [
        c.name for c in columns if c.name in frame.columns and frame[c.name].dtype.is_nested()
    ]
    problems = [
        Problem(file, None, n, "must hold plain values, not lists or structs") for n in nested
    ]
    return frame.with_columns(pl.lit(None, pl.String).alias(n) for n in nested), problems


def _shown(value: Any) -> str:
    """A refused value as a problem quotes it: short, whatever was sent."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}...'"


def read_tces(
    path: str | Path, columns: Sequence[Column], name: str | None = None
) -> tuple[pl.DataFrame, list[Problem]]:
    """A TCE file as a typed Polars frame plus the values that could not be parsed.

    The values are named by row and column in the file ``name`` (default: the file's name).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), None, "file", "no such file")])
    named = path.name if name is None else name
    return coerce(_read_raw(path, path.suffix.lower(), str(path)), columns, named)


def parse_tces(
    data: bytes, suffix: str, name: str, columns: Sequence[Column]
) -> tuple[pl.DataFrame, list[Problem]]:
    """Like :func:`read_tces`, for an uploaded body; ``suffix`` is .csv, .parquet or .json."""
    try:
        raw = _read_raw(data, suffix, name)
    except InputError:
        raise
    except (pl.exceptions.PolarsError, ValueError, RecursionError, OSError) as e:
        raise InputError([Problem(name, None, "file", f"cannot be read as {suffix}: {e}")]) from e
    return coerce(raw, columns, name)


def parse_rows(
    rows: Sequence[dict[str, Any]], name: str, columns: Sequence[Column]
) -> tuple[pl.DataFrame, list[Problem]]:
    """Like :func:`read_tces`, for rows already decoded (a request's JSON list of objects)."""
    return coerce(_frame_of_rows(list(rows), name), columns, name)


def read_columns(path: str | Path, names: Sequence[str]) -> pl.DataFrame:
    """Some columns of a CSV or Parquet file, as stored (no checks: for files greenlane wrote)."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path, columns=list(names))
    return pl.read_csv(path, columns=list(names))


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


FORMULA_START = r"^[=+\-@\t\r]"  # what a spreadsheet would run as a formula (OWASP CSV injection)


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would take for a formula, quoted with a leading ``'``.

    For CSV meant for people (downloads): a tenant's ``=HYPERLINK(...)`` stays text in the
    spreadsheet of whoever opens it. Numbers are untouched.
    """
    text = [c for c, t in frame.schema.items() if t in (pl.String, pl.Categorical)]
    return frame.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(c).cast(pl.String))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in text
    )


TABLE_OUTPUTS = (".csv", ".parquet", ".json")


def check_output(path: str | Path, kinds: tuple[str, ...] = TABLE_OUTPUTS) -> None:
    """InputError unless ``path`` ends in one of ``kinds``: checked before any work is done."""
    suffix = Path(path).suffix.lower()
    if suffix not in kinds:
        reason = (
            f"unsupported output type {suffix or 'without a suffix'!r} (use {', '.join(kinds)})"
        )
        raise InputError([Problem(str(path), None, "file", reason)])


def write_table(frame: pl.DataFrame, path: str | Path) -> None:
    """Write CSV, Parquet or JSON by suffix, atomically: readers never see a partial file."""
    path = Path(path)
    suffix = path.suffix.lower()
    writers: dict[str, Callable[[str], None]] = {
        ".csv": frame.write_csv,
        ".parquet": frame.write_parquet,
        ".json": frame.write_json,
    }
    check_output(path, tuple(writers))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        writers[suffix](tmp)
        as_user_makes(tmp)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> Path:
    """Write a text file atomically (a temporary file renamed over it); the path."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write a file atomically, readable as the user's umask allows; the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        as_user_makes(tmp)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def as_user_makes(path: str | Path) -> None:
    """Give a file the mode a new file of the user's gets (temporary files are 0600)."""
    Path(path).chmod(0o666 & ~_umask())


def _umask() -> int:
    """The process's umask: from Linux's /proc (read-only), else by setting it back at once."""
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0)  # elsewhere: a moment in which another thread's new file is 0666
    os.umask(mask)
    return mask
