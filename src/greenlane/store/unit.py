"""A unit of work: store functions write in their own transaction, or in the caller's.

Each write function of the store takes a ``Bind``: given an engine it opens and commits a
transaction of its own; given a connection it writes inside the caller's transaction, so a
pipeline can keep a whole day of writes (plans, events, TCEs, ledger) all-or-nothing.
"""

from __future__ import annotations

import itertools
import operator
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl
import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

Bind = sa.Engine | sa.Connection


@contextmanager
def writing(bind: Bind) -> Iterator[sa.Connection]:
    """A connection in a transaction: a new one on an engine, the caller's on a connection."""
    if isinstance(bind, sa.Connection):
        yield bind
    else:
        with bind.begin() as conn:
            yield conn


@contextmanager
def driver_errors(statement: str, error: type[Exception] = psycopg.Error) -> Iterator[None]:
    """Errors of work on the driver's own cursor (COPY, executemany) raised as SQLAlchemy's.

    SQLAlchemy wraps what runs through it: a unique violation is an IntegrityError. Bulk
    writes run on the driver's cursor, whose errors would otherwise escape that family (and
    the service's mapping of them to 409, 422 or 503).
    """
    try:
        yield
    except error as e:
        raise sa.exc.DBAPIError.instance(statement, None, e, error) from e


