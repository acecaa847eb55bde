"""The tenant matrix: every route x every relation to globex's records, on both databases.

Globex (a shipper) owns the records every request names. Its relations: ``haul`` is a carrier
it granted, ``audit`` an auditor it granted, ``trucks`` a carrier and ``acme`` a shipper with
no link to it, ``net`` the operator, ``anon`` presents no key. Each case states the status
every relation gets; an unrelated organization's answers never carry globex's name. The
routes come from the OpenAPI document and the dashboard's routers: a route without a case
fails the test.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from greenlane.service.web import pages
from greenlane.store.access import Caller, create_organization, issue_key
from greenlane.store.policy import grant
from greenlane.store.tables import Role
from tests.service.conftest import DATABASES, ROAD, World, empty_database, make_world
from tests.service.test_parcels_api import plan_body
from tests.service.test_relief_api import relief_body
from tests.service.test_routing_api import body as route_body
from tests.traceability.world import HOME, START, document, grai, observe

RELATIONS = ("globex", "haul", "audit", "trucks", "acme", "net", "anon")
STRANGERS = ("trucks", "acme")
OPERATOR = Caller("net", Role.OPERATOR, "test")
CARRIED = "shipper_id,shipment_id,tce_id,kind,mass_kg,toc_id,distance_km"
GLOBEX_EPC = grai(987_654)
PACKING = {
    "orders": [
        {
            "order_id": "GLOBEX-ORD",
            "items": [
                {"item_id": "mug", "length_cm": 12.0, "width_cm": 9.0, "height_cm": 10.0,
                 "weight_kg": 0.4, "quantity": 2},
            ],
        }
    ],
    "cartons": [
        {"carton_id": "M", "length_cm": 30.0, "width_cm": 20.0, "height_cm": 15.0,
         "max_weight_kg": 20.0, "board_kg": 0.25},
    ],
}  # fmt: skip
ONE_ORDER = PACKING["orders"][0] | {"cartons": PACKING["cartons"]}  # type: ignore[operator]
LEDGER = [
    {"site": "park", "period_start": "2025-01-01", "period_end": "2025-12-31",
     "metric": "fuel.diesel", "quantity": 1000, "unit": "l", "source": "fuel cards"},
]  # fmt: skip
ESG_TARGET = {
    "kpi_id": "scope1_t", "kind": "absolute", "scope": "Scope 1", "base_year": "FY2024",
    "base_value": 4.0, "target_year": "FY2030", "target_value": 1.0, "trajectory": "aca",
}  # fmt: skip
TARGET = {
    "metric": "intensity_wtw_g_per_tkm", "base_year": 2025, "base_value": 900.0,
    "target_year": 2030, "target_value": 450.0,
}  # fmt: skip
KITS = {
    "reads": [{"kit_id": "K1", "kit_type": "hygiene", "epc": "e1", "item": "soap"}],
    "boms": {"hygiene": {"soap": 1}},
}


@dataclass
class Matrix:
    """The world, its clients (API and a signed-in dashboard per organization) and ids."""

    world: World
    ids: dict[str, str] = field(default_factory=dict)
    browsers: dict[str, TestClient] = field(default_factory=dict)

    def headers(self, org: str) -> dict[str, str]:
        """The API key headers of ``org`` (none for anon)."""
        return {} if org == "anon" else self.world.as_(org)


@dataclass(frozen=True)
class Case:
    """One route: how to call it for an organization, and what each relation gets."""

    method: str
    path: str
    expect: dict[str, int | set[int]]
    call: Callable[[Matrix, str], httpx2.Response]
    leaks: bool = True  # strangers' answers must not name globex


def by(
    own: int | set[int],
    carrier: int | set[int] | None = None,
    auditor: int | set[int] | None = None,
    stranger: int | set[int] | None = None,
    operator: int | set[int] | None = None,
    anon: int | set[int] = 401,
) -> dict[str, int | set[int]]:
    """Statuses by relation; an unnamed relation gets what the owner gets."""
    same = {"haul": carrier, "audit": auditor, "trucks": stranger, "acme": stranger}
    found = {org: own if status is None else status for org, status in same.items()}
    return found | {"globex": own, "net": own if operator is None else operator, "anon": anon}


def api(
    method: str, path: str, headers: Any = None, **options: Any
) -> Callable[[Matrix, str], httpx2.Response]:
    """A call of the API as the organization; ``{name}`` in the path takes a seeded id.

    A callable option (or ``headers``) is called with the matrix and the organization.
    """

    def call(m: Matrix, org: str) -> httpx2.Response:
        extra = headers(m, org) if callable(headers) else headers or {}
        values = {k: v(m, org) if callable(v) else v for k, v in options.items()}
        url = path.format(**m.ids)
        return m.world.client.request(method, url, headers=m.headers(org) | extra, **values)

    return call


def page(method: str, path: str, **kwargs: Any) -> Callable[[Matrix, str], httpx2.Response]:
    """A dashboard request from the organization's signed-in browser (anon: signed out)."""

    def call(m: Matrix, org: str) -> httpx2.Response:
        options = {k: v(m, org) if callable(v) else v for k, v in kwargs.items()}
        url = path.format(**m.ids)
        return m.browsers[org].request(method, url, follow_redirects=False, **options)

    return call


