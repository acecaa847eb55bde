"""ESG targets on KPIs, kept per organization.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``esg_targets``."""
    op.create_table(
        "esg_targets",
        sa.Column("organization_id", sa.String(64), sa.ForeignKey("organizations.id")),
        sa.Column("target_id", sa.String(64)),
        sa.Column("kpi_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(200), nullable=False),
        sa.Column("base_year", sa.Integer, nullable=False),
        sa.Column("base_value", sa.Float, nullable=False),
        sa.Column("target_year", sa.Integer, nullable=False),
        sa.Column("target_value", sa.Float, nullable=False),
        sa.Column("trajectory", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "target_id"),
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_table("esg_targets")
