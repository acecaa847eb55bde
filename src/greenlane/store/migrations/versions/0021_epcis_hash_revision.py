"""Stored EPCIS events get the hash IDs of the current CBV 2.0 algorithm; event types widen.

Before, greenlane hashed with an older revision of the reference implementation (a business
transaction's id before its type, no quantityElement label, no certificationInfo ...), so an
event re-sent by a partner, or hashed by one, did not match its stored twin. Each stored
event is hashed again from the JSON kept with it (its namespaces are kept there too). Two
stored events that the current algorithm finds equal (they differed only in what it leaves
out, such as an ``rdfs:comment``) are one event: the first recorded is kept, the later one
and its identifier index rows are removed. ``event_type`` widens to 200 characters, for
extension event types (URIs and CURIEs).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from greenlane.traceability.hashing import event_hash

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Widen ``event_type``; hash every stored event again, one row per event."""
    with op.batch_alter_table("epcis_events") as batch:
        batch.alter_column("event_type", type_=sa.String(200), existing_nullable=False)
    conn = op.get_bind()
    events = sa.table(
        "epcis_events",
        sa.column("id"),
        sa.column("organization_id"),
        sa.column("event_hash"),
        sa.column("declares_error"),
        sa.column("event", sa.JSON),
    )
    index = sa.table("epcis_epcs", sa.column("event_id"))
    seen: set[tuple[str, str, bool]] = set()
    rows = conn.execute(sa.select(events).order_by(events.c.id)).all()
    changed, gone = [], []
    for row in rows:
        context = row.event.get("@context") if isinstance(row.event, dict) else None
        entries = context if isinstance(context, list) else [context]
        namespaces = {k: str(v) for e in entries if isinstance(e, dict) for k, v in e.items()}
        hashed = event_hash(row.event, namespaces)
        key = (row.organization_id, hashed, bool(row.declares_error))
        if key in seen:
            gone.append(row.id)
            continue
        seen.add(key)
        if hashed != row.event_hash:
            changed.append({"row_id": row.id, "hashed": hashed})
    if gone:
        conn.execute(index.delete().where(index.c.event_id.in_(gone)))
        conn.execute(events.delete().where(events.c.id.in_(gone)))
    if changed:  # through a placeholder first: two rows may swap hashes
        update = events.update().where(events.c.id == sa.bindparam("row_id"))
        conn.execute(
            update.values(event_hash=sa.literal("rehash:") + sa.cast(events.c.id, sa.String)),
            [{"row_id": c["row_id"]} for c in changed],
        )
        conn.execute(update.values(event_hash=sa.bindparam("hashed")), changed)


def downgrade() -> None:
    """Narrow ``event_type`` back (the hashes stay: the older revision is not kept)."""
    with op.batch_alter_table("epcis_events") as batch:
        batch.alter_column("event_type", type_=sa.String(24), existing_nullable=False)
