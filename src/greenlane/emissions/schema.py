"""Column schemas of the emissions engine as data: the public interface of its files.

Validation, type coercion and docs/data-formats.md all come from these tables.
"""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

STR, FLOAT, INT = nw.String, nw.Float64, nw.Int64
MODES = ("road", "rail", "air", "sea", "inland_waterway")
KINDS = ("transport", "hub")
DISTANCE_TYPES = ("actual", "sfd", "gcd")
TEMPERATURES = ("ambient", "refrigerated")
ENERGY_UNITS = ("l", "kg", "kWh", "MJ")
ACTIVITY_UNITS = ("tkm", "teu_km")
DATA_TYPES = ("primary", "modelled", "default")
UPLIFT_REGIONS = ("asia", "africa")

TCE_COLUMNS = (
    Column("shipment_id", STR, "", True, "Shipment the element belongs to."),
    Column("tce_id", STR, "", True, "Transport chain element id, unique in the file."),
    Column("kind", STR, "", True, "`transport` or `hub`.", max_length=16),
    Column("mass_kg", FLOAT, "kg", True, "Goods plus shipper packaging (never chargeable weight)."),
    Column(
        "shipper_id",
        STR,
        "",
        False,
        "Shipper (for the per-shipper roll-up and report).",
        max_length=64,
    ),
    Column("sequence", INT, "", False, "Position of the element in its transport chain."),
    Column("departure_at", STR, "ISO 8601", False, "Departure time.", max_length=40),
    Column(
        "mode",
        STR,
        "",
        False,
        "Transport rows: road, rail, air, sea or inland_waterway; taken from the TOC if empty.",
        max_length=32,
    ),
    Column("toc_id", STR, "", False, "Transport rows: a pack category or a TOC of --tocs."),
    Column("hoc_id", STR, "", False, "Hub rows: a pack category or a HOC of --hocs."),
    Column(
        "distance_km", FLOAT, "km", False, "Transport rows: distance; or give origin+destination."
    ),
    Column(
        "distance_type",
        STR,
        "",
        False,
        "actual, sfd or gcd (default sfd; gcd from locations).",
        max_length=8,
    ),
    Column("origin", STR, "", False, "IATA code, UN/LOCODE or 'lat,lon'.", max_length=64),
    Column("destination", STR, "", False, "IATA code, UN/LOCODE or 'lat,lon'.", max_length=64),
    Column("teu", FLOAT, "TEU", False, "TEU for TEU-based categories (default mass / 10 t)."),
    Column(
        "temperature_control", STR, "", False, "ambient (default) or refrigerated.", max_length=16
    ),
    Column(
        "operating_region",
        STR,
        "",
        False,
        "Region the road leg runs in; asia or africa add GLEC's p.94 uplift to EU defaults.",
        max_length=64,
    ),
)

TOC_COLUMNS = (
    Column("toc_id", STR, "", True, "Transport operation category id."),
    Column("mode", STR, "", True, "road, rail, air, sea or inland_waterway."),
    Column(
        "source", STR, "", False, "Energy rows: diesel, b5, hvo, lng, electricity, ... or R-134a."
    ),
    Column(
        "quantity", FLOAT, "unit", False, "Energy rows: amount consumed or leaked in the period."
    ),
    Column("unit", STR, "", False, "Energy rows: l, kg, kWh or MJ."),
    Column("region", STR, "", False, "Energy rows: EU, NA, or grid region (EU27, US, DE)."),
    Column("ef_wtw_kg_per_unit", FLOAT, "kg CO2e/unit", False, "Supplier-specific WTW factor."),
    Column("ef_ttw_kg_per_unit", FLOAT, "kg CO2e/unit", False, "Supplier-specific TTW factor."),
    Column("co2e_intensity_wtw", FLOAT, "kg CO2e/activity unit", False, "Intensity row: WTW."),
    Column("co2e_intensity_ttw", FLOAT, "kg CO2e/activity unit", False, "Intensity row: TTW."),
    Column("transport_activity_unit", STR, "", False, "tkm (default) or teu_km."),
    Column(
        "transport_activity_tkm",
        FLOAT,
        "tkm",
        False,
        "The TOC's total activity; empty = sum of its TCEs (allocation by tonne-km).",
    ),
    Column("distance_type", STR, "", False, "Distance basis of the intensity (default sfd)."),
    Column("data_type", STR, "", False, "primary (default) or modelled."),
)

HOC_COLUMNS = (
    Column("hoc_id", STR, "", True, "Hub operation category id."),
    Column("source", STR, "", False, "Energy rows: as in the TOC file."),
    Column("quantity", FLOAT, "unit", False, "Energy rows: amount consumed or leaked."),
    Column("unit", STR, "", False, "Energy rows: l, kg, kWh or MJ."),
    Column("region", STR, "", False, "Energy rows: EU, NA, or grid region."),
    Column("ef_wtw_kg_per_unit", FLOAT, "kg CO2e/unit", False, "Supplier-specific WTW factor."),
    Column("ef_ttw_kg_per_unit", FLOAT, "kg CO2e/unit", False, "Supplier-specific TTW factor."),
    Column("co2e_intensity_wtw", FLOAT, "kg CO2e/t", False, "Intensity row: WTW per outbound t."),
    Column("co2e_intensity_ttw", FLOAT, "kg CO2e/t", False, "Intensity row: TTW per outbound t."),
    Column(
        "hub_activity_t", FLOAT, "t", False, "The HOC's outbound tonnes; empty = sum over its TCEs."
    ),
    Column("data_type", STR, "", False, "primary (default) or modelled."),
)

OUTPUT_COLUMNS = (
    Column("transport_activity_tkm", FLOAT, "tkm", True, "mass_t x distance_km_used (0 for hubs)."),
    Column("distance_km_used", FLOAT, "km", True, "distance after the DAF (0 for hubs)."),
    Column("daf", FLOAT, "", True, "Distance adjustment factor applied (1 if none)."),
    Column(
        "co2e_wtt_kg", FLOAT, "kg CO2e", True, "Energy provision; empty if the factor has no split."
    ),
    Column("co2e_ttw_kg", FLOAT, "kg CO2e", True, "Operation; empty if the factor has no split."),
    Column("co2e_wtw_kg", FLOAT, "kg CO2e", True, "Well-to-wheel total."),
    Column("co2e_intensity_wtw", FLOAT, "kg CO2e/unit", True, "WTW intensity used."),
    Column(
        "intensity_unit", STR, "", True, "kg_co2e_per_tkm, _per_teu_km, _per_t or _per_container."
    ),
    Column("data_type", STR, "", True, "primary, modelled or default."),
    Column("factor_ref", STR, "", True, "Pack, table and page, or the user file and TOC/HOC id."),
)


def names(columns: tuple[Column, ...]) -> list[str]:
    """The column names of a schema, in order.

    Parameters
    ----------
    columns
        The schema's columns.

    Returns
    -------
    list of str
        Their names.

    """
    return [c.name for c in columns]
