"""The main job's days: one row per scenario day run, written in that day's transaction.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``pipeline_days``."""
    op.create_table(
        "pipeline_days",
        sa.Column(
            "organization_id", sa.String(64), sa.ForeignKey("organizations.id"), primary_key=True
        ),
        sa.Column("scenario", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    """Drop ``pipeline_days``."""
    op.drop_table("pipeline_days")
