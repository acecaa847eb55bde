"""The columns of the parcel order table (docs/data-formats.md lists them)."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

STR, NUM = nw.String, nw.Float64

ORDER_COLUMNS = [
    Column("order_id", STR, "", True, "The order; unique in the file."),
    Column("merchant_id", STR, "", True, "The merchant that sells it."),
    Column("consignee_id", STR, "", True, "The buyer it goes to."),
    Column("address", STR, "", True, "The delivery address (compared without case or spacing)."),
    Column("country", STR, "", True, "Destination country, ISO 3166-1 alpha-2."),
    Column("service", STR, "", True, "Service level, e.g. standard or economy."),
    Column("placed_at", STR, "ISO 8601", True, "When the order was placed."),
    Column("promised_by", STR, "ISO 8601", True, "The delivery promised to the buyer."),
    Column("weight_kg", NUM, "kg", True, "Weight, > 0."),
    Column("volume_cm3", NUM, "cm3", True, "Volume, > 0."),
]
