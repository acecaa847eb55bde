"""The migrations build exactly the tables the code declares, on both databases, both ways."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from greenlane.store import alembic_config, connect
from greenlane.store.tables import metadata


def _differences(url: str) -> list[object]:
    engine = connect(url)
    with engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    return list(found)


def _insert_tces(engine: sa.Engine, rows: list[dict[str, object]]) -> None:
    """Insert raw rows into ``tces`` as an older schema holds them."""
    with engine.begin() as conn:
        for row in rows:
            names, values = ", ".join(row), ", ".join(f":{k}" for k in row)
            conn.execute(sa.text(f"INSERT INTO tces ({names}) VALUES ({values})"), row)


def test_head_matches_the_declared_tables_and_downgrades_cleanly(db_url: str) -> None:
    """The migrations build the declared tables and go down and up again cleanly."""
    assert _differences(db_url) == []
    command.downgrade(alembic_config(db_url), "base")
    command.upgrade(alembic_config(db_url), "head")
    assert _differences(db_url) == []


def test_0005_moves_factor_sources_out_of_stored_tces(db_url: str) -> None:
    """Migration 0005 keeps every stored TCE's factor source."""
    config = alembic_config(db_url)
    command.downgrade(config, "0004")
    engine = connect(db_url)
    row = {
        "shipper_id": "acme",
        "tce_id": "t1",
        "batch_id": "b",
        "row_sha256": "x",
        "month": "2026-03",
        "lane": "",
        "shipment_id": "S",
        "kind": "transport",
        "mass_kg": 1.0,
        "factor_ref": "glec-v3.0: road, Table 20, p.98",
    }
    _insert_tces(engine, [row])
    command.upgrade(config, "head")
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT ref FROM tces JOIN factor_refs ON factor_refs.id = tces.factor_ref_id")
        ).scalar_one()
    engine.dispose()
    assert found == row["factor_ref"]


def test_0006_rebuilds_the_rollups_with_the_data_categories(db_url: str) -> None:
    """After 0006 the rollups hold the stored TCEs' sums again, split by data category."""
    command.downgrade(alembic_config(db_url), "0005")
    engine = connect(db_url)
    common = {"shipper_id": "acme", "batch_id": "b", "row_sha256": "x", "month": "2026-03"}
    rows = [
        common | {"tce_id": "t1", "kind": "transport", "data_type": "primary", "co2e_wtw_kg": 2.0},
        common | {"tce_id": "t2", "kind": "transport", "data_type": "default", "co2e_wtw_kg": 3.0},
        common | {"tce_id": "t3", "kind": "hub", "data_type": "default", "co2e_wtw_kg": 5.0},
    ]
    _insert_tces(
        engine, [r | {"shipment_id": "S", "mass_kg": 1e3, "lane": "", "hoc_id": "h"} for r in rows]
    )
    command.upgrade(alembic_config(db_url), "head")
    query = (
        "SELECT kind, hub, tce_count, co2e_wtw_kg, primary_wtw_kg, default_wtw_kg "
        "FROM rollups ORDER BY kind"
    )
    with engine.connect() as conn:
        found = [tuple(r) for r in conn.execute(sa.text(query))]
    engine.dispose()
    assert found == [("hub", "h", 1.0, 5.0, 0.0, 5.0), ("transport", "", 2.0, 5.0, 2.0, 3.0)]