def _batch(_: Matrix, org: str) -> bytes:
    return f"{CARRIED}\nglobex,GLOBEX-M,m-{org},transport,1000,{ROAD},10\n".encode()


def _spare_key(m: Matrix, org: str) -> httpx2.Response:
    key_id, _ = issue_key(m.world.engine, "globex", "spare")
    return m.world.client.delete(f"/v1/keys/{key_id}", headers=m.headers(org))


def _spare_grant(m: Matrix, org: str) -> httpx2.Response:
    grant(m.world.engine, OPERATOR, "globex", "spare")
    path = "/v1/grants/spare?shipper_id=globex"
    return m.world.client.delete(path, headers=m.headers(org))


CSV = {"Content-Type": "text/csv"}
WRITER = by(own=200, auditor=403)
READER = by(own=200)
ONLY_OWN = by(own=200, carrier=404, auditor=404, stranger=404, operator=404)
CASES = [
    Case("GET", "/v1/health", by(own=200, anon=200), api("GET", "/v1/health")),
    Case("GET", "/v1/ready", by(own=200, anon=200), api("GET", "/v1/ready")),
    Case(
        "POST", "/v1/batches", by(own=201, auditor=403, stranger=404),
        api("POST", "/v1/batches", content=_batch,
            headers=lambda _, org: CSV | {"Idempotency-Key": f"m-{org}"}),
    ),
    Case("POST", "/v1/quote", READER,
         api("POST", "/v1/quote", content=_batch, headers=CSV)),
    Case("GET", "/v1/shipments", READER, api("GET", "/v1/shipments")),
    Case("GET", "/v1/shipments/{shipper_id}/{shipment_id}", by(own=200, stranger=404),
         api("GET", "/v1/shipments/globex/GLOBEX-C1")),
    Case("GET", "/v1/emissions/summary", READER,
         api("GET", "/v1/emissions/summary?group_by=shipper")),
    Case("GET", "/v1/reports/iso14083", by(own=200, stranger=404),
         api("GET", "/v1/reports/iso14083")),
    Case("GET", "/v1/exports/ileap", READER, api("GET", "/v1/exports/ileap")),
    Case("PUT", "/v1/factors/{table}", WRITER,
         api("PUT", "/v1/factors/tocs", headers=CSV,
             content=b"toc_id,mode,source,quantity,unit,region,transport_activity_tkm\n"
             b"t,road,diesel,1,l,EU,1\n")),
    Case("GET", "/v1/targets", READER, api("GET", "/v1/targets")),
    Case("PUT", "/v1/targets/{target_id}", WRITER, api("PUT", "/v1/targets/t", json=TARGET)),
    Case("POST", "/v1/packing/plan", READER,
         api("POST", "/v1/packing/plan", json=ONE_ORDER)),
    Case("POST", "/v1/packing/plans", WRITER,
         api("POST", "/v1/packing/plans?store=true", json=PACKING)),
    Case("POST", "/v1/parcels/plan", by(own=200, auditor=403, carrier=422, stranger=422,
                                        operator=422),
         api("POST", "/v1/parcels/plan?store=true",
             json=plan_body(plan_id="GLOBEX-P2", company_prefix="0614142", first_serial=500))),
    Case("GET", "/v1/waybills/{sscc}", ONLY_OWN, api("GET", "/v1/waybills/{sscc}")),
    Case("GET", "/v1/waybills/{sscc}/label", ONLY_OWN, api("GET", "/v1/waybills/{sscc}/label")),
    Case("POST", "/v1/tracking/events",
         by(own=200, auditor=403, carrier=422, stranger=422, operator=422),
         api("POST", "/v1/tracking/events", json=lambda m, _: {"events": [
             {"waybill": m.ids["sscc"], "status": "at_hub", "at": "2026-11-12T08:00:00Z",
              "place": "LGG"}]})),
    Case("GET", "/v1/public/tracking/{sscc}", by(own=200, anon=200), api(
        "GET", "/v1/public/tracking/{sscc}?t={token}"), leaks=False),
    Case("POST", "/v1/routes/plan", WRITER,
         api("POST", "/v1/routes/plan?store=true", json=route_body(plan_id="own-plan"))),
    Case("POST", "/v1/relief/plan", WRITER,
         api("POST", "/v1/relief/plan?store=true", json=relief_body())),
    Case("POST", "/v1/relief/verify-kits", WRITER,
         api("POST", "/v1/relief/verify-kits?store=true", json=KITS)),
    Case("GET", "/v1/public/relief/{organization_id}/{event_id}", by(own=200, anon=200),
         api("GET", "/v1/public/relief/globex/quake"), leaks=False),
    Case("POST", "/v1/esg/ledger", WRITER, api("POST", "/v1/esg/ledger", json={"rows": LEDGER})),
    Case("GET", "/v1/esg/kpis", READER, api("GET", "/v1/esg/kpis?year=FY2025")),
    Case("PUT", "/v1/esg/targets/{target_id}", WRITER,
         api("PUT", "/v1/esg/targets/s1", json=ESG_TARGET)),
    Case("GET", "/v1/esg/targets", READER, api("GET", "/v1/esg/targets?year=FY2025")),
    Case("POST", "/epcis/capture", by(own=202, auditor=403),
         api("POST", "/epcis/capture",
             json=document([observe(1, START, "shipping", HOME)]))),
    Case("GET", "/epcis/capture/{capture_id}", ONLY_OWN, api("GET", "/epcis/capture/{capture}")),
    Case("GET", "/epcis/events", READER, api("GET", f"/epcis/events?MATCH_anyEPC={GLOBEX_EPC}")),
    Case("POST", "/v1/containers/report", WRITER,
         api("POST", "/v1/containers/report?as_of=2026-03-25T00:00:00Z")),
    Case("GET", "/v1/containers/report", by(own=200, carrier={200, 404}, auditor={200, 404},
                                            stranger={200, 404}, operator={200, 404}),
         api("GET", "/v1/containers/report")),
    Case("POST", "/v1/organizations", by(own=403, operator=201),
         api("POST", "/v1/organizations",
             json=lambda _, org: {"id": f"new-{org}", "name": "New", "role": "shipper"})),
    Case("POST", "/v1/keys", by(own=403, operator=201),
         api("POST", "/v1/keys", json={"organization_id": "globex"}), leaks=False),
    Case("GET", "/v1/keys", by(own=403, operator=200), api("GET", "/v1/keys"), leaks=False),
    Case("DELETE", "/v1/keys/{key_id}", by(own=403, operator=204), _spare_key),
    Case("POST", "/v1/grants", by(own={200, 201}, stranger=404, carrier=404, auditor=404),
         api("POST", "/v1/grants", json={"grantee_id": "spare", "shipper_id": "globex"})),
    Case("GET", "/v1/grants", READER, api("GET", "/v1/grants")),
    Case("DELETE", "/v1/grants/{grantee_id}", by(own=204, stranger=404, carrier=404,
                                                 auditor=404), _spare_grant),
    Case("POST", "/v1/prefixes", by(own=403, operator={200, 201}),
         api("POST", "/v1/prefixes", json={"prefix": "0614199", "organization_id": "globex"}),
         leaks=False),
    Case("GET", "/v1/prefixes", READER, api("GET", "/v1/prefixes")),
    # the dashboard: anon is a browser that is not signed in
    Case("GET", "/dashboard", by(own=200, anon=303), page("GET", "/dashboard")),
    Case("GET", "/dashboard/shipments", by(own=200, anon=303), page("GET", "/dashboard/shipments")),
    Case("GET", "/dashboard/shipments/{shipper_id}/{shipment_id}",
         by(own=200, stranger=404, anon=303),
         page("GET", "/dashboard/shipments/globex/GLOBEX-C1")),
    Case("GET", "/dashboard/packing", by(own=200, carrier=404, stranger=404, anon=303),
         page("GET", "/dashboard/packing?organization=globex&order=GLOBEX-ORD")),
    Case("GET", "/dashboard/esg", by(own=200, anon=303), page("GET", "/dashboard/esg")),
    # workbooks: compressed, so their contents are checked in tests/web (owner only)
    Case("GET", "/dashboard/esg.xlsx", by(own=200, anon=303), page("GET", "/dashboard/esg.xlsx")),
    Case("GET", "/dashboard/downloads/{name}", by(own=200, anon=303),
         page("GET", "/dashboard/downloads/tables.xlsx")),
    # the caller's own TCE table: a stranger's is empty (its header), never globex's rows
    Case("GET", "/dashboard/downloads/{name}", by(own=200, anon=303),
         page("GET", "/dashboard/downloads/tces.csv")),
    Case("GET", "/dashboard/downloads/{name}", by(own=200, stranger=404, anon=303),
         page("GET", "/dashboard/downloads/report.html")),
    Case("GET", "/dashboard/sign-in", by(own=200, anon=200), page("GET", "/dashboard/sign-in")),
    Case("POST", "/dashboard/sign-in", by(own=403, anon=403),
         page("POST", "/dashboard/sign-in", data={"api_key": "x", "csrf": "forged"})),
    Case("POST", "/dashboard/sign-out", by(own=303, anon=303),
         page("POST", "/dashboard/sign-out", data={"csrf": "forged"})),
    Case("GET", "/dashboard/assets/plotly.min.js", by(own=200, anon=200),
         page("GET", "/dashboard/assets/plotly.min.js"), leaks=False),
    Case("GET", "/dashboard/assets/charts.js", by(own=200, anon=200),
         page("GET", "/dashboard/assets/charts.js"), leaks=False),
    Case("GET", "/dashboard/assets/local-time.js", by(own=200, anon=200),
         page("GET", "/dashboard/assets/local-time.js"), leaks=False),
    Case("GET", "/dashboard/assets/topojson/world_110m.json", by(own=200, anon=200),
         page("GET", "/dashboard/assets/topojson/world_110m.json"), leaks=False),
    Case("GET", "/track/{sscc}", by(own=200, anon=200), page("GET", "/track/{sscc}?t={token}"),
         leaks=False),
]  # fmt: skip


