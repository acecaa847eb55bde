"""The modules' daily figures for the ESG ledger, kept at write time: ``module_days``.

The ESG report and page summed every e-waybill, tracking scan and packed order on each view
(0.4 s on the demo's week), the overview's packing panel every packed order. Writers now keep
per-day sums; this migration fills them from what is stored.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

FOOTPRINT = ("cartons", "board_kg", "void_cm3", "dim_weight_kg", "co2e_board_kg")
PACKED_SUMS = (
    {"orders": "count(*)"}
    | {f: f"sum({f})" for f in FOOTPRINT}
    | {f"baseline_{f}": f"sum(baseline_{f})" for f in FOOTPRINT}
)
BACKFILL = {  # metric -> the per-day sums of what is stored
    "parcels.tracked": "SELECT organization_id, date(created_at) AS day, count(*) AS q "
    "FROM waybills GROUP BY organization_id, date(created_at)",
    "parcels.delivered": "SELECT w.organization_id, date(t.at) AS day, count(*) AS q "
    "FROM tracking_events t JOIN waybills w ON w.sscc = t.sscc "
    "WHERE t.status IN ('delivered', 'collected_by_consignee') "
    "GROUP BY w.organization_id, date(t.at)",
    "packaging.avoided": "SELECT organization_id, date(created_at) AS day, "
    "sum(CASE WHEN baseline_board_kg > board_kg THEN baseline_board_kg - board_kg ELSE 0 END) "
    "AS q FROM packing_plans GROUP BY organization_id, date(created_at)",
    "packaging.material": "SELECT organization_id, date(created_at) AS day, sum(board_kg) AS q "
    "FROM packing_plans GROUP BY organization_id, date(created_at)",
}


def upgrade() -> None:
    """Create ``module_days`` and sum what the modules stored so far."""
    op.create_table(
        "module_days",
        sa.Column("organization_id", sa.String(64), primary_key=True),
        sa.Column("metric", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("quantity", sa.Float, nullable=False),
    )
    for metric, sums in BACKFILL.items():
        op.execute(
            "INSERT INTO module_days (organization_id, metric, day, quantity) "
            f"SELECT organization_id, '{metric}', day, q FROM ({sums}) AS s "
            "WHERE organization_id IS NOT NULL AND q <> 0"
        )
    for name, total in PACKED_SUMS.items():  # packing.<sum>:<baseline policy>, per day
        op.execute(
            "INSERT INTO module_days (organization_id, metric, day, quantity) "
            f"SELECT organization_id, 'packing.{name}:' || baseline, date(created_at), {total} "
            "FROM packing_plans GROUP BY organization_id, baseline, date(created_at)"
        )


def downgrade() -> None:
    """Drop ``module_days``."""
    op.drop_table("module_days")
