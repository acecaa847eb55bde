"""Container histories and KPIs: the reading rules, replays in any order, hand-counted KPIs."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from greenlane.gs1 import canonical
from greenlane.traceability.containers import containers_needed, fleet_kpis, histories
from greenlane.traceability.epcis import Event, read_document
from tests.traceability.world import (
    DOCK,
    HOME,
    SHOPS,
    START,
    commission,
    document,
    grai,
    item,
    observe,
    pool,
    trip,
)


def read(events: list[dict]) -> list[Event]:
    checked, problems = read_document(document(events), "world")
    assert problems == []
    return checked


def one_box(*events: dict) -> object:
    (history,) = histories(read([commission(0), *events])).values()
    return history


def test_a_full_trip_is_one_trip_with_its_times_and_site() -> None:
    """Shipped at 09:00 day 0, home again day 4 08:00: one trip of 3.96 days via the shop."""
    h = one_box(*trip(0, START, SHOPS[0]))
    (t,) = h.trips
    assert h.home == canonical(HOME)
    assert (t.left_at, t.back_at) == (
        (START + timedelta(hours=1)).replace(tzinfo=None),
        (START + timedelta(days=4)).replace(tzinfo=None),
    )
    assert t.sites == (canonical(SHOPS[0]),) and not t.inferred
    assert t.days == pytest.approx(3 + 23 / 24)


def test_portal_repeats_and_resent_events_change_nothing() -> None:
    """The same tag read again within the window, and the same event sent twice, are one."""
    events = trip(0, START, SHOPS[0])
    repeats = [observe(0, START + timedelta(hours=1, minutes=m), "shipping", DOCK) for m in (2, 9)]
    base = one_box(*events)
    noisy = one_box(*events, *repeats, *events[:3])
    assert noisy.sightings == base.sightings and noisy.trips == base.trips


def test_a_read_outside_the_window_is_a_new_sighting() -> None:
    """Two shipping reads 2 hours apart are two sightings (the later one is the departure)."""
    events = [*trip(0, START, SHOPS[0]), observe(0, START + timedelta(hours=3), "shipping", DOCK)]
    h = one_box(*events)
    assert len(h.sightings) == len(one_box(*trip(0, START, SHOPS[0])).sightings) + 1
    assert h.trips[0].left_at == (START + timedelta(hours=3)).replace(tzinfo=None)


@pytest.mark.parametrize(
    "missed", [("ship",), ("receive_shop", "unpack", "ship_back"), ("receive_home",)]
)
def test_a_missed_read_still_counts_the_trip_as_inferred(missed: tuple[str, ...]) -> None:
    """Departure, the whole stay away, or arrival home unread: one trip, marked inferred."""
    (t,) = one_box(*trip(0, START, SHOPS[0], **dict.fromkeys(missed, True))).trips
    assert t.inferred


def test_contents_read_without_the_box_place_the_box() -> None:
    """The box is packed; at the shop only its items are read: the box was received there."""
    events = trip(0, START, SHOPS[0], receive_shop=True)
    items = {
        "type": "ObjectEvent",
        "eventTime": (START + timedelta(days=1)).isoformat().replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "bizStep": "receiving",
        "epcList": [item(0, k) for k in range(3)],
        "readPoint": {"id": SHOPS[0]},
    }
    h = one_box(*events, items)
    inferred = [s for s in h.sightings if s.inferred]
    assert [(s.step, s.site) for s in inferred] == [("received", canonical(SHOPS[0]))]
    assert h.trips[0].inferred  # read from its contents, not itself


def test_an_event_declared_in_error_is_dropped() -> None:
    """The shop receipt did not occur as told: with its declaration sent, it is gone."""
    events = trip(0, START, SHOPS[0])
    wrong = observe(0, START + timedelta(days=2), "receiving", SHOPS[1])
    declared = {**wrong, "errorDeclaration": {"declarationTime": "2026-03-10T00:00:00Z",
                                              "reason": "incorrect_data"}}  # fmt: skip
    h = one_box(*events, wrong, declared)
    assert canonical(SHOPS[1]) not in {s.site for s in h.sightings}
    assert h.trips == one_box(*events).trips


def test_replays_in_any_order_give_the_same_histories_and_kpis() -> None:
    """The pool's events twice over, shuffled three ways: identical histories and KPIs."""
    events = pool()
    as_of = datetime(2026, 4, 1)
    base = histories(read(events))
    base_kpis = fleet_kpis(base, as_of, timedelta(days=60))
    for seed in (1, 2, 3):
        replay = events * 2
        random.Random(seed).shuffle(replay)
        again = histories(read(replay))
        assert again == base
        assert fleet_kpis(again, as_of, timedelta(days=60)) == base_kpis


