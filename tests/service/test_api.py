"""Every endpoint on SQLite and PostgreSQL: what it answers, and how it refuses."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from alembic.script import ScriptDirectory

from greenlane.service.app import Limits
from greenlane.store import alembic_config
from greenlane.store.access import issue_key
from tests.service.conftest import ROAD, World, csv, make_world

BATCH = csv(
    f"A1,a1-1,transport,1000,{ROAD},100",
    "A1,a1-2,hub,1000,,",
    header="shipment_id,tce_id,kind,mass_kg,toc_id,distance_km",
)


def _with_hub(body: bytes) -> bytes:
    """The batch with the hub row's hoc_id filled in (a column CSV rows cannot skip)."""
    text = body.decode().replace("toc_id,distance_km", "toc_id,distance_km,hoc_id")
    lines = text.strip().split("\n")
    lines[1] += ","
    lines[2] += ",hub.transshipment.ambient"
    return ("\n".join(lines) + "\n").encode()


def upload(world: World, org: str, body: bytes, key: str = "k1", kind: str = "text/csv"):  # type: ignore[no-untyped-def]
    """POST a batch as ``org``."""
    headers = world.as_(org) | {"Idempotency-Key": key, "Content-Type": kind}
    return world.client.post("/v1/batches", content=body, headers=headers)


def test_health_and_ready(world: World) -> None:
    """Liveness answers; readiness names the schema revision, the newest migration."""
    assert world.client.get("/v1/health").json() == {"status": "ok", "detail": ""}
    ready = world.client.get("/v1/ready")
    head = ScriptDirectory.from_config(alembic_config(world.url)).get_current_head()
    assert ready.status_code == 200 and ready.json()["detail"] == f"schema {head}"


def test_no_key_bad_key_revoked_and_expired_keys_are_401(world: World) -> None:
    """Only a valid, unexpired, unrevoked key gets in."""
    assert world.client.get("/v1/shipments").status_code == 401
    bad = {"X-API-Key": world.keys["acme"][:-2] + "xx"}
    assert world.client.get("/v1/shipments", headers=bad).status_code == 401
    _, key = issue_key(world.engine, "acme", "short", timedelta(seconds=-1))
    assert world.client.get("/v1/shipments", headers={"X-API-Key": key}).status_code == 401
    fresh_id, fresh = issue_key(world.engine, "acme", "to revoke")
    assert world.client.get("/v1/shipments", headers={"X-API-Key": fresh}).status_code == 200
    assert world.client.delete(f"/v1/keys/{fresh_id}", headers=world.as_("net")).status_code == 204
    assert world.client.get("/v1/shipments", headers={"X-API-Key": fresh}).status_code == 401
    body = world.client.get("/v1/shipments", headers=bad).json()
    assert body["code"] == "unauthorized"


def test_upload_list_get_summary_report_export(world: World) -> None:
    """An upload is listed, detailed, summed, reported and exported with the same numbers."""
    body = _with_hub(BATCH)
    created = upload(world, "acme", body)
    assert created.status_code == 201, created.text
    assert created.json() | {"batch_id": ""} == {
        "batch_id": "",
        "tces": 2,
        "stored": 2,
        "already_stored": 0,
        "replayed": False,
    }
    listed = world.client.get("/v1/shipments", headers=world.as_("acme")).json()
    assert [(s["shipper_id"], s["shipment_id"], s["tces"]) for s in listed] == [("acme", "A1", 2)]
    one = world.client.get("/v1/shipments/acme/A1", headers=world.as_("acme")).json()
    road = next(t for t in one["tces"] if t["kind"] == "transport")
    assert road["co2e_wtw_kg"] == pytest.approx(9.5)  # 1 t x 100 km x 95 g/tkm (GLEC Table 20)
    assert road["factor_ref"].startswith("glec-v3.0")
    assert one["totals"]["co2e_wtw_kg"] == pytest.approx(sum(t["co2e_wtw_kg"] for t in one["tces"]))
    for group in ("month", "mode", "lane", "mode_lane", "hub", "shipper"):
        rows = world.client.get(
            "/v1/emissions/summary", params={"group_by": group}, headers=world.as_("acme")
        )
        assert rows.status_code == 200, rows.text
    modes = world.client.get(
        "/v1/emissions/summary", params={"group_by": "mode"}, headers=world.as_("acme")
    ).json()
    assert modes[0]["key"] == "road" and modes[0]["intensity_wtw_g_per_tkm"] == pytest.approx(95)
    lanes = world.client.get(
        "/v1/emissions/summary", params={"group_by": "mode_lane"}, headers=world.as_("acme")
    ).json()
    assert [(r["key"], r["tce_count"]) for r in lanes] == [("road|", 1)]  # no places: no lane
    hubs = world.client.get(
        "/v1/emissions/summary", params={"group_by": "hub"}, headers=world.as_("acme")
    ).json()
    assert [h["key"] for h in hubs] == ["hub.transshipment.ambient"]
    report = world.client.get("/v1/reports/iso14083", headers=world.as_("acme")).json()
    assert report["totals"]["co2e_wtw_kg"] == pytest.approx(one["totals"]["co2e_wtw_kg"])
    assert "ISO 14083" in report["conformity"]
    html = world.client.get(
        "/v1/reports/iso14083", params={"format": "html"}, headers=world.as_("acme")
    )
    assert html.headers["content-type"].startswith("text/html") and "acme" in html.text
    exported = world.client.get("/v1/exports/ileap", headers=world.as_("acme")).json()
    assert [t["tceId"] for t in exported["data"][0]["tces"]] == ["a1-1", "a1-2"]
    assert float(exported["data"][0]["tces"][0]["co2eWTW"]) == pytest.approx(9.5)


