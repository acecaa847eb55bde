"""Initial schema: organizations, API keys, batches, TCEs with results, factor rows, rollups.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 21:15:52.822162
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('operator', 'shipper', 'carrier', 'auditor')", name="ck_role"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "rollups",
        sa.Column("shipper_id", sa.String(length=200), nullable=False),
        sa.Column("carrier_id", sa.String(length=200), nullable=False),
        sa.Column("month", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=200), nullable=False),
        sa.Column("lane", sa.String(length=200), nullable=False),
        sa.Column("hub", sa.String(length=200), nullable=False),
        sa.Column("tce_count", sa.Float(), nullable=False),
        sa.Column("mass_t", sa.Float(), nullable=False),
        sa.Column("transport_activity_tkm", sa.Float(), nullable=False),
        sa.Column("co2e_wtt_kg", sa.Float(), nullable=False),
        sa.Column("co2e_ttw_kg", sa.Float(), nullable=False),
        sa.Column("co2e_wtw_kg", sa.Float(), nullable=False),
        sa.Column("unsplit_wtw_kg", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("shipper_id", "carrier_id", "month", "kind", "mode", "lane", "hub"),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), server_default="", nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_keys_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tce_count", sa.Integer(), nullable=False),
        sa.Column("stored_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organization_id", "idempotency_key", name="uq_batch_key"),
    )
    op.create_table(
        "factor_rows",
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("table_name", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("factor_id", sa.String(length=200), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
        ),
        sa.PrimaryKeyConstraint("organization_id", "table_name", "position"),
    )
    op.create_table(
        "tces",
        sa.Column("shipper_id", sa.String(length=64), nullable=False),
        sa.Column("tce_id", sa.String(length=200), nullable=False),
        sa.Column("carrier_id", sa.String(length=64), nullable=True),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("row_sha256", sa.String(length=64), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("lane", sa.String(length=140), nullable=False),
        sa.Column("shipment_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=True),
        sa.Column("toc_id", sa.String(length=200), nullable=True),
        sa.Column("hoc_id", sa.String(length=200), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("distance_type", sa.String(length=8), nullable=True),
        sa.Column("origin", sa.String(length=64), nullable=True),
        sa.Column("destination", sa.String(length=64), nullable=True),
        sa.Column("teu", sa.Float(), nullable=True),
        sa.Column("temperature_control", sa.String(length=16), nullable=True),
        sa.Column("operating_region", sa.String(length=64), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("departure_at", sa.String(length=40), nullable=True),
        sa.Column("transport_activity_tkm", sa.Float(), nullable=True),
        sa.Column("distance_km_used", sa.Float(), nullable=True),
        sa.Column("daf", sa.Float(), nullable=True),
        sa.Column("co2e_wtt_kg", sa.Float(), nullable=True),
        sa.Column("co2e_ttw_kg", sa.Float(), nullable=True),
        sa.Column("co2e_wtw_kg", sa.Float(), nullable=True),
        sa.Column("co2e_intensity_wtw", sa.Float(), nullable=True),
        sa.Column("intensity_unit", sa.String(length=32), nullable=True),
        sa.Column("data_type", sa.String(length=16), nullable=True),
        sa.Column("factor_ref", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shipper_id"],
            ["organizations.id"],
        ),
        sa.PrimaryKeyConstraint("shipper_id", "tce_id"),
    )
    with op.batch_alter_table("tces", schema=None) as batch_op:
        batch_op.create_index("ix_tces_batch", ["batch_id"], unique=False)
        batch_op.create_index("ix_tces_carrier", ["carrier_id"], unique=False)
        batch_op.create_index("ix_tces_shipment", ["shipper_id", "shipment_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("tces", schema=None) as batch_op:
        batch_op.drop_index("ix_tces_shipment")
        batch_op.drop_index("ix_tces_carrier")
        batch_op.drop_index("ix_tces_batch")

    op.drop_table("tces")
    op.drop_table("factor_rows")
    op.drop_table("batches")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_organization_id"))

    op.drop_table("api_keys")
    op.drop_table("rollups")
    op.drop_table("organizations")
