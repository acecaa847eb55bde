"""A real database for every service test: a SQLite file, and a fresh PostgreSQL database.

The PostgreSQL tests use the server on 127.0.0.1:5432 (``GREENLANE_TEST_POSTGRES`` overrides
the server URL); each test session creates its own database and drops it at the end.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from greenlane.service.app import Limits, create_app
from greenlane.store import connect, upgrade
from greenlane.store.access import Caller, create_organization, issue_key
from greenlane.store.parcels import register_prefix
from greenlane.store.policy import grant
from greenlane.store.tables import Role, metadata

SERVER = os.environ.get("GREENLANE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
ORGS = {
    "net": "operator",
    "acme": "shipper",
    "globex": "shipper",
    "haul": "carrier",
    "trucks": "carrier",
    "audit": "auditor",
}
GRANTS = {("globex", "haul"), ("globex", "audit")}  # trucks carries for nobody
PREFIXES = {"acme": "0614141", "globex": "0614142", "net": "0614143", "haul": "0614144"}


@contextmanager
def new_database(prefix: str = "greenlane_test") -> Iterator[str]:
    """The URL of a new, migrated PostgreSQL database, dropped on the way out."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = sa.make_url(SERVER).set(drivername="postgresql+psycopg", database=name)
    rendered = url.render_as_string(hide_password=False)
    try:
        upgrade(rendered)
        yield rendered
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new, migrated PostgreSQL database for this test session."""
    with new_database() as url:
        yield url


DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind."""
    return empty_database(request, tmp_path)


def empty_database(request: pytest.FixtureRequest, folder: Path) -> str:
    """The URL of a migrated, empty database of the kind ``request.param`` names.

    SQLite: a new file in ``folder``; PostgreSQL: the test session's database, emptied.
    """
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'greenlane.db'}"
        upgrade(url)
        return url
    url: str = request.getfixturevalue("postgres_url")
    engine = connect(url)
    with engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))
    engine.dispose()
    return url


@dataclass
class World:
    """A service with six organizations (two shippers, two carriers) and their keys."""

    client: TestClient
    engine: sa.Engine
    keys: dict[str, str]
    url: str

    def close(self) -> None:
        """End the app (its engine too) and dispose the test's own engine."""
        self.client.__exit__(None, None, None)
        self.engine.dispose()

    def as_(self, org: str) -> dict[str, str]:
        """Headers that authenticate as ``org``."""
        return {"Authorization": f"Bearer {self.keys[org]}"}


def make_world(url: str, limits: Limits | None = None) -> World:
    """Organizations, keys and a test client on the database at ``url``."""
    engine = connect(url)
    keys = {}
    for org, role in ORGS.items():
        create_organization(engine, org, org.title(), role)
        keys[org] = issue_key(engine, org, "test")[1]
    operator = Caller("net", Role.OPERATOR, "test")
    for shipper, grantee in sorted(GRANTS):
        grant(engine, operator, shipper, grantee)
    for org, prefix in PREFIXES.items():
        register_prefix(engine, org, prefix)
    client = TestClient(create_app(url, limits))
    client.__enter__()  # runs the app's lifespan; close() ends it and disposes its engine
    return World(client, engine, keys, url)


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    """The five-organization world on each database."""
    w = make_world(db_url)
    yield w
    w.close()


def csv(*rows: str, header: str = "shipment_id,tce_id,kind,mass_kg,toc_id,distance_km") -> bytes:
    """A CSV body from a header and rows."""
    return ("\n".join([header, *rows]) + "\n").encode()


ROAD = "road.eu.artic_le40t.diesel.average"


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    """A real uvicorn server on ``url``'s database, once it answers ready."""
    env = os.environ | {"GREENLANE_DATABASE_URL": url}
    command = [sys.executable, "-m", "uvicorn", "greenlane.service.main:app", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}")
    except AssertionError:
        server.kill()
        raise
    return server


def wait_ready(base: str) -> None:
    """Return once the server at ``base`` answers ready; AssertionError after 10 s."""
    for _ in range(200):
        try:
            if httpx2.get(f"{base}/v1/ready", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.05)
    raise AssertionError("the server did not start")
