"""Small tables made in the same backend as the TCE frame, so the kernel can join them."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import pyarrow as pa


def small_frame(
    columns: dict[str, list[Any]], schema: dict[str, pa.DataType], like: nw.LazyFrame
) -> nw.LazyFrame:
    """A lazy frame of ``columns`` in the backend of ``like``.

    DuckDB relations are made on DuckDB's default connection, so TCE relations passed to the
    engine must come from it too (``duckdb.sql``, ``duckdb.from_arrow``, ``duckdb.read_parquet``).
    """
    table = pa.table({k: pa.array(v, type=schema[k]) for k, v in columns.items()})
    impl = like.implementation
    if impl is nw.Implementation.POLARS:
        return nw.from_arrow(table, backend="polars").lazy()
    return nw.from_arrow(table, backend="pyarrow").lazy(impl)
