"""Storing a calculated batch of TCEs all-or-nothing (``greenlane.app.ingest`` makes it).

A batch is identified by its uploader's ``Idempotency-Key``: the same key and body again is a
replay (nothing changes, the first answer is returned); the same key with another body is a
conflict. TCEs are identified by ``(shipper_id, tce_id, reporter_id)`` (each carrier numbers
its TCEs apart from the shipper's own books): a TCE stored before is left as it
is, unless it comes back with other content, which is a conflict too. Rows go through a
temporary staging table (COPY on PostgreSQL), so a batch is one transaction.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from greenlane.emissions.schema import DATA_TYPES
from greenlane.errors import ConflictError, NotFoundError, Problem
from greenlane.store.access import Caller, now
from greenlane.store.policy import writable_shippers
from greenlane.store.tables import (
    GROUPINGS,
    KEY_JOIN,
    NETWORK_KEYS,
    ROLLUP_KEYS,
    ROLLUP_SUMS,
    TCE_INPUT,
    Role,
    batches,
    factor_refs,
    network_rollups,
    rollups,
    tce_columns,
    tces,
)
from greenlane.store.unit import driver_errors, insert_frame

logger = logging.getLogger(__name__)
STORED = [c.name for c in tce_columns()]
INPUT = [c.name for c in TCE_INPUT]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch upload did."""

    batch_id: str
    tces: int
    stored: int
    already_stored: int
    replayed: bool


def store_batch(
    conn: sa.Connection, caller: Caller, results: pl.DataFrame, key: str, digest: str
) -> BatchResult:
    """Store calculated TCEs as one batch in the caller's transaction (ConflictError on change).

    ``key`` is the batch's idempotency key and ``digest`` the SHA-256 of what it was made from.
    """
    batch = Batch(conn, caller, key, digest)
    batch.add(results)
    return batch.close()


class Batch:
    """A batch stored part by part in the caller's transaction: all of it commits, or none.

    For batches too large to hold at once (a day of the main job): each part is staged,
    checked and loaded as :func:`store_batch` does a whole batch; memory is one part's.
    """

    def __init__(self, conn: sa.Connection, caller: Caller, key: str, digest: str) -> None:
        self.conn, self.caller, self.id = conn, caller, str(uuid.uuid4())
        self.tces = self.stored = 0
        conn.execute(
            batches.insert().values(
                id=self.id,
                organization_id=caller.organization_id,
                idempotency_key=key,
                body_sha256=digest,
                created_at=now(),
                tce_count=0,
                stored_count=0,
            )
        )

    def add(self, results: pl.DataFrame) -> None:
        """Store one part's calculated TCEs (those stored before with the same content kept)."""
        rows = _rows(results, self.caller, self.id)
        self.tces += rows.height
        self.stored += _store(self.conn, rows)

    def close(self) -> BatchResult:
        """Record the batch's counts; what it did."""
        counts = {"tce_count": self.tces, "stored_count": self.stored}
        self.conn.execute(batches.update().where(batches.c.id == self.id).values(**counts))
        return BatchResult(self.id, self.tces, self.stored, self.tces - self.stored, False)


def replayed(engine: sa.Engine, caller: Caller, key: str, digest: str) -> BatchResult | None:
    """The stored answer for a repeated key; ConflictError if the key came with another body."""
    query = batches.select().where(
        batches.c.organization_id == caller.organization_id, batches.c.idempotency_key == key
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    if row.body_sha256 != digest:
        raise ConflictError(f"Idempotency-Key {key!r} was used for a different body")
    return BatchResult(
        row.id, row.tce_count, row.stored_count, row.tce_count - row.stored_count, replayed=True
    )


def owned(
    engine: sa.Engine, caller: Caller, frame: pl.DataFrame, name: str
) -> tuple[pl.DataFrame, list[Problem]]:
    """Fill and check ``shipper_id`` by the access policy.

    A shipper's rows default to its own books; anyone else names the shipper on each row (a
    row without one is an input problem). A row naming books the caller may not write into
    raises NotFoundError, worded the same whether that shipper exists or not.
    """
    if "shipper_id" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("shipper_id"))
    if caller.role == Role.SHIPPER:
        frame = frame.with_columns(pl.col("shipper_id").fill_null(caller.organization_id))
    numbered = frame.with_row_index("__n", offset=1)
    missing = numbered.filter(pl.col("shipper_id").is_null())["__n"].to_list()
    problems = [Problem(name, n, "shipper_id", "required: the shipper whose books the row is in")
                for n in missing]  # fmt: skip
    with engine.connect() as conn:
        allowed = writable_shippers(conn, caller, frame["shipper_id"].drop_nulls().to_list())
    foreign = numbered.filter(~pl.col("shipper_id").is_in(allowed).fill_null(True))
    if foreign.height:
        rows = ", ".join(map(str, foreign["__n"].head(20)))
        shipper = foreign["shipper_id"][0]
        raise NotFoundError(
            f"{name}: row {rows}, column 'shipper_id': no shipper {shipper!r} that "
            f"{caller.organization_id!r} may report for"
        )
    return frame, problems


