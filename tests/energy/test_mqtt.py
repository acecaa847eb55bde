"""Telemetry through the real Mosquitto on 127.0.0.1:1883, broker restart included."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
import sqlalchemy as sa

from greenlane.app.telemetry import Tally, listen, publish
from greenlane.energy.meters import day_of_readings
from greenlane.store import connect, upgrade
from greenlane.store.tables import telemetry, telemetry_rejects

BROKER = "mqtt://127.0.0.1:1883"
DEVICES = {
    ("hz", "meter1"): "import_meter",
    ("hz", "inv1"): "pv_inverter",
    ("hz", "bat1"): "battery",
    ("hz", "ch1"): "charger",
    ("hz", "exp1"): "export_meter",
}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    upgrade(url)
    yield connect(url)


def forget(client_id: str) -> None:
    """End a persistent session on the broker (tests should not leave queues behind)."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    client.connect("127.0.0.1", 1883)
    client.disconnect()


def in_thread(
    engine: sa.Engine, client_id: str, idle_s: float
) -> tuple[threading.Thread, dict[str, Tally]]:
    result: dict[str, Tally] = {}
    thread = threading.Thread(
        target=lambda: result.update(
            tally=listen(BROKER, DEVICES, engine, client_id=client_id, idle_s=idle_s)
        )
    )
    thread.start()
    time.sleep(0.5)
    return thread, result


def broker_up() -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", 1883)) == 0


def restart_broker() -> None:
    """Stop Mosquitto (it saves its persistent sessions) and start it again the same way."""
    pid = int(subprocess.check_output(["pgrep", "-o", "mosquitto"]).split()[0])
    command = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not broker_up():
            break
        time.sleep(0.05)
    subprocess.run(command, check=True)
    for _ in range(100):
        if broker_up():
            return
        time.sleep(0.05)
    raise AssertionError("Mosquitto did not come back")


def stored_rows(engine: sa.Engine, expected: int, timeout_s: float = 60.0) -> int:
    """The telemetry rows once ``expected`` are stored, or however many there are at the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        with engine.connect() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(telemetry)).scalar_one()
        if stored >= expected or time.monotonic() > deadline:
            return int(stored)
        time.sleep(0.2)


def test_every_reading_is_stored_exactly_once_across_a_broker_restart(engine: sa.Engine) -> None:
    """Four days of readings, the broker restarted halfway: 1,920 rows, none twice.

    Two days are published after the restart, while the listener is still reconnecting: the
    broker queues them for its persistent session. Mosquitto holds at most 1,000 messages a
    session by default (``max_queued_messages``; docs/energy.md), so the test waits for the
    first two days to be stored before the restart (on a slow machine the listener could still
    be behind), and for the next two before a device sends a day again.
    """
    listener, publisher = f"test-listen-{uuid.uuid4().hex[:8]}", f"test-pub-{uuid.uuid4().hex[:8]}"
    thread, result = in_thread(engine, listener, idle_s=4.0)
    days = [day_of_readings("hz", DEVICES, datetime(2026, 6, d)) for d in (1, 2, 3, 4)]
    try:
        publish(BROKER, days[0] + days[1], client_id=publisher)
        assert stored_rows(engine, 2 * 480) == 2 * 480
        restart_broker()
        publish(BROKER, days[2] + days[3], client_id=publisher)
        assert stored_rows(engine, 4 * 480) == 4 * 480
        publish(BROKER, days[1], client_id=publisher)  # a device sends a day again
        thread.join(timeout=60)
    finally:
        forget(listener)
        forget(publisher)
    assert stored_rows(engine, 4 * 480, timeout_s=0) == 4 * 480
    assert result["tally"].reconnects >= 1 and result["tally"].received >= 5 * 480


def test_bad_readings_are_kept_aside_with_their_reason(engine: sa.Engine) -> None:
    """Wrong unit, future time, negative import, unknown device: four rejects, one reading."""
    listener, publisher = f"test-listen-{uuid.uuid4().hex[:8]}", f"test-pub-{uuid.uuid4().hex[:8]}"
    thread, _ = in_thread(engine, listener, idle_s=2.0)
    messages = [
        (
            "greenlane/hz/meter1/energy_import",
            {"ts": "2026-06-01T00:00:00Z", "value": 5.0, "unit": "kWh"},
        ),
        (
            "greenlane/hz/meter1/energy_import",
            {"ts": "2026-06-01T00:15:00Z", "value": 5.0, "unit": "Wh"},
        ),
        (
            "greenlane/hz/meter1/energy_import",
            {"ts": "2099-01-01T00:00:00Z", "value": 5.0, "unit": "kWh"},
        ),
        (
            "greenlane/hz/meter1/energy_import",
            {"ts": "2026-06-01T00:30:00Z", "value": -1.0, "unit": "kWh"},
        ),
        (
            "greenlane/hz/ghost/energy_import",
            {"ts": "2026-06-01T00:00:00Z", "value": 1.0, "unit": "kWh"},
        ),
    ]
    try:
        publish(BROKER, messages, client_id=publisher)
        thread.join(timeout=30)
    finally:
        forget(listener)
        forget(publisher)
    with engine.connect() as conn:
        reasons = sorted(conn.execute(sa.select(telemetry_rejects.c.reason)).scalars())
        stored = conn.execute(sa.select(sa.func.count()).select_from(telemetry)).scalar_one()
    assert stored == 1
    assert len(reasons) == 4
    assert any("unit must be 'kWh'" in r for r in reasons) and any("future" in r for r in reasons)
    assert any("negative energy" in r for r in reasons) and any(
        "unknown device" in r for r in reasons
    )
