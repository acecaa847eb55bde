"""Packed orders with their footprint and their baseline's, for the dashboard's packing panel.

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

FOOTPRINT = ("cartons", "board_kg", "void_cm3", "dim_weight_kg", "co2e_board_kg")


def upgrade() -> None:
    """Create ``packing_plans``."""
    op.create_table(
        "packing_plans",
        sa.Column("organization_id", sa.String(64), sa.ForeignKey("organizations.id")),
        sa.Column("order_id", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("objective", sa.String(16), nullable=False),
        sa.Column("baseline", sa.String(64), nullable=False),
        *(sa.Column(f, sa.Float, nullable=False) for f in FOOTPRINT),
        *(sa.Column(f"baseline_{f}", sa.Float, nullable=False) for f in FOOTPRINT),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "order_id"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("packing_plans")