def test_fleet_kpis_counted_by_hand() -> None:
    """4 boxes x 3 trips a week apart: 12 trips, cycles of 7 days, 365/7 turns, no loss."""
    found = histories(read(pool(boxes=4, trips=3)))
    k = fleet_kpis(found, datetime(2026, 3, 25), timedelta(days=60))
    assert (k.containers, k.active, k.lost, k.retired) == (4, 4, 0, 0)
    assert (k.trips, k.inferred_trips) == (12, 0)
    assert k.cycle_days_median == pytest.approx(7) and k.cycle_days_p90 == pytest.approx(7)
    assert k.turns_per_year == pytest.approx(365 / 7)
    assert k.loss_rate_per_trip == 0 and k.damage_rate == 0
    # at home: packed 08:00, shipped 09:00 -> 1 h; at the shop: day 1 to day 3 -> 2 days
    assert k.dwell_days_median[canonical(SHOPS[0])] == pytest.approx(2)


def test_silence_and_stated_ends() -> None:
    """Unseen for longer than the threshold is lost; destroyed is retired; stolen is lost."""
    later = START + timedelta(days=5)
    events = [
        *pool(boxes=3, trips=1),
        observe(1, later, "decommissioning", HOME, disposition="destroyed"),
        observe(2, later, "inspecting", HOME, disposition="stolen"),
    ]
    found = histories(read(events))
    k = fleet_kpis(found, START.replace(tzinfo=None) + timedelta(days=100), timedelta(days=60))
    assert (k.retired, k.lost, k.active) == (1, 2, 0)  # box 0 silent, box 2 stolen
    k = fleet_kpis(found, START.replace(tzinfo=None) + timedelta(days=10), timedelta(days=60))
    assert (k.retired, k.lost, k.active) == (1, 1, 1)
    assert k.loss_rate_per_trip == pytest.approx(1 / 4)  # 3 trips, 1 lost


def test_damage_rate_from_inspections() -> None:
    """One of two inspections found the box damaged."""
    later = START + timedelta(days=9)
    events = [
        *trip(0, START, SHOPS[0]),
        observe(0, later, "inspecting", HOME, disposition="damaged"),
    ]
    found = histories(read([commission(0), *events]))
    k = fleet_kpis(found, START.replace(tzinfo=None), timedelta(days=60))
    assert k.damage_rate == pytest.approx(0.5)


def test_containers_needed_by_littles_law() -> None:
    """40 issues a day on a 7-day cycle, 1% loss a trip over 30 days: 280 + 12 = 292."""
    assert containers_needed(40, 7, 0.01, 30) == 292
    with pytest.raises(ValueError, match="loss_rate_per_trip"):
        containers_needed(40, 7, 1.0, 30)


def test_grai_is_the_key_whatever_its_form() -> None:
    """A read by Digital Link and one by EPC URI are the same container."""
    dl = canonical(grai(0))
    assert dl.startswith("https://id.gs1.org/8003/")
    events = [commission(0), {**observe(0, START, "shipping", DOCK), "epcList": [dl]}]
    assert list(histories(read(events))) == [dl]
