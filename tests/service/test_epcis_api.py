"""EPCIS capture and query over the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.service.conftest import World
from tests.traceability.world import SHOPS, document, grai, pool

DATA = Path(__file__).parents[1] / "data" / "epcis"


def capture(world: World, body: dict, org: str = "acme") -> dict:
    answer = world.client.post("/epcis/capture", json=body, headers=world.as_(org))
    assert answer.status_code == 202, answer.text
    location = answer.headers["Location"]
    status = world.client.get(location, headers=world.as_(org))
    assert status.status_code == 200
    return status.json()


def events(world: World, org: str = "acme", **params: str) -> list[dict]:
    answer = world.client.get("/epcis/events", params=params, headers=world.as_(org))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["type"] == "EPCISQueryDocument"
    return body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_capture_is_a_job_and_a_second_capture_is_all_duplicates(world: World) -> None:
    """Every OpenEPCIS valid document captured; sent again, nothing new is stored."""
    paths = sorted((DATA / "valid" / "Documents").glob("*.json"))
    stored = 0
    for path in paths:
        job = capture(world, json.loads(path.read_text()))
        assert job["success"] and not job["running"] and job["errors"] == []
        stored += job["storedCount"]
    again = capture(world, json.loads(paths[0].read_text()))
    assert again["storedCount"] == 0 and again["duplicateCount"] == again["eventCount"]
    assert len(events(world, perPage="1000")) == stored


def test_an_invalid_document_is_refused_whole_listing_every_invalid_event(world: World) -> None:
    """Valid events beside invalid ones are not stored; each invalid event and field is listed."""
    good = pool(boxes=1, trips=1)
    bad = [{**good[1], "bizStep": "teleporting"}, {**good[2], "action": "MAYBE"}]
    answer = world.client.post(
        "/epcis/capture", json=document([*good, *bad]), headers=world.as_("acme")
    )
    assert answer.status_code == 422
    listed = {(p["row"], p["column"]) for p in answer.json()["problems"]}
    n = len(good)
    assert listed == {(n + 1, "bizStep"), (n + 2, "action")}
    assert events(world) == []


def test_the_simple_query_parameters(world: World) -> None:
    """eventType, EQ_bizStep (any form), times, MATCH_epc (URN or Digital Link), location."""
    capture(world, document(pool(boxes=2, trips=2)))
    everything = events(world, perPage="1000")
    assert len(everything) == 2 + 2 * 2 * 7
    shipped = events(world, EQ_bizStep="urn:epcglobal:cbv:bizstep:shipping", perPage="1000")
    assert len(shipped) == 2 * 2 * 2 and {e["bizStep"] for e in shipped} == {"shipping"}
    aggregations = events(world, eventType="AggregationEvent", perPage="1000")
    assert len(aggregations) == 2 * 2 * 2
    box = events(world, MATCH_epc=grai(0), perPage="1000")
    assert len(box) == 1 + 2 * 5  # commissioning, then 5 object events a trip
    as_parent = events(world, MATCH_parentID=grai(0), perPage="1000")
    assert len(as_parent) == 2 * 2
    anywhere = events(world, MATCH_anyEPC=grai(0), perPage="1000")
    assert len(anywhere) == len(box) + len(as_parent)
    early = events(world, LT_eventTime="2026-03-03T00:00:00Z", perPage="1000")
    assert early and all(e["eventTime"] < "2026-03-03" for e in early)
    either = events(world, EQ_bizLocation="|".join(SHOPS), perPage="1000")
    assert len(either) == 2 * 2 * 3  # received, unpacked, shipped back at a shop


def test_pages_cover_every_event_once(world: World) -> None:
    """PerPage 7, following the Link header: all events, none twice."""
    capture(world, document(pool(boxes=2, trips=2)))
    seen, url, params = [], "/epcis/events", {"perPage": "7"}
    while True:
        answer = world.client.get(url, params=params, headers=world.as_("acme"))
        seen += answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        if "Link" not in answer.headers:
            break
        link = answer.headers["Link"].split(";")[0].strip("<>")
        url, params = (
            urlsplit(link).path,
            {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()},
        )
    assert len(seen) == 30 and len({json.dumps(e, sort_keys=True) for e in seen}) == 30


def test_events_and_jobs_are_the_organizations_own(world: World) -> None:
    """Globex sees none of acme's events and not its job; the auditor may not capture."""
    body = document(pool(boxes=1, trips=1))
    answer = world.client.post("/epcis/capture", json=body, headers=world.as_("acme"))
    assert events(world, "globex") == []
    assert (
        world.client.get(answer.headers["Location"], headers=world.as_("globex")).status_code == 404
    )
    refused = world.client.post("/epcis/capture", json=body, headers=world.as_("audit"))
    assert refused.status_code == 403