def test_0018_moves_transport_targets_into_the_one_target_table(db_url: str) -> None:
    """Each stored transport target becomes an ESG target on its KPI; a taken id is suffixed."""
    config = alembic_config(db_url)
    command.downgrade(config, "0017")
    engine = connect(db_url)
    values = "2025, 100.0, 2030, 50.0"
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organizations (id, name, role, created_at) "
                             "VALUES ('acme', 'Acme', 'shipper', CURRENT_TIMESTAMP)"))  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO targets (organization_id, target_id, metric, base_year, base_value, "
            f"target_year, target_value, updated_at) VALUES ('acme', 'halve', 'co2e_wtw_t', "
            f"{values}, CURRENT_TIMESTAMP), ('acme', 'dense', 'intensity_wtw_g_per_tkm', "
            f"{values}, CURRENT_TIMESTAMP)"
        ))  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO esg_targets (organization_id, target_id, kpi_id, kind, scope, "
            "base_year, base_value, target_year, target_value, trajectory) VALUES "
            f"('acme', 'halve', 'women_share', 'absolute', '', {values}, 'linear')"
        ))  # fmt: skip
    command.upgrade(config, "head")
    with engine.connect() as conn:
        found = conn.execute(sa.text(
            "SELECT target_id, kpi_id, kind, base_value, target_year FROM esg_targets "
            "ORDER BY target_id"
        )).all()  # fmt: skip
    engine.dispose()
    assert [tuple(r) for r in found] == [
        ("dense", "transport_intensity", "intensity", 100.0, 2030),
        ("halve", "women_share", "absolute", 100.0, 2030),
        ("halve-transport", "scope3_cat4_t", "absolute", 100.0, 2030),
    ]


def test_0021_hashes_stored_epcis_events_again_and_merges_twins(db_url: str) -> None:
    """Events stored under the old revision get today's hash; twins under it become one."""
    import json

    from greenlane.traceability.epcis import read_document
    from tests.traceability.test_epcis_shapes import BASE, _document

    config = alembic_config(db_url)
    command.downgrade(config, "0020")
    engine = connect(db_url)
    typed = {**BASE, "bizTransactionList": [{"type": "po", "bizTransaction": "urn:x:po:1"}]}
    commented = {**typed, "rdfs:comment": "the same event, with a remark"}
    (expected,), _ = read_document(_document(typed), "x")
    context = [{"example": "https://ns.example.com/epcis/",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}]  # fmt: skip
    with engine.begin() as conn:
        for n, event in enumerate((typed, commented), start=1):
            conn.execute(
                sa.text(
                    "INSERT INTO epcis_events (id, organization_id, event_hash, declares_error, "
                    "event_type, event_time, record_time, capture_id, event) VALUES (:id, 'acme', "
                    ":hash, false, 'ObjectEvent', '2026-03-02 07:00:00', '2026-03-02 08:00:00', "
                    "'c', :event)"
                ),
                {"id": n, "hash": f"old-{n}", "event": json.dumps({**event, "@context": context})},
            )
            conn.execute(sa.text("INSERT INTO epcis_epcs (organization_id, epc, event_id, role) "
                                 f"VALUES ('acme', 'urn:x', {n}, 'e')"))  # fmt: skip
    command.upgrade(config, "head")
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id, event_hash FROM epcis_events")).all()
        indexed = conn.execute(sa.text("SELECT event_id FROM epcis_epcs")).scalars().all()
    engine.dispose()
    assert [tuple(r) for r in stored] == [(1, expected.event_hash)]
    assert indexed == [1]


def test_0022_gives_stored_plans_the_day_they_were_stored(db_url: str) -> None:
    """Route and relief plans stored before 0022 are for the day they were stored."""
    config = alembic_config(db_url)
    command.downgrade(config, "0021")
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO organizations (id, name, role, created_at) "
                             "VALUES ('acme', 'Acme', 'shipper', CURRENT_TIMESTAMP)"))  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO route_plans (organization_id, plan_id, created_at, co2e_wtw_kg, km, plan)"
            " VALUES ('acme', 'r1', '2026-03-04 23:10:00', 1.0, 2.0, '{}')"
        ))  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO relief_plans (organization_id, event_id, created_at, share_met, "
            "co2e_wtw_kg, plan) VALUES ('acme', 'e1', '2026-05-06 01:00:00', 1.0, 2.0, '{}')"
        ))  # fmt: skip
    command.upgrade(config, "head")
    with engine.connect() as conn:
        days = [
            str(conn.execute(sa.text(f"SELECT day FROM {table}")).scalar_one())
            for table in ("route_plans", "relief_plans")
        ]
    engine.dispose()
    assert days == ["2026-03-04", "2026-05-06"]
