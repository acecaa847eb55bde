"""Rate limits on what an attacker would repeat: sign-ins, failed keys, public tracking.

A sliding window per client address, kept in each worker's memory: with N workers a client
gets up to N times the allowance, which still bounds guessing to a few per second; behind a
proxy, uvicorn's ``--forwarded-allow-ips`` makes the client's address the real one.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

from fastapi import Request

MAX_CLIENTS = 100_000  # windows kept at most; the oldest client is forgotten first


@dataclass
class Throttle:
    """At most ``limit`` events per ``seconds`` from one client."""

    limit: int
    seconds: float
    _events: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> bool:
        """Count an event of ``client``; False once it is over the limit."""
        return self._window(client, count=True)

    def over(self, client: str) -> bool:
        """Whether ``client`` is over the limit now (nothing counted)."""
        return not self._window(client, count=False)

    def _window(self, client: str, count: bool) -> bool:
        moment = time.monotonic()
        with self._lock:
            window = self._events.pop(client, None) or deque()
            while window and window[0] <= moment - self.seconds:
                window.popleft()
            room = len(window) < self.limit
            if room and count:
                window.append(moment)
            if window:
                self._events[client] = window  # re-inserted: the dict is oldest-first
            if len(self._events) > MAX_CLIENTS:
                del self._events[next(iter(self._events))]
        return room


def client_of(request: Request) -> str:
    """The client's address (as the server was told it)."""
    return request.client.host if request.client else "unknown"


@dataclass
class Throttles:
    """An app's throttles (each app has its own: tests and workers do not share them)."""

    sign_in: Throttle  # failed sign-ins
    bad_keys: Throttle  # requests showing an invalid key
    tracking: Throttle  # public tracking look-ups


def per_minute(sign_ins: int, bad_keys: int, tracking: int) -> Throttles:
    """Throttles allowing so many events per client and minute."""
    return Throttles(Throttle(sign_ins, 60), Throttle(bad_keys, 60), Throttle(tracking, 60))


def throttles_of(request: Request) -> Throttles:
    """The app's throttles."""
    throttles: Throttles = request.app.state.throttles
    return throttles
