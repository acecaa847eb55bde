"""Malformed EPCIS is refused with its event, field and reason, never a crash; valid shapes pass.

Each shape that once crashed the reader or slipped through is held here, and every field of
the fullest test documents is replaced by every kind of JSON value: the reader answers each
with events or problems, never an exception.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from greenlane.traceability.epcis import read_document

DATA = Path(__file__).parents[1] / "data" / "epcis" / "valid" / "Documents"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
           {"example": "https://ns.example.com/epcis/"}]  # fmt: skip
BASE: dict[str, Any] = {
    "type": "ObjectEvent",
    "eventTime": "2026-03-02T08:00:00+01:00",
    "eventTimeZoneOffset": "+01:00",
    "action": "OBSERVE",
    "epcList": ["urn:epc:id:sgtin:4012345.011111.1"],
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
}
SENSOR = [{"sensorMetadata": {"time": "2026-03-02T07:55:00Z"},
           "sensorReport": [{"type": "Temperature", "value": 4.5, "uom": "CEL"}]}]  # fmt: skip


def _document(*events: dict[str, Any], kind: str = "EPCISDocument") -> dict[str, Any]:
    body: dict[str, Any] = {"eventList": list(events)}
    if kind == "EPCISQueryDocument":
        body = {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": body}}
    return {"@context": CONTEXT, "type": kind, "schemaVersion": "2.0",
            "creationDate": "2026-03-02T09:00:00Z", "epcisBody": body}  # fmt: skip


MALFORMED = {  # what is changed -> the field named
    "sourceList as an object": ({"sourceList": {"type": "owning_party", "source": "urn:x:y"}},
                                "sourceList"),
    "bizTransactionList as an object": ({"bizTransactionList": {"bizTransaction": "urn:x:y"}},
                                        "bizTransactionList"),
    "sensorElementList as an object": ({"sensorElementList": SENSOR[0]}, "sensorElementList"),
    "sensorReport as an object": (
        {"sensorElementList": [{"sensorReport": {"type": "Temperature", "value": 1}}]},
        "sensorElementList.sensorReport"),
    "a bizTransaction without its id": ({"bizTransactionList": [{"type": "po"}]},
                                        "bizTransactionList.bizTransaction"),
    "eventTime in month 13": ({"eventTime": "2026-13-02T08:00:00+01:00"}, "eventTime"),
    "an offset of +25:00": ({"eventTimeZoneOffset": "+25:00"}, "eventTimeZoneOffset"),
    "an eventTime zone of +25:00": ({"eventTime": "2026-03-02T08:00:00+25:00"}, "eventTime"),
    "readPoint as a string": ({"readPoint": "urn:epc:id:sgln:4012345.00001.0"}, "readPoint"),
    "readPoint without id": ({"readPoint": {"example:gate": "3"}}, "readPoint.id"),
    "a string sensor value": (
        {"sensorElementList": [{"sensorReport": [{"type": "Temperature", "value": "4"}]}]},
        "sensorElementList.sensorReport.value"),
    "persistentDisposition as a string": ({"persistentDisposition": "completeness_verified"},
                                          "persistentDisposition"),
    "ilmd as a list": ({"action": "ADD", "ilmd": [{"example:lot": "1"}]}, "ilmd"),
    "a source without its type": ({"sourceList": [{"source": "urn:epc:id:pgln:4012345.00000"}]},
                                  "sourceList.type"),
    "epcList as a string": ({"epcList": "urn:epc:id:sgtin:4012345.011111.1"}, "epcList"),
    "a sensor time that is not one": (
        {"sensorElementList": [{"sensorMetadata": {"time": "yesterday"}, "sensorReport": []}]},
        "sensorElementList.sensorMetadata.time"),
    "an unknown field in a readPoint": ({"readPoint": {"id": "urn:x:y", "gate": 3}},
                                        "readPoint.gate"),
}  # fmt: skip


@pytest.mark.parametrize("change", MALFORMED, ids=list(MALFORMED))
def test_malformed_shapes_are_refused_by_field(change: str) -> None:
    """Each shape is a problem of event 1 naming the field; nothing is read from it."""
    fields, named = MALFORMED[change]
    events, problems = read_document(_document({**BASE, **fields}), "doc.json")
    assert events == []
    assert (1, named) in {(p.row, p.column) for p in problems}, problems
    assert all(p.file == "doc.json" and p.reason for p in problems)


VALID = {
    "sensor data and a readPoint, no epcList (GS1 SensorDataExample1b)": {
        k: v for k, v in {**BASE, "sensorElementList": SENSOR}.items() if k != "epcList"
    },
    "an extension event type": {**BASE, "type": "example:TemperatureCheckEvent"},
    "an extension event type as a URI": {**BASE, "type": "https://ns.example.com/epcis/Check"},
    "the largest zone": {**BASE, "eventTimeZoneOffset": "-14:00"},
    "a readPoint extension": {**BASE, "readPoint": {"id": "urn:x:y", "example:gate": "3"}},
    "a boolean sensor value": {**BASE, "sensorElementList": [
        {"sensorReport": [{"type": "example:doorOpen", "booleanValue": True}]}]},
}  # fmt: skip


@pytest.mark.parametrize("name", VALID, ids=list(VALID))
def test_valid_shapes_are_accepted(name: str) -> None:
    """Shapes the EPCIS 2.0 JSON schema accepts are read, with their hash."""
    (event,), problems = read_document(_document(VALID[name]), "doc.json")
    assert problems == []
    assert event.event_hash.startswith("ni:///sha-256;")


def test_a_query_document_is_read_like_a_capture_document() -> None:
    """An EPCISQueryDocument's events (in its query results) read and hash as captured ones."""
    (captured,), _ = read_document(_document(BASE), "a")
    (queried,), problems = read_document(_document(BASE, kind="EPCISQueryDocument"), "b")
    assert problems == [] and queried.event_hash == captured.event_hash


def _paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*at, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value[:2]):
            yield from _paths(inner, (*at, n))


HOSTILE = [{}, [], "x", "urn:x:y", 0, -1.5, float("nan"), None, True, [{}], [1], ["x"],
           {"id": {}}, [[]], "2026-13-01T00:00:00Z", "+99:99", "é" * 300]  # fmt: skip
FULLEST = [
    "ObjectEvent_all_possible_fields.json",
    "AggregationEvent_all_possible_fields.json",
    "TransformationEvent_all_possible_fields.json",
    "SensorData_and_extension.json",
]


@pytest.mark.parametrize("name", FULLEST)
def test_any_value_anywhere_is_an_answer_not_a_crash(name: str) -> None:
    """Every field (and list element) replaced by every kind of JSON value: events or problems."""
    document = json.loads((DATA / name).read_text())
    tried = 0
    for path in list(_paths(document))[1:]:
        for value in HOSTILE:
            mutated = copy.deepcopy(document)
            place = mutated
            for key in path[:-1]:
                place = place[key]
            place[path[-1]] = value
            events, problems = read_document(mutated, name)
            empty = path == ("epcisBody", "eventList") and value == []  # a document of no event
            assert events or problems or empty, (path, value)
            tried += 1
    assert tried > 800
