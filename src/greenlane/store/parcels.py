"""Parcel plans, e-waybills and tracking events kept per organization; the public tracking view.

Storing a plan again under its id replaces its totals and waybills in one transaction; a
waybill that stays keeps its tracking events. An SSCC is unique the world over, so one that
is already another plan's is a conflict, never overwritten. Plans are read as
``policy.owned_rows`` says; waybills, which name a consignee, by their own organization only.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from greenlane.errors import ConflictError, InputError, Problem
from greenlane.parcels.tracking import FINAL, Event, public_view, remaining_after, timeline
from greenlane.store.access import Caller, now
from greenlane.store.module_days import DELIVERED, TRACKED, day_of, days_of, refresh
from greenlane.store.policy import own_rows, owned_rows
from greenlane.store.queries import in_months
from greenlane.store.tables import (
    PLAN_SUMS,
    Role,
    parcel_plans,
    sscc_prefixes,
    tracking_events,
    waybills,
)
from greenlane.store.unit import Bind, among, insert_rows, writing


def store_plan(
    bind: Bind,
    caller: Caller,
    plan_id: str,
    day: date,
    sums: dict[str, float],
    bills: Sequence[dict[str, Any]],
) -> None:
    """Keep a day's plan totals and its waybills for the caller, replacing the plan's last."""
    org = caller.organization_id
    ssccs = [b["sscc"] for b in bills]
    with writing(bind) as conn, among(conn, ssccs) as listed:
        billed = waybills.c.sscc.in_(listed)
        _own_prefixes(conn, org, ssccs)
        taken = conn.execute(
            sa.select(waybills.c.sscc).where(
                billed, sa.or_(waybills.c.organization_id != org, waybills.c.plan_id != plan_id)
            )
        ).scalars()
        clash = sorted(taken)
        if clash:
            raise ConflictError(f"SSCC {clash[0]} already names a parcel of another plan")
        mine = sa.and_(waybills.c.organization_id == org, waybills.c.plan_id == plan_id)
        gone = sa.select(waybills.c.sscc).where(mine, sa.not_(billed))
        made = days_of(conn, sa.select(waybills.c.created_at).where(mine))
        scanned = days_of(
            conn, sa.select(tracking_events.c.at).where(tracking_events.c.sscc.in_(gone))
        )
        conn.execute(tracking_events.delete().where(tracking_events.c.sscc.in_(gone)))
        conn.execute(waybills.delete().where(mine, sa.not_(billed)))
        kept = set(conn.execute(sa.select(waybills.c.sscc).where(mine)).scalars())
        ours = {"organization_id": org, "plan_id": plan_id}
        fresh = (  # made as they are written: a day may hold a million parcels
            b | ours | {"tracking_token": secrets.token_urlsafe(16)}
            for b in bills
            if b["sscc"] not in kept
        )
        insert_rows(conn, waybills, fresh)
        again = [b | ours | {"kept_sscc": b["sscc"]} for b in bills if b["sscc"] in kept]
        if again:  # one statement, many rows: a plan stored again may hold a day's parcels
            conn.execute(
                waybills.update().where(waybills.c.sscc == sa.bindparam("kept_sscc")), again
            )
        refresh(conn, org, [TRACKED], made | {day_of(b["created_at"]) for b in bills})
        refresh(conn, org, [DELIVERED], scanned)
        key = sa.and_(parcel_plans.c.organization_id == org, parcel_plans.c.plan_id == plan_id)
        conn.execute(parcel_plans.delete().where(key))
        conn.execute(
            parcel_plans.insert(),
            [{"organization_id": org, "plan_id": plan_id, "day": day, "created_at": now()} | sums],
        )


def register_prefix(engine: sa.Engine, organization_id: str, prefix: str) -> bool:
    """Register a GS1 company prefix to an organization, as GS1 licensed it to it.

    The operator does this after checking the licence. False if it was registered to the
    organization already; ConflictError if to another.
    """
    if not re.fullmatch(r"[0-9]{6,12}", prefix):
        raise InputError([Problem("request", None, "prefix", "a GS1 company prefix: 6-12 digits")])
    with engine.begin() as conn:
        owner = conn.execute(
            sa.select(sscc_prefixes.c.organization_id).where(sscc_prefixes.c.prefix == prefix)
        ).scalar_one_or_none()
        if owner == organization_id:
            return False
        if owner is not None:
            raise ConflictError(f"prefix {prefix} is registered to another organization")
        conn.execute(sscc_prefixes.insert().values(prefix=prefix, organization_id=organization_id))
    return True


def prefixes(engine: sa.Engine, caller: Caller) -> list[dict[str, str]]:
    """The company prefixes registered to the caller (the operator: every one)."""
    c = sscc_prefixes.c
    mine = (
        sa.true() if caller.role == Role.OPERATOR else c.organization_id == caller.organization_id
    )
    with engine.connect() as conn:
        rows = conn.execute(sa.select(c.prefix, c.organization_id).where(mine).order_by(c.prefix))
        return [dict(r._mapping) for r in rows]


def _own_prefixes(conn: sa.Connection, org: str, ssccs: Sequence[str]) -> None:
    """Every SSCC must be numbered under a company prefix registered to ``org``.

    The SSCC is the extension digit, the company prefix, the serial and the check digit, so
    its digits after the first start with the prefix. Refused the same way whether another
    organization holds the prefix or nobody does.
    """
    held = conn.execute(
        sa.select(sscc_prefixes.c.prefix).where(sscc_prefixes.c.organization_id == org)
    ).scalars()
    own = tuple(held)
    foreign = sorted({s for s in ssccs if not s[1:].startswith(own)})
    if foreign:
        reason = f"SSCC {foreign[0]} is not under a GS1 company prefix registered to {org!r}"
        raise InputError([Problem("request", None, "company_prefix", reason)])


def stored_waybill(engine: sa.Engine, caller: Caller, sscc: str) -> dict[str, Any] | None:
    """A waybill with its events, if the caller may read it."""
    query = sa.select(waybills).where(waybills.c.sscc == sscc, _visible(caller))
    with engine.connect() as conn:
        found = conn.execute(query).first()
        if found is None:
            return None
        events = _events(conn, sscc)
    bill = dict(found._mapping)
    return bill | {"events": [_event_record(e) for e in timeline(events)]}


def add_events(bind: Bind, caller: Caller, events: Sequence[Event]) -> tuple[int, list[Problem]]:
    """Record scans of the caller's waybills; a scan sent again is kept once.

    Returns the number of new events, or the problems (a waybill not found or not the
    caller's, by row) with nothing written.
    """
    ssccs = sorted({e.waybill for e in events})
    with writing(bind) as conn, among(conn, ssccs) as listed:
        known = set(
            conn.execute(
                sa.select(waybills.c.sscc).where(waybills.c.sscc.in_(listed), _visible(caller))
            ).scalars()
        )
        problems = [
            Problem("request", n, "waybill", f"no waybill {e.waybill!r}")
            for n, e in enumerate(events, start=1)
            if e.waybill not in known
        ]
        if problems:
            return 0, problems
        stored = {
            (e.waybill, e.status, e.at, e.place)
            for e in (
                Event(r.sscc, r.status, r.at, r.place)
                for r in conn.execute(
                    sa.select(tracking_events).where(tracking_events.c.sscc.in_(listed))
                )
            )
        }
        new = {
            (e.waybill, e.status, e.at, e.place): e
            for e in events
            if (e.waybill, e.status, e.at, e.place) not in stored
        }
        if new:
            insert_rows(
                conn,
                tracking_events,
                (
                    {"sscc": e.waybill, "status": e.status, "at": e.at, "place": e.place}
                    for e in new.values()
                ),
            )
            final = {e.at.date() for e in new.values() if e.status in FINAL}
            refresh(conn, caller.organization_id, [DELIVERED], final)
    return len(new), []


def public_tracking(engine: sa.Engine, sscc: str, token: str) -> dict[str, Any] | None:
    """What anyone with the label (the SSCC and its tracking token) may see; None otherwise.

    SSCCs are numbered in sequence, so the SSCC alone would let anyone walk through every
    parcel; the token printed beside it is 128 random bits.
    """
    w = waybills.c
    query = sa.select(w.co2e_wtw_kg, w.transit_days, w.tracking_token).where(w.sscc == sscc)
    with engine.connect() as conn:
        found = conn.execute(query).first()
        if found is None or not hmac.compare_digest(found.tracking_token or "", token):
            return None
        events = _events(conn, sscc)
    remaining = remaining_after(timedelta(days=found.transit_days))
    return public_view(sscc, events, remaining, found.co2e_wtw_kg)


def plan_days(
    engine: sa.Engine, caller: Caller, start: str | None = None, end: str | None = None
) -> list[dict[str, Any]]:
    """The caller's stored plans summed per day (in the months from ``start`` to ``end``)."""
    sums = [sa.func.sum(parcel_plans.c[f]).label(f) for f in PLAN_SUMS]
    query = (
        sa.select(parcel_plans.c.day, *sums)
        .where(owned_rows(caller, parcel_plans.c.organization_id))
        .where(*in_months(parcel_plans.c.day, start, end))
        .group_by(parcel_plans.c.day)
        .order_by(parcel_plans.c.day)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def _events(conn: sa.Connection, sscc: str) -> list[Event]:
    c = tracking_events.c
    rows = conn.execute(sa.select(tracking_events).where(c.sscc == sscc))
    return [Event(r.sscc, r.status, r.at, r.place) for r in rows]


def _event_record(event: Event) -> dict[str, Any]:
    return {"status": event.status, "at": event.at.isoformat(), "place": event.place}


def _visible(caller: Caller) -> sa.ColumnElement[bool]:
    """Waybills name a consignee: only the organization that made them reads them."""
    return own_rows(caller, waybills.c.organization_id)
