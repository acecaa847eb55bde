"""``greenlane serve --workers 2`` on a busy machine: every worker ready within the health check.

A worker that imports the app too slowly misses the supervisor's health check and is killed
and restarted in a loop. Here both cores are kept busy by other processes (as when the test
suite runs beside the service), and the workers must pass uvicorn's own default window (5 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx2

from tests.service.conftest import free_port

UVICORN_DEFAULT_HEALTHCHECK_S = 5


def _busy_cores(n: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def test_two_workers_start_within_the_default_health_check_on_a_busy_machine(
    tmp_path: Path,
) -> None:
    """Both workers start once (none killed for missing its check); the API answers."""
    port, log = free_port(), tmp_path / "serve.log"
    env = os.environ | {"GREENLANE_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"}
    window = str(UVICORN_DEFAULT_HEALTHCHECK_S)
    command = [sys.executable, "-m", "greenlane.cli.main", "serve", "--port", str(port),
               "--workers", "2", "--healthcheck-timeout", window]  # fmt: skip
    hogs = _busy_cores(2)
    try:
        with log.open("wb") as out:
            server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                started = _both_started(log, deadline=time.monotonic() + 60)
                time.sleep(2 * UVICORN_DEFAULT_HEALTHCHECK_S)  # a missed check shows by now
                answer = httpx2.get(f"http://127.0.0.1:{port}/v1/health", timeout=10)
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    text = log.read_text()
    assert started, text
    assert answer.status_code == 200
    assert "died" not in text and "not ready in time" not in text, text
    assert text.count("Application startup complete") == 2, text


def _both_started(log: Path, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if log.read_text().count("Application startup complete") >= 2:
            return True
        time.sleep(0.2)
    return False