def _rows(results: pl.DataFrame, caller: Caller, batch_id: str) -> pl.DataFrame:
    """The results as stored rows: owner, carrier, batch, content digest, month and lane."""
    results = results.with_columns(
        pl.lit(None, dtype=pl.String).alias(c) for c in INPUT if c not in results.columns
    )
    content = pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("") for c in ["tce_id", *INPUT]], separator="\x1f"
    )
    month = pl.col("departure_at").cast(pl.String).str.slice(0, 7)
    frame = results.with_columns(
        pl.lit(caller.organization_id if caller.role == Role.CARRIER else None, pl.String).alias(
            "carrier_id"
        ),
        pl.lit(caller.organization_id if caller.role == Role.CARRIER else None, pl.String)
        .fill_null(pl.col("shipper_id"))
        .alias("reporter_id"),
        pl.lit(batch_id).alias("batch_id"),
        content.map_elements(_sha256, return_dtype=pl.String).alias("row_sha256"),
        pl.when(month.str.contains(r"^\d{4}-\d{2}$"))
        .then(month)
        .otherwise(pl.lit(now().strftime("%Y-%m")))
        .alias("month"),
        pl.when(pl.col("kind") == "transport")
        .then(pl.concat_str([pl.col("origin"), pl.col("destination")], separator="-"))
        .fill_null("")
        .alias("lane"),
    )
    labels = [c for c, t in frame.schema.items() if t in (pl.Categorical, pl.Null)]
    staged = [c if c != "factor_ref_id" else "factor_ref" for c in STORED]
    return frame.with_columns(pl.col(labels).cast(pl.String)).select(staged)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


IDENTITY = ["shipper_id", "tce_id", "reporter_id"]
KEYS = [*IDENTITY, "row_sha256"]
COPY_CHUNK = 50_000


def _store(conn: sa.Connection, rows: pl.DataFrame) -> int:
    """Refuse changed content, store the new TCEs, update the rollups; the count stored.

    Only the keys and content digests are staged; the new rows go straight into ``tces``
    (one write of each row, COPY on PostgreSQL).
    """
    staging = _staged(conn, "tce_keys_staging", [sa.Column(k, sa.String(200)) for k in KEYS], rows)
    same_key = sa.and_(*(tces.c[k] == staging.c[k] for k in IDENTITY))
    matches = conn.execute(
        sa.select(
            *(staging.c[k] for k in IDENTITY), tces.c.row_sha256 == staging.c.row_sha256
        ).join(tces, same_key)
    ).all()
    staging.drop(conn)
    changed = [m[1] for m in matches if not m[-1]]
    if changed:
        raise ConflictError(f"TCEs stored before with other content: {changed[:20]}")
    if matches:
        stored_before = pl.DataFrame([m[:-1] for m in matches], schema=IDENTITY, orient="row")
        rows = rows.join(stored_before, on=IDENTITY, how="anti")
    _load(conn, tces, _with_ref_ids(conn, rows).select(STORED))
    _roll_up(conn, rows)
    return rows.height


def _staged(
    conn: sa.Connection, name: str, columns: list[sa.Column[Any]], rows: pl.DataFrame
) -> sa.Table:
    """A temporary table of these columns holding ``rows`` (dropped at commit on PostgreSQL)."""
    staging = sa.Table(
        name, sa.MetaData(), *columns, prefixes=["TEMPORARY"], postgresql_on_commit="DROP"
    )
    staging.drop(conn, checkfirst=True)
    staging.create(conn)
    _load(conn, staging, rows.select(c.name for c in columns))
    return staging