def test_period_filters(world: World) -> None:
    """Summaries cover exactly the months asked for; a malformed month is 422."""
    body = csv(
        f"M,m1,transport,1000,{ROAD},100,2026-01-15",
        f"M,m2,transport,1000,{ROAD},200,2026-02-15",
        header="shipment_id,tce_id,kind,mass_kg,toc_id,distance_km,departure_at",
    )
    assert upload(world, "acme", body).status_code == 201
    months = world.client.get(
        "/v1/emissions/summary",
        params={"group_by": "month", "from": "2026-02", "to": "2026-02"},
        headers=world.as_("acme"),
    ).json()
    assert [(m["key"], m["co2e_wtw_kg"]) for m in months] == [("2026-02", pytest.approx(19.0))]
    bad = world.client.get(
        "/v1/emissions/summary", params={"from": "Feb"}, headers=world.as_("acme")
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"


def test_quote_stores_nothing(world: World) -> None:
    """A quote answers the emissions and stores nothing."""
    rows = [{"shipment_id": "Q", "tce_id": "q1", "kind": "transport", "mass_kg": 2000}]
    rows[0] |= {"toc_id": ROAD, "distance_km": 50}
    answer = world.client.post(
        "/v1/quote",
        content=json.dumps(rows),
        headers=world.as_("acme") | {"Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["totals"]["co2e_wtw_kg"] == pytest.approx(9.5)
    assert world.client.get("/v1/shipments", headers=world.as_("acme")).json() == []


def test_invalid_rows_are_422_with_row_column_reason_and_nothing_stored(world: World) -> None:
    """Bad rows are listed with row, column and reason, and nothing is stored."""
    body = csv(f"A1,a,transport,1000,{ROAD},100", "A1,b,transport,-5,nope,100")
    answer = upload(world, "acme", body)
    assert answer.status_code == 422
    problems = {(p["row"], p["column"]) for p in answer.json()["problems"]}
    assert problems == {(2, "mass_kg"), (2, "toc_id")}
    assert all(p["file"] == "upload" and p["reason"] for p in answer.json()["problems"])
    assert world.client.get("/v1/shipments", headers=world.as_("acme")).json() == []


def test_unsupported_type_and_limits(db_url: str) -> None:
    """Unknown types are 415; bodies or row counts over the limit are 413."""
    world = make_world(db_url, Limits(max_bytes=200, max_rows=2))
    assert upload(world, "acme", b"x", kind="text/plain").status_code == 415
    big = csv(*[f"A,t{i},transport,1,{ROAD},1" for i in range(10)])
    too_big = upload(world, "acme", big)
    assert too_big.status_code == 413 and too_big.json()["code"] == "too_large"
    rows = csv(
        *[f"A,t{i},transport,1,x,1" for i in range(3)],
        header="shipment_id,tce_id,kind,mass_kg,toc_id,distance_km",
    )
    over = upload(world, "acme", rows)
    assert over.status_code == 413 and "at most 2" in over.json()["message"]
    world.close()


def test_primary_data_upload_is_used_by_later_batches(world: World) -> None:
    """Uploaded TOCs price later batches as primary data; invalid ones are 422."""
    tocs = csv(
        "my.truck,road,diesel,100,l,EU,,,1000",
        header="toc_id,mode,source,quantity,unit,region,ef_wtw_kg_per_unit,ef_ttw_kg_per_unit,transport_activity_tkm",
    )
    stored = world.client.put(
        "/v1/factors/tocs", content=tocs, headers=world.as_("acme") | {"Content-Type": "text/csv"}
    )
    assert stored.status_code == 200, stored.text
    assert stored.json() == {"rows": 1}
    answer = upload(world, "acme", csv("P,p1,transport,1000,my.truck,100"))
    assert answer.status_code == 201, answer.text
    tce = world.client.get("/v1/shipments/acme/P", headers=world.as_("acme")).json()["tces"][0]
    assert tce["data_type"] == "primary"
    bad = world.client.put(
        "/v1/factors/tocs",
        content=csv("x,road,unobtainium,1,l,EU,,,1", header=tocs.decode().split("\n")[0]),
        headers=world.as_("acme") | {"Content-Type": "text/csv"},
    )
    assert bad.status_code == 422


def test_organizations_and_keys(world: World) -> None:
    """The operator registers organizations and issues, lists and revokes keys."""
    op = world.as_("net")
    made = world.client.post(
        "/v1/organizations",
        json={"id": "initech", "name": "Initech", "role": "shipper"},
        headers=op,
    )
    assert made.status_code == 201
    again = world.client.post(
        "/v1/organizations",
        json={"id": "initech", "name": "Initech", "role": "shipper"},
        headers=op,
    )
    assert again.status_code == 409
    issued = world.client.post(
        "/v1/keys", json={"organization_id": "initech", "label": "erp"}, headers=op
    )
    assert issued.status_code == 201
    key = issued.json()["key"]
    assert world.client.get("/v1/shipments", headers={"X-API-Key": key}).status_code == 200
    listed = world.client.get("/v1/keys", headers=op).json()
    assert issued.json()["id"] in {k["id"] for k in listed}
    assert all("secret" not in json.dumps(k) and key not in json.dumps(k) for k in listed)
    missing = world.client.post("/v1/keys", json={"organization_id": "nobody"}, headers=op)
    assert missing.status_code == 404
    assert world.client.delete("/v1/keys/0000000000000000", headers=op).status_code == 404


def test_a_new_toc_upload_reaches_the_next_quote_at_once(world: World) -> None:
    """A new TOC upload changes the very next quote (the cache follows the version)."""
    header = "toc_id,mode,co2e_intensity_wtw,co2e_intensity_ttw"
    quote = json.dumps(
        [
            {
                "shipment_id": "Q",
                "tce_id": "q",
                "kind": "transport",
                "mass_kg": 1000,
                "toc_id": "my.truck",
                "distance_km": 100,
            }
        ]
    )
    for intensity in (0.05, 0.07):  # kg CO2e per tkm: 100 tkm -> 5 kg, then 7 kg
        tocs = csv(f"my.truck,road,{intensity},{intensity / 2}", header=header)
        put = world.client.put(
            "/v1/factors/tocs",
            content=tocs,
            headers=world.as_("acme") | {"Content-Type": "text/csv"},
        )
        assert put.status_code == 200, put.text
        answer = world.client.post(
            "/v1/quote",
            content=quote,
            headers=world.as_("acme") | {"Content-Type": "application/json"},
        )
        assert answer.json()["totals"]["co2e_wtw_kg"] == pytest.approx(100 * intensity)


def test_ileap_and_parquet_uploads(world: World) -> None:
    """Batches in iLEAP JSON and in Parquet are accepted like CSV."""
    data = Path(__file__).parent.parent / "data"
    for table in ("tocs", "hocs"):
        put = world.client.put(
            f"/v1/factors/{table}",
            content=(data / f"{table}_ileap.csv").read_bytes(),
            headers=world.as_("acme") | {"Content-Type": "text/csv"},
        )
        assert put.status_code == 200, put.text
    ileap = (data / "ileap_shipments.json").read_bytes()
    answer = upload(world, "acme", ileap, key="ileap", kind="application/json")
    assert answer.status_code == 201, answer.text
    shipments = {
        s["shipment_id"]
        for s in world.client.get("/v1/shipments", headers=world.as_("acme")).json()
    }
    assert {"shipment-simple-1", "pre-and-post-legs-1"} <= shipments
    frame = pl.read_csv(BATCH)
    parquet = io.BytesIO()
    frame.filter(pl.col("kind") == "transport").write_parquet(parquet)
    answer = upload(
        world, "acme", parquet.getvalue(), key="pq", kind="application/vnd.apache.parquet"
    )
    assert answer.status_code == 201 and answer.json()["stored"] == 1, answer.text


def test_ready_is_503_without_a_database_and_says_no_more(tmp_path: Path) -> None:
    """Without a database readiness is 503 and does not leak the error."""
    from fastapi.testclient import TestClient

    from greenlane.service.app import create_app

    missing = tmp_path / "no-such-folder" / "greenlane.db"
    with TestClient(create_app(f"sqlite:///{missing}")) as client:
        answer = client.get("/v1/ready")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "detail": "database unavailable"}


def test_a_stored_batch_is_logged_with_its_counts(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Ingest says who stored which batch and how many TCEs."""
    caplog.set_level(logging.INFO, logger="greenlane")
    headers = world.as_("acme") | {"Content-Type": "text/csv", "Idempotency-Key": "log"}
    body = csv(f"S,t1,transport,1000,{ROAD},10")
    assert world.client.post("/v1/batches", content=body, headers=headers).status_code == 201
    (record,) = [r for r in caplog.records if r.getMessage() == "batch stored"]
    assert record.organization == "acme" and record.stored == 1  # type: ignore[attr-defined]


def test_the_home_address_leads_to_the_dashboard_and_assets_are_compressed_and_cached(
    world: World,
) -> None:
    """/ redirects to /dashboard; Plotly.js comes gzipped (a fraction of 4.8 MB) with caching."""
    home = world.client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/dashboard"
    js = world.client.get("/dashboard/assets/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert js.status_code == 200 and js.headers["content-encoding"] == "gzip"
    assert "max-age" in js.headers["cache-control"]
    assert js.num_bytes_downloaded < len(js.content) / 2  # sent compressed
