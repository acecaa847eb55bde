"""Reusable containers (GRAI): from EPCIS events to each container's history, trips and KPIs.

Readers are messy; these rules turn what they report into a history, in this order:

1. **Duplicates.** An event is kept once per event hash, however often it was sent.
2. **Corrections.** An event whose hash has an error declaration did not occur as told: it is
   dropped, and so is the declaration itself (its corrective events, if sent, stand alone).
3. **Order.** Events are taken in event time (not arrival order), ties broken by the
   lifecycle order of their steps and then by hash, so a replay in any order gives the same
   history.
4. **Contents imply the container.** An AggregationEvent ADD with a GRAI parent packs the
   children into it until a DELETE (unpacking) empties it; a shipping or receiving read of
   those children without the container is an (inferred) sighting of the container.
5. **Portal repeats.** Consecutive sightings of one container with the same step at the same
   site within ``window`` (default 30 minutes) are one sighting: the first.
6. **Missed reads.** Steps may be missing. A container that left home (shipped there, or seen
   elsewhere) is back when it is next seen at home; the trip counts, and counts as inferred
   when its departure, its stay away or its arrival home was not read.

A site is a location without its GLN extension (``/254/…``), so the dock door and the depot
are one site. Home is where the container was commissioned (else where it was first seen).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean, median

from greenlane.errors import FieldError
from greenlane.traceability.aggregation import effective
from greenlane.traceability.epcis import Event

GRAI = "https://id.gs1.org/8003/"
STEPS = {  # CBV bizStep -> lifecycle step
    "commissioning": "commissioned",
    "packing": "packed",
    "loading": "packed",
    "shipping": "shipped",
    "departing": "shipped",
    "receiving": "received",
    "arriving": "received",
    "accepting": "received",
    "unpacking": "emptied",
    "unloading": "emptied",
    "inspecting": "cleaned",
    "repairing": "cleaned",
    "decommissioning": "retired",
    "destroying": "retired",
}
ENDINGS = {"destroyed": "retired", "disposed": "retired", "stolen": "lost"}  # by disposition
LIFECYCLE = ("commissioned", "cleaned", "packed", "shipped", "seen", "received", "emptied",
             "retired", "lost")  # fmt: skip
RANK = {step: n for n, step in enumerate(LIFECYCLE)}  # ties at one instant: in lifecycle order
DAMAGED = frozenset(("damaged", "needs_replacement", "non_conformant"))


@dataclass(frozen=True, slots=True)
class Sighting:
    """One step of one container, where and when; ``inferred`` when read from its contents."""

    grai: str
    at: datetime
    step: str
    site: str | None
    inferred: bool
    damaged: bool = False


@dataclass(frozen=True, slots=True)
class Trip:
    """A loop from home and back; ``inferred`` when a step of it was not read."""

    left_at: datetime
    back_at: datetime
    sites: tuple[str, ...]
    inferred: bool

    @property
    def days(self) -> float:
        """Days away."""
        return (self.back_at - self.left_at).total_seconds() / 86400


@dataclass(frozen=True, slots=True)
class History:
    """One container's sightings and what they add up to."""

    grai: str
    home: str | None
    sightings: tuple[Sighting, ...]
    trips: tuple[Trip, ...]
    departures: tuple[datetime, ...]  # issues from home: the start of each cycle
    dwell_days: dict[str, list[float]] = field(default_factory=dict)

    @property
    def last_seen(self) -> datetime:
        """When the container was last read."""
        return self.sightings[-1].at

    @property
    def ended(self) -> str | None:
        """``retired`` or ``lost`` when an event said so, else None."""
        final = self.sightings[-1].step
        return final if final in ("retired", "lost") else None

    def cycle_days(self) -> list[float]:
        """Days between successive issues from home."""
        pairs = zip(self.departures, self.departures[1:], strict=False)
        return [(b - a).total_seconds() / 86400 for a, b in pairs]


