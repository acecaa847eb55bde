"""An organization's primary data: its TOC and HOC tables, validated before they replace the old."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa

from greenlane.emissions.categories import build_categories
from greenlane.emissions.schema import HOC_COLUMNS, TOC_COLUMNS
from greenlane.errors import InputError, Problem
from greenlane.factors import load_pack
from greenlane.io.tables import parse_tces
from greenlane.store.tables import factor_rows, organizations

Rows = list[dict[str, Any]]
COLUMNS = {"toc": TOC_COLUMNS, "hoc": HOC_COLUMNS}


def user_factors(engine: sa.Engine, org_id: str, version: int | None = None) -> tuple[Rows, Rows]:
    """The organization's stored TOC rows and HOC rows, in upload order.

    With the organization's ``factors_version`` (known from authentication) the rows come
    from a per-process cache, sparing a query per request; a new upload bumps the version.
    """
    if version is not None:
        return _cached_factors(engine, org_id, version)
    return _read_factors(engine, org_id)


@functools.lru_cache(maxsize=256)
def _cached_factors(engine: sa.Engine, org_id: str, version: int) -> tuple[Rows, Rows]:
    return _read_factors(engine, org_id)


def _read_factors(engine: sa.Engine, org_id: str) -> tuple[Rows, Rows]:
    query = (
        sa.select(factor_rows.c.table_name, factor_rows.c.row)
        .where(factor_rows.c.organization_id == org_id)
        .order_by(factor_rows.c.table_name, factor_rows.c.position)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [r.row for r in rows if r.table_name == "toc"], [
        r.row for r in rows if r.table_name == "hoc"
    ]


def replace_factors(
    engine: sa.Engine, org_id: str, table: str, body: bytes, suffix: str, name: str
) -> int:
    """Validate a TOC or HOC file (as the engine would) and make it the organization's own."""
    frame, problems = parse_tces(body, suffix, name, COLUMNS[table])
    required = [c.name for c in COLUMNS[table] if c.required]
    missing = [c for c in required if c not in frame.columns]
    problems += [Problem(name, None, c, "required column is missing") for c in missing]
    if frame.height == 0:
        problems.append(Problem(name, None, "file", "no rows"))
    if problems:
        raise InputError(problems)
    rows = frame.to_dicts()
    tocs, hocs = user_factors(engine, org_id)
    tocs, hocs = (rows, hocs) if table == "toc" else (tocs, rows)
    checked = build_categories(load_pack(), tocs, hocs, name, name)
    if checked.problems:
        raise InputError(checked.problems)
    id_column = f"{table}_id"
    with engine.begin() as conn:
        conn.execute(
            organizations.update()
            .where(organizations.c.id == org_id)
            .values(factors_version=organizations.c.factors_version + 1)
        )
        conn.execute(
            factor_rows.delete().where(
                factor_rows.c.organization_id == org_id, factor_rows.c.table_name == table
            )
        )
        if rows:
            conn.execute(
                factor_rows.insert(),
                [
                    {
                        "organization_id": org_id,
                        "table_name": table,
                        "position": i,
                        "factor_id": str(row.get(id_column) or ""),
                        "row": row,
                    }
                    for i, row in enumerate(rows)
                ],
            )
    return len(rows)
