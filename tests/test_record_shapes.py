"""Each record shape is declared once, in its engine; its restatements are checked for parity.

The file columns and the API models that restate a record must have its fields, every
difference named here with its reason.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import BaseModel

from greenlane.esg.ledger import Entry
from greenlane.esg.schema import LEDGER_COLUMNS, TARGET_COLUMNS
from greenlane.esg.targets import EsgTarget
from greenlane.io.columns import Column
from greenlane.packing.model import Carton, Item
from greenlane.packing.schema import CARTON_COLUMNS, ITEM_COLUMNS
from greenlane.parcels.merge import Order
from greenlane.parcels.schema import ORDER_COLUMNS
from greenlane.service import models


@dataclass(frozen=True)
class Shape:
    """An engine's record, its file columns, its API model, and the differences allowed."""

    name: str
    engine: type
    columns: list[Column]
    api: type[BaseModel] | None = None
    # field -> why only the file (or the API, or the engine) has it
    file_only: dict[str, str] = field(default_factory=dict)
    api_only: dict[str, str] = field(default_factory=dict)
    engine_only: dict[str, str] = field(default_factory=dict)
    # engine field -> the columns that give it
    spread: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # an engine field without default that a file may leave out -> what the reader puts there
    read_default: dict[str, str] = field(default_factory=dict)


SHAPES = [
    Shape(
        "packing item", Item, ITEM_COLUMNS, models.PackItem,
        file_only={"order_id": "a file row names its order; the API nests items in orders"},
        engine_only={"vertical_sides": "orientation flags of container-loading instances"},
    ),
    Shape(
        "carton", Carton, CARTON_COLUMNS, models.PackCarton,
        file_only={"board_gsm": "the board's grammage, turned into board_kg by the reader"},
        read_default={"board_kg": "from board_gsm, or 0 for a reusable container"},
    ),
    Shape(
        "ESG target", EsgTarget, TARGET_COLUMNS, models.EsgTargetBody,
        read_default={"scope": "empty"},
    ),
    Shape("ledger entry", Entry, LEDGER_COLUMNS),
    Shape(
        "order", Order, ORDER_COLUMNS,
        spread={"dims_cm": ("length_cm", "width_cm", "height_cm")},
    ),
]  # fmt: skip
IDS = [s.name for s in SHAPES]


def _engine_fields(shape: Shape) -> dict[str, dataclasses.Field[Any]]:
    fields = {f.name: f for f in dataclasses.fields(shape.engine) if f.init}
    return {n: f for n, f in fields.items() if n not in shape.engine_only}


def _columns(shape: Shape) -> set[str]:
    names = {c.name for c in shape.columns} - set(shape.file_only)
    for engine_field, columns in shape.spread.items():
        names = (names - set(columns)) | {engine_field}
    return names


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_the_file_columns_are_the_engines_fields(shape: Shape) -> None:
    """Every column gives an engine field and every field has its column, but those named."""
    assert _columns(shape) == set(_engine_fields(shape))
    for name in (*shape.file_only, *shape.engine_only):
        assert name in {c.name for c in shape.columns} | {
            f.name for f in dataclasses.fields(shape.engine)
        }, f"{name} is excused but declared nowhere"


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_a_required_column_is_a_field_without_default(shape: Shape) -> None:
    """Required in the file exactly when the engine has no default (an id may be generated)."""
    fields = _engine_fields(shape)
    for column in shape.columns:
        if column.name not in fields:
            continue
        has_default = fields[column.name].default is not dataclasses.MISSING or (
            fields[column.name].default_factory is not dataclasses.MISSING
        )
        if column.name in shape.read_default or (
            column.name.endswith("_id") and not column.required
        ):
            continue  # the reader fills it in (an id it makes up, say) when the file has none
        assert column.required is not has_default, column.name


@pytest.mark.parametrize(
    "shape", [s for s in SHAPES if s.api], ids=[s.name for s in SHAPES if s.api]
)
def test_the_api_model_is_the_engines_fields(shape: Shape) -> None:
    """The API's body has the engine's fields (an id in the path is not in the body)."""
    assert shape.api is not None
    body = set(shape.api.model_fields) - set(shape.api_only)
    in_path = {n for n in _engine_fields(shape) if n.endswith("_id")} - body
    assert body | in_path == set(_engine_fields(shape))
    assert len(in_path) <= 1, f"{sorted(in_path)} missing from the body"
