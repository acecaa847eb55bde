"""The columns of the kit verification tables (docs/data-formats.md lists them)."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

STR, INT = nw.String, nw.Int64

READ_COLUMNS = [
    Column("kit_id", STR, "", True, "The kit the tag was read into."),
    Column("kit_type", STR, "", True, "Its type (a kit type of the bill of materials)."),
    Column("epc", STR, "", True, "The tag's EPC; a tag read several times counts once."),
    Column("item", STR, "", True, "The item the tag is on (product code or GTIN)."),
]

BOM_COLUMNS = [
    Column("kit_type", STR, "", True, "A kit type."),
    Column("item", STR, "", True, "An item of it."),
    Column("quantity", INT, "", True, "How many of the item one kit holds, >= 1."),
]
