"""Lighter TCE indexes: none on the batch, and the carrier's only where there is one.

Rollups are now summed from the rows being stored, so nothing looks TCEs up by batch; most
TCEs have no carrier, so a partial index on ``carrier_id`` holds only those that do.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the batch and carrier indexes; add the partial carrier index."""
    op.drop_index("ix_tces_batch", table_name="tces")
    op.drop_index("ix_tces_carrier", table_name="tces")
    carried = sa.text("carrier_id IS NOT NULL")
    op.create_index(
        "ix_tces_carried",
        "tces",
        ["carrier_id"],
        postgresql_where=carried,
        sqlite_where=carried,
    )


def downgrade() -> None:
    """Restore the full indexes."""
    op.drop_index("ix_tces_carried", table_name="tces")
    op.create_index("ix_tces_carrier", "tces", ["carrier_id"])
    op.create_index("ix_tces_batch", "tces", ["batch_id"])
