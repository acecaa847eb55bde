"""The modules' daily sums kept at write time equal the sums of what is stored.

After every kind of write: a plan stored, stored again with fewer parcels, scans added,
orders repacked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from greenlane.packing.savings import Footprint
from greenlane.parcels.record import SUMS
from greenlane.parcels.tracking import Event
from greenlane.store import connect
from greenlane.store.access import Caller, create_organization
from greenlane.store.module_days import daily
from greenlane.store.packing import packing_totals, plan_row, store_plans
from greenlane.store.parcels import add_events, register_prefix, store_plan
from greenlane.store.queries import in_months
from greenlane.store.tables import Role
from tests.service.conftest import db_url, postgres_url  # noqa: F401

DAY = datetime(2026, 3, 2, 9)


def _bill(n: int, made: datetime) -> dict[str, Any]:
    from greenlane.parcels.sscc import make_sscc

    return {"sscc": make_sscc("0614141", n), "order_ids": [f"o{n}"], "consignee": "c",
            "address": "a, b", "country": "DE", "service": "standard", "weight_kg": 1.0,
            "co2e_wtw_kg": 0.5, "origin_hub": "HGH", "transit_days": 3.0,
            "created_at": made}  # fmt: skip


def _recounted(engine: sa.Engine) -> dict[tuple[str, date], float]:
    """Every daily figure summed again in Python from the stored rows."""
    sums: dict[tuple[str, date], float] = {}

    def add(metric: str, when: Any, value: float) -> None:
        day = when if isinstance(when, date) and not isinstance(when, datetime) else None
        day = day or datetime.fromisoformat(str(when)).date()
        sums[(metric, day)] = sums.get((metric, day), 0.0) + value

    with engine.connect() as conn:
        for (made,) in conn.execute(sa.text("SELECT created_at FROM waybills")):
            add("parcels.tracked", made, 1)
        for (at,) in conn.execute(sa.text(
            "SELECT at FROM tracking_events WHERE status IN ('delivered', 'collected_by_consignee')"
        )):  # fmt: skip
            add("parcels.delivered", at, 1)
        for made, board, base in conn.execute(
            sa.text("SELECT created_at, board_kg, baseline_board_kg FROM packing_plans")
        ):
            add("packaging.avoided", made, max(0.0, base - board))
            add("packaging.material", made, board)
    return {k: v for k, v in sums.items() if v}


def _kept(engine: sa.Engine) -> dict[tuple[str, date], float]:
    with engine.connect() as conn:
        return {(m, d): q for m, d, q in daily(conn, "acme")}


def test_the_daily_sums_follow_every_write(db_url: str) -> None:  # noqa: F811
    """After each write the kept sums equal a full recount (none left over, none missing)."""
    engine = connect(db_url)
    create_organization(engine, "acme", "Acme", "shipper")
    register_prefix(engine, "acme", "0614141")
    acme = Caller("acme", Role.SHIPPER, "test")
    bills = [_bill(n, DAY + timedelta(days=n % 3)) for n in range(1, 10)]
    sums = dict.fromkeys(SUMS, 1.0)
    store_plan(engine, acme, "p1", DAY.date(), sums, bills)
    assert _kept(engine) == _recounted(engine)
    scans = [Event(b["sscc"], "delivered", b["created_at"] + timedelta(days=4), "DE")
             for b in bills]  # fmt: skip
    assert add_events(engine, acme, scans)[0] == 9
    assert add_events(engine, acme, scans)[0] == 0  # sent again: kept once, counted once
    assert _kept(engine) == _recounted(engine)
    store_plan(engine, acme, "p1", DAY.date(), sums, bills[:4])  # stored again, fewer parcels
    assert _kept(engine) == _recounted(engine)
    footprint = Footprint(1, 0.2, 0.0, 0.0, 0.1)
    baseline = Footprint(1, 0.5, 0.0, 0.0, 0.3)
    rows = [plan_row({"order_id": f"o{n}"}, "board", "default:C1", footprint, baseline)
            for n in range(5)]  # fmt: skip
    store_plans(engine, acme, [rows[:3], rows[2:]])  # in batches; o2 in both: kept once
    store_plans(engine, acme, [rows[:2]])  # repacked: replaces two, counts them once
    kept = _kept(engine)
    assert kept == _recounted(engine)
    totals = packing_totals(engine, acme)
    assert totals is not None and totals["orders"] == 5 and totals["baseline"] == "default:C1"
    assert totals["board_kg"] == 5 * 0.2 and totals["baseline_co2e_board_kg"] == 5 * 0.3
    assert packing_totals(engine, Caller("globex", Role.SHIPPER, "test")) is None
    this_month = date.today().strftime("%Y-%m")
    assert packing_totals(engine, acme, this_month, this_month) == totals  # the period, in SQL
    assert packing_totals(engine, acme, "2099-01", None) is None
    assert sum(v for (m, _), v in kept.items() if m == "packaging.material") == 5 * 0.2
    assert {m for m, _ in kept} == {"parcels.tracked", "parcels.delivered", "packaging.avoided",
                                    "packaging.material"}  # fmt: skip
    engine.dispose()


def test_a_period_of_months_bounds_days_across_a_year_end() -> None:
    """December to December ends on 31 December; the last month there is, too; in the query."""
    day = sa.column("day", sa.Date)
    first, last = in_months(day, "2025-12", "2025-12")
    compiled = [str(c.compile(compile_kwargs={"literal_binds": True})) for c in (first, last)]
    assert compiled == ["day >= '2025-12-01'", "day <= '2025-12-31'"]
    (end,) = in_months(day, None, "9999-12")  # no 10000-01-01 to stop before
    assert str(end.compile(compile_kwargs={"literal_binds": True})) == "day <= '9999-12-31'"
    assert in_months(day, None, None) == []


def test_a_day_larger_than_a_statements_parameters_is_stored_and_restored(
    db_url: str,  # noqa: F811
) -> None:
    """70,000 waybills, scans and packed orders (PostgreSQL takes 65,535 parameters a query).

    Stored, stored again with 69,000 of them (the rest and their scans go), the scans sent
    again (kept once), repacked: the kept sums still equal a full recount.
    """
    engine = connect(db_url)
    create_organization(engine, "acme", "Acme", "shipper")
    register_prefix(engine, "acme", "0614141")
    acme = Caller("acme", Role.SHIPPER, "test")
    bills = [_bill(n, DAY) for n in range(1, 70_001)]
    sums = dict.fromkeys(SUMS, 1.0)
    store_plan(engine, acme, "big", DAY.date(), sums, bills)
    scans = [Event(b["sscc"], "delivered", DAY + timedelta(days=4), "DE") for b in bills]
    assert add_events(engine, acme, scans)[0] == 70_000
    assert add_events(engine, acme, scans)[0] == 0
    store_plan(engine, acme, "big", DAY.date(), sums, bills[:69_000])
    footprint = Footprint(1, 0.2, 0.0, 0.0, 0.1)
    rows = [plan_row({"order_id": f"o{n}"}, "board", "default:C1", footprint, footprint)
            for n in range(70_000)]  # fmt: skip
    store_plans(engine, acme, [rows])
    store_plans(engine, acme, [rows[:35_000], rows[35_000:]])
    with engine.connect() as conn:
        waybills = conn.execute(sa.text("SELECT count(*) FROM waybills")).scalar_one()
        scanned = conn.execute(sa.text("SELECT count(*) FROM tracking_events")).scalar_one()
        packed = conn.execute(sa.text("SELECT count(*) FROM packing_plans")).scalar_one()
    assert (waybills, scanned, packed) == (69_000, 69_000, 70_000)
    assert _kept(engine) == _recounted(engine)
    engine.dispose()


def test_postgres_plans_each_statement_for_its_values(postgres_url: str) -> None:  # noqa: F811
    """No plan kept from when a table was empty (a day's batches went quadratic with one)."""
    engine = connect(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    engine.dispose()