INSERT_CHUNK = 10_000  # rows an INSERT statement carries where the driver is not used


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows (each with the first row's keys) on the driver's own fast path.

    A large day writes a million plans, waybills and scans, and five million TCEs:
    SQLAlchemy's multi-row INSERT spends some 40 us of Python on each row. PostgreSQL takes
    them by COPY, SQLite by the driver's ``executemany`` over plain tuples: a few us each.
    Rows may come from a generator and are written as they come, never all held at once.
    Each value passes through its column type's bind processor first (JSON to text, times
    to SQLite's text), as it would for an INSERT; on PostgreSQL an aware time bound for a
    column without a zone is put in the session's zone first, as the server casts it on
    INSERT (COPY would drop its offset).
    """
    them = iter(rows)
    first = next(them, None)
    if first is None:
        return
    them = itertools.chain([first], them)
    names = list(first)
    processors = _processors(conn, table, names)
    if processors is None:
        while chunk := list(itertools.islice(them, INSERT_CHUNK)):
            conn.execute(table.insert(), chunk)
        return
    tuples: Iterator[Sequence[Any]]
    if len(names) == 1:
        tuples = _single(them, names[0], processors[0])
    else:
        tuples = _processed(them, operator.itemgetter(*names), processors)
    _write(conn, table, names, tuples)


FRAME_SLICE = 10_000  # a frame's rows made Python values at once by insert_frame


def insert_frame(conn: sa.Connection, table: sa.Table, frame: pl.DataFrame) -> None:
    """Insert a frame's rows as :func:`insert_rows` would, read column by column.

    No dict is made for each row (100,000 TCEs of 36 columns: 2.1 s of ``iter_rows``):
    each column of a slice comes out as a list, and only those with a bind processor go
    through it, value by value.
    """
    if not frame.height:
        return
    names = frame.columns
    processors = _processors(conn, table, names)
    if processors is None:
        insert_rows(conn, table, frame.iter_rows(named=True))
        return
    _write(conn, table, names, _frame_tuples(frame, processors))


def _frame_tuples(
    frame: pl.DataFrame, processors: list[Callable[[Any], Any] | None]
) -> Iterator[tuple[Any, ...]]:
    for part in frame.iter_slices(FRAME_SLICE):
        columns = [part.get_column(name).to_list() for name in part.columns]
        for n, processor in enumerate(processors):
            if processor is not None:
                columns[n] = list(map(processor, columns[n]))
        yield from zip(*columns, strict=True)


def _write(
    conn: sa.Connection, table: sa.Table, names: list[str], tuples: Iterable[Sequence[Any]]
) -> None:
    """Rows of values (already through their bind processors): COPY, or ``executemany``."""
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        statement = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
        with driver_errors(statement), driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in tuples:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in names)
    statement = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        with driver_errors(statement, sqlite3.Error):
            cursor.executemany(statement, tuples)
    finally:
        cursor.close()


def _processed(
    rows: Iterator[Mapping[str, Any]],
    values: Callable[[Mapping[str, Any]], Sequence[Any]],
    processors: list[Callable[[Any], Any] | None],
) -> Iterator[Sequence[Any]]:
    """Each row's values in order, those of columns with a bind processor passed through it.

    Only those columns are touched (a TCE has 35 columns, a few with a processor).
    """
    processed = [(n, p) for n, p in enumerate(processors) if p is not None]
    if not processed:
        yield from map(values, rows)
        return
    for row in rows:
        out = list(values(row))
        for n, processor in processed:
            out[n] = processor(out[n])
        yield out


def _single(
    rows: Iterator[Mapping[str, Any]], name: str, processor: Callable[[Any], Any] | None
) -> Iterator[tuple[Any]]:
    """One-column rows as 1-tuples (``itemgetter`` of one name gives the bare value)."""
    for row in rows:
        value = row[name]
        yield (value if processor is None else processor(value),)


def _processors(
    conn: sa.Connection, table: sa.Table, names: list[str]
) -> list[Callable[[Any], Any] | None] | None:
    """What an INSERT would do to each named column's values before the database stores them.

    None where the driver's fast path cannot stand in for an INSERT: a database other than
    PostgreSQL and SQLite, or a PostgreSQL session time zone Python does not know (an aware
    time could not be cast as the server casts it).
    """
    if conn.dialect.name not in ("postgresql", "sqlite"):
        return None
    try:
        return [_processor(conn, table.c[n].type) for n in names]
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _processor(conn: sa.Connection, kind: Any) -> Callable[[Any], Any] | None:
    dialect = conn.dialect
    processor = kind.dialect_impl(dialect).bind_processor(dialect)
    if dialect.name != "postgresql" or not isinstance(kind, sa.DateTime) or kind.timezone:
        return processor
    zone = ZoneInfo(conn.exec_driver_sql("SHOW TIME ZONE").scalar_one())

    def local(value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(zone).replace(tzinfo=None)
        return value if processor is None else processor(value)

    return local


LISTED = 5_000  # ids a query names one by one; more go through a temporary table


def held(
    conn: sa.Connection,
    column: sa.Column[str],
    scope: sa.ColumnElement[bool],
    values: Sequence[str],
) -> list[str]:
    """Which of ``values`` rows of ``column``'s table within ``scope`` hold: a key look-up each.

    On PostgreSQL each value is probed by its own subquery, which the planner may not turn
    into a join (``OFFSET 0``): rows written in an open transaction are in no statistics yet,
    and a day's batch of 2,000 ids, listed, was planned as a filter over every row of the
    organization, a scan per batch (quadratic over the day). SQLite looks each value up by
    its index anyway.
    """
    if conn.dialect.name != "postgresql":
        with among(conn, values) as listed:
            query = sa.select(column).where(scope, column.in_(listed))
            return list(conn.execute(query).scalars())
    return list(conn.execute(_probed(column, scope, values)).scalars())


def _probed(
    column: sa.Column[str], scope: sa.ColumnElement[bool], values: Sequence[str]
) -> sa.Select[Any]:
    """PostgreSQL's query for :func:`held`: the values unnested, each kept if its probe finds it."""
    ids = sa.bindparam("ids", list(values), type_=postgresql.ARRAY(sa.String), unique=True)
    wanted = sa.func.unnest(ids).table_valued("value").render_derived(name="wanted")
    probe: sa.Select[Any] = (
        sa.select(sa.literal_column("1"))
        .select_from(column.table)
        .where(scope, column == wanted.c.value)
        .offset(sa.literal_column("0"))
    )
    return sa.select(wanted.c.value).where(probe.exists())


@contextmanager
def among(conn: sa.Connection, values: Sequence[str]) -> Iterator[Sequence[str] | sa.Select[Any]]:
    """``values`` for ``column.in_(...)``, however many, as long as the connection's work lasts.

    A statement holds at most 65,535 parameters on PostgreSQL (and SQLite has its own cap):
    a large day names more orders or parcels than that. Past ``LISTED`` values they go into
    a temporary table, dropped on the way out, and what is yielded selects from it.
    """
    if len(values) <= LISTED:
        yield values
        return
    listed = sa.Table(
        f"listed_{secrets.token_hex(4)}",
        sa.MetaData(),
        sa.Column("value", sa.String, primary_key=True),
        prefixes=["TEMPORARY"],
    )
    listed.create(conn)
    try:
        insert_rows(conn, listed, ({"value": v} for v in dict.fromkeys(values)))
        yield sa.select(listed.c.value)
    finally:
        listed.drop(conn)
