"""The trust boundary: grants, server-side sessions, SSCC company prefixes, tracking tokens.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import secrets

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
    op.add_column("waybills", sa.Column("tracking_token", sa.String(32)))
    waybills = sa.table("waybills", sa.column("sscc"), sa.column("tracking_token"))
    conn = op.get_bind()
    for sscc in conn.execute(sa.select(waybills.c.sscc)).scalars().all():
        token = secrets.token_urlsafe(16)
        conn.execute(waybills.update().where(waybills.c.sscc == sscc).values(tracking_token=token))


def downgrade() -> None:
    """Drop the three tables and the tracking tokens."""
    with op.batch_alter_table("waybills") as batch:
        batch.drop_column("tracking_token")
    op.drop_table("sscc_prefixes")
    op.drop_table("sessions")
    op.drop_table("grants")
