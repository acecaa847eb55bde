"""EPCIS events in the store: captured whole or not at all, each kept once, queried by index.

An event's identity is (organization, event hash, declares an error): the same event sent
again is a duplicate, counted and skipped (capture stays idempotent); its error declaration
is stored beside it and marks it as not having occurred as told.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from greenlane.store.access import aware, now
from greenlane.store.documents import Days
from greenlane.store.tables import container_reports, epcis_captures, epcis_epcs, epcis_events
from greenlane.store.unit import Bind, driver_errors, writing
from greenlane.traceability.containers import fleet_kpis, histories
from greenlane.traceability.epcis import Event, from_stored, named
from greenlane.traceability.record import containers_record
from greenlane.traceability.reuse import ReuseCase, compare, lifetime_trips

BATCH = 5_000  # events per INSERT round; a document is still one transaction
STAGED = ("organization_id", "event_hash", "declares_error", "event_type", "event_time",
          "record_time", "action", "biz_step", "disposition", "read_point", "biz_location",
          "capture_id", "event")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Stored:
    """What a capture kept: new events, and events already in the store."""

    stored: int
    duplicates: int


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The simple event query's parameters greenlane answers (EPCIS 2.0 section 8.2.7.1).

    Lists mean "any of"; identifiers are matched in their canonical Digital Link form.
    """

    event_types: tuple[str, ...] = ()
    ge_event_time: datetime | None = None
    lt_event_time: datetime | None = None
    ge_record_time: datetime | None = None
    lt_record_time: datetime | None = None
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    epcs: tuple[tuple[str, str], ...] = ()  # (roles, identifier): roles "e", "p", "epioc" ...
    error_declared: bool | None = None


def open_capture(bind: Bind, organization: str, event_count: int) -> str:
    """A capture job, running; its id."""
    capture_id = str(uuid.uuid4())
    with writing(bind) as conn:
        conn.execute(
            epcis_captures.insert().values(
                id=capture_id,
                organization_id=organization,
                created_at=now(),
                status="running",
                event_count=event_count,
                errors=[],
            )
        )
    return capture_id


def capture(bind: Bind, organization: str, capture_id: str, events: Sequence[Event]) -> Stored:
    """Store a checked document's events in one transaction and mark the job succeeded."""
    recorded = now().replace(tzinfo=None)
    stored = 0
    with writing(bind) as conn:
        for start in range(0, len(events), BATCH):
            stored += _insert(
                conn, organization, capture_id, events[start : start + BATCH], recorded
            )
        result = Stored(stored, len(events) - stored)
        _finish(conn, capture_id, "succeeded", [], result)
    return result


def fail_capture(engine: sa.Engine, capture_id: str, errors: list[dict[str, Any]]) -> None:
    """Mark a job failed with its errors (nothing of it was stored)."""
    with engine.begin() as conn:
        _finish(conn, capture_id, "failed", errors, Stored(0, 0))


def capture_job(engine: sa.Engine, organization: str, capture_id: str) -> dict[str, Any] | None:
    """A capture job of the organization, or None (another's is as absent as a missing one).

    A job still running after ``STALLED`` was cut off (the server stopped under it: its
    transaction rolled back, nothing of it is stored); it is marked failed when read.
    """
    mine = (epcis_captures.c.id == capture_id) & (epcis_captures.c.organization_id == organization)
    with engine.connect() as conn:
        row = conn.execute(sa.select(epcis_captures).where(mine)).first()
    if row is None:
        return None
    if row.status == "running" and aware(row.created_at) < now() - STALLED:
        reason = f"the capture did not finish within {STALLED}: the server stopped under it"
        fail_capture(engine, capture_id, [{"reason": reason}])
        return capture_job(engine, organization, capture_id)
    return dict(row._mapping)


STALLED = timedelta(minutes=30)  # a capture of the largest document allowed takes seconds


