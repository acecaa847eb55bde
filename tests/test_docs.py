"""docs/data-formats.md lists every column of every public table, as the schemas define it."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenlane.app.pipeline.last_mile import ADDRESS_COLUMNS
from greenlane.emissions.schema import HOC_COLUMNS, TCE_COLUMNS, TOC_COLUMNS
from greenlane.energy.schema import DEVICE_COLUMNS
from greenlane.esg.schema import LEDGER_COLUMNS, TARGET_COLUMNS
from greenlane.io.columns import Column
from greenlane.packing.schema import ASSIGNMENT_COLUMNS, CARTON_COLUMNS, ITEM_COLUMNS
from greenlane.parcels.schema import ORDER_COLUMNS, ROUTE_COLUMNS
from greenlane.relief.schema import BOM_COLUMNS, READ_COLUMNS
from greenlane.routing.schema import FLEET_COLUMNS, PLACE_COLUMNS
from greenlane.traceability.schema import CARTON_COLUMNS as COLLECTION_COLUMNS

DOC = (Path(__file__).parents[1] / "docs" / "data-formats.md").read_text()


@pytest.mark.parametrize(
    "columns",
    [
        TCE_COLUMNS,
        TOC_COLUMNS,
        HOC_COLUMNS,
        ITEM_COLUMNS,
        CARTON_COLUMNS,
        ASSIGNMENT_COLUMNS,
        ORDER_COLUMNS,
        ROUTE_COLUMNS,
        PLACE_COLUMNS,
        FLEET_COLUMNS,
        READ_COLUMNS,
        BOM_COLUMNS,
        LEDGER_COLUMNS,
        TARGET_COLUMNS,
        DEVICE_COLUMNS,
        COLLECTION_COLUMNS,
        ADDRESS_COLUMNS,
    ],
)
def test_every_column_is_documented_with_its_meaning(columns: list[Column]) -> None:
    """Each column has a row naming it, its type and the description the schema gives."""
    for column in columns:
        row = f"| `{column.name}` | {column.dtype.__name__} |"
        assert row in DOC, column.name
        assert column.description in DOC, column.name
