"""Ingest and quote: TCEs read, checked, calculated with the caller's factors, stored or not.

The one use case behind ``POST /v1/batches`` (and the CLI's and the main job's loads) and
``POST /v1/quote``. The store keeps the batch (``greenlane.store.ingest``): all or nothing,
idempotent on the uploader's key.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import polars as pl
import sqlalchemy as sa

from greenlane.emissions import calculate_rows, run
from greenlane.emissions.schema import TCE_COLUMNS
from greenlane.errors import ConflictError, InputError, Problem, TooLargeError
from greenlane.io.rows import typed_rows
from greenlane.io.tables import parse_tces
from greenlane.store.access import Caller
from greenlane.store.factors import user_factors
from greenlane.store.ingest import BatchResult, owned, replayed, store_batch

logger = logging.getLogger(__name__)


def ingest(
    engine: sa.Engine,
    caller: Caller,
    body: bytes,
    suffix: str,
    idempotency_key: str,
    name: str = "upload",
    max_rows: int | None = None,
) -> BatchResult:
    """Validate, calculate and store one batch; InputError (nothing stored) or ConflictError."""
    digest = hashlib.sha256(body).hexdigest()
    replay = replayed(engine, caller, idempotency_key, digest)
    if replay:
        return replay
    frame, problems = _read(body, suffix, name, max_rows)
    frame, owner_problems = owned(engine, caller, frame, name)
    tocs, hocs = user_factors(engine, caller.organization_id, caller.factors_version)
    result = run(
        frame,
        tocs or None,
        hocs or None,
        file=name,
        toc_file="stored TOCs",
        hoc_file="stored HOCs",
        input_problems=problems + owner_problems,
    )
    try:
        with engine.begin() as conn:
            stored = store_batch(conn, caller, result.results, idempotency_key, digest)
        logger.info("batch stored", extra={"organization": caller.organization_id,
                                           "batch_id": stored.batch_id, "tces": stored.tces,
                                           "stored": stored.stored})  # fmt: skip
        return stored
    except sa.exc.IntegrityError as e:  # a concurrent request stored the key or some TCEs
        replay = replayed(engine, caller, idempotency_key, digest)
        if replay:
            return replay
        raise ConflictError("another batch stored some of these TCEs meanwhile: retry") from e


def _read(
    body: bytes, suffix: str, name: str, max_rows: int | None
) -> tuple[pl.DataFrame, list[Problem]]:
    """The uploaded TCEs, typed, with the values that did not parse; TooLargeError if too many."""
    frame, problems = parse_tces(body, suffix, name, TCE_COLUMNS)
    if frame.height == 0:
        raise InputError([Problem(name, None, "file", "no TCE rows")])
    if max_rows is not None and frame.height > max_rows:
        raise TooLargeError(f"{frame.height} rows: at most {max_rows} per request")
    return frame, problems


def quote(
    engine: sa.Engine,
    caller: Caller,
    body: bytes,
    suffix: str,
    name: str,
    max_rows: int | None = None,
) -> list[dict[str, Any]]:
    """Result rows for TCEs that are not stored (a quote), with the caller's own TOCs and HOCs.

    A few plainly valid rows take the row path (no data frame: ``io.rows`` and
    ``emissions.calculate_rows``); anything else, and every problem, the frame path.
    """
    tocs, hocs = user_factors(engine, caller.organization_id, caller.factors_version)
    typed = typed_rows(body, suffix, TCE_COLUMNS)
    if typed is not None and (max_rows is None or len(typed) <= max_rows):
        done = calculate_rows(typed, tocs or None, hocs or None)
        if done is not None:
            return done
    frame, problems = _read(body, suffix, name, max_rows)
    result = run(frame, tocs or None, hocs or None, file=name, input_problems=problems)
    strings = [pl.col(c).cast(pl.String) for c, t in result.results.schema.items()
               if t == pl.Categorical]  # fmt: skip
    return list(result.results.with_columns(strings).to_dicts())
