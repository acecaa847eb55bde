"""Scope 2 from the grid's generation, its upstream in category 3: by hand for a CN and an EU site.

GHG Protocol Scope 2 Guidance (2015): location-based Scope 2 is the grid's generation
emissions for the electricity used; T&D losses and the fuels' supply are Scope 3 category 3.
"""

from __future__ import annotations

from datetime import date

import pytest

from greenlane.esg.ledger import Entry, entries_from_rows, grid_regions
from greenlane.esg.scopes import scope_entries

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _derived(*entries: Entry) -> tuple[dict[str, float], tuple[str, ...]]:
    found = scope_entries(entries)
    return {e.metric: e.quantity for e in found.entries}, found.notes


def test_a_cn_site_uses_the_shipped_grid_factor_and_says_what_it_lacks() -> None:
    """1 GWh in Hangzhou: 1,000,000 x 0.5366 = 536,600 kg; no upstream figure, said so."""
    grid = Entry("g", "hz", *YEAR, "electricity.grid", 1_000_000, "kWh", "bills", region="CN")
    certified = Entry("c", "hz", *YEAR, "electricity.certified", 200_000, "kWh", "GECs")
    derived, notes = _derived(grid, certified)
    assert derived["co2e.scope2_location"] == pytest.approx(536_600)
    assert derived["co2e.scope2_market"] == pytest.approx(800_000 * 0.5366)  # no residual mix
    assert "co2e.scope3_cat3" not in derived
    assert any("CN 2022" in n and "CO2 only" in n for n in notes)
    assert any("no upstream grid factor" in n for n in notes)


def test_an_eu_site_splits_its_grid_factor_between_scope_2_and_category_3() -> None:
    """1 GWh with the site's own split (0.25 generation + 0.0992 upstream = GLEC's 0.3492 WTW).

    Scope 2 is 250,000 kg, not the 349,200 a well-to-wheel factor would give; category 3
    gains the 99,200 kg upstream.
    """
    grid = Entry("g", "lgg", *YEAR, "electricity.grid", 1_000_000, "kWh", "bills", region="EU27")
    location = Entry("l", "lgg", *YEAR, "factor.grid_location", 0.25, "kg/kWh", "supplier")
    upstream = Entry("u", "lgg", *YEAR, "factor.grid_upstream", 0.0992, "kg/kWh", "supplier")
    residual = Entry("r", "lgg", *YEAR, "factor.residual_mix", 0.45, "kg/kWh", "AIB")
    certified = Entry("c", "lgg", *YEAR, "electricity.certified", 400_000, "kWh", "GOs")
    derived, notes = _derived(grid, location, upstream, residual, certified)
    assert derived["co2e.scope2_location"] == pytest.approx(250_000)
    assert derived["co2e.scope3_cat3"] == pytest.approx(99_200)
    assert derived["co2e.scope2_market"] == pytest.approx(600_000 * 0.45)
    assert notes == ()


def test_without_a_generation_factor_there_is_no_scope_2_and_a_note() -> None:
    """An EU site with only GLEC's well-to-wheel factor in reach: no Scope 2 figure, a note."""
    grid = Entry("g", "lgg", *YEAR, "electricity.grid", 1_000_000, "kWh", "bills", region="EU27")
    derived, notes = _derived(grid)
    assert "co2e.scope2_location" not in derived and "co2e.scope2_market" not in derived
    assert any("give factor.grid_location" in n for n in notes)


def test_an_unknown_grid_region_is_refused_at_import_naming_the_regions_known() -> None:
    """Row 2's region XX: refused with the row, the column and the list; CN is known."""
    base = {
        "site": "hz",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "metric": "electricity.grid",
        "quantity": 10.0,
        "unit": "kWh",
        "source": "bills",
    }
    entries, problems = entries_from_rows([{**base, "region": "CN"}, {**base, "region": "XX"}], "l")
    assert [e.region for e in entries] == ["CN"]
    assert [(p.row, p.column) for p in problems] == [(2, "region")]
    assert "CN" in problems[0].reason and "EU27" in problems[0].reason
    assert {"CN", "EU27", "US"} <= set(grid_regions())
