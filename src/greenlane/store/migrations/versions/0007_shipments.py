"""One row per shipment (first month, TCE count, WTW), so shipment lists read no TCEs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``shipments`` and fill it from the stored TCEs."""
    op.create_table(
        "shipments",
        sa.Column("shipper_id", sa.String(64)),
        sa.Column("shipment_id", sa.String(200)),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("tce_count", sa.Integer, nullable=False),
        sa.Column("co2e_wtw_kg", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("shipper_id", "shipment_id"),
    )
    op.create_index("ix_shipments_newest", "shipments", ["month", "shipper_id", "shipment_id"])
    op.create_index("ix_shipments_shipper_newest", "shipments", ["shipper_id", "month"])
    op.execute(
        "INSERT INTO shipments (shipper_id, shipment_id, month, tce_count, co2e_wtw_kg) "
        "SELECT shipper_id, shipment_id, MIN(month), COUNT(*), COALESCE(SUM(co2e_wtw_kg), 0) "
        "FROM tces GROUP BY shipper_id, shipment_id"
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("shipments")
