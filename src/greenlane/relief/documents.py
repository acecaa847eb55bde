"""Relief networks and events as JSON documents, checked field by field (CLI files, API bodies).

A problem names the document, the entry (row, counted from 1 within its list) and the field;
nothing is planned on a document with problems. A norm for a kit type the network does not
know is not a problem of the document: the plan reports it as a shortfall with that cause.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from greenlane.errors import InputError, Problem
from greenlane.relief.model import DEADLINE_H, Area, Event, Hub, KitType, Network, Option


class _Strict(BaseModel):
    """Unknown fields are refused and no type is coerced (``true`` is not a number)."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class KitDoc(_Strict):
    """A kit type: kg and m3 per unit."""

    kit_id: str = Field(min_length=1, max_length=100)
    weight_kg: float = Field(gt=0)
    volume_m3: float = Field(ge=0)


class HubDoc(_Strict):
    """A hub and its stock (units per kit type)."""

    hub_id: str = Field(min_length=1, max_length=100)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    stock: dict[str, int] = Field(default_factory=dict)


class OptionDoc(_Strict):
    """A transport option from a hub to an area."""

    option_id: str = Field(min_length=1, max_length=200)
    hub_id: str
    area_id: str
    mode: str = Field(pattern="^(air_charter|belly|road|sea|rail)$")
    toc_id: str = Field(min_length=1)
    distance_km: float = Field(ge=0)
    lead_h: float = Field(ge=0)
    capacity_kg: float = Field(ge=0)
    cost_per_kg: float = Field(ge=0)


class NetworkDoc(_Strict):
    """A relief network: kit types, hubs with stock, transport options to areas."""

    kits: list[KitDoc] = Field(min_length=1, max_length=200)
    hubs: list[HubDoc] = Field(min_length=1, max_length=500)
    options: list[OptionDoc] = Field(max_length=100_000)


class AreaDoc(_Strict):
    """An affected area: people and priority (> 0, higher is more urgent)."""

    area_id: str = Field(min_length=1, max_length=100)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    population: int = Field(ge=0)
    priority: float = Field(default=1.0, gt=0)


class EventDoc(_Strict):
    """A disaster event: areas, needs by norm (units per person), the deadline."""

    event_id: str = Field(min_length=1, max_length=200)
    starts_at: datetime | None = Field(default=None, strict=False)  # an ISO 8601 string
    deadline_h: float = Field(default=DEADLINE_H, gt=0)
    norms: dict[str, float] = Field(min_length=1)
    areas: list[AreaDoc] = Field(min_length=1, max_length=10_000)

    @field_validator("starts_at", mode="before")
    @classmethod
    def _iso_text(cls, value: object) -> object:
        if value is not None and not isinstance(value, str):
            raise ValueError("must be an ISO 8601 date-time string")
        return value


class ScenarioDoc(_Strict):
    """A scenario: an event and its probability."""

    probability: float = Field(gt=0, le=1)
    event: EventDoc


class ScenariosDoc(_Strict):
    """Scenarios for pre-positioning, the units of each kit to place, and hub storage (m3)."""

    scenarios: list[ScenarioDoc] = Field(min_length=1, max_length=1000)
    totals: dict[str, int]
    storage_m3: dict[str, float] = Field(default_factory=dict)


def network_of(doc: NetworkDoc, name: str = "network") -> Network:
    """The network of a checked document; unknown hubs and kits in it are problems.

    Parameters
    ----------
    doc
        The checked network document.
    name
        The file's name, used in problems.

    Returns
    -------
    Network
        Hubs, kit types and options.

    Raises
    ------
    InputError
        Naming an option's unknown hub or a stock's unknown kit.

    """
    kits = {k.kit_id: KitType(k.kit_id, k.weight_kg, k.volume_m3) for k in doc.kits}
    hub_ids = {h.hub_id for h in doc.hubs}
    problems = [
        Problem(name, n, "stock", f"unknown kit types {sorted(set(h.stock) - set(kits))}")
        for n, h in enumerate(doc.hubs, 1)
        if set(h.stock) - set(kits)
    ]
    problems += [
        Problem(name, n, "hub_id", f"no hub {o.hub_id!r}")
        for n, o in enumerate(doc.options, 1)
        if o.hub_id not in hub_ids
    ]
    if problems:
        raise InputError(problems)
    return Network(
        kits,
        tuple(Hub(h.hub_id, h.lat, h.lon, dict(h.stock)) for h in doc.hubs),
        tuple(Option(**o.model_dump()) for o in doc.options),
    )


def event_of(doc: EventDoc) -> Event:
    """The event of a checked document.

    Parameters
    ----------
    doc
        The checked event document.

    Returns
    -------
    Event
        Areas, needs, priorities and deadline.

    """
    return Event(
        doc.event_id,
        tuple(Area(**a.model_dump()) for a in doc.areas),
        dict(doc.norms),
        doc.deadline_h,
        doc.starts_at,
    )
