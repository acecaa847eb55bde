"""Hostile and careless input on SQLite and PostgreSQL: a 4xx naming the field, nothing stored.

Each bad upload is refused whole with the row and column of the bad value (a file problem
where the body cannot be read at all), and the store is exactly as before; the database never
sees what it would refuse, and no answer is a 5xx.
"""

from __future__ import annotations

import io
import json
import threading
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from greenlane.service.app import create_app
from tests.service.conftest import ROAD, World, csv

HEADER = "shipment_id,tce_id,kind,mass_kg,toc_id,distance_km,departure_at,sequence,origin"
GOOD = ["S", "t1", "transport", "1000", ROAD, "100", "2026-03-02T08:00:00Z", "1", ""]
COLUMNS = HEADER.split(",")


def _row(**bad: str) -> bytes:
    """A CSV of one good row and one row with the given values."""
    values = dict(zip(COLUMNS, GOOD, strict=True)) | {"tce_id": "t2"} | bad
    return csv(",".join(GOOD), ",".join(values[c] for c in COLUMNS), header=HEADER)


CSV_CASES = {
    "inf mass": (_row(mass_kg="inf"), "mass_kg"),
    "Infinity mass": (_row(mass_kg="Infinity"), "mass_kg"),
    "NaN mass": (_row(mass_kg="NaN"), "mass_kg"),
    "1e309 mass": (_row(mass_kg="1e309"), "mass_kg"),
    "-1e309 distance": (_row(distance_km="-1e309"), "distance_km"),
    "1e300 distance": (_row(distance_km="1e300"), "distance_km"),
    "month 13": (_row(departure_at="2026-13-45"), "departure_at"),
    "30 February": (_row(departure_at="2026-02-30T08:00:00Z"), "departure_at"),
    "hour 25": (_row(departure_at="2026-03-02T25:00:00Z"), "departure_at"),
    "offset +25:00": (_row(departure_at="2026-03-02T08:00:00+25:00"), "departure_at"),
    "not a date": (_row(departure_at="yesterday"), "departure_at"),
    "5000-digit sequence": (_row(sequence="9" * 5000), "sequence"),
    "sequence over 32 bits": (_row(sequence=str(2**31)), "sequence"),
    "overlong tce_id": (_row(tce_id="x" * 201), "tce_id"),
    "overlong origin": (_row(origin="x" * 65), "origin"),
    "NUL in shipment_id": (_row(shipment_id="S\x00evil"), "shipment_id"),
}


def _counts(world: World) -> dict[str, int]:
    """Rows of every table a refused upload could have touched."""
    with world.engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("tces", "batches", "rollups", "factor_refs", "esg_entries", "epcis_events")
        }


def _send(world: World, body: bytes, kind: str, key: str = "k") -> Any:
    headers = world.as_("acme") | {"Content-Type": kind, "Idempotency-Key": key}
    return world.client.post("/v1/batches", content=body, headers=headers)


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_a_bad_csv_value_is_422_naming_row_and_column_and_nothing_is_stored(
    world: World, case: str
) -> None:
    """Non-finite, huge, impossible, overlong and NUL values are refused by row and column."""
    body, column = CSV_CASES[case]
    before = _counts(world)
    answer = _send(world, body, "text/csv")
    assert answer.status_code == 422, answer.text
    problems = {(p["row"], p["column"]) for p in answer.json()["problems"]}
    assert (2, column) in problems, answer.json()["problems"]
    assert _counts(world) == before


JSON_CASES = {
    "Infinity literal": (b'[{"shipment_id":"S","tce_id":"t","kind":"transport",'
                         b'"mass_kg":Infinity,"toc_id":"' + ROAD.encode() + b'",'
                         b'"distance_km":1}]', "mass_kg"),
    "1e309 number": (b'[{"shipment_id":"S","tce_id":"t","kind":"transport",'
                     b'"mass_kg":1e309,"toc_id":"' + ROAD.encode() + b'","distance_km":1}]',
                     "mass_kg"),
    "object as tce_id": (json.dumps([{"shipment_id": "S", "tce_id": {"a": 1},
                                      "kind": "transport", "mass_kg": 1, "toc_id": ROAD,
                                      "distance_km": 1}]).encode(), "tce_id"),
    "list as mass": (json.dumps([{"shipment_id": "S", "tce_id": "t", "kind": "transport",
                                  "mass_kg": [1, 2], "toc_id": ROAD,
                                  "distance_km": 1}]).encode(), "mass_kg"),
    "5000-digit integer": (b'[{"shipment_id":"S","tce_id":"t","kind":"transport","mass_kg":'
                           + b"9" * 5000 + b"}]", "file"),
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "file"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(JSON_CASES))
def test_a_bad_json_value_is_4xx_naming_the_field_and_nothing_is_stored(
    world: World, case: str
) -> None:
    """Non-finite numbers, objects as ids, huge integers and deep nesting: 4xx, nothing kept."""
    body, column = JSON_CASES[case]
    before = _counts(world)
    answer = _send(world, body, "application/json")
    assert answer.status_code in (400, 422), answer.text
    assert column in {p["column"] for p in answer.json()["problems"]}
    assert _counts(world) == before


def _parquet(frame: pl.DataFrame) -> bytes:
    sink = io.BytesIO()
    frame.write_parquet(sink)
    return sink.getvalue()