def _routes(client: TestClient) -> set[tuple[str, str]]:
    """Every (method, path) the app serves: the OpenAPI document's and the dashboard's."""
    spec = client.get("/openapi.json").json()
    served = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    for route in [*pages.router.routes, *pages.public.routes]:
        served |= {(m, route.path) for m in route.methods or () if m != "HEAD"}  # type: ignore[attr-defined]
    return served


@pytest.fixture(scope="module", params=DATABASES)
def matrix(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matrix]:
    """Globex's records, stored by globex and by the carrier it granted, on each database."""
    world = make_world(empty_database(request, tmp_path_factory.mktemp("matrix")))
    m = Matrix(world)
    _seed(m)
    for org in RELATIONS:
        m.browsers[org] = _browser(m, org)
    yield m
    for browser in m.browsers.values():
        browser.close()
    world.close()


def _seed(m: Matrix) -> None:
    """Globex's shipments, plans, waybill, ledger, capture; a spare carrier to grant."""
    create_organization(m.world.engine, "spare", "Spare", "carrier")
    client, own = m.world.client, m.world.as_("globex")
    upload = CSV | {"Idempotency-Key": "g"}
    body = f"{CARRIED}\nglobex,GLOBEX-G1,g1,transport,2000,{ROAD},100\n".encode()
    assert client.post("/v1/batches", content=body, headers=own | upload).status_code == 201
    body = f"{CARRIED}\nglobex,GLOBEX-C1,c1,transport,3000,{ROAD},100\n".encode()
    carried = m.world.as_("haul") | upload
    assert client.post("/v1/batches", content=body, headers=carried).status_code == 201
    plan = client.post(
        "/v1/parcels/plan?store=true",
        json=plan_body(plan_id="GLOBEX-P1", company_prefix="0614142"),
        headers=own,
    )
    assert plan.status_code == 200, plan.text
    m.ids["sscc"] = plan.json()["parcels"][0]["sscc"]
    m.ids["token"] = client.get(f"/v1/waybills/{m.ids['sscc']}", headers=own).json()[
        "tracking_token"
    ]
    for path, payload in (
        ("/v1/packing/plans?store=true", PACKING),
        ("/v1/relief/plan?store=true", relief_body()),
        ("/v1/routes/plan?store=true", route_body(plan_id="GLOBEX-R1")),
    ):
        assert client.post(path, json=payload, headers=own).status_code == 200
    captured = client.post(
        "/epcis/capture",
        json=document([observe(987_654, START, "shipping", HOME)]),
        headers=own,
    )
    assert captured.status_code == 202, captured.text
    m.ids["capture"] = captured.json()["captureID"]
    made = client.post("/v1/containers/report?as_of=2026-03-25T00:00:00Z", headers=own)
    assert made.status_code == 200, made.text


