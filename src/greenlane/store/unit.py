"""A unit of work: store functions write in their own transaction, or in the caller's.

Each write function of the store takes a ``Bind``: given an engine it opens and commits a
transaction of its own; given a connection it writes inside the caller's transaction, so a
pipeline can keep a whole day of writes (plans, events, TCEs, ledger) all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