def test_an_error_declaration_is_kept_beside_its_event(world: World) -> None:
    """The declaration is stored (not a duplicate) and found by EXISTS_errorDeclaration."""
    events_ = pool(boxes=1, trips=1)
    capture(world, document(events_))
    declared = {**events_[2], "errorDeclaration": {"declarationTime": "2026-03-09T00:00:00Z",
                                                   "reason": "did_not_occur"}}  # fmt: skip
    job = capture(world, document([declared]))
    assert job["storedCount"] == 1
    (found,) = events(world, EXISTS_errorDeclaration="true")
    assert found["errorDeclaration"]["reason"] == "did_not_occur"


def test_bad_bodies(world: World) -> None:
    """Not JSON: 400; another media type: 415; a bad page token or time: 422."""
    headers = world.as_("acme") | {"Content-Type": "application/json"}
    assert world.client.post("/epcis/capture", content=b"{", headers=headers).status_code == 400
    plain = world.as_("acme") | {"Content-Type": "text/plain"}
    assert world.client.post("/epcis/capture", content=b"{}", headers=plain).status_code == 415
    assert (
        world.client.get(
            "/epcis/events", params={"nextPageToken": "x"}, headers=world.as_("acme")
        ).status_code
        == 422
    )


def test_the_containers_report_is_made_kept_and_the_organizations_own(world: World) -> None:
    """POST makes it from the captured events and keeps it; GET reads it; globex has none."""
    capture(world, document(pool(boxes=4, trips=3)))
    made = world.client.post(
        "/v1/containers/report", params={"as_of": "2026-03-25T00:00:00Z"}, headers=world.as_("acme")
    )
    assert made.status_code == 200, made.text
    assert made.json()["fleet"]["trips"] == 12
    kept = world.client.get("/v1/containers/report", headers=world.as_("acme"))
    assert kept.json() == made.json()
    assert world.client.get("/v1/containers/report", headers=world.as_("globex")).status_code == 404


def test_malformed_documents_are_422_naming_the_field_never_5xx(world: World) -> None:
    """Every malformed shape the reader refuses is a 422 listing event 1 and its field."""
    from tests.traceability.test_epcis_shapes import BASE, MALFORMED, _document

    for change, (fields, named) in MALFORMED.items():
        answer = world.client.post(
            "/epcis/capture", json=_document({**BASE, **fields}), headers=world.as_("acme")
        )
        assert answer.status_code == 422, (change, answer.text)
        assert (1, named) in {(p["row"], p["column"]) for p in answer.json()["problems"]}
    assert events(world) == []


def test_an_unknown_query_parameter_is_400_not_every_event(world: World) -> None:
    """The REST binding's QueryParameterException, naming the parameter; known ones still work."""
    capture(world, document(pool(boxes=1, trips=1)))
    for params in ({"EQ_bizstep": "shipping"}, {"MATCH_epc": grai(1), "foo": "1"}):
        answer = world.client.get("/epcis/events", params=params, headers=world.as_("acme"))
        assert answer.status_code == 400, answer.text
        assert answer.json()["code"] == "QueryParameterException"
        assert (set(params) - {"MATCH_epc"}).pop() in answer.json()["message"]
    long = world.client.get("/epcis/events", params={"x" * 10_000: "1"}, headers=world.as_("acme"))
    assert long.status_code == 400 and len(long.text) < 2000  # the name quoted back short
    assert events(world, EQ_bizStep="shipping", perPage="5")


def test_extension_and_sensor_only_events_are_captured_and_found(world: World) -> None:
    """Valid shapes the reader once refused are stored on both databases and queried back."""
    from tests.traceability.test_epcis_shapes import VALID, _document

    names = ["an extension event type as a URI", "sensor data and a readPoint, no epcList (GS1 "
             "SensorDataExample1b)", "an extension event type"]  # fmt: skip
    job = capture(world, _document(*(VALID[n] for n in names)))
    assert job["success"] and job["storedCount"] == 3, job
    found = events(world, eventType="https://ns.example.com/epcis/Check")
    assert [e["type"] for e in found] == ["https://ns.example.com/epcis/Check"]
