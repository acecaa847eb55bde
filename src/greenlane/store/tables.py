"""The store's tables (SQLAlchemy Core). Alembic migrations create them; this is their shape.

Shipments and their TCEs belong to the shipper (``shipper_id``); ``carrier_id`` names the
carrier that uploaded them on the shipper's behalf, if any. ``(shipper_id, tce_id,
reporter_id)`` is the identity that makes uploads idempotent: each reporter (the shipper's own
books, or a carrier it granted) numbers its TCEs in a space of its own, so no reporter learns
or takes another's ids.
"""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa

from greenlane.parcels.record import SUMS


class Role(StrEnum):
    """What an organization is in the network; its reach is set in ``greenlane.store.policy``."""

    OPERATOR = "operator"
    SHIPPER = "shipper"
    CARRIER = "carrier"
    AUDITOR = "auditor"


ROLES = tuple(Role)
metadata = sa.MetaData()

organizations = sa.Table(
    "organizations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # bumped whenever the organization's TOC/HOC tables change: caches key on it
    sa.Column("factors_version", sa.Integer, nullable=False, server_default="0"),
    sa.CheckConstraint("role IN ('operator', 'shipper', 'carrier', 'auditor')", name="ck_role"),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), nullable=False, index=True),
    sa.Column("label", sa.String(200), nullable=False, server_default=""),
    sa.Column("secret_sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

grants = sa.Table(  # a shipper lets a carrier report for it, or an auditor read its books
    "grants",
    metadata,
    sa.Column("shipper_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("grantee_id", sa.ForeignKey("organizations.id"), primary_key=True, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

sessions = sa.Table(  # dashboard sign-ins: the cookie holds a random id, kept here hashed
    "sessions",
    metadata,
    sa.Column("id_sha256", sa.String(64), primary_key=True),
    sa.Column(
        "key_id", sa.ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

sscc_prefixes = sa.Table(  # GS1 company prefixes an organization may number its parcels under
    "sscc_prefixes",
    metadata,
    sa.Column("prefix", sa.String(12), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), nullable=False, index=True),
)

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), nullable=False),
    sa.Column("idempotency_key", sa.String(200), nullable=False),
    sa.Column("body_sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tce_count", sa.Integer, nullable=False),
    sa.Column("stored_count", sa.Integer, nullable=False),
    sa.UniqueConstraint("organization_id", "idempotency_key", name="uq_batch_key"),
)

TCE_INPUT = (
    sa.Column("shipment_id", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("mass_kg", sa.Float, nullable=False),
    sa.Column("mode", sa.String(32)),
    sa.Column("toc_id", sa.String(200)),
    sa.Column("hoc_id", sa.String(200)),
    sa.Column("distance_km", sa.Float),
    sa.Column("distance_type", sa.String(8)),
    sa.Column("origin", sa.String(64)),
    sa.Column("destination", sa.String(64)),
    sa.Column("teu", sa.Float),
    sa.Column("temperature_control", sa.String(16)),
    sa.Column("operating_region", sa.String(64)),
    sa.Column("sequence", sa.Integer),
    sa.Column("departure_at", sa.String(40)),
)
TCE_OUTPUT = (
    sa.Column("transport_activity_tkm", sa.Float),
    sa.Column("distance_km_used", sa.Float),
    sa.Column("daf", sa.Float),
    sa.Column("co2e_wtt_kg", sa.Float),
    sa.Column("co2e_ttw_kg", sa.Float),
    sa.Column("co2e_wtw_kg", sa.Float),
    sa.Column("co2e_intensity_wtw", sa.Float),
    sa.Column("intensity_unit", sa.String(32)),
    sa.Column("data_type", sa.String(16)),
    sa.Column("factor_ref_id", sa.Integer),  # -> factor_refs: a long text, few distinct values
)


factor_refs = sa.Table(
    "factor_refs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ref", sa.String(400), nullable=False, unique=True),
)


def tce_columns() -> list[sa.Column[object]]:
    """Every column of a stored TCE, fresh objects (a column belongs to one table)."""
    return [
        sa.Column("shipper_id", sa.String(64), primary_key=True),
        sa.Column("tce_id", sa.String(200), primary_key=True),
        # the carrier that reported it, or the shipper for its own books (its own or the operator's)
        sa.Column("reporter_id", sa.String(64), primary_key=True),
        sa.Column("carrier_id", sa.String(64)),
        sa.Column("batch_id", sa.String(36), nullable=False),
        sa.Column("row_sha256", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("lane", sa.String(140), nullable=False),
        *(c._copy() for c in TCE_INPUT + TCE_OUTPUT),
    ]


tces = sa.Table(
    "tces",
    metadata,
    *tce_columns(),  # no foreign keys: see migration 0002
    sa.Index("ix_tces_shipment", "shipper_id", "shipment_id"),
)
carried = tces.c.carrier_id.is_not(None)  # most TCEs have no carrier: index only those that do
sa.Index("ix_tces_carried", tces.c.carrier_id, postgresql_where=carried, sqlite_where=carried)

factor_rows = sa.Table(
    "factor_rows",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("table_name", sa.String(8), primary_key=True),  # toc | hoc
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("factor_id", sa.String(200), nullable=False),
    sa.Column("row", sa.JSON, nullable=False),
)

ROLLUP_KEYS = ("shipper_id", "carrier_id", "month", "kind", "mode", "lane", "hub")
ROLLUP_SUMS = (
    "tce_count",
    "mass_t",
    "transport_activity_tkm",
    "co2e_wtt_kg",
    "co2e_ttw_kg",
    "co2e_wtw_kg",
    "unsplit_wtw_kg",
    # WTW by the ISO 14083 data category of the factor behind it (primary, modelled, default)
    "primary_wtw_kg",
    "modelled_wtw_kg",
    "default_wtw_kg",
)
rollups = sa.Table(
    "rollups",
    metadata,
    *(sa.Column(k, sa.String(200), primary_key=True) for k in ROLLUP_KEYS),
    *(sa.Column(k, sa.Float, nullable=False) for k in ROLLUP_SUMS),
)
# Each grouping the summaries offer: the rollups' columns it groups by (more than one: their
# values joined by KEY_JOIN into one key, as "road|CNSHA-CNNGB") and the kind of TCE it counts
# (None: every kind).
GROUPINGS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "month": (("month",), None),
    "mode": (("mode",), "transport"),
    "lane": (("lane",), "transport"),
    "mode_lane": (("mode", "lane"), "transport"),
    "hub": (("hub",), "hub"),
    "shipper": (("shipper_id",), None),
}
KEY_JOIN = "|"
NETWORK_KEYS = ("grouping", "month", "key")
network_rollups = sa.Table(  # the whole network's totals per grouping and month: the operator's
    "network_rollups",
    metadata,
    sa.Column("grouping", sa.String(16), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    *(sa.Column(k, sa.Float, nullable=False) for k in ROLLUP_SUMS),
)

FOOTPRINT = ("cartons", "board_kg", "void_cm3", "dim_weight_kg", "co2e_board_kg")
packing_plans = sa.Table(  # one row per packed order; packing it again replaces the row
    "packing_plans",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("order_id", sa.String(200), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("objective", sa.String(16), nullable=False),
    sa.Column("baseline", sa.String(64), nullable=False),
    *(sa.Column(f, sa.Float, nullable=False) for f in FOOTPRINT),
    *(sa.Column(f"baseline_{f}", sa.Float, nullable=False) for f in FOOTPRINT),
    sa.Column("plan", sa.JSON, nullable=False),
)

PLAN_SUMS = SUMS  # the parcel plan's stored totals, one column each
parcel_plans = sa.Table(  # one row per stored day's plan; storing it again replaces it
    "parcel_plans",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("plan_id", sa.String(200), primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    *(sa.Column(f, sa.Float, nullable=False) for f in PLAN_SUMS),
)
waybills = sa.Table(  # an e-waybill per outbound parcel; the SSCC is unique the world over
    "waybills",
    metadata,
    sa.Column("sscc", sa.String(18), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organizations.id")),
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
    # printed on the label with the SSCC: public tracking needs both (SSCCs are sequential)
    sa.Column("tracking_token", sa.String(32)),
    sa.Index("waybills_by_plan", "organization_id", "plan_id"),
)
tracking_events = sa.Table(  # a scan is its waybill, status, time and place: sent twice, kept once
    "tracking_events",
    metadata,
    sa.Column("sscc", sa.ForeignKey("waybills.sscc", ondelete="CASCADE"), primary_key=True),
    sa.Column("status", sa.String(32), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=False), primary_key=True),
    sa.Column("place", sa.String(200), primary_key=True),
)

module_days = sa.Table(  # the modules' daily figures for the ESG ledger, kept at write time
    "module_days",
    metadata,
    sa.Column("organization_id", sa.String(64), primary_key=True),
    sa.Column("metric", sa.String(64), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("quantity", sa.Float, nullable=False),
)

route_plans = sa.Table(  # one row per stored route plan; storing it again replaces it
    "route_plans",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("plan_id", sa.String(200), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("day", sa.Date, nullable=False),  # the day the routes run
    sa.Column("co2e_wtw_kg", sa.Float, nullable=False),
    sa.Column("km", sa.Float, nullable=False),
    sa.Column("plan", sa.JSON, nullable=False),
    sa.Index("ix_route_plans_day", "organization_id", "day"),
)

relief_plans = sa.Table(  # one row per stored relief plan; planning the event again replaces it
    "relief_plans",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("event_id", sa.String(200), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("day", sa.Date, nullable=False),  # the day the event starts
    sa.Column("share_met", sa.Float, nullable=False),
    sa.Column("co2e_wtw_kg", sa.Float, nullable=False),
    sa.Column("plan", sa.JSON, nullable=False),
    sa.Index("ix_relief_plans_day", "organization_id", "day"),
)

esg_entries = sa.Table(  # the ESG ledger; importing an entry id again replaces the entry
    "esg_entries",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("entry_id", sa.String(200), primary_key=True),
    sa.Column("site", sa.String(200), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("metric", sa.String(100), nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("unit", sa.String(50), nullable=False),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Column("region", sa.String(20), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
)

esg_targets = sa.Table(  # an organization's ESG targets on KPIs; setting one again replaces it
    "esg_targets",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("target_id", sa.String(64), primary_key=True),
    sa.Column("kpi_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("scope", sa.String(200), nullable=False),
    sa.Column("base_year", sa.Integer, nullable=False),
    sa.Column("base_value", sa.Float, nullable=False),
    sa.Column("target_year", sa.Integer, nullable=False),
    sa.Column("target_value", sa.Float, nullable=False),
    sa.Column("trajectory", sa.String(16), nullable=False),
)

telemetry = sa.Table(  # a reading is its park, device, measurement and time: sent twice, kept once
    "telemetry",
    metadata,
    sa.Column("park", sa.String(100), primary_key=True),
    sa.Column("device", sa.String(100), primary_key=True),
    sa.Column("measurement", sa.String(50), primary_key=True),
    sa.Column("ts", sa.DateTime(timezone=False), primary_key=True),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String(10), nullable=False),
)
telemetry_rejects = sa.Table(  # messages refused, with the reason, for someone to look at
    "telemetry_rejects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("topic", sa.String(300), nullable=False),
    sa.Column("payload", sa.String(500), nullable=False),
    sa.Column("reason", sa.String(300), nullable=False),
)

EVENT_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite autoincrements INTEGER
epcis_events = sa.Table(  # one row per captured EPCIS event; the id is the record order
    "epcis_events",
    metadata,
    sa.Column("id", EVENT_KEY, primary_key=True, autoincrement=True),
    sa.Column("organization_id", sa.String(64), nullable=False),
    sa.Column("event_hash", sa.String(100), nullable=False),
    sa.Column("declares_error", sa.Boolean, nullable=False),
    sa.Column("event_type", sa.String(200), nullable=False),  # extension types are URIs
    sa.Column("event_time", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("record_time", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("action", sa.String(8)),
    sa.Column("biz_step", sa.String(200)),
    sa.Column("disposition", sa.String(200)),
    sa.Column("read_point", sa.String(200)),
    sa.Column("biz_location", sa.String(200)),
    sa.Column("capture_id", sa.String(36), nullable=False),
    sa.Column("event", sa.JSON, nullable=False),
    # the same event sent again is kept once; its error declaration is a second row
    sa.UniqueConstraint("organization_id", "event_hash", "declares_error", name="uq_epcis_event"),
    sa.Index("ix_epcis_events_time", "organization_id", "event_time"),
)
epcis_epcs = sa.Table(  # every identifier an event names (Digital Link form): the history index
    "epcis_epcs",
    metadata,
    sa.Column("organization_id", sa.String(64), primary_key=True),
    sa.Column("epc", sa.String(200), primary_key=True),
    sa.Column("event_id", EVENT_KEY, primary_key=True),
    sa.Column(
        "role", sa.String(1), primary_key=True
    ),  # e epc, p parent, i input, o output, c class
)
epcis_captures = sa.Table(  # capture jobs: a document is stored whole or not at all
    "epcis_captures",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("organization_id", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(10), nullable=False),  # running, succeeded, failed
    sa.Column("event_count", sa.Integer, nullable=False),
    sa.Column("stored_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("duplicate_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("errors", sa.JSON, nullable=False),
)
container_reports = sa.Table(  # the latest containers report of an organization (dashboard)
    "container_reports",
    metadata,
    sa.Column("organization_id", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
)

pipeline_days = sa.Table(  # a scenario day the main job has run: its figures, kept with its data
    "pipeline_days",
    metadata,
    sa.Column("organization_id", sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("scenario", sa.String(64), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
)
