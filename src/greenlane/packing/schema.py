"""The columns of the order-item and carton tables (docs/data-formats.md is made from these)."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

STR, NUM, INT = nw.String, nw.Float64, nw.Int64

ITEM_COLUMNS = [
    Column("order_id", STR, "", True, "The order the item belongs to."),
    Column("item_id", STR, "", True, "The item (SKU) within the order."),
    Column("length_cm", NUM, "cm", True, "Length, > 0."),
    Column("width_cm", NUM, "cm", True, "Width, > 0."),
    Column("height_cm", NUM, "cm", True, "Height, > 0 (the vertical side when upright)."),
    Column("weight_kg", NUM, "kg", True, "Weight of one unit, >= 0."),
    Column("quantity", INT, "", False, "Units ordered, >= 1 (default 1)."),
    Column("upright", STR, "", False, "true: this side up (height stays vertical)."),
    Column("fragile", STR, "", False, "true: nothing may rest on it."),
    Column("own_box", STR, "", False, "true: ships alone in its own carton."),
    Column("item_class", STR, "", False, "A class other items may exclude (food, chemical)."),
    Column("excludes", STR, "", False, "Classes it may not share a carton with, ';'-separated."),
]

CARTON_COLUMNS = [
    Column("carton_id", STR, "", True, "The carton type."),
    Column("length_cm", NUM, "cm", True, "Inner length, > 0."),
    Column("width_cm", NUM, "cm", True, "Inner width, > 0."),
    Column("height_cm", NUM, "cm", True, "Inner height, > 0."),
    Column("max_weight_kg", NUM, "kg", True, "Most the carton may carry, > 0."),
    Column("board_kg", NUM, "kg", False, "Corrugated board in one carton (or give board_gsm)."),
    Column(
        "board_gsm",
        NUM,
        "g/m2",
        False,
        "Board grammage: board_kg is then the FEFCO 0201 blank's area times it.",
    ),
    Column("cost", NUM, "", False, "Cost of one carton, in the user's currency (default 0)."),
    Column("reusable", STR, "", False, "true: a reusable container (its board_kg is 0)."),
]

ASSIGNMENT_COLUMNS = [
    Column("order_id", STR, "", True, "An order of the orders file."),
    Column("carton_id", STR, "", True, "A carton of the catalogue it ships in today (a row each)."),
]
