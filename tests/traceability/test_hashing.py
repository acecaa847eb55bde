"""The EPCIS event hash ID against the reference implementation's vectors, and its invariances."""

from __future__ import annotations

import json
from pathlib import Path

from greenlane.gs1 import canonical
from greenlane.traceability.epcis import read_document
from greenlane.traceability.hashing import number, prehash, timestamp

DATA = Path(__file__).parents[1] / "data" / "epcis_hash"


def _events(name: str) -> list:
    return json.loads((DATA / name).read_text())["epcisBody"]["eventList"]


def _namespaces(name: str) -> dict[str, str]:
    context = json.loads((DATA / name).read_text())["@context"]
    return {k: v for entry in context if isinstance(entry, dict) for k, v in entry.items()}


def test_single_event_vector_prehash_and_hash() -> None:
    """Document -> pre-hash -> hash, exactly as the reference implementation's vector."""
    (event,) = _events("single_event.jsonld")
    expected = (DATA / "single_event.prehashes").read_text().strip()
    assert prehash(event, _namespaces("single_event.jsonld")) == expected
    (checked,), problems = read_document(
        json.loads((DATA / "single_event.jsonld").read_text()), "single_event.jsonld"
    )
    assert problems == []
    assert checked.event_hash == (DATA / "single_event.hashes").read_text().strip()


def test_reference3_vector_prehash() -> None:
    """GDTI, PGLN, source and destination types, extensions in readPoint and at event level."""
    (event,) = _events("reference3.jsonld")
    expected = (DATA / "reference3.prehashes").read_text().strip()
    assert prehash(event, _namespaces("reference3.jsonld")) == expected


def _hash(document: dict) -> str:
    (event,), problems = read_document(document, "x")
    assert problems == []
    return event.event_hash


def test_the_hash_ignores_formatting_but_not_content() -> None:
    """Formatting (order, URN or bare CBV, URI or Digital Link, zone, eventID) keeps the hash."""
    document = json.loads((DATA / "single_event.jsonld").read_text())
    base = _hash(document)
    event = document["epcisBody"]["eventList"][0]
    same = {
        **dict(reversed(list(event.items()))),
        "epcList": [
            "https://id.gs1.org/01/10614141073464/21/2018",
            "urn:epc:id:sgtin:0614141.107346.2017",
        ],
        "bizStep": "urn:epcglobal:cbv:bizstep:shipping",
        "eventTime": "2022-02-17T02:33:31.1160Z",
        "eventID": "urn:uuid:a4f0c7e3-8f8a-4bde-9d1f-2a0e1c2b3d4e",
        "recordTime": "2022-03-01T00:00:00Z",
    }
    assert _hash({**document, "epcisBody": {"eventList": [same]}}) == base
    # a changed value, another EPC, another time or an added field changes it
    for change in (
        {"disposition": "in_progress"},
        {"epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]},
        {"eventTime": "2022-02-17T02:33:31.117Z"},
        {"bizLocation": {"id": "urn:epc:id:sgln:0614141.07346.0"}},
    ):
        other = {**event, **change}
        assert _hash({**document, "epcisBody": {"eventList": [other]}}) != base, change


def test_an_error_declaration_carries_the_hash_of_the_event_it_corrects() -> None:
    """CBV 2.0: errorDeclaration is outside the pre-hash, so the store keys on both."""
    document = json.loads((DATA / "single_event.jsonld").read_text())
    event = document["epcisBody"]["eventList"][0]
    declared = {
        **event,
        "errorDeclaration": {"declarationTime": "2022-02-18T10:00:00Z", "reason": "did_not_occur"},
    }
    (original,), _ = read_document(document, "x")
    (correction,), problems = read_document(
        {**document, "epcisBody": {"eventList": [declared]}}, "x"
    )
    assert problems == [] and correction.declares_error and not original.declares_error
    assert correction.event_hash == original.event_hash


def test_timestamps_round_at_the_fourth_decimal() -> None:
    """UTC, milliseconds, 5-9 in the 4th decimal rounds up (carrying into the seconds)."""
    assert timestamp("2023-01-18T11:04:03.1415Z") == "2023-01-18T11:04:03.142Z"
    assert timestamp("2023-01-18T11:04:03.1414Z") == "2023-01-18T11:04:03.141Z"
    assert timestamp("2023-01-18T11:04:59.9996+01:00") == "2023-01-18T10:05:00.000Z"
    assert timestamp("2020-03-04T11:00:30+01:00") == "2020-03-04T10:00:30.000Z"


def test_numbers_lose_trailing_zeros() -> None:
    """1.0 -> 1, 0.34340 -> 0.3434, 200 stays 200."""
    assert [number(1.0), number(0.3434), number(200), number(2.50)] == ["1", "0.3434", "200", "2.5"]


def test_grai_and_sscc_as_digital_link() -> None:
    """EPC URIs of a returnable asset and a logistic unit, with their check digits."""
    assert (
        canonical("urn:epc:id:grai:4012345.55555.987")
        == "https://id.gs1.org/8003/04012345555554987"
    )
    assert (
        canonical("urn:epc:id:sscc:0614141.1234567890")
        == "https://id.gs1.org/00/106141412345678908"
    )
    assert canonical("https://example.com/8003/04012345555554987?x=1") == (
        "https://id.gs1.org/8003/04012345555554987"
    )
