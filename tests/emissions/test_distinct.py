"""The ``tce_id`` check: whether every id is distinct, on Polars (its hashes) and DuckDB."""

from __future__ import annotations

import duckdb
import narwhals as nw
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.emissions.backend import all_distinct

IDS = st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(IDS)
def test_every_backend_agrees_with_a_set(ids: list[str | None]) -> None:
    """Distinct exactly when no id repeats (a missing id is one value, as a set has it)."""
    frame = pl.DataFrame({"tce_id": ids}, schema={"tce_id": pl.String})
    expected = len(set(ids)) == len(ids)
    assert all_distinct(nw.from_native(frame.lazy()), "tce_id") is expected
    relation = duckdb.from_arrow(frame.to_arrow())
    assert all_distinct(nw.from_native(relation), "tce_id") is expected


def test_a_repeat_among_many_is_found() -> None:
    """A million ids with one repeated, first and last: not distinct; without it, distinct."""
    ids = pl.int_range(1_000_000, eager=True).cast(pl.String)
    assert all_distinct(nw.from_native(pl.DataFrame({"tce_id": ids}).lazy()), "tce_id")
    repeated = ids.scatter(999_999, "0")
    assert not all_distinct(nw.from_native(pl.DataFrame({"tce_id": repeated}).lazy()), "tce_id")
