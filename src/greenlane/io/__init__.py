"""Reading and writing tables: read_* take a path, parse_* take bytes, write_* are atomic."""

from greenlane.io.tables import (
    parse_tces,
    read_parsed,
    read_rows,
    read_tces,
    write_table,
    write_text,
)

__all__ = ["parse_tces", "read_parsed", "read_rows", "read_tces", "write_table", "write_text"]
