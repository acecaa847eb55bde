"""Pre-positioning places no more than there is, within storage, and reports every scenario."""

from __future__ import annotations

from dataclasses import replace

from greenlane.relief.model import Area, Event, Hub, Network, Option
from greenlane.relief.preposition import Scenario, preposition
from tests.relief.world import KITS, ROAD

WEST = (Area("W1", 48.0, 2.0, 3000), Area("W2", 45.0, 8.0, 2000))
EAST = (Area("E1", 24.0, 58.0, 3000), Area("E2", 30.0, 60.0, 2000))
NORMS = {"water": 45, "tent": 0.2}


def two_hubs() -> Network:
    """Liège reaches the west in a day and the east in five; Dubai the other way round."""
    hubs = (Hub("LGG", 50.64, 5.44), Hub("DXB", 25.25, 55.36))
    options = tuple(
        Option(f"{h.hub_id}-{a.area_id}", h.hub_id, a.area_id, "road", ROAD,
               500 if near else 5000, 24 if near else 120, 1e6, 0.3)
        for h in hubs
        for a in (*WEST, *EAST)
        for near in [(h.hub_id == "LGG") == a.area_id.startswith("W")]
    )  # fmt: skip
    return Network(KITS, hubs, options)


def scenarios() -> list[Scenario]:
    return [Scenario(Event("west", WEST, NORMS), 0.7), Scenario(Event("east", EAST, NORMS), 0.3)]


def test_stock_goes_where_it_serves_most_and_every_scenario_is_reported() -> None:
    """Enough for one region: the likelier west is covered in full, the east in part."""
    placement = preposition(two_hubs(), scenarios(), {"water": 300_000, "tent": 1200}, {})
    assert sum(s["water"] for s in placement.stock.values()) <= 300_000
    assert placement.stock["LGG"]["water"] >= 225_000  # the west's whole need, 5,000 x 45
    assert placement.coverage["west"] == 1.0 and 0 < placement.coverage["east"] < 1
    assert placement.holds_in(0.99) == 0.5


def test_storage_volume_limits_a_hub() -> None:
    """Liège can hold 50 m3: at most 50,000 L of water there, the rest at Dubai."""
    placement = preposition(two_hubs(), scenarios(), {"water": 300_000, "tent": 0}, {"LGG": 50.0})
    assert placement.stock["LGG"]["water"] <= 50_000
    assert placement.coverage["west"] < 1.0


def test_more_stock_covers_more_scenarios() -> None:
    """Twice the totals: both regions covered."""
    placement = preposition(two_hubs(), scenarios(), {"water": 450_000, "tent": 2000}, {})
    assert placement.holds_in(0.99) == 1.0
    assert replace(placement, coverage={}).holds_in(0.5) == 0.0
