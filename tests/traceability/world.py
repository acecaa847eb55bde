"""A small pool of reusable boxes going round: EPCIS documents as a depot's readers send them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
HOME = "urn:epc:id:sgln:4012345.00001.0"
DOCK = "urn:epc:id:sgln:4012345.00001.door1"  # a read point of the depot: the same site
SHOPS = ["urn:epc:id:sgln:4012345.00020.0", "urn:epc:id:sgln:4012345.00030.0"]
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def grai(n: int) -> str:
    return f"urn:epc:id:grai:4012345.55555.{n}"


def item(n: int, k: int) -> str:
    return f"urn:epc:id:sgtin:4012345.011111.{n * 100 + k}"


def event(kind: str, at: datetime, step: str, where: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": kind,
        "eventTime": at.isoformat().replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "bizStep": step,
        "readPoint": {"id": where},
        "bizLocation": {"id": where.rsplit(".", 1)[0] + ".0"},
    }
    return body | fields


def observe(box: int, at: datetime, step: str, where: str, **fields: Any) -> dict[str, Any]:
    return event("ObjectEvent", at, step, where, action="OBSERVE", epcList=[grai(box)], **fields)


def trip(box: int, start: datetime, shop: str, **skip: bool) -> list[dict[str, Any]]:
    """Pack at home, ship, receive at the shop, unpack, ship back, receive home, clean."""
    contents = [item(box, k) for k in range(3)]
    steps = [
        event("AggregationEvent", start, "packing", HOME, action="ADD", parentID=grai(box),
              childEPCs=contents),
        observe(box, start + timedelta(hours=1), "shipping", DOCK),
        observe(box, start + timedelta(days=1), "receiving", shop),
        event("AggregationEvent", start + timedelta(days=1, hours=2), "unpacking", shop,
              action="DELETE", parentID=grai(box), childEPCs=contents),
        observe(box, start + timedelta(days=3), "shipping", shop, disposition="returned"),
        observe(box, start + timedelta(days=4), "receiving", DOCK),
        observe(box, start + timedelta(days=4, hours=3), "inspecting", HOME,
                disposition="available"),
    ]  # fmt: skip
    names = ["pack", "ship", "receive_shop", "unpack", "ship_back", "receive_home", "clean"]
    return [e for name, e in zip(names, steps, strict=True) if not skip.get(name)]


def commission(box: int) -> dict[str, Any]:
    return event("ObjectEvent", START - timedelta(days=1), "commissioning", HOME, action="ADD",
                 epcList=[grai(box)], disposition="active")  # fmt: skip


def pool(boxes: int = 4, trips: int = 3, seed: int = 7) -> list[dict[str, Any]]:
    """Every box commissioned, then ``trips`` trips a week apart to a shop chosen by seed."""
    rng = random.Random(seed)
    events = [commission(b) for b in range(boxes)]
    for b in range(boxes):
        for t in range(trips):
            events += trip(b, START + timedelta(days=7 * t, hours=b), rng.choice(SHOPS))
    return events


def document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-04-01T00:00:00Z",
        "epcisBody": {"eventList": events},
    }
