"""The network's totals per mode and lane (grouping ``mode_lane``), filled from the rollups.

The dashboard shows lanes by mode; the operator reads network totals, kept at ingest for each
grouping since 0020. Keys join the mode and the lane with ``|`` (``road|CNSHA-CNNGB``).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
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


def upgrade() -> None:
    """Sum the rollups' transport rows per month, mode and lane into ``network_rollups``."""
    columns = ", ".join(SUMS)
    sums = ", ".join(f"sum({s})" for s in SUMS)
    op.execute(
        f"INSERT INTO network_rollups (grouping, month, key, {columns}) "
        f"SELECT 'mode_lane', month, mode || '|' || lane, {sums} FROM rollups "
        "WHERE kind = 'transport' AND mode IS NOT NULL AND lane IS NOT NULL "
        "GROUP BY month, mode, lane"
    )


def downgrade() -> None:
    """Drop the grouping's rows."""
    op.execute("DELETE FROM network_rollups WHERE grouping = 'mode_lane'")
