"""Tables in and out: read_* take a path, parse_* bytes or decoded rows; writes are atomic."""

from greenlane.io.tables import (
    check_output,
    parse_rows,
    parse_tces,
    read_columns,
    read_parsed,
    read_rows,
    read_tces,
    write_bytes,
    write_table,
    write_text,
)

__all__ = [
    "check_output",
    "parse_rows",
    "parse_tces",
    "read_columns",
    "read_parsed",
    "read_rows",
    "read_tces",
    "write_bytes",
    "write_table",
    "write_text",
]
