"""The day a stored route or relief plan is for: ``route_plans.day``, ``relief_plans.day``.

The dashboard's period applies to every panel; a plan's storing time (``created_at``) is not
the day its routes run or its event starts, so plans carry that day. Plans stored before are
given the day they were stored.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TABLES = ("route_plans", "relief_plans")


def upgrade() -> None:
    """Add the day, fill it from the storing time, then require it."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("day", sa.Date, nullable=True))
        op.execute(f"UPDATE {table} SET day = date(created_at)")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("day", existing_type=sa.Date, nullable=False)
            batch.create_index(f"ix_{table}_day", ["organization_id", "day"])


def downgrade() -> None:
    """Drop the day."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_day")
            batch.drop_column("day")
