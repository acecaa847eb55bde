"""One target model: transport-emission targets become ESG targets on the transport KPIs.

``targets`` (metric, calendar years) and ``esg_targets`` (KPI, fiscal years, trajectory) held
the same idea twice. Each row of ``targets`` moves to ``esg_targets`` as a linear target on
``scope3_cat4_t`` (metric ``co2e_wtw_t``) or ``transport_intensity``; a target id the
organization already uses for an ESG target gets the suffix ``-transport``.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

KPIS = {"co2e_wtw_t": ("scope3_cat4_t", "absolute"),
        "intensity_wtw_g_per_tkm": ("transport_intensity", "intensity")}  # fmt: skip
SCOPE = "transport emissions (ISO 14083)"
YEARS_AND_VALUES = ("base_year", "base_value", "target_year", "target_value")


def _targets(metadata: sa.MetaData) -> sa.Table:
    """The old ``targets`` table as 0006 made it."""
    return sa.Table(
        "targets",
        metadata,
        sa.Column(
            "organization_id", sa.String(64), sa.ForeignKey("organizations.id"), primary_key=True
        ),
        sa.Column("target_id", sa.String(64), primary_key=True),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("base_year", sa.Integer, nullable=False),
        sa.Column("base_value", sa.Float, nullable=False),
        sa.Column("target_year", sa.Integer, nullable=False),
        sa.Column("target_value", sa.Float, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def upgrade() -> None:
    """Move every transport target into ``esg_targets``; drop ``targets``."""
    conn = op.get_bind()
    metadata = sa.MetaData()
    old, new = _targets(metadata), sa.Table("esg_targets", metadata, autoload_with=conn)
    taken = {(r.organization_id, r.target_id) for r in conn.execute(sa.select(new))}
    rows = []
    for r in conn.execute(sa.select(old)):
        kpi, kind = KPIS[r.metric]
        target_id = r.target_id
        if (r.organization_id, target_id) in taken:
            target_id = f"{target_id[:54]}-transport"
        rows.append({"organization_id": r.organization_id, "target_id": target_id,
                     "kpi_id": kpi, "kind": kind, "scope": SCOPE, "trajectory": "linear",
                     **{k: getattr(r, k) for k in YEARS_AND_VALUES}})  # fmt: skip
    if rows:
        conn.execute(new.insert(), rows)
    op.drop_table("targets")


def downgrade() -> None:
    """Recreate ``targets`` from the transport targets (they stay in ``esg_targets`` too)."""
    conn = op.get_bind()
    metadata = sa.MetaData()
    new = sa.Table("esg_targets", metadata, autoload_with=conn)
    old = _targets(metadata)
    old.create(conn)
    metric_of = {kpi: metric for metric, (kpi, _) in KPIS.items()}
    found = conn.execute(sa.select(new).where(new.c.scope == SCOPE, new.c.kpi_id.in_(metric_of)))
    rows = [{"organization_id": r.organization_id, "target_id": r.target_id,
             "metric": metric_of[r.kpi_id], "updated_at": sa.func.now(),
             **{k: getattr(r, k) for k in YEARS_AND_VALUES}} for r in found]  # fmt: skip
    for row in rows:
        conn.execute(old.insert().values(**row))
