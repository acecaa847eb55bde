"""EPCIS 2.0 checks on the OpenEPCIS test resources: every valid file in, every invalid one out."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from greenlane.traceability.epcis import read_document

DATA = Path(__file__).parents[1] / "data" / "epcis"
VALID = sorted((DATA / "valid").rglob("*.json"))
INVALID = sorted((DATA / "invalid").glob("*.json"))
EXPECTED = {  # the field each invalid file is refused for (the event it is in, from 1)
    "EPCISDocument_without_context.json": (None, "@context"),
    "ObjectEvent_with_ilmd_field_without_namespace.json": (1, "ilmd.materialType"),
    "ObjectEvent_with_invalid_action.json": (1, "action"),
    "ObjectEvent_with_invalid_certificationInfo.json": (1, "certificationInfo"),
    "ObjectEvent_with_invalid_eventTime_format.json": (1, "eventTime"),
    "ObjectEvent_with_non_standard_bizStep.json": (1, "bizStep"),
    "ObjectEvent_with_non_standard_bizStep_in_second_event.json": (2, "bizStep"),
    "ObjectEvent_with_non_standard_disposition.json": (1, "disposition"),
    "ObjectEvent_with_quantity_as_text.json": (1, "quantityList.quantity"),
    "ObjectEvent_with_unknown_field_in_quantityList.json": (1, "quantityList.weight"),
    "ObjectEvent_without_identifier_list.json": (1, "epcList"),
}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_document_is_accepted(path: Path) -> None:
    """No problem, and every event normalised (UTC time, bare CBV values)."""
    events, problems = read_document(json.loads(path.read_text()), path.name)
    assert problems == [] and events
    assert all(isinstance(e.event_time, datetime) and e.event_time.tzinfo is None for e in events)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_every_invalid_document_is_refused_naming_the_event_and_field(path: Path) -> None:
    """At least one problem; where the file's name says what is wrong, that field is named."""
    _, problems = read_document(json.loads(path.read_text()), path.name)
    assert problems
    if path.name in EXPECTED:
        assert EXPECTED[path.name] in {(p.row, p.column) for p in problems}


def test_the_corpus_is_all_here() -> None:
    """43 valid and 15 invalid files (a copy that lost files would pass the tests above)."""
    assert (len(VALID), len(INVALID)) == (43, 15)


def test_normalised_fields() -> None:
    """The aggregation example: UTC time, bare CBV values, parent and children as Digital Link."""
    path = DATA / "valid" / "Documents" / "AggregationEvent.json"
    (event,) = read_document(json.loads(path.read_text()), path.name)[0]
    assert event.event_time == datetime(2013, 6, 8, 14, 58, 56, 591000)
    assert (event.biz_step, event.disposition, event.action) == (
        "receiving",
        "in_progress",
        "OBSERVE",
    )
    assert event.parent == "https://id.gs1.org/00/106141412345678908"  # as Digital Link
    assert "https://id.gs1.org/01/10614141073464/21/2017" in event.epcs


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("epcList", "urn:epc:id:grai:4012345.555.987", "GRAI EPC URI"),
        ("epcList", "urn:epc:id:sgtin:0614141.10734.2017", "SGTIN EPC URI"),
        ("epcList", "https://id.gs1.org/01/10614141073465/21/2017", "check digit"),
        ("epcList", "https://id.gs1.org/8003/0401234555/987", "8003"),
        ("parentID", "urn:epc:id:sscc:0614141.123456789", "SSCC EPC URI"),
    ],
)
def test_malformed_gs1_identifiers_are_refused(field: str, value: str, says: str) -> None:
    """Wrong digit counts in an EPC URI, a wrong check digit or a short GRAI in a Digital Link."""
    event = {
        "type": "AggregationEvent" if field == "parentID" else "ObjectEvent",
        "eventTime": "2026-03-02T08:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:grai:4012345.55555.1"],
        "childEPCs": ["urn:epc:id:grai:4012345.55555.1"],
    } | {field: value if field == "parentID" else [value]}
    document = {
        "@context": [],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-02T08:00:00Z",
        "epcisBody": {"eventList": [event]},
    }
    _, problems = read_document(document, "x")
    assert [(p.column, says in p.reason) for p in problems] == [(field, True)]
