"""Small tables made in the same backend as the TCE frame, so the kernel can join them."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import Any, TypeVar

import narwhals as nw
import numpy as np
import polars as pl
import pyarrow as pa

A = TypeVar("A")
B = TypeVar("B")


def small_frame(
    columns: dict[str, list[Any]], schema: dict[str, pa.DataType], like: nw.LazyFrame
) -> nw.LazyFrame:
    """A lazy frame of ``columns`` in the backend of ``like``.

    DuckDB relations are made on DuckDB's default connection, so TCE relations passed to the
    engine must come from it too (``duckdb.sql``, ``duckdb.from_arrow``, ``duckdb.read_parquet``).

    Parameters
    ----------
    columns
        Column name to values.
    schema
        Column name to its Arrow type.
    like
        A frame of the backend the new frame must live in.

    Returns
    -------
    nw.LazyFrame
        The columns as a frame of ``like``'s backend.

    """
    table = pa.table({k: pa.array(v, type=schema[k]) for k, v in columns.items()})
    impl = like.implementation
    if impl is nw.Implementation.POLARS:
        return nw.from_arrow(table, backend="polars").lazy()
    if impl is nw.Implementation.PYSPARK:  # a broadcast table: every executor gets a copy
        from pyspark.sql.functions import broadcast

        session = like.to_native().sparkSession
        return nw.from_native(broadcast(session.createDataFrame(table)))
    return nw.from_arrow(table, backend="pyarrow").lazy(impl)


def keeps_order(frame: nw.LazyFrame) -> bool:
    """Whether left joins in this backend keep the left row order (Polars, asked to).

    Parameters
    ----------
    frame
        A frame of the backend in question.

    Returns
    -------
    bool
        True on Polars.

    """
    return frame.implementation is nw.Implementation.POLARS


def left_join(frame: nw.LazyFrame, small: nw.LazyFrame, on: str | list[str]) -> nw.LazyFrame:
    """Left join with a small table; on Polars the left row order is kept, so no sort is needed.

    Other backends give no order guarantee; the caller sorts by the row index at the end.

    Parameters
    ----------
    frame
        The large (left) frame.
    small
        The small (right) table, in the same backend.
    on
        The join key or keys.

    Returns
    -------
    nw.LazyFrame
        ``frame`` with ``small``'s columns, nulls where no key matched.

    """
    if keeps_order(frame):
        joined = frame.to_native().join(small.to_native(), on=on, how="left", maintain_order="left")
        return nw.from_native(joined)
    return frame.join(small, on=on, how="left")


def collect(frame: nw.LazyFrame) -> nw.DataFrame[Any]:
    """Run a lazy frame; Polars uses its in-memory engine.

    The engine's inputs are in memory already (large files are fed in batches), and on this
    kernel Polars' default streaming engine measured 3.6x slower than in-memory.

    Parameters
    ----------
    frame
        The lazy query.

    Returns
    -------
    nw.DataFrame
        Its result.

    """
    if frame.implementation is nw.Implementation.POLARS:
        return frame.collect(engine="in-memory")
    return frame.collect()


SLICE_ROWS = 250_000  # the least rows worth a slice of their own: planning one costs ~10 ms


def collect_in_slices(
    frame: nw.LazyFrame,
    rows: int,
    query: Callable[[nw.LazyFrame], nw.LazyFrame],
    parts: int | None = None,
) -> nw.DataFrame[Any]:
    """``query(frame)``, computed; on Polars over row slices side by side.

    Polars' in-memory engine runs each expression on one thread, so a chain of column
    arithmetic over one large frame keeps one core busy at a time; a slice per thread keeps
    them all busy. ``query`` must work row by row (no aggregate over rows), so that the
    slices' results, in order, are the whole frame's.

    Parameters
    ----------
    frame
        The input, ``rows`` rows long.
    rows
        Its number of rows.
    query
        The row-wise query.
    parts
        How many slices; by default one per Polars thread, each of at least SLICE_ROWS rows.

    Returns
    -------
    nw.DataFrame
        The query's result, in row order.

    """
    if parts is None:
        parts = min(pl.thread_pool_size(), rows // SLICE_ROWS)
    if frame.implementation is not nw.Implementation.POLARS or parts < 2:
        return collect(query(frame))
    native = frame.to_native()
    bounds = [rows * i // parts for i in range(parts + 1)]
    queries = [
        query(nw.from_native(native.slice(start, end - start))).to_native()
        for start, end in pairwise(bounds)
    ]
    done = pl.concat(pl.collect_all(queries, engine="in-memory"), rechunk=False)
    return nw.from_native(done)


def all_distinct(frame: nw.LazyFrame, column: str) -> bool:
    """Whether every value of ``column`` is distinct.

    On Polars the 64-bit hashes are sorted by NumPy and each compared with the next: distinct
    hashes prove distinct values; any equal hashes fall back to the exact count. NumPy's sort
    is vectorised (x86-simd-sort, Highway on Arm): on 10 million ids it took a third of the
    CPU of Polars' hash table or sort, whose threads compete with the kernel's pass.

    Parameters
    ----------
    frame
        The frame.
    column
        The column to check.

    Returns
    -------
    bool
        True if no value repeats.

    """
    if frame.implementation is nw.Implementation.POLARS:
        hashed = frame.to_native().select(pl.col(column).hash()).collect(engine="in-memory")
        hashes = np.sort(hashed.to_series().to_numpy())
        if not (hashes[1:] == hashes[:-1]).any():
            return True
    counts = collect(frame.select(nw.col(column).n_unique().alias("n"), nw.len().alias("rows")))
    rows = counts["rows"][0]  # DuckDB counts no distinct values of no rows as null, not 0
    return bool(rows == 0 or counts["n"][0] == rows)


def both(frame: nw.LazyFrame, first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``first()`` and ``second()``, side by side in two threads where the backend allows.

    Polars releases the GIL and runs queries concurrently; a DuckDB connection serves one
    query at a time, so other backends run them one after the other.

    Parameters
    ----------
    frame
        A frame of the backend both calls query.
    first, second
        The two calls.

    Returns
    -------
    tuple
        Their results, in order.

    """
    if frame.implementation is not nw.Implementation.POLARS:
        return first(), second()
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(first)
        later = second()
        return pending.result(), later


def spark_row_index(frame: Any, name: str) -> Any:
    """A Spark DataFrame with a unique, increasing row id in ``name``, computed per partition.

    A row number over the whole frame would pull every row into one partition; this id is
    not consecutive, so problems on Spark name a row by this id, not by its line in a file.

    Parameters
    ----------
    frame
        A PySpark DataFrame.
    name
        The id column to add.

    Returns
    -------
    Any
        The PySpark DataFrame with the id.

    """
    from pyspark.sql.functions import monotonically_increasing_id

    return frame.withColumn(name, monotonically_increasing_id())