def histories(
    events: Iterable[Event], window: timedelta = timedelta(minutes=30)
) -> dict[str, History]:
    """Every GRAI's history from events in any order (rules 1-6 of the module).

    Parameters
    ----------
    events
        The EPCIS events.
    window
        Reads of one container closer than this count once.

    Returns
    -------
    dict of str to History
        GRAI to its trips, sites and state.

    """
    kept = effective(events, lambda e: RANK.get(_step(e), 4))
    found: dict[str, list[Sighting]] = defaultdict(list)
    contents: dict[str, str] = {}  # child identifier -> the GRAI it is packed in
    for event in kept:
        for sighting in _sightings(event, contents):
            found[sighting.grai].append(sighting)
    return {grai: _history(grai, _smoothed(seen, window)) for grai, seen in sorted(found.items())}


def _step(event: Event) -> str:
    if event.disposition in ENDINGS:
        return ENDINGS[event.disposition]
    if event.biz_step in STEPS:
        return STEPS[event.biz_step]
    if event.event_type == "AggregationEvent" and event.action in ("ADD", "DELETE"):
        return "packed" if event.action == "ADD" else "emptied"
    if event.biz_step and event.biz_step.rstrip("/").endswith("cleaning"):
        return "cleaned"
    return "seen"


def _site(location: str | None) -> str | None:
    return None if location is None else location.split("/254/")[0]


def _sightings(event: Event, contents: dict[str, str]) -> list[Sighting]:
    step, site = _step(event), _site(event.biz_location or event.read_point)
    named = [i for i in (*event.epcs, event.parent or "") if i.startswith(GRAI)]
    if event.event_type == "AggregationEvent" and event.parent and event.parent.startswith(GRAI):
        children = [c for c in event.epcs if c != event.parent]
        if event.action == "ADD":
            contents.update(dict.fromkeys(children, event.parent))
        elif event.action == "DELETE":
            emptied = children or [c for c, p in contents.items() if p == event.parent]
            for child in emptied:
                contents.pop(child, None)
    damaged = event.disposition in DAMAGED
    seen = [Sighting(g, event.event_time, step, site, False, damaged) for g in dict.fromkeys(named)]
    if step in ("shipped", "received"):
        carriers = {contents[c] for c in event.epcs if c in contents} - set(named)
        seen += [Sighting(g, event.event_time, step, site, True) for g in sorted(carriers)]
    return seen


def _smoothed(seen: Sequence[Sighting], window: timedelta) -> list[Sighting]:
    kept: list[Sighting] = []
    for s in seen:
        last = kept[-1] if kept else None
        if last and (last.step, last.site) == (s.step, s.site) and s.at - last.at <= window:
            continue
        kept.append(s)
    return kept


def _history(grai: str, seen: list[Sighting]) -> History:
    commissioned = [s.site for s in seen if s.step == "commissioned" and s.site]
    home = commissioned[0] if commissioned else seen[0].site
    trips, departures = [], []
    dwell: dict[str, list[float]] = defaultdict(list)
    left: datetime | None = None  # the last departure from home while away
    away: list[Sighting] = []
    at_home_since = seen[0].at
    visit_start = seen[0]
    for previous, s in zip([None, *seen], seen, strict=False):
        if previous is not None and s.site != previous.site and previous.site:
            dwell[previous.site].append((previous.at - visit_start.at).total_seconds() / 86400)
            visit_start = s
        if s.site == home and s.step == "shipped":
            departures.append(s.at)
            left = s.at
        elif s.site != home and s.site is not None:
            away.append(s)
        elif s.site == home and (left is not None or away):
            start = left if left is not None else at_home_since
            missed = left is None or not away or s.step != "received"
            sites = tuple(dict.fromkeys(a.site for a in away if a.site))
            inferred = missed or any(a.inferred for a in away)
            trips.append(Trip(start, s.at, sites, inferred))
            left, away = None, []
        if s.site == home and left is None:
            at_home_since = s.at
    return History(grai, home, tuple(seen), tuple(trips), tuple(departures), dict(dwell))


