"""Listening to a park's meters over MQTT and storing what they say; publishing to a broker.

The listener subscribes to ``greenlane/#`` at QoS 1 with a persistent session (a fixed client
id, clean session off), so the broker keeps what arrives while the listener is away, and keeps
its sessions across its own restart (Mosquitto's ``persistence true``). paho reconnects on its
own after the broker restarts. A reading delivered twice (after a reconnect, or sent again by
a device) is stored once, by its key (park, device, measurement, time).

Messages are acknowledged on receipt and committed in batches every 50 ms. Acknowledging only
after the commit would make the broker's in-flight window (20 messages by default) the limit,
and the broker drops what overflows its queue (1,000 by default): measured at 64% of 100,000
readings kept. The cost of acknowledging on receipt: if the listener process itself dies, the
readings of its last, uncommitted batch are lost.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
import sqlalchemy as sa

from greenlane.energy.telemetry import PREFIX, Reading, Rejected, parse
from greenlane.store.telemetry import store_batch

logger = logging.getLogger(__name__)
BATCH = 2000


@dataclass
class Tally:
    """What a listener did."""

    received: int = 0
    stored: int = 0
    rejected: int = 0
    reconnects: int = 0


def broker_address(url: str) -> tuple[str, int]:
    """Host and port of ``mqtt://host:port``."""
    parsed = urlparse(url)
    if parsed.scheme != "mqtt" or not parsed.hostname:
        raise ValueError(f"broker must be mqtt://host[:port], got {url!r}")
    return parsed.hostname, parsed.port or 1883


def listen(
    url: str,
    devices: dict[tuple[str, str], str],
    engine: sa.Engine,
    client_id: str = "greenlane-listener",
    idle_s: float | None = None,
    stop: threading.Event | None = None,
    progress: Callable[[Tally], None] = lambda tally: None,
) -> Tally:
    """Store readings until ``stop`` is set, or nothing arrived for ``idle_s`` connected seconds.

    Idleness counts only while connected: a broker restart must not end the listening before
    the readings queued for its session arrive.
    """
    host, port = broker_address(url)
    tally, lock = Tally(), threading.Lock()
    pending: list[tuple[str, bytes]] = []  # raw: the network thread only queues
    last = [time.monotonic()]
    connected = threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                         clean_session=False)  # fmt: skip
    client.reconnect_delay_set(min_delay=1, max_delay=2)

    def on_connect(c: mqtt.Client, _u: object, _f: object, _rc: object, _p: object) -> None:
        logger.info("broker connected", extra={"broker": f"{host}:{port}"})
        c.subscribe(f"{PREFIX}/#", qos=1)
        with lock:
            last[0] = time.monotonic()
        connected.set()

    def on_disconnect(_c: mqtt.Client, _u: object, _f: object, _rc: object, _p: object) -> None:
        connected.clear()
        logger.warning("broker lost; reconnecting", extra={"broker": f"{host}:{port}"})
        tally.reconnects += 1

    def on_message(_c: mqtt.Client, _u: object, message: mqtt.MQTTMessage) -> None:
        with lock:
            pending.append((message.topic, bytes(message.payload)))
            last[0] = time.monotonic()

    client.on_connect, client.on_disconnect, client.on_message = (
        on_connect,
        on_disconnect,
        on_message,
    )
    client.connect(host, port, keepalive=30)
    client.loop_start()
    try:
        while not (stop and stop.is_set()):
            time.sleep(0.05)
            with lock:
                batch, pending[:] = pending[:BATCH], pending[BATCH:]
            if batch:
                parsed = [parse(name, payload, devices) for name, payload in batch]
                readings = [r for r in parsed if isinstance(r, Reading)]
                rejects = [r for r in parsed if isinstance(r, Rejected)]
                tally.stored += store_batch(engine, readings, rejects)
                tally.received += len(batch)
                tally.rejected += len(rejects)
                for reject in rejects:
                    logger.warning("reading refused", extra={"topic": reject.topic,
                                                             "reason": reject.reason})  # fmt: skip
                progress(tally)
            elif idle_s is not None and connected.is_set() and time.monotonic() - last[0] > idle_s:
                break
    finally:
        client.loop_stop()
        client.disconnect()
    return tally


def publish(
    url: str,
    messages: Sequence[tuple[str, dict[str, object]]],
    client_id: str = "greenlane-simulator",
    per_second: float | None = None,
) -> int:
    """Publish at QoS 1 (at most ``per_second``) and wait until the broker has every message."""
    host, port = broker_address(url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
    client.reconnect_delay_set(min_delay=1, max_delay=2)
    client.max_inflight_messages_set(1000)
    client.connect(host, port, keepalive=30)
    client.loop_start()
    try:
        started = time.monotonic()
        for first in range(0, len(messages), 500):  # paho queues at most so many at once
            if per_second:
                time.sleep(max(0.0, started + first / per_second - time.monotonic()))
            chunk = messages[first : first + 500]
            infos = [client.publish(t, json.dumps(p), qos=1) for t, p in chunk]
            for info in infos:
                info.wait_for_publish(timeout=120)
    finally:
        client.loop_stop()
        client.disconnect()
    return len(messages)
