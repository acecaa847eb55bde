"""Organizations carry a version of their TOC/HOC tables, so services can cache them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``organizations.factors_version`` (0 for every existing organization)."""
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(
            sa.Column("factors_version", sa.Integer, nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("factors_version")
