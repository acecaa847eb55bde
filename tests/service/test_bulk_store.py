"""Bulk writes and look-ups: COPY stores what INSERT stores; id lists are looked up by key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import polars as pl
import pytest
import sqlalchemy as sa

from greenlane.store import connect, unit
from greenlane.store.tables import (
    FOOTPRINT,
    organizations,
    packing_plans,
    tracking_events,
    waybills,
)
from greenlane.store.unit import _probed, among, held, insert_frame, insert_rows
from tests.service.conftest import new_database

AWKWARD = "tab\tnew\nline \\N back\\slash \"quote\" 'single' , comma 水 \u2028 </script>"
EAST = timezone(timedelta(hours=8))


def _plans(org: str) -> list[dict[str, object]]:
    return [
        {
            "organization_id": org,
            "order_id": f"{AWKWARD} {n}",
            "created_at": datetime(2026, 11, 16, 10, n, tzinfo=EAST if n % 2 else UTC),
            "objective": "board",
            "baseline": AWKWARD[:64],
            **{f: n + 0.1 if k % 2 else n for k, f in enumerate(FOOTPRINT)},
            **{f"baseline_{f}": 1e300 / (n + 1) for f in FOOTPRINT},
            "plan": {"order_id": AWKWARD, "nested": [1, 2.5, None, True, {"k": AWKWARD}]},
        }
        for n in range(4)
    ]


def _scans(sscc: str) -> list[dict[str, object]]:
    return [
        {"sscc": sscc, "status": "departed", "at": datetime(2026, 11, 16, 9, 30), "place": AWKWARD},
        {"sscc": sscc, "status": "arrived", "at": datetime(2026, 11, 17, 1, 0, tzinfo=EAST),
         "place": "Hub \\N"},
    ]  # fmt: skip


def _waybill(sscc: str, org: str) -> dict[str, object]:
    return {"sscc": sscc, "organization_id": org, "plan_id": "p", "order_ids": [AWKWARD],
            "consignee": AWKWARD, "address": "", "country": "DE", "service": "road",
            "weight_kg": 1.25, "co2e_wtw_kg": None, "origin_hub": "h", "transit_days": 2,
            "created_at": datetime(2026, 11, 16, 12, 0, tzinfo=EAST)}  # fmt: skip


def _read(conn: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool]) -> list[tuple]:
    key = list(table.primary_key.columns)
    return [tuple(r) for r in conn.execute(sa.select(table).where(where).order_by(*key))]


def test_bulk_rows_read_back_as_the_same_rows_inserted_one_statement_at_a_time(
    db_url: str,
) -> None:
    """What COPY stores is what SQLAlchemy's INSERT stores, value for value.

    Awkward text (tabs, newlines, backslashes, a literal backslash-N), JSON, 1e300, None,
    aware and naive times into columns with and without a zone.
    """
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(organizations.insert(), [
            {"id": o, "name": o, "role": "shipper", "created_at": datetime.now(UTC)}
            for o in ("copied", "inserted")
        ])  # fmt: skip
        insert_rows(conn, packing_plans, _plans("copied"))
        conn.execute(packing_plans.insert(), _plans("inserted"))
        insert_rows(conn, waybills, [_waybill("100000000000000001", "copied")])
        conn.execute(waybills.insert(), [_waybill("100000000000000002", "inserted")])
        insert_rows(conn, tracking_events, _scans("100000000000000001"))
        conn.execute(tracking_events.insert(), _scans("100000000000000002"))
        insert_rows(conn, tracking_events, [])  # nothing to write: no statement
    with engine.connect() as conn:
        copied = _read(conn, packing_plans, packing_plans.c.organization_id == "copied")
        inserted = _read(conn, packing_plans, packing_plans.c.organization_id == "inserted")
        assert len(copied) == 4 and [r[1:] for r in copied] == [r[1:] for r in inserted]
        bills = _read(conn, waybills, sa.true())
        assert bills[0][2:] == bills[1][2:] and bills[0][3] == [AWKWARD]
        scans = _read(conn, tracking_events, sa.true())
        assert [s[1:] for s in scans[:2]] == [s[1:] for s in scans[2:]]
        assert scans[0][3] == "Hub \\N" and scans[1][3] == AWKWARD
    engine.dispose()


def test_a_frame_is_stored_as_its_rows_would_be_across_slices(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``insert_frame`` (column by column, in slices of 3 here) stores what ``insert_rows`` does.

    The same values either way: times (an aware and a naive column), a JSON list, None,
    awkward text.
    """
    monkeypatch.setattr(unit, "FRAME_SLICE", 3)
    bills = pl.DataFrame([_waybill(f"10000000000000000{n}", "org") for n in range(8)])
    scans = pl.DataFrame([s | {"at": s["at"].replace(tzinfo=None) + timedelta(minutes=n)}
                          for n in range(4) for s in _scans(f"10000000000000000{n}")])  # fmt: skip
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(organizations.insert(), [
            {"id": "org", "name": "org", "role": "shipper", "created_at": datetime.now(UTC)}
        ])  # fmt: skip
        insert_frame(conn, waybills, bills[:4])
        insert_rows(conn, waybills, bills[4:].iter_rows(named=True))
        insert_frame(conn, tracking_events, scans[:4])  # waybills 0 and 1
        insert_rows(conn, tracking_events, scans[4:].iter_rows(named=True))
        insert_frame(conn, tracking_events, scans[:0])  # nothing: no statement
    with engine.connect() as conn:
        stored = _read(conn, waybills, sa.true())
        assert len(stored) == 8 and [b[1:] for b in stored[:4]] == [b[1:] for b in stored[4:]]
        assert stored[0][3] == [AWKWARD] and stored[0][4] == AWKWARD
        events = _read(conn, tracking_events, sa.true())
        assert sorted(events) == sorted(scans.iter_rows())
    engine.dispose()


