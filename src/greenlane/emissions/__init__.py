"""ISO 14083 / GLEC v3 freight emissions: TCEs in, WTT/TTW/WTW kg CO2e per element out."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw
import polars as pl

from greenlane.emissions.backend import (
    all_distinct,
    both,
    collect,
    collect_in_slices,
    keeps_order,
    spark_row_index,
)
from greenlane.emissions.categories import Categories, build_categories
from greenlane.emissions.kernel import (
    INVALID,
    ROW,
    TRANSPORT,
    Rule,
    activity,
    allocate,
    allocates,
    emissions,
    invalid,
    prepare,
    rule_flags,
    rules,
)
from greenlane.emissions.rowwise import RowPath, rows
from greenlane.emissions.schema import OUTPUT_COLUMNS, TCE_COLUMNS, names
from greenlane.errors import InputError, Problem
from greenlane.factors import DEFAULT_PACK, FactorPack, load_pack

__all__ = [
    "CalculationResult",
    "allocated_activity",
    "calculate",
    "calculate_rows",
    "run",
    "warm_up",
]
Rows = Iterable[Mapping[str, Any]]


@dataclass(slots=True)
class CalculationResult:
    """Results (same kind of frame as the input), rejected rows with reasons, and problems."""

    results: Any
    rejects: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)


def _with_row_index(frame: Any) -> nw.LazyFrame:
    """The TCEs as a lazy frame carrying their input position in ``__row``."""
    nw_frame = nw.from_native(frame)
    if ROW in nw_frame.collect_schema().names():
        return nw_frame.lazy()
    if isinstance(nw_frame, nw.DataFrame):
        return nw_frame.with_row_index(ROW).lazy()
    if nw_frame.implementation is nw.Implementation.DUCKDB:
        return nw.from_native(frame.project(f"*, row_number() OVER () - 1 AS {ROW}"))
    if nw_frame.implementation is nw.Implementation.PYSPARK:
        return nw.from_native(spark_row_index(frame, ROW))
    return nw_frame.with_row_index(ROW, order_by="tce_id")


def _row_problems(bad: pl.DataFrame, all_rules: list[Rule], file: str) -> list[Problem]:
    """Problems of the flagged rows, each naming the offending value."""
    problems = []
    for row in bad.iter_rows(named=True):
        for i, rule in enumerate(all_rules):
            if row[f"__rule_{i}"]:
                value = row.get(rule.column)
                got = f" (got {value!r})" if value not in (None, "") else ""
                problems.append(Problem(file, row[ROW] + 1, rule.column, rule.reason + got))
    return problems


def _duplicate_rows(frame: nw.LazyFrame, file: str) -> tuple[list[int], list[Problem]]:
    """Rows whose tce_id was already used by an earlier row (the first occurrence is kept)."""
    counted = frame.group_by("tce_id").agg(nw.len().alias("k"))
    dup_ids = collect(counted.filter(nw.col("k") > 1).select("tce_id"))["tce_id"].to_list()
    rows = collect(frame.filter(nw.col("tce_id").is_in(dup_ids)).select(ROW, "tce_id")).sort(ROW)
    first: dict[str, int] = {}
    later, problems = [], []
    for n, tce_id in rows.rows():
        if tce_id in first:
            later.append(n)
            problems.append(
                Problem(
                    file,
                    n + 1,
                    "tce_id",
                    f"duplicate tce_id {tce_id!r} (first in row {first[tce_id] + 1})",
                )
            )
        else:
            first[tce_id] = n
    return later, problems


def _rejects(bad: pl.DataFrame, problems: list[Problem], columns: list[str]) -> pl.DataFrame:
    reasons: dict[int, list[str]] = {}
    for p in problems:
        if p.row is not None:
            reasons.setdefault(p.row - 1, []).append(f"{p.column}: {p.reason}")
    keep = [c for c in columns if c in bad.columns]
    return (
        bad.select(ROW, *keep)
        .with_columns(
            pl.col(ROW)
            .map_elements(lambda r: "; ".join(reasons.get(r, [])), return_dtype=pl.String)
            .alias("reject_reasons"),
            (pl.col(ROW) + 1).alias("input_row"),
        )
        .drop(ROW)
    )


def run(
    tces: Any,
    tocs: Rows | None = None,
    hocs: Rows | None = None,
    pack: str | Path | FactorPack = DEFAULT_PACK,
    *,
    skip_invalid: bool = False,
    file: str = "tces",
    toc_file: str = "tocs",
    hoc_file: str = "hocs",
    input_problems: Iterable[Problem] = (),
    row_path: bool = True,
    allocation_totals: Mapping[str, float] | None = None,
) -> CalculationResult:
    """Calculate ISO 14083 emissions for a TCE frame, with every input problem found.

    Parameters
    ----------
    tces
        A Polars DataFrame/LazyFrame, a DuckDB relation on the default connection, or any
        frame Narwhals supports, with the TCE columns of docs/data-formats.md.
    tocs, hocs
        Rows of the user's TOC and HOC files (primary data), or None.
    pack
        A factor pack name, folder, or a loaded pack.
    skip_invalid
        Calculate the valid rows and return the others as rejects instead of raising.
    file, toc_file, hoc_file
        Names used in problems.
    input_problems
        Problems the reader already found (values that did not parse); their rows are invalid.
    row_path
        Let small, valid Polars inputs take the row-by-row path (same results, no planning
        cost); False always runs the relational kernel.
    allocation_totals
        When ``tces`` is one part of a larger set: each energy-based category's activity
        over the whole set, by ``factor_id`` (sum :func:`allocated_activity` over the parts),
        so that every part shares the energy as the whole set would; a category not named (or
        None) is whole in ``tces``. ValueError unless each is a finite number >= 0.

    Returns
    -------
    CalculationResult
        ``results`` is the same kind of frame as ``tces``, in input row order (a Spark
        DataFrame comes back in its partitions' order, and problems name rows by a row id).

    Raises
    ------
    InputError
        If any row (or the TOC/HOC files) has a problem and ``skip_invalid`` is False, or if
        the TOC/HOC files have problems at all (they are configuration, not data rows).

    """
    input_problems, totals = list(input_problems), _checked_totals(allocation_totals)
    pack = pack if isinstance(pack, FactorPack) else load_pack(pack)
    categories = _categories(pack, tocs, hocs, toc_file, hoc_file)
    native = nw.from_native(tces)
    eager = isinstance(native, nw.DataFrame)
    height = len(native) if eager else None
    input_columns = [c for c in native.collect_schema().names() if c != ROW]
    missing = [c.name for c in TCE_COLUMNS if c.required and c.name not in input_columns]
    if missing:
        raise InputError([Problem(file, None, c, "required column is missing") for c in missing])
    if row_path and not input_problems and allocation_totals is None and _small_polars(tces):
        path = _pack_row_path(pack) if not (tocs or hocs) else RowPath(categories, pack)
        done = rows(tces.to_dicts(), path)
        if done is not None:
            result_schema, reject_schema = _kernel_schemas(tuple(tces.schema.items()))
            return CalculationResult(
                pl.DataFrame(done, schema=result_schema), pl.DataFrame(schema=reject_schema)
            )
    indexed = _with_row_index(tces)
    all_rules = rules()
    known_bad = [p.row - 1 for p in input_problems if p.row is not None]
    distinct, result = both(  # the tce_id check runs beside the kernel's pass
        indexed,
        lambda: all_distinct(indexed, "tce_id"),
        lambda: _kernel(
            indexed, categories, pack, all_rules, input_columns, known_bad, height, totals
        ),
    )
    problems: list[Problem] = []
    if not distinct:  # rare: recompute, so that allocation skips the duplicates
        dup_rows, problems = _duplicate_rows(indexed, file)
        known_bad += dup_rows
        result = _kernel(
            indexed, categories, pack, all_rules, input_columns, known_bad, height, totals
        )
    problems += input_problems
    bad_rows = collect(result.filter(nw.col(INVALID)).select(ROW))[ROW].to_list()
    bad = _explain(indexed, bad_rows, categories, all_rules)
    problems += _row_problems(bad, all_rules, file)
    if problems and not skip_invalid:
        raise InputError(problems)
    if bad_rows:
        result = result.filter(~nw.col(INVALID))
    output = _output_columns(input_columns)
    if not keeps_order(result) and result.implementation is not nw.Implementation.PYSPARK:
        result = result.sort(ROW)  # Spark's output stays partitioned: a global sort buys nothing
    result = result.select(output)
    rejects = _rejects(bad, problems, input_columns)
    if eager:
        return CalculationResult(collect(result).to_native(), rejects, problems)
    return CalculationResult(result.to_native(), rejects, problems)


def _checked_totals(totals: Mapping[str, float] | None) -> Mapping[str, float] | None:
    """The allocation totals, refused (ValueError) unless each is a finite number >= 0."""
    if totals is None:
        return None
    bad = {
        k: v
        for k, v in totals.items()
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v < math.inf
    }
    if bad:
        raise ValueError(f"allocation_totals must be finite numbers >= 0, got {bad}")
    return {str(k): float(v) for k, v in totals.items()}


def allocated_activity(
    tces: pl.DataFrame,
    tocs: Rows | None = None,
    hocs: Rows | None = None,
    pack: str | Path | FactorPack = DEFAULT_PACK,
) -> dict[str, list[float]]:
    """The activity of each valid TCE whose category shares out its energy, by ``factor_id``.

    What one part of a set of TCEs adds to the totals over which an energy-based TOC or HOC
    is allocated (ISO 14083 8.5, 9.5): sum the parts' values exactly and give the totals to
    :func:`run` as ``allocation_totals``; each part is then priced as the whole set would be.

    Parameters
    ----------
    tces
        One part of the TCEs, a Polars DataFrame with the columns :func:`run` takes.
    tocs, hocs
        Rows of the user's TOC and HOC files, or None.
    pack
        A factor pack name, folder, or a loaded pack.

    Returns
    -------
    dict of str to list of float
        The activities (in each category's unit) of the part's TCEs, by category; empty if
        no category allocates.

    Raises
    ------
    InputError
        If the TOC or HOC files have a problem.

    """
    pack = pack if isinstance(pack, FactorPack) else load_pack(pack)
    categories = _categories(pack, tocs, hocs)
    if not any(r["alloc"] for r in categories.rows):
        return {}
    input_columns = [c for c in tces.columns if c != ROW]
    frame = prepare(_with_row_index(tces), categories).with_columns(
        invalid(rules(), input_columns).alias(INVALID)
    )
    shared = (
        activity(frame, pack, categories, input_columns)
        .filter(nw.col("alloc") & ~nw.col(INVALID))
        .select("factor_id", "__activity")
    )
    out: dict[str, list[float]] = {}
    for (factor_id,), group in collect(shared).to_polars().group_by("factor_id"):
        out[str(factor_id)] = group["__activity"].to_list()
    return out


def calculate_rows(
    tces: list[dict[str, Any]],
    tocs: Rows | None = None,
    hocs: Rows | None = None,
    pack: str | Path | FactorPack = DEFAULT_PACK,
) -> list[dict[str, Any]] | None:
    """Results of a few typed TCE rows computed row by row, or None to run the kernel.

    The same arithmetic as :func:`run` (a property test holds the two together), without
    building a frame. None when a required column is missing, a row is invalid, an id
    repeats, a category allocates a TOC's energy, or the factor files have a problem: the
    kernel then gives the answer, or every problem.

    Parameters
    ----------
    tces
        TCE rows typed as the readers type them (numbers as floats, text stripped).
    tocs, hocs
        Rows of the user's TOC and HOC files, or None.
    pack
        A factor pack name, folder, or a loaded pack.

    Returns
    -------
    list of dict, or None
        Each TCE's result row (its input columns and the outputs), in input order.

    References
    ----------
    ISO 14083:2023, clauses 8-12, as cited in GLEC Framework v3.0, pp.20-34.

    """
    present = set().union(*tces) if tces else set()
    if not tces or any(c.required and c.name not in present for c in TCE_COLUMNS):
        return None
    pack = pack if isinstance(pack, FactorPack) else load_pack(pack)
    if tocs or hocs:
        categories = build_categories(pack, tocs or (), hocs or ())
        if categories.problems:
            return None
        path = RowPath(categories, pack)
    else:
        path = _pack_row_path(pack)
    done = rows(tces, path)
    if done is None:
        return None
    columns = _output_columns(list(tces[0]))  # the kernel's columns, in its order
    return [{c: row.get(c) for c in columns} for row in done]


def _categories(
    pack: FactorPack,
    tocs: Rows | None,
    hocs: Rows | None,
    toc_file: str = "tocs",
    hoc_file: str = "hocs",
) -> Categories:
    """The pack's categories with the user's TOCs and HOCs; InputError on any file problem."""
    categories = (
        build_categories(pack, tocs or (), hocs or (), toc_file, hoc_file)
        if tocs or hocs
        else _pack_categories(pack)
    )
    if categories.problems:
        raise InputError(categories.problems)
    return categories


@functools.lru_cache(maxsize=8)
def _pack_categories(pack: FactorPack) -> Categories:
    """The categories of a pack alone (no user TOCs/HOCs), built once per pack object."""
    return build_categories(pack)


@functools.lru_cache(maxsize=8)
def _pack_row_path(pack: FactorPack) -> RowPath:
    return RowPath(_pack_categories(pack), pack)


def warm_up(pack: str = DEFAULT_PACK) -> None:
    """Read the pack and index its categories now, as a service does at start-up.

    Parameters
    ----------
    pack
        The factor pack's name (``glec-v3.0``) or folder.

    Returns
    -------
    None
        The pack and its category index are cached for the calculations that follow.

    """
    _pack_row_path(load_pack(pack))
    frame = pl.DataFrame(
        {"shipment_id": ["s"], "tce_id": ["t"], "kind": ["hub"], "mass_kg": [1.0]}
    ).with_columns(pl.lit("hub.transshipment.ambient").alias("hoc_id"))
    run(frame, pack=pack)


SMALL = 1_000  # rows up to which an eager Polars input may take the row-by-row path
NUMERIC = {c.name: c.dtype for c in TCE_COLUMNS if c.dtype is not nw.String}


def _small_polars(tces: Any) -> bool:
    """A Polars DataFrame of at most SMALL rows whose TCE columns already have their types."""
    if not isinstance(tces, pl.DataFrame) or tces.height > SMALL:
        return False
    schema = nw.from_native(tces).schema
    return all(
        schema[name] == dtype or (dtype is nw.Float64 and schema[name].is_numeric())
        for name, dtype in NUMERIC.items()
        if name in schema
    ) and all(
        schema[c.name] == nw.String
        for c in TCE_COLUMNS
        if c.name in schema and c.name not in NUMERIC
    )


@functools.lru_cache(maxsize=64)
def _kernel_schemas(
    input_schema: tuple[tuple[str, pl.DataType], ...],
) -> tuple[pl.Schema, pl.Schema]:
    """The schemas of the kernel's results and rejects for inputs of this schema.

    Found once per input schema by running the kernel on no rows, so that the row path
    returns exactly the kernel's columns and types.
    """
    done = run(pl.DataFrame(schema=dict(input_schema)), row_path=False)
    return done.results.schema, done.rejects.schema


def _output_columns(input_columns: list[str]) -> list[str]:
    """Every input column, then the result columns of docs/data-formats.md."""
    return [
        *dict.fromkeys([*input_columns, "shipper_id", "mode", "distance_type"]),
        *names(OUTPUT_COLUMNS),
    ]


def _kernel(
    indexed: nw.LazyFrame,
    categories: Categories,
    pack: FactorPack,
    all_rules: list[Rule],
    input_columns: list[str],
    known_bad: list[int],
    height: int | None,
    totals: Mapping[str, float] | None,
) -> nw.LazyFrame:
    """Results and the INVALID flag in one plan; computed at once for eager inputs.

    ``height`` is an eager input's length (None for a lazy one). Without energy to allocate
    each row is computed from its own values, so a large eager input runs in slices side by
    side; allocation sums over all rows, so it runs as one query.
    """
    flagged = invalid(all_rules, input_columns)
    if known_bad:
        flagged = flagged | nw.col(ROW).is_in(known_bad)
    transport = nw.col(TRANSPORT)

    def query(part: nw.LazyFrame) -> nw.LazyFrame:
        frame = prepare(part, categories).with_columns(flagged.alias(INVALID))
        done = emissions(
            allocate(activity(frame, pack, categories, input_columns), categories, totals)
        )
        return done.with_columns(
            nw.col("__mode").alias("mode"),
            nw.when(transport).then(nw.col("__distance_type")).alias("distance_type"),
        ).select(*_output_columns(input_columns), ROW, INVALID)

    if height is None:
        return query(indexed)
    if allocates(categories):
        return collect(query(indexed)).lazy()
    return collect_in_slices(indexed, height, query).lazy()


def _explain(
    indexed: nw.LazyFrame, rows: list[int], categories: Categories, all_rules: list[Rule]
) -> pl.DataFrame:
    """The invalid rows again, with one flag column per rule: few rows, so cheap."""
    if not rows:
        return collect(indexed.head(0)).to_polars()
    subset = indexed.filter(nw.col(ROW).is_in(rows))
    return collect(rule_flags(prepare(subset, categories), all_rules)).to_polars().sort(ROW)


def calculate(
    tces: Any,
    tocs: Rows | None = None,
    hocs: Rows | None = None,
    pack: str | Path | FactorPack = DEFAULT_PACK,
) -> Any:
    """Emissions per TCE, same kind of frame as ``tces``; raises InputError on any problem.

    Parameters
    ----------
    tces
        The transport and hub chain elements, as for :func:`run`.
    tocs, hocs
        Rows of the user's TOC and HOC files (primary data), or None.
    pack
        A factor pack name, folder, or a loaded pack.

    Returns
    -------
    Any
        The results frame of :func:`run` (WTT, TTW and WTW kg CO2e and the activity per TCE).

    Raises
    ------
    InputError
        Any problem of any row or factor file, all of them named.

    References
    ----------
    ISO 14083:2023, clauses 8-12 (transport and hub chain elements, WTT and TTW, the chain's
    total), as cited in GLEC Framework v3.0 (Smart Freight Centre, 2023), pp.20-34.

    """
    return run(tces, tocs, hocs, pack).results
