"""A unit of work: store functions write in their own transaction, or in the caller's.

Each write function of the store takes a ``Bind``: given an engine it opens and commits a
transaction of its own; given a connection it writes inside the caller's transaction, so a
pipeline can keep a whole day of writes (plans, events, TCEs, ledger) all-or-nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa

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
def driver_errors(statement: str) -> Iterator[None]:
    """Errors of work on the driver's own cursor (COPY) raised as SQLAlchemy's.

    SQLAlchemy wraps what runs through it: a unique violation is an IntegrityError. A COPY
    runs on psycopg's cursor, whose errors would otherwise escape that family (and the
    service's mapping of them to 409, 422 or 503).
    """
    try:
        yield
    except psycopg.Error as e:
        raise sa.exc.DBAPIError.instance(statement, None, e, psycopg.Error) from e


LISTED = 5_000  # ids a query names one by one; more go through a temporary table


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
        conn.execute(listed.insert(), [{"value": v} for v in dict.fromkeys(values)])
        yield sa.select(listed.c.value)
    finally:
        listed.drop(conn)
