"""Shipments kept at ingest (per shipper, shipment and carrier), filled from stored TCEs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``shipments`` and sum the TCEs already stored into it."""
    op.create_table(
        "shipments",
        sa.Column("shipper_id", sa.String(64), primary_key=True),
        sa.Column("shipment_id", sa.String(200), primary_key=True),
        sa.Column("carrier_id", sa.String(64), primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        *(
            sa.Column(k, sa.Float, nullable=False)
            for k in ("tce_count", "co2e_wtt_kg", "co2e_ttw_kg", "co2e_wtw_kg")
        ),
    )
    op.execute(
        "INSERT INTO shipments SELECT shipper_id, shipment_id, COALESCE(carrier_id, ''), "
        "MIN(month), COUNT(*), SUM(COALESCE(co2e_wtt_kg, 0)), SUM(COALESCE(co2e_ttw_kg, 0)), "
        "SUM(COALESCE(co2e_wtw_kg, 0)) FROM tces "
        "GROUP BY shipper_id, shipment_id, COALESCE(carrier_id, '')"
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("shipments")
