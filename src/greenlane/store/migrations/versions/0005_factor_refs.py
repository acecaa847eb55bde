"""Factor sources kept once, in ``factor_refs``; each TCE points to its source by id.

A factor reference is a long text (pack, table and page) shared by many TCEs: stored once it
makes a bulk load's rows about a third narrower.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``factor_refs``, point every TCE at its source, drop the text column."""
    op.create_table(
        "factor_refs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(400), nullable=False, unique=True),
    )
    with op.batch_alter_table("tces") as batch:
        batch.add_column(sa.Column("factor_ref_id", sa.Integer))
    op.execute(
        "INSERT INTO factor_refs (ref) SELECT DISTINCT factor_ref FROM tces "
        "WHERE factor_ref IS NOT NULL"
    )
    op.execute(
        "UPDATE tces SET factor_ref_id = "
        "(SELECT id FROM factor_refs WHERE factor_refs.ref = tces.factor_ref)"
    )
    with op.batch_alter_table("tces") as batch:
        batch.drop_column("factor_ref")


def downgrade() -> None:
    """Put the text back on every TCE and drop ``factor_refs``."""
    with op.batch_alter_table("tces") as batch:
        batch.add_column(sa.Column("factor_ref", sa.String(400)))
    op.execute(
        "UPDATE tces SET factor_ref = "
        "(SELECT ref FROM factor_refs WHERE factor_refs.id = tces.factor_ref_id)"
    )
    with op.batch_alter_table("tces") as batch:
        batch.drop_column("factor_ref_id")
    op.drop_table("factor_refs")
