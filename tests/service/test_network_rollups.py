"""The network's totals kept at ingest equal the stored TCEs summed again, for every grouping.

The operator's overview reads them instead of the rollups; a batch sent in parts, a part sent
twice and a period cut inside the year must all give what a scan of ``tces`` gives.
"""

from __future__ import annotations

import io

import polars as pl
import pytest
import sqlalchemy as sa
from alembic import command

from greenlane.app.ingest import ingest
from greenlane.scenario.tces import sample_tces
from greenlane.store import alembic_config, connect
from greenlane.store.access import Caller, create_organization
from greenlane.store.policy import grant
from greenlane.store.queries import summary
from greenlane.store.tables import GROUPINGS, Role, tces
from tests.service.conftest import db_url, postgres_url  # noqa: F401

OPERATOR = Caller("net", Role.OPERATOR, "test")
AUDITOR = Caller("books", Role.AUDITOR, "test")
PERIODS = [(None, None), ("2026-04", "2026-06"), ("2026-11", None), (None, "2026-01")]


def _parquet(frame: pl.DataFrame) -> bytes:
    body = io.BytesIO()
    frame.write_parquet(body)
    return body.getvalue()


def _scan(engine: sa.Engine, grouping: str, start: str | None, end: str | None) -> dict:
    """Count, WTW and tonne-km per key, summed from the stored TCEs."""
    t = tces.c
    key = {"month": t.month, "mode": t.mode, "lane": t.lane, "hub": t.hoc_id,
           "shipper": t.shipper_id, "mode_lane": t.mode + "|" + t.lane}[grouping]  # fmt: skip
    kind = GROUPINGS[grouping][1]
    query = (
        sa.select(
            key,
            sa.func.count(),
            sa.func.sum(t.co2e_wtw_kg),
            sa.func.sum(sa.func.coalesce(t.transport_activity_tkm, 0.0)),
        )
        .where(
            *([t.kind == kind] if kind else []),
            *([t.month >= start] if start else []),
            *([t.month <= end] if end else []),
        )
        .group_by(key)
    )
    with engine.connect() as conn:
        return {(k or ""): (n, wtw, tkm) for k, n, wtw, tkm in conn.execute(query)}


def _kept(rows: list[dict]) -> dict:
    return {r["key"]: (r["tce_count"], r["co2e_wtw_kg"], r["transport_activity_tkm"]) for r in rows}


def test_the_network_totals_follow_every_batch(db_url: str) -> None:  # noqa: F811
    """After batches in parts and a part sent again, every grouping and period matches a scan."""
    engine = connect(db_url)
    sample = sample_tces(3000, seed=5)
    shippers = sample["shipper_id"].unique().sort().to_list()
    create_organization(engine, "net", "Network", "operator")
    create_organization(engine, "books", "Books", "auditor")
    for shipper in shippers:
        create_organization(engine, shipper, shipper, "shipper")
        grant(engine, OPERATOR, shipper, "books")
    parts = [sample.slice(0, 1200), sample.slice(1000, 1200), sample.slice(2200, 800)]
    for n, part in enumerate(parts):  # the second overlaps the first by 200 TCEs
        ingest(engine, OPERATOR, _parquet(part), ".parquet", f"part-{n}")
    ingest(engine, OPERATOR, _parquet(parts[2]), ".parquet", "again")  # nothing new
    for grouping in GROUPINGS:
        for start, end in PERIODS:
            kept = _kept(summary(engine, OPERATOR, grouping, start, end))
            scanned = _scan(engine, grouping, start, end)
            assert kept.keys() == scanned.keys(), (grouping, start, end)
            for key, (n, wtw, tkm) in scanned.items():
                assert kept[key] == (n, pytest.approx(wtw), pytest.approx(tkm)), (grouping, key)
            # the auditor granted every shipper reads the fine rollups: the same figures
            granted = _kept(summary(engine, AUDITOR, grouping, start, end))
            assert granted.keys() == kept.keys()
            for key, (n, wtw, tkm) in kept.items():
                assert granted[key] == (n, pytest.approx(wtw), pytest.approx(tkm)), (grouping, key)
    assert sum(n for n, _, _ in _scan(engine, "month", None, None).values()) == 3000
    engine.dispose()


def test_0020_and_0023_fill_the_network_totals_from_the_rollups(
    db_url: str,  # noqa: F811
) -> None:
    """A store made before 0020 gets network totals equal to its rollups summed, 0023 by mode."""
    config = alembic_config(db_url)
    command.downgrade(config, "0019")
    engine = connect(db_url)
    sums = "tce_count, mass_t, transport_activity_tkm, co2e_wtt_kg, co2e_ttw_kg, co2e_wtw_kg, " \
        "unsplit_wtw_kg, primary_wtw_kg, modelled_wtw_kg, default_wtw_kg"  # fmt: skip
    rows = [  # shipper, carrier, month, kind, mode, lane, hub, count, WTW
        ("a", "", "2026-03", "transport", "road", "CN-DE", "", 2, 10.0),
        ("b", "c", "2026-03", "transport", "road", "CN-DE", "", 1, 5.0),
        ("b", "", "2026-04", "transport", "sea", "CN-NL", "", 3, 7.0),
        ("a", "", "2026-03", "hub", "", "", "hub.x", 4, 1.5),
    ]
    with engine.begin() as conn:
        for r in rows:
            conn.execute(sa.text(
                "INSERT INTO rollups (shipper_id, carrier_id, month, kind, mode, lane, hub, "
                f"{sums}) VALUES ('{r[0]}', '{r[1]}', '{r[2]}', '{r[3]}', '{r[4]}', '{r[5]}', "
                f"'{r[6]}', {r[7]}, 1, 1, 0, 0, {r[8]}, {r[8]}, 0, 0, {r[8]})"
            ))  # fmt: skip
    command.upgrade(config, "head")

    def totals(grouping: str) -> dict:
        return {r["key"]: (r["tce_count"], r["co2e_wtw_kg"])
                for r in summary(engine, OPERATOR, grouping, None, None)}  # fmt: skip

    assert totals("month") == {"2026-03": (7, 16.5), "2026-04": (3, 7.0)}
    assert totals("lane") == {"CN-DE": (3, 15.0), "CN-NL": (3, 7.0)}
    assert totals("mode") == {"road": (3, 15.0), "sea": (3, 7.0)}
    assert totals("hub") == {"hub.x": (4, 1.5)}
    assert totals("shipper") == {"a": (6, 11.5), "b": (4, 12.0)}
    assert totals("mode_lane") == {"road|CN-DE": (3, 15.0), "sea|CN-NL": (3, 7.0)}
    engine.dispose()