def _with_ref_ids(conn: sa.Connection, rows: pl.DataFrame) -> pl.DataFrame:
    """The rows with ``factor_ref_id`` for their factor source, registering new sources."""
    refs = [r for r in rows["factor_ref"].unique().to_list() if r is not None]
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    if refs:
        conn.execute(
            dialect.insert(factor_refs).on_conflict_do_nothing(index_elements=["ref"]),
            [{"ref": r} for r in refs],
        )
    found = conn.execute(
        sa.select(factor_refs.c.ref, factor_refs.c.id).where(factor_refs.c.ref.in_(refs))
    ).all()
    ids = dict(found)
    return rows.with_columns(
        pl.col("factor_ref")
        .replace_strict(ids, default=None, return_dtype=pl.Int64)
        .alias("factor_ref_id")
    )


def _load(conn: sa.Connection, table: sa.Table, rows: pl.DataFrame) -> None:
    """Bulk-load rows into a table: COPY of CSV on PostgreSQL, ``insert_rows`` elsewhere."""
    if not rows.height:
        return
    if conn.dialect.name == "postgresql":
        columns = ", ".join(rows.columns)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        statement = f"COPY {table.name} ({columns}) FROM STDIN (FORMAT csv)"
        with driver_errors(statement), cursor.copy(statement) as copy:
            # in chunks: the server parses one while this process writes the next
            for chunk in rows.iter_slices(COPY_CHUNK):
                data = io.BytesIO()
                chunk.write_csv(data, include_header=False)
                copy.write(data.getvalue())
        return
    insert_frame(conn, table, rows)  # the driver's executemany


def _roll_up(conn: sa.Connection, rows: pl.DataFrame) -> None:
    """Add newly stored TCEs to the rollups (organization x month x mode x lane, per hub).

    The sums are made here, in Polars, from the rows just stored, so that only a few
    aggregated rows travel to the database and ``tces`` needs no index on the batch.
    """
    if not rows.height:
        return
    c = pl.col
    hub = c("kind") == "hub"
    sums = (
        rows.group_by(
            "shipper_id",
            c("carrier_id").fill_null(""),
            "month",
            "kind",
            c("mode").fill_null(""),
            "lane",
            pl.when(hub).then(c("hoc_id").fill_null("")).otherwise(pl.lit("")).alias("hub"),
        )
        .agg(
            pl.len().cast(pl.Float64).alias("tce_count"),
            (c("mass_kg") / 1000.0).sum().alias("mass_t"),
            c("transport_activity_tkm").fill_null(0.0).sum(),
            c("co2e_wtt_kg").fill_null(0.0).sum(),
            c("co2e_ttw_kg").fill_null(0.0).sum(),
            c("co2e_wtw_kg").fill_null(0.0).sum(),
            pl.when(c("co2e_wtt_kg").is_null())
            .then(c("co2e_wtw_kg"))
            .otherwise(0.0)
            .fill_null(0.0)
            .sum()
            .alias("unsplit_wtw_kg"),
            *(
                c("co2e_wtw_kg").filter(c("data_type") == kind).sum().alias(f"{kind}_wtw_kg")
                for kind in DATA_TYPES
            ),
        )
        .select(*ROLLUP_KEYS, *ROLLUP_SUMS)
    )
    _add(conn, rollups, ROLLUP_KEYS, sums)
    _add(conn, network_rollups, NETWORK_KEYS, _network_sums(sums))


def _network_sums(sums: pl.DataFrame) -> pl.DataFrame:
    """The whole network's totals per grouping and month, from the rollups' new sums.

    The operator's overview reads these: a few rows per month and key, where the rollups hold
    one per shipper, carrier, mode, lane and hub.
    """
    frames = []
    for grouping, (columns, kind) in GROUPINGS.items():
        rows = sums if kind is None else sums.filter(pl.col("kind") == kind)
        key = pl.concat_str([pl.col(c) for c in columns], separator=KEY_JOIN).alias("key")
        frames.append(
            rows.group_by("month", key)
            .agg(pl.col(s).sum() for s in ROLLUP_SUMS)
            .with_columns(grouping=pl.lit(grouping))
        )
    return pl.concat(frames).select(*NETWORK_KEYS, *ROLLUP_SUMS)


def _add(conn: sa.Connection, table: sa.Table, keys: Sequence[str], sums: pl.DataFrame) -> None:
    """Add ``sums`` to the rows of ``table`` with the same keys (new keys: new rows)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table)
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=list(keys),
            set_={s: table.c[s] + insert.excluded[s] for s in ROLLUP_SUMS},
        ),
        sums.to_dicts(),
    )
