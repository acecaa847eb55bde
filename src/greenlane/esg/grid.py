"""Grid electricity factors for the GHG Protocol's scopes: generation, and what comes before it.

Location-based Scope 2 counts the grid's generation emissions for the electricity a site
uses; the rest of the electricity's life cycle (transmission and distribution losses,
extraction and transport of the fuels) is Scope 3 category 3. A well-to-wheel factor (as
GLEC's electricity factors are) holds both, so it would overstate Scope 2 and leave category
3 short. Factors come, by priority, from the site's own ledger entries
(``factor.grid_location`` and ``factor.grid_upstream``, kg CO2e/kWh, with their source) and
then from the table shipped with greenlane (``esg/data/grid_factors.csv``: region, year,
source, licence, caveats). A region the table does not hold gives no Scope 2 figure, and the
report says what to provide.

References
----------
GHG Protocol Scope 2 Guidance (WRI/WBCSD, 2015), chapter 6 (location-based method) and
section 4.6 (T&D losses in Scope 3 category 3); GHG Protocol Technical Guidance for
Calculating Scope 3 Emissions (2013), category 3.

"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "grid_factors.csv"


@dataclass(frozen=True, slots=True)
class GridFactor:
    """A region's grid factors, kg per kWh used, with where they come from."""

    region: str
    year: int
    scope2_kg_per_kwh: float
    upstream_kg_per_kwh: float | None
    basis: str
    source: str
    licence: str
    note: str


@functools.cache
def grid_factors() -> dict[str, GridFactor]:
    """The shipped table, by region (upper case).

    Returns
    -------
    dict of str to GridFactor
        The factors by region.

    """
    with TABLE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        r["region"].upper(): GridFactor(
            r["region"].upper(),
            int(r["year"]),
            float(r["scope2_kg_per_kwh"]),
            float(r["upstream_kg_per_kwh"]) if r["upstream_kg_per_kwh"] else None,
            r["basis"],
            r["source"],
            r["licence"],
            r["note"],
        )
        for r in rows
    }
