"""Scope 1, 2 and 3 (category 3) emissions from a year's fuel and electricity, per site.

- Scope 1: fuel burnt (``fuel.<source>``) times the tank-to-wheel factor of the factor pack's
  energy table (GLEC v3.0 Module 1); the well-to-tank part is Scope 3 category 3.
- Scope 2, location-based: grid electricity times the grid's generation factor for the site
  (``greenlane.esg.grid``: the site's ``factor.grid_location``, else the shipped table for its
  region); the upstream part (T&D losses, fuel supply: ``factor.grid_upstream`` or the table)
  is Scope 3 category 3. Without a generation factor there is no Scope 2 figure, and a note
  says what to give; a well-to-wheel factor is never used for it.
- Scope 2, market-based (GHG Protocol Scope 2 Guidance, 2015): the grid electricity not backed
  by certificates (``electricity.certified``) times the site's residual-mix factor
  (``factor.residual_mix``); certified electricity counts zero. A site without a residual-mix
  factor falls back to the location-based factor, and the report's data-quality notes say so.
- On-site solar counts zero in both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from greenlane.emissions.categories import energy_factor
from greenlane.errors import FieldError
from greenlane.esg.grid import grid_factors
from greenlane.esg.ledger import Entry
from greenlane.factors import FactorPack, load_pack

SOURCE = "derived: factor pack energy table (GLEC v3.0 Module 1)"


@dataclass(frozen=True, slots=True)
class Derived:
    """The emissions entries of a year, and what the derivation had to assume."""

    entries: tuple[Entry, ...]
    notes: tuple[str, ...]


def scope_entries(entries: Iterable[Entry], pack: FactorPack | None = None) -> Derived:
    """Scope 1, 2 (both ways) and 3.3 entries per site from the year's energy entries.

    Parameters
    ----------
    entries
        The year's entries (fuel and electricity use, certified supply).
    pack
        The factor pack (fuel and grid factors); the default pack when None.

    Returns
    -------
    Derived
        The derived entries and the notes on factors that fell back.

    References
    ----------
    GHG Protocol Corporate Standard (WRI/WBCSD, revised 2004): the three scopes; GHG Protocol
    Scope 2 Guidance (2015): location- and market-based methods.

    """
    pack = pack or load_pack()
    by_site: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_site[entry.site].append(entry)
    derived, notes = [], []
    for site, mine in sorted(by_site.items()):
        start, end = min(e.period_start for e in mine), max(e.period_end for e in mine)
        sums: dict[str, float] = defaultdict(float)
        for entry in mine:
            if entry.metric.startswith("fuel."):
                wtt, ttw = _factor(
                    pack, entry.metric.removeprefix("fuel."), entry.unit, entry.region
                )
                sums["co2e.scope1"] += entry.quantity * ttw
                sums["co2e.scope3_cat3"] += entry.quantity * wtt
        grid = sum(e.quantity for e in mine if e.metric == "electricity.grid")
        if grid:
            region = next(e.region for e in mine if e.metric == "electricity.grid")
            location, upstream, said = _grid(site, region, mine)
            notes += said
            certified = min(
                grid, sum(e.quantity for e in mine if e.metric == "electricity.certified")
            )
            residual = _latest(mine, "factor.residual_mix")
            if residual is None and location is not None:
                residual = location
                notes.append(
                    f"{site}: no residual-mix factor; market-based Scope 2 uses the grid average"
                )
            if location is not None:
                sums["co2e.scope2_location"] += grid * location
            if residual is not None:
                sums["co2e.scope2_market"] += (grid - certified) * residual
            if upstream is not None:
                sums["co2e.scope3_cat3"] += grid * upstream
        derived += [
            Entry(f"derived:{site}:{metric}", site, start, end, metric, value, "kg", SOURCE)
            for metric, value in sorted(sums.items())
        ]
    return Derived(tuple(derived), tuple(notes))


def _grid(
    site: str, region: str, mine: list[Entry]
) -> tuple[float | None, float | None, list[str]]:
    """The site's generation and upstream grid factors (kg/kWh), and the notes they need."""
    table = grid_factors().get(region.upper())
    location = _latest(mine, "factor.grid_location")
    upstream = _latest(mine, "factor.grid_upstream")
    notes = []
    if location is None and table is not None:
        location = table.scope2_kg_per_kwh
        notes.append(f"{site}: grid factor {region} {table.year}, {table.source} ({table.note})")
    if upstream is None and table is not None:
        upstream = table.upstream_kg_per_kwh
    if location is None:
        notes.append(
            f"{site}: no generation-only grid factor for region {region!r}; Scope 2 not derived "
            "(give factor.grid_location in kg CO2e/kWh with its source)"
        )
    if upstream is None:
        notes.append(
            f"{site}: no upstream grid factor for region {region!r}; the electricity's T&D "
            "losses and fuel supply are not in Scope 3 category 3 (give factor.grid_upstream)"
        )
    return location, upstream, notes


def _latest(entries: list[Entry], metric: str) -> float | None:
    """The value of a factor the site gives, the latest if it gives several."""
    given = [e for e in entries if e.metric == metric]
    return max(given, key=lambda e: e.period_end).quantity if given else None


def _factor(pack: FactorPack, source: str, unit: str, region: str) -> tuple[float, float]:
    """WTT and TTW kg CO2e per unit: scopes need the split (the pack's energy rows have it)."""
    found = energy_factor(pack, {"source": source, "unit": unit, "region": region})
    if isinstance(found, str):
        raise FieldError("metric", f"fuel.{source} in {unit}: {found}", ": ")
    if found.wtt is None or found.ttw is None:
        reason = f"fuel.{source} in {unit}: the factor has no WTT/TTW split"
        raise FieldError("metric", reason, ": ")
    return found.wtt, found.ttw
