"""The columns of the telemetry device registry (docs/data-formats.md lists them)."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

DEVICE_COLUMNS = [
    Column("park", STR := nw.String, "", True, "The park (the topic's second level)."),
    Column("device", STR, "", True, "The device (the topic's third level)."),
    Column("kind", STR, "", True, "import_meter, export_meter, pv_inverter, battery or charger."),
]
