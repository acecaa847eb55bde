"""The trust boundary: shippers' grants, server-side dashboard sessions, SSCC company prefixes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``grants``, ``sessions`` and ``sscc_prefixes``; existing waybills keep theirs."""
    op.create_table(
        "grants",
        sa.Column("shipper_id", sa.String(64), sa.ForeignKey("organizations.id"), primary_key=True),
        sa.Column("grantee_id", sa.String(64), sa.ForeignKey("organizations.id"), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_grants_grantee_id", "grants", ["grantee_id"])
    op.create_table(
        "sessions",
        sa.Column("id_sha256", sa.String(64), primary_key=True),
        sa.Column(
            "key_id",
            sa.String(32),
            sa.ForeignKey("api_keys.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_key_id", "sessions", ["key_id"])
    op.create_table(
        "sscc_prefixes",
        sa.Column("prefix", sa.String(12), primary_key=True),
        sa.Column(
            "organization_id", sa.String(64), sa.ForeignKey("organizations.id"), nullable=False
        ),
    )
    op.create_index("ix_sscc_prefixes_organization_id", "sscc_prefixes", ["organization_id"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("sscc_prefixes")
    op.drop_table("sessions")
    op.drop_table("grants")
