"""The columns of the ESG ledger table (docs/data-formats.md lists them)."""

from __future__ import annotations

import narwhals as nw

from greenlane.io.columns import Column

STR, NUM = nw.String, nw.Float64

LEDGER_COLUMNS = [
    Column("entry_id", STR, "", False, "Unique per organization; re-importing it replaces it."),
    Column("site", STR, "", True, "Where (a site, a park, or 'group' for company-wide figures)."),
    Column("period_start", STR, "ISO 8601 date", True, "First day the figure covers."),
    Column("period_end", STR, "ISO 8601 date", True, "Last day it covers (inclusive)."),
    Column(
        "metric", STR, "", True, "What is measured (docs/esg.md lists the metrics).", max_length=100
    ),
    Column("quantity", NUM, "unit", True, "How much, >= 0."),
    Column("unit", STR, "", True, "The metric's unit, as docs/esg.md gives it.", max_length=50),
    Column(
        "source",
        STR,
        "",
        True,
        "Where the figure comes from (a system, a file, a person).",
        max_length=500,
    ),
    Column(
        "region",
        STR,
        "",
        False,
        "Energy rows: region of the energy factor (default EU).",
        max_length=20,
    ),
]

TARGET_COLUMNS = [
    Column("target_id", STR, "", True, "The target."),
    Column("kpi_id", STR, "", True, "The KPI it is set on (esg/data/kpis.csv)."),
    Column("kind", STR, "", True, "absolute or intensity."),
    Column("scope", STR, "", False, "What it covers, e.g. 'Scope 1+2' or 'carbon neutrality'."),
    Column("base_year", STR, "FY", True, "Base fiscal year, e.g. FY2022."),
    Column("base_value", NUM, "KPI unit", True, "The KPI in the base year."),
    Column("target_year", STR, "FY", True, "Target fiscal year, e.g. FY2030."),
    Column("target_value", NUM, "KPI unit", True, "The KPI to reach (below the base)."),
    Column("trajectory", STR, "", False, "linear (default) or aca (4.2% of the base a year)."),
]
