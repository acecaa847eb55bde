"""Route plans kept per organization, for the dashboard's route map.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``route_plans``."""
    op.create_table(
        "route_plans",
        sa.Column("organization_id", sa.String(64), sa.ForeignKey("organizations.id")),
        sa.Column("plan_id", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("co2e_wtw_kg", sa.Float, nullable=False),
        sa.Column("km", sa.Float, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "plan_id"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("route_plans")
