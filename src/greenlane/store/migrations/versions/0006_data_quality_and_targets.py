"""Rollups keep WTW by data category (primary, modelled, default); organizations set targets.

The new rollup sums cannot be added to existing rows, so the rollups are rebuilt from the
stored TCEs with the same grouping as ingestion (see ``store.ingest._roll_up``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CATEGORIES = ("primary", "modelled", "default")
KEYS = "shipper_id, carrier_id, month, kind, mode, lane, hub"
GROUPED = (
    "shipper_id, COALESCE(carrier_id, ''), month, kind, COALESCE(mode, ''), lane, "
    "CASE WHEN kind = 'hub' THEN COALESCE(hoc_id, '') ELSE '' END"
)
SUMS = (
    "CAST(COUNT(*) AS FLOAT), SUM(mass_kg) / 1000.0, "
    "COALESCE(SUM(transport_activity_tkm), 0), COALESCE(SUM(co2e_wtt_kg), 0), "
    "COALESCE(SUM(co2e_ttw_kg), 0), COALESCE(SUM(co2e_wtw_kg), 0), "
    "COALESCE(SUM(CASE WHEN co2e_wtt_kg IS NULL THEN co2e_wtw_kg END), 0)"
)


def upgrade() -> None:
    """Add the three sums, rebuild the rollups from ``tces``, create ``targets``."""
    with op.batch_alter_table("rollups") as batch:
        for category in CATEGORIES:
            batch.add_column(
                sa.Column(f"{category}_wtw_kg", sa.Float, nullable=False, server_default="0")
            )
    by_category = ", ".join(
        f"COALESCE(SUM(CASE WHEN data_type = '{c}' THEN co2e_wtw_kg END), 0)" for c in CATEGORIES
    )
    op.execute("DELETE FROM rollups")
    op.execute(
        f"INSERT INTO rollups ({KEYS}, tce_count, mass_t, transport_activity_tkm, co2e_wtt_kg, "
        "co2e_ttw_kg, co2e_wtw_kg, unsplit_wtw_kg, primary_wtw_kg, modelled_wtw_kg, "
        f"default_wtw_kg) SELECT {GROUPED}, {SUMS}, {by_category} FROM tces GROUP BY {GROUPED}"
    )
    with op.batch_alter_table("rollups") as batch:  # the declared table has no server default
        for category in CATEGORIES:
            batch.alter_column(f"{category}_wtw_kg", server_default=None)
    op.create_table(
        "targets",
        sa.Column("organization_id", sa.String(64), sa.ForeignKey("organizations.id")),
        sa.Column("target_id", sa.String(64)),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("base_year", sa.Integer, nullable=False),
        sa.Column("base_value", sa.Float, nullable=False),
        sa.Column("target_year", sa.Integer, nullable=False),
        sa.Column("target_value", sa.Float, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "target_id"),
    )


def downgrade() -> None:
    """Drop ``targets`` and the three sums."""
    op.drop_table("targets")
    with op.batch_alter_table("rollups") as batch:
        for category in CATEGORIES:
            batch.drop_column(f"{category}_wtw_kg")
