"""The whole network's totals per grouping and month, for the operator: ``network_rollups``.

The operator's overview summed every rollup row (one per shipper, carrier, month, mode, lane
and hub: 51,280 for a million TCEs) five times per view. Ingestion now keeps the network's
totals per month and key for each grouping; this migration fills them from the rollups.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

SUMS = (
    "tce_count",
    "mass_t",
    "transport_activity_tkm",
    "co2e_wtt_kg",
    "co2e_ttw_kg",
    "co2e_wtw_kg",
    "unsplit_wtw_kg",
    "primary_wtw_kg",
    "modelled_wtw_kg",
    "default_wtw_kg",
)
GROUPINGS = {  # grouping -> the rollups' column and the kind of TCE it counts
    "month": ("month", None),
    "mode": ("mode", "transport"),
    "lane": ("lane", "transport"),
    "hub": ("hub", "hub"),
    "shipper": ("shipper_id", None),
}


def upgrade() -> None:
    """Create ``network_rollups`` and sum the rollups into it."""
    op.create_table(
        "network_rollups",
        sa.Column("grouping", sa.String(16), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        *(sa.Column(s, sa.Float, nullable=False) for s in SUMS),
    )
    columns = ", ".join(SUMS)
    sums = ", ".join(f"sum({s})" for s in SUMS)
    for grouping, (column, kind) in GROUPINGS.items():
        where = f"WHERE kind = '{kind}' " if kind else ""
        op.execute(
            f"INSERT INTO network_rollups (grouping, month, key, {columns}) "
            f"SELECT '{grouping}', month, {column}, {sums} FROM rollups {where}"
            f"GROUP BY month, {column}"
        )


def downgrade() -> None:
    """Drop ``network_rollups``."""
    op.drop_table("network_rollups")
