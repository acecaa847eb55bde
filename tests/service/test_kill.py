"""Atomicity under SIGKILL, with a real server process and a real database.

The server is killed while it writes a batch; nothing of the batch is left behind, and the
same upload then succeeds in full.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx2
import sqlalchemy as sa

from greenlane.store import connect
from greenlane.store.access import create_organization, issue_key
from tests.service.conftest import ROAD, csv, free_port, start_server

ROWS = 300_000


def _counts(engine: sa.Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("batches", "tces", "rollups")
        )


def _writing_postgres(engine: sa.Engine) -> Callable[[], bool]:
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND query LIKE 'COPY tces (%' "
        "AND state = 'active'"
    )

    def writing() -> bool:
        with engine.connect() as conn:
            return bool(conn.execute(query).scalar_one())

    return writing


def _writing_sqlite(url: str) -> Callable[[], bool]:
    wal = Path(sa.make_url(url).database + "-wal")  # type: ignore[operator]
    return lambda: wal.exists() and wal.stat().st_size > 1_000_000


def test_sigkill_mid_batch_leaves_nothing_and_the_retry_succeeds(db_url: str) -> None:
    """A server killed mid-batch leaves nothing, and the retry stores everything."""
    engine = connect(db_url)
    create_organization(engine, "acme", "Acme", "shipper")
    key = issue_key(engine, "acme")[1]
    body = csv(*(f"S{i // 4},t{i},transport,1000,{ROAD},{100 + i % 500}" for i in range(ROWS)))
    headers = {"X-API-Key": key, "Idempotency-Key": "big", "Content-Type": "text/csv"}
    writing = (
        _writing_postgres(engine) if db_url.startswith("postgresql") else _writing_sqlite(db_url)
    )
    port = free_port()
    server = start_server(db_url, port)
    answers: list[object] = []

    def send() -> None:
        try:
            answers.append(
                httpx2.post(
                    f"http://127.0.0.1:{port}/v1/batches",
                    content=body,
                    headers=headers,
                    timeout=120,
                )
            )
        except httpx2.TransportError as e:
            answers.append(e)

    sender = threading.Thread(target=send)
    sender.start()
    deadline = time.monotonic() + 60
    while not writing() and time.monotonic() < deadline and not answers:
        time.sleep(0.005)
    caught = writing()
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    sender.join()
    assert caught, "the server finished (or never began) writing before it could be killed"
    assert isinstance(answers[0], httpx2.TransportError)
    assert _counts(engine) == (0, 0, 0)
    server = start_server(db_url, port)
    try:
        retry = httpx2.post(
            f"http://127.0.0.1:{port}/v1/batches", content=body, headers=headers, timeout=120
        )
    finally:
        server.kill()
        server.wait()
    assert retry.status_code == 201, retry.text
    assert retry.json()["stored"] == ROWS
    batches, stored, rollups = _counts(engine)
    assert (batches, stored) == (1, ROWS) and rollups > 0
    engine.dispose()
