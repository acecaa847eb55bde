"""Relief plans kept per organization: the dashboard's relief panel and the donors' trace.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``relief_plans``."""
    op.create_table(
        "relief_plans",
        sa.Column("organization_id", sa.String(64), sa.ForeignKey("organizations.id")),
        sa.Column("event_id", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("share_met", sa.Float, nullable=False),
        sa.Column("co2e_wtw_kg", sa.Float, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "event_id"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("relief_plans")
