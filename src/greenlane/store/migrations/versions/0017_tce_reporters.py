"""TCEs numbered per reporter: ``reporter_id`` joins the key of ``tces``.

A carrier that a shipper granted reports TCEs into the shipper's books; keyed on
``(shipper_id, tce_id)`` alone, its upload could collide with the shipper's own ids, which both
told it that the shipper had such a TCE and let it take the id first. Each reporter (the
carrier, or the shipper for its own books) now numbers its TCEs apart.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

KEY = ["shipper_id", "tce_id", "reporter_id"]


def upgrade() -> None:
    """Add ``reporter_id`` (the carrier, else the shipper) and make it part of the key."""
    op.add_column("tces", sa.Column("reporter_id", sa.String(64)))
    op.execute("UPDATE tces SET reporter_id = COALESCE(carrier_id, shipper_id)")
    if op.get_bind().dialect.name == "sqlite":  # the table is copied with the new key
        reporter = sa.Column("reporter_id", sa.String(64), primary_key=True, nullable=False)
        with op.batch_alter_table("tces", recreate="always", reflect_args=(reporter,)):
            pass
        return
    op.alter_column("tces", "reporter_id", existing_type=sa.String(64), nullable=False)
    op.drop_constraint("tces_pkey", "tces", type_="primary")
    op.create_primary_key("tces_pkey", "tces", KEY)


def downgrade() -> None:
    """Back to ``(shipper_id, tce_id)``: refused while two reporters share an id."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("tces", recreate="always") as batch:
            batch.drop_column("reporter_id")
        return
    op.drop_constraint("tces_pkey", "tces", type_="primary")
    op.create_primary_key("tces_pkey", "tces", ["shipper_id", "tce_id"])
    op.drop_column("tces", "reporter_id")
