"""Park telemetry over MQTT: the topic scheme, the payload, and what makes a reading bad.

Topic ``greenlane/<park>/<device>/<measurement>``; payload JSON
``{"ts": "2026-06-21T04:15:00Z", "value": 123.4, "unit": "kWh"}``. A device is known by a
registry (park, device, kind); each kind has its measurements and their units:

| kind | measurement | unit |
|---|---|---|
| import_meter | energy_import | kWh (an interval's energy, >= 0) |
| export_meter | energy_export | kWh (>= 0) |
| pv_inverter | energy_pv | kWh (>= 0) |
| battery | soc | % (0-100) |
| charger | energy_ev | kWh (>= 0) |

A bad reading (unknown device or measurement, wrong unit, not a number, a time more than five
minutes in the future, negative energy, a state of charge out of 0-100) is kept aside with its
reason, never stored as a reading and never dropped unseen.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

KINDS = {
    "import_meter": {"energy_import": "kWh"},
    "export_meter": {"energy_export": "kWh"},
    "pv_inverter": {"energy_pv": "kWh"},
    "battery": {"soc": "%"},
    "charger": {"energy_ev": "kWh"},
}
FUTURE = timedelta(minutes=5)
PREFIX = "greenlane"


@dataclass(frozen=True, slots=True)
class Reading:
    """A valid reading."""

    park: str
    device: str
    measurement: str
    ts: datetime  # UTC, without a zone
    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """A bad message and why."""

    topic: str
    payload: str
    reason: str


def topic(park: str, device: str, measurement: str) -> str:
    """The topic a device publishes a measurement on.

    Parameters
    ----------
    park, device, measurement
        Who publishes what.

    Returns
    -------
    str
        ``greenlane/<park>/<device>/<measurement>``.

    """
    return f"{PREFIX}/{park}/{device}/{measurement}"


def parse(
    topic_name: str,
    payload: bytes,
    devices: dict[tuple[str, str], str],
    now: datetime | None = None,
) -> Reading | Rejected:
    """The reading of one message, or why it is refused (``devices``: (park, device) -> kind).

    Parameters
    ----------
    topic_name
        The MQTT topic.
    payload
        The message body (JSON).
    devices
        (park, device) to the device's kind.
    now
        The time readings may not be later than (by five minutes); now when None.

    Returns
    -------
    Reading or Rejected
        The reading, or the message with the reason it is refused.

    """
    text = payload.decode("utf-8", errors="replace")

    def refuse(reason: str) -> Rejected:
        return Rejected(topic_name, text[:500], reason)

    parts = topic_name.split("/")
    if len(parts) != 4 or parts[0] != PREFIX:
        return refuse("topic is not greenlane/<park>/<device>/<measurement>")
    _, park, device, measurement = parts
    kind = devices.get((park, device))
    if kind is None:
        return refuse(f"unknown device {park}/{device}")
    unit = KINDS[kind].get(measurement)
    if unit is None:
        return refuse(f"a {kind} does not measure {measurement!r}")
    try:
        body = json.loads(text)
        ts = datetime.fromisoformat(str(body["ts"]))
        value = float(body["value"])
        given = str(body["unit"])
    except (ValueError, KeyError, TypeError):
        return refuse("payload is not JSON with ts (ISO 8601), value (number) and unit")
    ts = ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts
    if not math.isfinite(value):
        return refuse("value is not a finite number")
    if given != unit:
        return refuse(f"unit must be {unit!r} for {measurement}, got {given!r}")
    if ts > (now or datetime.now(UTC).replace(tzinfo=None)) + FUTURE:
        return refuse(f"timestamp {ts.isoformat()} is in the future")
    if unit == "kWh" and value < 0:
        return refuse(f"negative energy {value} on a {kind}")
    if unit == "%" and not 0 <= value <= 100:
        return refuse(f"state of charge {value} is outside 0-100")
    return Reading(park, device, measurement, ts, value, unit)