def query(
    engine: sa.Engine, organization: str, q: EventQuery, per_page: int, after: int = 0
) -> tuple[list[dict[str, Any]], int | None]:
    """One page of matching events in record order, and the id to continue after (or None)."""
    e = epcis_events.c
    statement = (
        sa.select(e.id, e.event, e.record_time, e.declares_error)
        .where(*_conditions(organization, q), e.id > after)
        .order_by(e.id)
        .limit(per_page + 1)
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    more = len(rows) > per_page
    page = rows[:per_page]
    events = [_as_event(row.event, row.record_time) for row in page]
    return events, (page[-1].id if more else None)


def history(engine: sa.Engine, organization: str, epc: str) -> list[dict[str, Any]]:
    """Every event naming one identifier (in any role), in event-time order."""
    e, x = epcis_events.c, epcis_epcs.c
    statement = (
        sa.select(e.event, e.record_time)
        .join(epcis_epcs, sa.and_(x.event_id == e.id))
        .where(x.organization_id == organization, x.epc == epc)
        .order_by(e.event_time, e.id)
    )
    with engine.connect() as conn:
        return [_as_event(row.event, row.record_time) for row in conn.execute(statement)]


def events_of(
    engine: sa.Engine, organization: str, up_to: int | None = None, before: datetime | None = None
) -> Iterator[Event]:
    """The organization's stored events (to record ``up_to``; before ``before``), in order."""
    e = epcis_events.c
    statement = (
        sa.select(e.event, e.event_hash).where(e.organization_id == organization).order_by(e.id)
    )
    if up_to is not None:
        statement = statement.where(e.id <= up_to)
    if before is not None:
        statement = statement.where(e.event_time < before)
    with engine.connect() as conn:
        for row in conn.execute(statement.execution_options(yield_per=10_000)):
            yield from_stored(row.event, row.event_hash)


def containers_report(
    engine: sa.Engine, organization: str, as_of: datetime, lost_after: timedelta, case: ReuseCase
) -> dict[str, Any]:
    """The organization's containers report as of a moment (UTC): later events are not seen."""
    found = histories(events_of(engine, organization, before=as_of))
    kpis = fleet_kpis(found, as_of, lost_after)
    comparison = compare(case, lifetime_trips(case, kpis))
    return containers_record(found, kpis, case, comparison, as_of, lost_after)


def store_containers_report(bind: Bind, organization: str, record: dict[str, Any]) -> None:
    """Keep an organization's latest containers report (the dashboard shows it)."""
    with writing(bind) as conn:
        conn.execute(
            container_reports.delete().where(container_reports.c.organization_id == organization)
        )
        conn.execute(
            container_reports.insert().values(
                organization_id=organization, created_at=now(), report=record
            )
        )


def latest_containers_report(engine: sa.Engine, organization: str) -> dict[str, Any] | None:
    """The organization's latest containers report, if one was made."""
    c = container_reports.c
    with engine.connect() as conn:
        found = conn.execute(sa.select(c.report).where(c.organization_id == organization))
        return found.scalar()


def containers_in(engine: sa.Engine, organization: str, days: Days) -> dict[str, Any] | None:
    """The containers report for a period: as of its end, if any event happened in it.

    Without a period, or when the period ends after the latest kept report, that report;
    otherwise the report is made again as of the period's end, with the kept report's case.
    """
    kept = latest_containers_report(engine, organization)
    first, last = days
    if kept is None or days == (None, None):
        return kept
    start = datetime.combine(first, time()) if first else None
    end = datetime.combine(last, time.max) if last else None  # the period's last moment
    e = epcis_events.c
    within = sa.select(e.id).where(e.organization_id == organization).limit(1)
    within = within.where(e.event_time >= start) if start else within
    within = within.where(e.event_time <= end) if end else within
    with engine.connect() as conn:
        if conn.execute(within).first() is None:
            return None
    kept_as_of = datetime.fromisoformat(kept["as_of"])
    if kept_as_of.tzinfo is not None:  # compared in naive UTC, as events are stored
        kept_as_of = kept_as_of.astimezone(UTC).replace(tzinfo=None)
    if end is None or end >= kept_as_of:
        return kept
    lost_after = timedelta(days=kept["lost_after_days"])
    return containers_report(
        engine, organization, end, lost_after, ReuseCase(**kept["reuse"]["case"])
    )


def _insert(
    conn: sa.Connection,
    organization: str,
    capture_id: str,
    events: Sequence[Event],
    recorded: datetime,
) -> int:
    """Insert new events and their identifier index; returns how many were new."""
    rows = [_row(organization, capture_id, event, recorded) for event in events]
    if conn.dialect.name == "postgresql":
        ids = _copied(conn, rows)
    else:
        statement = (
            sqlite_insert(epcis_events)
            .on_conflict_do_nothing()
            .returning(epcis_events.c.id, epcis_events.c.event_hash, epcis_events.c.declares_error)
        )
        ids = {(r.event_hash, r.declares_error): r.id for r in conn.execute(statement, rows)}
    index = [
        (organization, epc, ids[key], role)
        for event in events
        if (key := (event.event_hash, event.declares_error)) in ids
        for role, epc in named(event)
    ]
    if conn.dialect.name == "postgresql":
        _copy(conn, "epcis_epcs (organization_id, epc, event_id, role)", index)
    elif index:
        names = ("organization_id", "epc", "event_id", "role")
        conn.execute(epcis_epcs.insert(), [dict(zip(names, row, strict=True)) for row in index])
    return len(ids)


def _copied(conn: sa.Connection, rows: list[dict[str, Any]]) -> dict[tuple[str, bool], int]:
    """PostgreSQL: COPY into a staging table, then insert what is new, returning its ids.

    COPY is several times faster than multi-row INSERTs; the staging table goes with the
    transaction, and ON CONFLICT keeps a re-sent event out.
    """
    columns = ", ".join(STAGED)
    conn.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS epcis_stage (organization_id text, event_hash text, "
        "declares_error boolean, event_type text, event_time timestamp, record_time timestamp, "
        "action text, biz_step text, disposition text, read_point text, biz_location text, "
        "capture_id text, event json) ON COMMIT DELETE ROWS"
    )
    values = [tuple(json.dumps(r[c]) if c == "event" else r[c] for c in STAGED) for r in rows]
    _copy(conn, f"epcis_stage ({columns})", values)
    inserted = conn.exec_driver_sql(
        f"INSERT INTO epcis_events ({columns}) SELECT {columns} FROM epcis_stage "
        "ON CONFLICT DO NOTHING RETURNING id, event_hash, declares_error"
    )
    ids = {(r.event_hash, r.declares_error): r.id for r in inserted}
    conn.exec_driver_sql("TRUNCATE epcis_stage")
    return ids


def _copy(conn: sa.Connection, target: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """COPY rows into ``target`` over the connection's own psycopg cursor."""
    if not rows:
        return
    driver = conn.connection.driver_connection
    statement = f"COPY {target} FROM STDIN"
    with driver_errors(statement), driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def _row(organization: str, capture_id: str, event: Event, recorded: datetime) -> dict[str, Any]:
    return {
        "organization_id": organization,
        "event_hash": event.event_hash,
        "declares_error": event.declares_error,
        "event_type": event.event_type,
        "event_time": event.event_time,
        "record_time": recorded,
        "action": event.action,
        "biz_step": event.biz_step,
        "disposition": event.disposition,
        "read_point": event.read_point,
        "biz_location": event.biz_location,
        "capture_id": capture_id,
        "event": event.raw,
    }


def _finish(
    conn: sa.Connection, capture_id: str, status: str, errors: list[dict[str, Any]], kept: Stored
) -> None:
    conn.execute(
        epcis_captures.update()
        .where(epcis_captures.c.id == capture_id)
        .values(
            status=status,
            finished_at=now(),
            errors=errors,
            stored_count=kept.stored,
            duplicate_count=kept.duplicates,
        )
    )


def _conditions(organization: str, q: EventQuery) -> list[sa.ColumnElement[bool]]:
    e, x = epcis_events.c, epcis_epcs.c
    found: list[sa.ColumnElement[bool]] = [e.organization_id == organization]
    for column, values in (
        (e.event_type, q.event_types),
        (e.action, q.actions),
        (e.biz_step, q.biz_steps),
        (e.disposition, q.dispositions),
        (e.read_point, q.read_points),
        (e.biz_location, q.biz_locations),
    ):
        if values:
            found.append(column.in_(values))
    for column, bound, lower in (
        (e.event_time, q.ge_event_time, True),
        (e.event_time, q.lt_event_time, False),
        (e.record_time, q.ge_record_time, True),
        (e.record_time, q.lt_record_time, False),
    ):
        if bound is not None:
            found.append(column >= bound if lower else column < bound)
    for roles, epc in q.epcs:
        named_here = sa.select(x.event_id).where(
            x.organization_id == organization, x.epc == epc, x.role.in_(list(roles))
        )
        found.append(e.id.in_(named_here))
    if q.error_declared is not None:
        found.append(e.declares_error.is_(q.error_declared))
    return found


def _as_event(raw: dict[str, Any], recorded: datetime) -> dict[str, Any]:
    return {**raw, "recordTime": recorded.isoformat(timespec="milliseconds") + "Z"}
