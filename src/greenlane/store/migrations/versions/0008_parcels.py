"""Parcel plans, their e-waybills and the waybills' tracking events.

A waybill holds the delivery address for its organization (the carrier needs it); the public
tracking view reads only the journey, the estimate and the CO2e.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PLAN_SUMS = (
    "orders",
    "parcels",
    "bags",
    "packaging_kg",
    "baseline_packaging_kg",
    "co2e_wtw_kg",
    "baseline_co2e_wtw_kg",
    "last_mile_parcels",
    "door_co2e_wtw_kg",
    "station_co2e_wtw_kg",
    "paper_sheets_avoided",
)


def upgrade() -> None:
    """Create ``parcel_plans``, ``waybills`` and ``tracking_events``."""
    op.create_table(
        "parcel_plans",
        sa.Column("organization_id", sa.String(64), sa.ForeignKey("organizations.id")),
        sa.Column("plan_id", sa.String(200)),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *(sa.Column(f, sa.Float, nullable=False) for f in PLAN_SUMS),
        sa.PrimaryKeyConstraint("organization_id", "plan_id"),
    )
    op.create_table(
        "waybills",
        sa.Column("sscc", sa.String(18), primary_key=True),
        sa.Column("organization_id", sa.String(64), sa.ForeignKey("organizations.id")),
        sa.Column("plan_id", sa.String(200), nullable=False),
        sa.Column("order_ids", sa.JSON, nullable=False),
        sa.Column("consignee", sa.String(200), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("weight_kg", sa.Float, nullable=False),
        sa.Column("co2e_wtw_kg", sa.Float, nullable=True),
        sa.Column("origin_hub", sa.String(64), nullable=False),
        sa.Column("transit_days", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
    )
    op.create_index("waybills_by_plan", "waybills", ["organization_id", "plan_id"])
    op.create_table(
        "tracking_events",
        sa.Column("sscc", sa.String(18), sa.ForeignKey("waybills.sscc", ondelete="CASCADE")),
        sa.Column("status", sa.String(32)),
        sa.Column("at", sa.DateTime(timezone=False)),
        sa.Column("place", sa.String(200)),
        sa.PrimaryKeyConstraint("sscc", "status", "at", "place"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("tracking_events")
    op.drop_index("waybills_by_plan", table_name="waybills")
    op.drop_table("waybills")
    op.drop_table("parcel_plans")