@dataclass(frozen=True, slots=True)
class FleetKpis:
    """The pool's figures over the histories, as of a date (see docs/traceability.md)."""

    containers: int
    active: int
    retired: int
    lost: int
    trips: int
    inferred_trips: int
    cycle_days_median: float | None
    cycle_days_p90: float | None
    turns_per_year: float | None
    loss_rate_per_trip: float | None
    damage_rate: float | None
    dwell_days_median: dict[str, float]


def fleet_kpis(found: dict[str, History], as_of: datetime, lost_after: timedelta) -> FleetKpis:
    """Trips, cycle time (median, P90), turns, loss and damage rates, dwell by site.

    A container is lost when an event said so (disposition stolen) or it has not been read
    for longer than ``lost_after`` as of ``as_of``.

    Parameters
    ----------
    found
        GRAI to its history.
    as_of
        The time the KPIs are taken at.
    lost_after
        How long unread makes a container lost.

    Returns
    -------
    FleetKpis
        The pool's figures.

    """
    ends = {g: h.ended or ("lost" if as_of - h.last_seen > lost_after else None)
            for g, h in found.items()}  # fmt: skip
    cycles = sorted(d for h in found.values() for d in h.cycle_days())
    trips = [t for h in found.values() for t in h.trips]
    lost = sum(1 for e in ends.values() if e == "lost")
    checks = [s for h in found.values() for s in h.sightings if s.step == "cleaned"]
    dwell: dict[str, list[float]] = defaultdict(list)
    for h in found.values():
        for site, days in h.dwell_days.items():
            dwell[site] += days
    return FleetKpis(
        containers=len(found),
        active=sum(1 for e in ends.values() if e is None),
        retired=sum(1 for e in ends.values() if e == "retired"),
        lost=lost,
        trips=len(trips),
        inferred_trips=sum(1 for t in trips if t.inferred),
        cycle_days_median=median(cycles) if cycles else None,
        cycle_days_p90=_percentile(cycles, 0.9),
        turns_per_year=365 / mean(cycles) if cycles else None,
        loss_rate_per_trip=lost / (len(trips) + lost) if trips or lost else None,
        damage_rate=sum(s.damaged for s in checks) / len(checks) if checks else None,
        dwell_days_median={site: median(days) for site, days in sorted(dwell.items())},
    )


def containers_needed(
    issues_per_day: float, cycle_days: float, loss_rate_per_trip: float, horizon_days: float
) -> int:
    """Containers a flow needs: in circulation (Little's law) plus the losses over a horizon.

    Parameters
    ----------
    issues_per_day
        Containers issued a day.
    cycle_days
        Mean cycle time, days.
    loss_rate_per_trip
        Losses per trip.
    horizon_days
        The horizon, days.

    Returns
    -------
    int
        Containers needed, rounded up.

    Notes
    -----
    N = λ·W + λ·H·p, with λ issues per day, W the mean cycle in days, H the horizon in days
    and p the loss rate per trip (``../shared/reference/trace_relief_esg.md`` §1.10).

    References
    ----------
    J. D. C. Little, "A proof for the queuing formula L = λW", Operations Research 9(3) (1961)
    383-387.

    """
    for name, value in (("issues_per_day", issues_per_day), ("cycle_days", cycle_days),
                        ("horizon_days", horizon_days)):  # fmt: skip
        if value < 0:
            raise FieldError(name, f"must be >= 0, got {value}")
    if not 0 <= loss_rate_per_trip < 1:
        raise FieldError("loss_rate_per_trip", f"must be in [0, 1), got {loss_rate_per_trip}")
    return math.ceil(
        issues_per_day * cycle_days + issues_per_day * horizon_days * loss_rate_per_trip
    )


def _percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank percentile of sorted values."""
    if not values:
        return None
    return values[max(0, math.ceil(q * len(values)) - 1)]
