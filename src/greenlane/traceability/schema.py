"""Column schemas of the traceability inputs; the data-format docs are written from them."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

FLOAT, INT, STR = nw.Float64, nw.Int64, nw.String

CARTON_COLUMNS = (
    Column("station_id", STR, "", True, "The post station that collected the cartons."),
    Column("date", STR, "ISO 8601 date", True, "The day (or the last day of the period)."),
    Column("collected", INT, "cartons", True, "Cartons handed in by consumers."),
    Column("reused", INT, "cartons", True, "Of those, cartons used again to ship a parcel."),
    Column("recycled", INT, "cartons", True, "Of those, cartons sent to board recycling."),
    Column("carton_kg", FLOAT, "kg", True, "Mean board mass of one collected carton."),
)