BASE = {"shipment_id": ["S"], "tce_id": ["t"], "kind": ["transport"], "toc_id": [ROAD]}
PARQUET_CASES = {
    "list column": (pl.DataFrame(BASE | {"mass_kg": [[1.0, 2.0]], "distance_km": [1.0]}),
                    "mass_kg"),
    "struct column": (pl.DataFrame(BASE | {"mass_kg": [1.0], "distance_km": [{"a": 1.0}]}),
                      "distance_km"),
    "inf float": (pl.DataFrame(BASE | {"mass_kg": [float("inf")], "distance_km": [1.0]}),
                  "mass_kg"),
    "NaN float": (pl.DataFrame(BASE | {"mass_kg": [float("nan")], "distance_km": [1.0]}),
                  "mass_kg"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(PARQUET_CASES))
def test_a_bad_parquet_column_is_422_naming_it_and_nothing_is_stored(
    world: World, case: str
) -> None:
    """Lists, structs and non-finite floats in Parquet are refused by column."""
    frame, column = PARQUET_CASES[case]
    before = _counts(world)
    answer = _send(world, _parquet(frame), "application/vnd.apache.parquet")
    assert answer.status_code == 422, answer.text
    assert column in {p["column"] for p in answer.json()["problems"]}
    assert _counts(world) == before


BODY_CASES = {
    "ledger quantity Infinity": (
        "/v1/esg/ledger",
        b'{"rows":[{"site":"park","period_start":"2025-01-01","period_end":"2025-12-31",'
        b'"metric":"fuel.diesel","quantity":Infinity,"unit":"l","source":"cards"}]}',
        "quantity",
    ),
    "ledger quantity 1e309": (
        "/v1/esg/ledger",
        b'{"rows":[{"site":"park","period_start":"2025-01-01","period_end":"2025-12-31",'
        b'"metric":"fuel.diesel","quantity":1e309,"unit":"l","source":"cards"}]}',
        "quantity",
    ),
    "ledger NUL in site": (
        "/v1/esg/ledger",
        b'{"rows":[{"site":"pa\\u0000rk","period_start":"2025-01-01","period_end":"2025-12-31",'
        b'"metric":"fuel.diesel","quantity":1,"unit":"l","source":"cards"}]}',
        "site",
    ),
    "ledger month 13": (
        "/v1/esg/ledger",
        b'{"rows":[{"site":"park","period_start":"2025-13-01","period_end":"2025-12-31",'
        b'"metric":"fuel.diesel","quantity":1,"unit":"l","source":"cards"}]}',
        "period_start",
    ),
    "ledger overlong source": (
        "/v1/esg/ledger",
        b'{"rows":[{"site":"park","period_start":"2025-01-01","period_end":"2025-12-31",'
        b'"metric":"fuel.diesel","quantity":1,"unit":"l","source":"' + b"s" * 501 + b'"}]}',
        "source",
    ),
    "EPCIS NUL in an EPC": (
        "/epcis/capture",
        json.dumps({
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": "2026-04-01T00:00:00Z",
            "epcisBody": {"eventList": [{
                "type": "ObjectEvent", "eventTime": "2026-03-02T08:00:00Z",
                "eventTimeZoneOffset": "+00:00", "action": "OBSERVE",
                "epcList": ["urn:epc:id:grai:4012345.55555.1\x00"]}]},
        }).encode(),
        "",
    ),
    "EPCIS nested 100,000 deep": ("/epcis/capture", b"[" * 100_000 + b"]" * 100_000, ""),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BODY_CASES))
def test_a_bad_api_body_is_4xx_and_nothing_is_stored(world: World, case: str) -> None:
    """Non-finite numbers, NUL, bad dates, overlong text and deep nesting in JSON bodies."""
    path, body, field = BODY_CASES[case]
    before = _counts(world)
    headers = world.as_("acme") | {"Content-Type": "application/json"}
    answer = world.client.post(path, content=body, headers=headers)
    assert answer.status_code in (400, 422), answer.text
    if field:
        assert field in answer.text
    assert _counts(world) == before


def test_an_unreachable_database_is_503_with_a_json_body() -> None:
    """A server whose database is down answers 503 with the common error body, not a 500."""
    url = "postgresql+psycopg://postgres@127.0.0.1:9/greenlane?connect_timeout=2"
    with TestClient(create_app(url)) as client:
        answer = client.get(
            "/v1/shipments", headers={"X-API-Key": "gl_" + "0" * 16 + "_" + "x" * 43}
        )
    assert answer.status_code == 503
    assert answer.json()["code"] == "unavailable"


def test_overlapping_concurrent_batches_store_each_tce_once_and_never_500(world: World) -> None:
    """Batches with different keys and shared TCEs, sent at once: 201 or 409, each TCE once."""
    rows = [f"S,t{i},transport,1000,{ROAD},10" for i in range(300)]
    bodies = [csv(*rows[:200]), csv(*rows[100:])]
    answers: list[int] = []

    def send(n: int) -> None:
        answers.append(_send(world, bodies[n], "text/csv", key=f"k{n}").status_code)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(answers) <= {201, 409} and 201 in answers, answers
    with world.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*), count(DISTINCT tce_id) FROM tces")).one()
    assert stored[0] == stored[1]


def test_a_formula_cell_is_stored_as_text_and_downloaded_quoted(world: World) -> None:
    """A tce_id that a spreadsheet would run comes back in the CSV download as inert text."""
    body = csv(f'S,"=HYPERLINK(""http://x"",""y"")",transport,1000,{ROAD},10')
    assert _send(world, body, "text/csv").status_code == 201
    browser = TestClient(world.client.app, base_url="https://testserver")
    form = browser.get("/dashboard/sign-in").text
    token = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    browser.post("/dashboard/sign-in", data={"api_key": world.keys["acme"], "csrf": token})
    download = browser.get("/dashboard/downloads/tces.csv")
    assert download.status_code == 200
    assert "'=HYPERLINK" in download.text and ",=HYPERLINK" not in download.text
