"""A unit of work: store functions write in their own transaction, or in the caller's.

Each write function of the store takes a ``Bind``: given an engine it opens and commits a
transaction of its own; given a connection it writes inside the caller's transaction, so a
pipeline can keep a whole day of writes (plans, events, TCEs, ledger) all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
