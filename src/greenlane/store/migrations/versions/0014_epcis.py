"""EPCIS events with their identifier index, capture jobs, and containers reports.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None
KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create ``epcis_events``, ``epcis_epcs``, ``epcis_captures`` and ``container_reports``."""
    op.create_table(
        "epcis_events",
        sa.Column("id", KEY, primary_key=True, autoincrement=True),
        sa.Column("organization_id", sa.String(64), nullable=False),
        sa.Column("event_hash", sa.String(100), nullable=False),
        sa.Column("declares_error", sa.Boolean, nullable=False),
        sa.Column("event_type", sa.String(24), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=False), nullable=False),
        sa.Column("record_time", sa.DateTime(timezone=False), nullable=False),
        sa.Column("action", sa.String(8)),
        sa.Column("biz_step", sa.String(200)),
        sa.Column("disposition", sa.String(200)),
        sa.Column("read_point", sa.String(200)),
        sa.Column("biz_location", sa.String(200)),
        sa.Column("capture_id", sa.String(36), nullable=False),
        sa.Column("event", sa.JSON, nullable=False),
        sa.UniqueConstraint(
            "organization_id", "event_hash", "declares_error", name="uq_epcis_event"
        ),
    )
    op.create_index("ix_epcis_events_time", "epcis_events", ["organization_id", "event_time"])
    op.create_table(
        "epcis_epcs",
        sa.Column("organization_id", sa.String(64)),
        sa.Column("epc", sa.String(200)),
        sa.Column("event_id", KEY),
        sa.Column("role", sa.String(1)),
        sa.PrimaryKeyConstraint("organization_id", "epc", "event_id", "role"),
    )
    op.create_table(
        "epcis_captures",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organization_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("stored_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("duplicate_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("errors", sa.JSON, nullable=False),
    )

    op.create_table(
        "container_reports",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("container_reports")
    op.drop_table("epcis_captures")
    op.drop_table("epcis_epcs")
    op.drop_index("ix_epcis_events_time", "epcis_events")
    op.drop_table("epcis_events")
