"""Each text column's length limit fits the store column it is kept in.

So the database never sees a value it would refuse.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from greenlane.emissions.schema import TCE_COLUMNS
from greenlane.esg.schema import LEDGER_COLUMNS
from greenlane.io.columns import Column
from greenlane.parcels.schema import ORDER_COLUMNS, ROUTE_COLUMNS
from greenlane.store.tables import esg_entries, tces, waybills

KEPT = [  # (schema, column, table, where it is kept)
    *((TCE_COLUMNS, c.name, tces, c.name) for c in TCE_COLUMNS if c.name in tces.c),
    *((LEDGER_COLUMNS, c.name, esg_entries, c.name) for c in LEDGER_COLUMNS),
    (ORDER_COLUMNS, "consignee_id", waybills, "consignee"),
    (ORDER_COLUMNS, "address", waybills, "address"),
    (ORDER_COLUMNS, "country", waybills, "country"),
    (ORDER_COLUMNS, "service", waybills, "service"),
    (ROUTE_COLUMNS, "origin_hub", waybills, "origin_hub"),
]


@pytest.mark.parametrize(("schema", "name", "table", "kept"), KEPT, ids=[k[1] for k in KEPT])
def test_a_text_columns_limit_fits_its_store_column(
    schema: tuple[Column, ...], name: str, table: sa.Table, kept: str
) -> None:
    """A value the reader accepts is never longer than the database column holds."""
    column = next(c for c in schema if c.name == name)
    stored = table.c[kept].type
    if isinstance(stored, sa.String) and column.dtype.__name__ == "String":
        assert stored.length is not None and column.max_length <= stored.length, name
