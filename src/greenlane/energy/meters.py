"""A simulated park's meters: a day of readings as its devices would publish them."""

from __future__ import annotations

from datetime import datetime, timedelta

from greenlane.energy.telemetry import KINDS, topic


def day_of_readings(
    park: str, devices: dict[tuple[str, str], str], day: datetime, step_min: int = 15
) -> list[tuple[str, dict[str, object]]]:
    """A realistic day of one park's readings: PV by the sun, a two-shift load, EVs at night.

    Parameters
    ----------
    park
        The park's id.
    devices
        (park, device) to the device's kind.
    day
        The day (its midnight).
    step_min
        Minutes between readings.

    Returns
    -------
    list of tuple
        (topic, payload) of every reading, as the devices would publish them.

    """
    messages = []
    for step in range(24 * 60 // step_min):
        at = day + timedelta(minutes=step * step_min)
        hour = at.hour + at.minute / 60
        sun = max(0.0, 1 - abs(hour - 12) / 6)  # a triangle from 06:00 to 18:00, peak at noon
        values = {
            "energy_pv": 500 * sun * sun,
            "energy_import": max(0.0, 150 - 400 * sun * sun)
            + (60 if hour >= 19 or hour < 5 else 0),
            "energy_export": max(0.0, 400 * sun * sun - 150) * 0.3,
            "soc": 50 + 40 * sun,
            "energy_ev": 60.0 if hour >= 19 or hour < 5 else 0.0,
        }
        for (p, device), kind in sorted(devices.items()):
            if p != park:
                continue
            for measurement, unit in KINDS[kind].items():
                payload = {
                    "ts": at.isoformat() + "Z",
                    "value": round(
                        values[measurement] * step_min / 60
                        if unit == "kWh"
                        else values[measurement],
                        3,
                    ),
                    "unit": unit,
                }
                messages.append((topic(park, device, measurement), payload))
    return messages