def _browser(m: Matrix, org: str) -> TestClient:
    """A browser of the app, signed in through the form as ``org`` (anon stays signed out)."""
    browser = TestClient(m.world.client.app, base_url="https://testserver")
    form = browser.get("/dashboard/sign-in").text
    token = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    if org != "anon":
        signed = browser.post(
            "/dashboard/sign-in",
            data={"api_key": m.world.keys[org], "csrf": token},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        home = browser.get("/dashboard/shipments").text
        m.ids[f"csrf-{org}"] = home.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return browser


def test_every_route_has_a_case(matrix: Matrix) -> None:
    """A route added without its row in the matrix fails here."""
    covered = {(c.method, c.path) for c in CASES}
    assert _routes(matrix.world.client) - covered == set()
    assert covered - _routes(matrix.world.client) == set()


@pytest.mark.parametrize(
    ("case", "org"),
    list(itertools.product(CASES, RELATIONS)),
    ids=[f"{c.method} {c.path} as {o}" for c, o in itertools.product(CASES, RELATIONS)],
)
def test_the_matrix(matrix: Matrix, case: Case, org: str) -> None:
    """Each relation gets its stated status; strangers' answers never name globex."""
    answer = case.call(matrix, org)
    expected = case.expect[org]
    allowed = expected if isinstance(expected, set) else {expected}
    assert answer.status_code in allowed, (answer.status_code, answer.text[:300])
    if case.leaks and org in STRANGERS and case.method == "GET":
        assert "globex" not in answer.text.lower()
