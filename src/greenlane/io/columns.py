"""A column of a public table: name, type, unit, whether required, and what it means."""

from __future__ import annotations

from dataclasses import dataclass

import narwhals as nw


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a public table (the schemas themselves live beside their engines)."""

    name: str
    dtype: type[nw.String] | type[nw.Float64] | type[nw.Int64]
    unit: str
    required: bool
    description: str
    max_length: int = 200  # text columns: the most characters a value may have
