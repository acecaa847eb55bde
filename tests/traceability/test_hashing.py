"""The EPCIS event hash ID against the reference implementation's vectors, and its invariances."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from greenlane.gs1 import canonical
from greenlane.traceability.epcis import read_document
from greenlane.traceability.hashing import number, prehash, timestamp

DATA = Path(__file__).parents[1] / "data" / "epcis_hash"
DOCUMENTS = sorted(DATA.glob("*.jsonld"))


def _vectors() -> list[tuple[str, int, dict, str, str | None]]:
    """(document, event number, the document, expected hash, its pre-hash when consistent)."""
    found = []
    for path in DOCUMENTS:
        hashes = path.with_suffix(".hashes").read_text().split()
        prehashes = path.with_suffix(".prehashes")
        lines = prehashes.read_text().strip().split("\n") if prehashes.exists() else []
        for n, expected in enumerate(hashes):
            line = lines[n] if n < len(lines) else None
            consistent = line is not None and _ni(line) == expected  # stale lines are skipped
            found.append((path.name, n, json.loads(path.read_text()), expected,
                          line if consistent else None))  # fmt: skip
    return found


def _ni(text: str) -> str:
    return f"ni:///sha-256;{hashlib.sha256(text.encode()).hexdigest()}?ver=CBV2.0"


VECTORS = _vectors()


def test_the_vectors_are_all_here() -> None:
    """The reference's 22 JSON-LD documents and 43 events, most with a usable pre-hash."""
    assert (len(DOCUMENTS), len(VECTORS)) == (22, 43)
    assert sum(1 for v in VECTORS if v[4] is not None) >= 35


@pytest.mark.parametrize(("name", "n", "document", "expected", "line"), VECTORS,
                         ids=[f"{v[0]}#{v[1]}" for v in VECTORS])  # fmt: skip
def test_reference_vector(
    name: str, n: int, document: dict, expected: str, line: str | None
) -> None:
    """Document -> events -> hash ID (and pre-hash) exactly as the reference implementation."""
    events, problems = read_document(document, name)
    assert problems == []
    assert events[n].event_hash == expected
    if line is not None:
        body = document["epcisBody"]
        listed = body.get("eventList") or body["queryResults"]["resultsBody"]["eventList"]
        ignored = document.get("repository-x:ignoreFields") or body.get("queryResults", {}).get(
            "repository-x:ignoreFields", []
        )
        assert prehash(listed[n], _namespaces(document), ignored) == line


def _namespaces(document: dict) -> dict[str, str]:
    context = document["@context"]
    return {k: v for entry in context if isinstance(entry, dict) for k, v in entry.items()}


def _single() -> dict:
    return json.loads((DATA / "epcisDocWithSingleEvent.jsonld").read_text())


def _hash(document: dict) -> str:
    (event,), problems = read_document(document, "x")
    assert problems == []
    return event.event_hash


def test_the_hash_ignores_formatting_but_not_content() -> None:
    """Formatting (order, URN or bare CBV, URI or Digital Link, zone, eventID) keeps the hash."""
    document = _single()
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
    document = _single()
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
