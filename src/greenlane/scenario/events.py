"""What the world's readers and stations report: EPCIS events of reusable totes, carton returns.

Sixty GRAI-tagged totes go round between the Liège delivery centre and its post stations:
shipped in the morning, received at a station, sent back in the evening, received and
inspected at the centre. Now and then a tote is kept at a station overnight, or does not
come back at all. Post stations also collect consumers' cartons for reuse and recycling.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from greenlane.scenario.network import STATIONS

PREFIX = "5412345"
TOTES = 60
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
CENTRE = f"urn:epc:id:sgln:{PREFIX}.00001.0"


def station_gln(n: int) -> str:
    """The SGLN of the n-th post station (0-based)."""
    return f"urn:epc:id:sgln:{PREFIX}.{11 + n:05d}.0"


def tote(n: int) -> str:
    """The GRAI of tote n."""
    return f"urn:epc:id:grai:{PREFIX}.12345.{n}"


def _event(at: datetime, step: str, where: str, box: int, **fields: Any) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": at.isoformat() + "Z",
        "eventTimeZoneOffset": "+01:00",
        "epcList": [tote(box)],
        "action": fields.pop("action", "OBSERVE"),
        "bizStep": step,
        "readPoint": {"id": where},
        "bizLocation": {"id": where},
    } | fields


def tote_events(rng: np.random.Generator, day: date, first: bool) -> list[dict[str, Any]]:
    """The day's tote events (every tote commissioned on the first day)."""
    start = datetime.combine(day, time(6, 0))
    events = (
        [
            _event(start - timedelta(hours=1), "commissioning", CENTRE, b, action="ADD",
                   disposition="active")
            for b in range(TOTES)
        ]
        if first
        else []
    )  # fmt: skip
    for box in rng.choice(TOTES, size=TOTES * 2 // 3, replace=False):
        b, station = int(box), station_gln(int(rng.integers(len(STATIONS))))
        minutes = timedelta(minutes=float(rng.uniform(0, 90)))
        events += [
            _event(start + minutes, "shipping", CENTRE, b, disposition="in_transit"),
            _event(start + minutes + timedelta(hours=2), "receiving", station, b),
        ]
        fate = rng.random()
        if fate < 0.01:
            continue  # never comes back: the containers report counts it lost in time
        back = start + timedelta(hours=11 if fate > 0.1 else 35) + minutes
        events += [
            _event(back, "shipping", station, b, disposition="returned"),
            _event(back + timedelta(hours=1, minutes=30), "receiving", CENTRE, b),
            _event(back + timedelta(hours=2), "inspecting", CENTRE, b, disposition="available"),
        ]
    return events


def epcis_document(events: list[dict[str, Any]], created: datetime) -> dict[str, Any]:
    """An EPCIS 2.0 JSON-LD document of ``events``."""
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": created.isoformat() + "Z",
        "epcisBody": {"eventList": events},
    }


def carton_collections(rng: np.random.Generator, day: date) -> list[dict[str, Any]]:
    """Cartons handed in at each post station that day, and what became of them."""
    rows = []
    for station, _, _ in STATIONS:
        collected = int(rng.integers(20, 80))
        reused = int(collected * rng.uniform(0.3, 0.5))
        rows.append(
            {"station_id": station, "date": day.isoformat(), "collected": collected,
             "reused": reused, "recycled": collected - reused,
             "carton_kg": round(float(rng.uniform(0.12, 0.2)), 3)}
        )  # fmt: skip
    return rows
