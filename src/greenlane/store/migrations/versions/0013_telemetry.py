"""Park telemetry: readings (each kept once) and the messages refused, with their reason.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``telemetry`` and ``telemetry_rejects``."""
    op.create_table(
        "telemetry",
        sa.Column("park", sa.String(100)),
        sa.Column("device", sa.String(100)),
        sa.Column("measurement", sa.String(50)),
        sa.Column("ts", sa.DateTime(timezone=False)),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("park", "device", "measurement", "ts"),
    )
    op.create_table(
        "telemetry_rejects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("topic", sa.String(300), nullable=False),
        sa.Column("payload", sa.String(500), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("telemetry_rejects")
    op.drop_table("telemetry")
