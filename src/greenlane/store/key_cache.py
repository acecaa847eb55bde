"""API keys verified a moment ago, kept in the process so a request spares the key lookup.

A hit still compares the presented key's digest with the one verified (so a different secret
under the same id is looked up again) and honours the key's expiry. An entry lives
``seconds``: a key revoked or an organization's factors changed through another process takes
effect here within that time; through this process at once (:meth:`KeyCache.forget`).
``seconds=0`` turns the cache off.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from greenlane.store.access import Caller, now


@dataclass(frozen=True, slots=True)
class Verified:
    """What a lookup found: the key's digest, its caller, and when the key expires."""

    digest: str
    caller: Caller
    expires_at: datetime | None
    kept_until: float


class KeyCache:
    """Callers by key id, for ``seconds`` after their key was verified."""

    def __init__(self, seconds: float, size: int = 10_000) -> None:
        self.seconds, self.size = seconds, size
        self._entries: dict[str, Verified] = {}
        self._lock = threading.Lock()

    def get(self, key_id: str, digest: str) -> Caller | None:
        """The caller of a key verified lately with this digest, if still valid."""
        found = self._entries.get(key_id)
        if found is None or found.digest != digest or found.kept_until < time.monotonic():
            return None
        if found.expires_at is not None and found.expires_at <= now():
            return None
        return found.caller

    def put(self, key_id: str, digest: str, caller: Caller, expires_at: datetime | None) -> None:
        """Remember a key just verified."""
        if self.seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # a flood of distinct keys: start again
            kept_until = time.monotonic() + self.seconds
            self._entries[key_id] = Verified(digest, caller, expires_at, kept_until)

    def forget(self, key_id: str | None = None, organization_id: str | None = None) -> None:
        """Drop a key, or every key of an organization (its factors changed)."""
        with self._lock:
            for kid, entry in list(self._entries.items()):
                if kid == key_id or entry.caller.organization_id == organization_id:
                    del self._entries[kid]