def test_a_duplicate_in_a_bulk_insert_fails_as_an_insert_would_and_writes_nothing(
    db_url: str,
) -> None:
    """The primary key repeated: SQLAlchemy's IntegrityError (the API maps it), no row kept."""
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(organizations.insert(), [
            {"id": "org", "name": "org", "role": "shipper", "created_at": datetime.now(UTC)}
        ])  # fmt: skip
    rows = _plans("org")
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        insert_rows(conn, packing_plans, [*rows, rows[2]])
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(packing_plans)).scalar() == 0
    engine.dispose()


def test_rows_from_a_generator_are_written_as_they_come_past_a_chunk(db_url: str) -> None:
    """25,000 rows from a generator (more than one INSERT's chunk): every one stored."""
    engine = connect(db_url)
    made = 0

    def plans() -> Iterator[dict[str, object]]:
        nonlocal made
        for n in range(25_000):
            made += 1
            yield _plans("org")[0] | {"order_id": f"o-{n}"}

    with engine.begin() as conn:
        conn.execute(organizations.insert(), [
            {"id": "org", "name": "org", "role": "shipper", "created_at": datetime.now(UTC)}
        ])  # fmt: skip
        insert_rows(conn, packing_plans, plans())
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(packing_plans)).scalar() == made
    assert made == 25_000
    engine.dispose()


@pytest.mark.postgres
def test_a_session_zone_python_does_not_know_is_left_to_the_server(postgres_url: str) -> None:
    """A POSIX zone (``<+03>-03``): the rows go as an INSERT, the aware time cast by the server."""
    engine = connect(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE organizations CASCADE"))
        conn.execute(organizations.insert(), [
            {"id": "org", "name": "org", "role": "shipper", "created_at": datetime.now(UTC)}
        ])  # fmt: skip
        conn.execute(sa.text("SET LOCAL TIME ZONE '<+03>-03'"))
        insert_rows(conn, waybills, [_waybill("100000000000000001", "org")])
        conn.execute(waybills.insert(), [_waybill("100000000000000002", "org")])
        insert_rows(conn, tracking_events, _scans("100000000000000001"))
        conn.execute(tracking_events.insert(), _scans("100000000000000002"))
        scans = _read(conn, tracking_events, sa.true())
    assert [s[1:] for s in scans[:2]] == [s[1:] for s in scans[2:]]
    assert datetime(2026, 11, 16, 20, 0) in [s[2] for s in scans]  # 01:00+08 is 20:00+03
    engine.dispose()


@pytest.mark.parametrize("count", [3, 7_000])
def test_ids_among_a_long_list_find_their_rows_on_either_store(db_url: str, count: int) -> None:
    """A few ids, and more than a statement may list (a temporary table on SQLite)."""
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(organizations.insert(), [
            {"id": "org", "name": "org", "role": "shipper", "created_at": datetime.now(UTC)}
        ])  # fmt: skip
        insert_rows(conn, packing_plans, (_plans("org")[0] | {"order_id": f"o-{n}"}
                                          for n in range(0, 2 * count, 2)))  # fmt: skip
        wanted = [f"o-{n}" for n in range(count)]  # every other one stored
        with among(conn, wanted) as listed:
            query = sa.select(packing_plans.c.order_id).where(packing_plans.c.order_id.in_(listed))
            found = set(conn.execute(query).scalars())
    assert found == {f"o-{n}" for n in range(0, count, 2)}
    engine.dispose()


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """A new, migrated PostgreSQL database whose tables were never analyzed."""
    with new_database("greenlane_fresh") as url:
        yield url


@pytest.mark.postgres
def test_a_batch_of_ids_is_looked_up_by_key_in_a_table_grown_in_the_transaction(
    fresh_postgres: str,
) -> None:
    """2,000 ids against 40,000 rows written in this transaction: an index look-up each.

    A new store's first large day: its tables' rows are in no statistics yet. Listed one
    by one, the same ids were only a filter over every row of the organization (a scan per
    batch of the day's packings, quadratic over the day).
    """
    engine = connect(fresh_postgres)
    with engine.begin() as conn:
        conn.execute(organizations.insert(), [
            {"id": "org", "name": "org", "role": "shipper", "created_at": datetime.now(UTC)}
        ])  # fmt: skip
        rows = (_plans("org")[0] | {"order_id": f"o-{n:06d}"} for n in range(40_000))
        insert_rows(conn, packing_plans, rows)
        ids = [f"o-{n:06d}" for n in range(39_000, 41_000)]  # half of them stored
        mine = packing_plans.c.organization_id == "org"
        assert held(conn, packing_plans.c.order_id, mine, ids) == ids[:1_000]
        literal = sa.select(packing_plans.c.order_id).where(mine, packing_plans.c.order_id.in_(ids))
        plans = []
        for statement in (_probed(packing_plans.c.order_id, mine, ids), literal):
            compiled = statement.compile(conn, compile_kwargs={"render_postcompile": True})
            explained = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
            plans.append("\n".join(r[0] for r in explained))
    keyed, listed = plans
    looked_up = [line for line in keyed.splitlines() if "Index" in line and "Cond" in line]
    assert any("order_id" in line for line in looked_up), keyed
    assert "Filter: ((order_id)" in listed  # what a literal list got: the trap avoided
    engine.dispose()
