"""Consolidation: cut-offs, bag limits never exceeded, every parcel placed once or explained."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from greenlane.parcels.consolidate import (
    Container,
    Departure,
    Parcel,
    _first_fit_decreasing,
    _share,
    consolidate,
)

T0 = datetime(2026, 11, 11, 8, 0)
BAG = Container("bag", max_weight_kg=30.0, max_volume_cm3=100_000.0)
DEPARTURES = [
    Departure("FR-am", "FR", "standard", T0 + timedelta(hours=4)),
    Departure("FR-pm", "FR", "standard", T0 + timedelta(hours=10)),
    Departure("DE-am", "DE", "standard", T0 + timedelta(hours=4)),
]


def parcel(
    n: int, country: str = "FR", hours: float = 0, kg: float = 1.0, cm3: float = 5000.0
) -> Parcel:
    return Parcel(f"p{n}", country, "standard", T0 + timedelta(hours=hours), kg, cm3)


def test_parcels_take_the_first_departure_whose_cutoff_they_make() -> None:
    """Ready at 1 h: the morning departure; at 6 h: the evening one; Spain: none, explained."""
    plans, unplaced = consolidate(
        [parcel(1, hours=1), parcel(2, hours=6), parcel(3, country="ES")], DEPARTURES, BAG
    )
    assert [(c.departure.departure_id, c.parcels) for c in plans] == [("FR-am", 1), ("FR-pm", 1)]
    assert [u.parcel_id for u in unplaced] == ["p3"] and "no departure to ES" in unplaced[0].reason


def test_bags_fill_by_weight_or_volume_whichever_binds() -> None:
    """Ten 6 kg parcels: 30 kg a bag makes two bags of five; a 40 kg parcel fits no bag."""
    heavy = [parcel(n, kg=6.0) for n in range(10)]
    plans, unplaced = consolidate([*heavy, parcel(99, kg=40.0)], DEPARTURES, BAG)
    assert [len(b) for b in plans[0].bags] == [5, 5]
    assert [u.parcel_id for u in unplaced] == ["p99"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["FR", "DE", "IT"]),
            st.floats(0, 12),
            st.floats(0.1, 30),
            st.floats(100, 100_000),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_no_bag_over_its_limits_and_every_parcel_accounted_once(rows: list[tuple]) -> None:
    """Random parcels: each in one bag or unplaced with a reason; no bag over weight or volume."""
    parcels = [parcel(n, c, h, kg, cm3) for n, (c, h, kg, cm3) in enumerate(rows)]
    plans, unplaced = consolidate(parcels, DEPARTURES, BAG)
    placed = [p.parcel_id for c in plans for bag in c.bags for p in bag]
    assert sorted(placed + [u.parcel_id for u in unplaced]) == sorted(p.parcel_id for p in parcels)
    for c in plans:
        for bag in c.bags:
            assert sum(p.weight_kg for p in bag) <= BAG.max_weight_kg + 1e-9
            assert sum(p.volume_cm3 for p in bag) <= BAG.max_volume_cm3 + 1e-9
            assert all(p.ready_at <= c.departure.cutoff for p in bag)


def test_a_uld_is_never_over_its_limits_on_a_large_departure() -> None:
    """900 parcels into AKE containers (1,588 kg, 4.3 m3): within limits, near the lower bound."""
    uld = Container("ULD AKE", 1588.0, 4_300_000.0)
    rng = random.Random(5)
    parcels = [parcel(n, kg=rng.uniform(0.2, 20), cm3=rng.uniform(500, 40_000)) for n in range(900)]
    plans, unplaced = consolidate(parcels, DEPARTURES, uld)
    assert unplaced == []
    bags = plans[0].bags
    assert sum(len(b) for b in bags) == 900
    assert all(sum(p.weight_kg for p in b) <= uld.max_weight_kg + 1e-9 for b in bags)
    assert all(sum(p.volume_cm3 for p in b) <= uld.max_volume_cm3 + 1e-9 for b in bags)
    bound = max(
        sum(p.weight_kg for p in parcels) / uld.max_weight_kg,
        sum(p.volume_cm3 for p in parcels) / uld.max_volume_cm3,
    )
    assert len(bags) <= math.ceil(bound) + 1


def test_a_small_departure_repeats_its_bags_exactly() -> None:
    """The seeded re-runs give the same bags on every run."""
    rng = random.Random(9)
    parcels = [parcel(n, kg=rng.uniform(0.5, 9), cm3=rng.uniform(3e3, 6e4)) for n in range(35)]
    runs = [consolidate(parcels, DEPARTURES, BAG)[0][0].bags for _ in range(2)]
    assert [[p.parcel_id for p in b] for b in runs[0]] == [
        [p.parcel_id for p in b] for b in runs[1]
    ]


def first_fit_by_scan(parcels: list[Parcel], container: Container) -> list[list[str]]:
    """First fit decreasing as defined: each parcel into the first bag opened that has room."""
    share = _share(container)
    bags: list[list[Parcel]] = []
    room: list[list[float]] = []  # kg and cm3 free, less each parcel as it goes in
    for p in sorted(parcels, key=lambda p: (-share(p), p.parcel_id)):
        fits = [p.weight_kg <= kg + 1e-9 and p.volume_cm3 <= cm3 + 1e-9 for kg, cm3 in room]
        n = fits.index(True) if True in fits else len(bags)
        if n == len(bags):
            bags.append([])
            room.append([container.max_weight_kg, container.max_volume_cm3])
        bags[n].append(p)
        room[n] = [room[n][0] - p.weight_kg, room[n][1] - p.volume_cm3]
    return [[p.parcel_id for p in bag] for bag in bags]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.5, 1.0, 2.5, 7.5, 10.0, 15.0, 29.5]) | st.floats(0.01, 30),
            st.sampled_from([1_000.0, 25_000.0, 50_000.0, 99_000.0]) | st.floats(1, 100_000),
        ),
        min_size=1,
        max_size=300,
    )
)
def test_the_bags_are_those_of_first_fit_by_scanning_every_bag(rows: list[tuple]) -> None:
    """The tree that finds the first bag with room gives the bags a plain scan gives.

    Weights and volumes of exact shares (a bag filled to the gram), where a bag binds by
    weight while another binds by volume, which a tree of maxima must not confuse.
    """
    parcels = [parcel(n, kg=kg, cm3=cm3) for n, (kg, cm3) in enumerate(rows)]
    found = _first_fit_decreasing(parcels, BAG, _share(BAG))
    assert [[p.parcel_id for p in bag] for bag in found] == first_fit_by_scan(parcels, BAG)
