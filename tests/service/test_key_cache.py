"""API keys verified a moment ago are trusted without a lookup.

Never past a revocation made through this process, an expiry, or the cache's few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from greenlane.service.app import create_app
from greenlane.settings import Settings
from greenlane.store import connect, upgrade
from greenlane.store.access import Caller, create_organization, issue_key, revoke_key
from greenlane.store.key_cache import KeyCache
from greenlane.store.tables import Role

ACME = Caller("acme", Role.SHIPPER, "k1")


def test_a_hit_needs_the_same_secret_and_a_live_entry() -> None:
    """Another secret under the same id, a lapsed entry or a forgotten one: looked up again."""
    cache = KeyCache(0.2)
    cache.put("k1", "digest", ACME, None)
    assert cache.get("k1", "digest") == ACME
    assert cache.get("k1", "other digest") is None
    cache.forget(organization_id="acme")
    assert cache.get("k1", "digest") is None
    cache.put("k1", "digest", ACME, None)
    time.sleep(0.25)
    assert cache.get("k1", "digest") is None
    off = KeyCache(0)
    off.put("k1", "digest", ACME, None)
    assert off.get("k1", "digest") is None


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[TestClient, sa.Engine, str, list[str]]]:
    """A service trusting keys for 1 s, a shipper's key, and the SQL it runs against keys."""
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    engine = connect(url)
    create_organization(engine, "acme", "Acme", "shipper")
    key = issue_key(engine, "acme", "test", timedelta(days=1))[1]
    app = create_app(url, current=Settings(database_url=url, auth_cache_seconds=1.0))
    statements: list[str] = []
    with TestClient(app) as client:
        sa.event.listen(
            app.state.engine, "before_cursor_execute",
            lambda _c, _cur, sql, *_: statements.append(sql),
        )  # fmt: skip
        yield client, engine, key, statements
    engine.dispose()


def test_a_verified_key_is_looked_up_once(
    service: tuple[TestClient, sa.Engine, str, list[str]],
) -> None:
    """Twenty requests with the same key cost one lookup."""
    client, _, key, statements = service
    for _ in range(20):
        assert client.get("/v1/shipments", headers={"X-API-Key": key}).status_code == 200
    assert sum("FROM api_keys" in sql for sql in statements) == 1


def test_a_revocation_here_counts_at_once_and_elsewhere_within_the_window(
    service: tuple[TestClient, sa.Engine, str, list[str]],
) -> None:
    """Revoked by another process: trusted until the entry lapses (1 s here), then refused."""
    client, engine, key, _ = service
    headers = {"X-API-Key": key}
    assert client.get("/v1/shipments", headers=headers).status_code == 200
    assert revoke_key(engine, _key_id(key))  # as `greenlane key revoke` would, elsewhere
    assert client.get("/v1/shipments", headers=headers).status_code == 200  # still trusted
    time.sleep(1.1)
    assert client.get("/v1/shipments", headers=headers).status_code == 401


def test_a_key_revoked_through_the_service_stops_at_once(
    service: tuple[TestClient, sa.Engine, str, list[str]],
) -> None:
    """The operator revokes a key through the API: its very next request is refused."""
    client, engine, key, _ = service
    create_organization(engine, "net", "Network", "operator")
    operator = {"X-API-Key": issue_key(engine, "net", "ops")[1]}
    assert client.get("/v1/shipments", headers={"X-API-Key": key}).status_code == 200
    assert client.delete(f"/v1/keys/{_key_id(key)}", headers=operator).status_code == 204
    assert client.get("/v1/shipments", headers={"X-API-Key": key}).status_code == 401


def _key_id(key: str) -> str:
    return key.split("_")[1]
