"""EPCIS 2.0 events in the JSON/JSON-LD binding: checked and normalised and hashed.

What is checked, per the standard's required fields and the CBV 2.0 vocabularies
(``../shared/reference/trace_relief_esg.md`` §1.2-1.4):

- a document has ``@context``, ``type: EPCISDocument``, ``schemaVersion``, ``creationDate`` and
  ``epcisBody.eventList``; a bare event needs its ``@context`` too;
- every event: one of the five types, ``eventTime`` (ISO 8601 with a zone) and
  ``eventTimeZoneOffset`` (±hh:mm); ``action`` ADD, OBSERVE or DELETE (all but transformations);
  what each type must name (the list may be empty): objects (epcList or quantityList), children
  (and a parent to ADD or DELETE; a DELETE of a parent may name no children: it removes all),
  business transactions, inputs and outputs (or a transformationID), or a parent for an
  association;
- ``bizStep`` and ``disposition``: a CBV value (bare or as its URN), or a full URI, or a CURIE
  whose prefix the ``@context`` declares; anything else is refused;
- quantity elements hold ``epcClass``, a numeric ``quantity`` and ``uom`` only; ILMD fields and
  user extensions carry a namespace prefix; ``certificationInfo`` is a URI or a list of them;
  identifiers are URIs (EPC URNs such as ``urn:epc:id:grai:…`` or GS1 Digital Link);
  an ``errorDeclaration`` has its ``declarationTime``.

A ``sensorReport`` without ``type`` is accepted: the 2023 JSON Schema requires it, the OpenEPCIS
test resources do not, and the reference asks to decide; greenlane follows the resources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from greenlane.errors import Problem
from greenlane.gs1 import canonical, identifier_problem
from greenlane.traceability.hashing import event_hash
from greenlane.traceability.vocabulary import (
    ACTIONS,
    BIZ_STEPS,
    DISPOSITIONS,
    STANDARD_FIELDS,
    TYPES,
)

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
ID_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
ROLES = {"epcList": "e", "childEPCs": "e", "parentID": "p", "inputEPCList": "i",
         "outputEPCList": "o"}  # fmt: skip
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


@dataclass(frozen=True, slots=True)
class Event:
    """A checked event, normalised: UTC time, bare CBV values, every identifier it names.

    Identifiers are in their canonical GS1 Digital Link form, so an EPC URI and a Digital Link
    naming the same container match.
    """

    index: int  # its place in the document, from 1
    event_hash: str  # the CBV 2.0 event hash ID: the same event re-sent has the same hash
    declares_error: bool  # an errorDeclaration: the event with this hash did not occur as told
    event_type: str
    event_time: datetime  # UTC, without a zone
    action: str | None
    biz_step: str | None
    disposition: str | None
    parent: str | None
    epcs: tuple[str, ...]
    read_point: str | None
    biz_location: str | None
    raw: dict[str, Any]


def read_document(document: Any, name: str) -> tuple[list[Event], list[Problem]]:
    """The events of an EPCIS document (or a bare event), and every problem, by event and field.

    Parameters
    ----------
    document
        Decoded EPCIS JSON / JSON-LD.
    name
        The document's name, used in problems.

    Returns
    -------
    tuple of list of Event and list of Problem
        The events, and the problems (the event's index as the row).

    References
    ----------
    GS1 EPCIS 2.0 (2022), JSON/JSON-LD binding.

    """
    if not isinstance(document, Mapping):
        return [], [Problem(name, None, "document", "not a JSON object")]
    problems: list[Problem] = []
    namespaces = _namespaces(document.get("@context"))
    prefixes = set(namespaces)
    if "@context" not in document:
        problems.append(Problem(name, None, "@context", "required"))
    if document.get("type") == "EPCISDocument":
        for field in ("schemaVersion", "creationDate"):
            if field not in document:
                problems.append(Problem(name, None, field, "required"))
        if "creationDate" in document and not TIME.match(str(document["creationDate"])):
            problems.append(
                Problem(name, None, "creationDate", "not an ISO 8601 date-time with a zone")
            )
        events = (document.get("epcisBody") or {}).get("eventList")
        if not isinstance(events, list):
            return [], [*problems, Problem(name, None, "epcisBody.eventList", "required list")]
    else:
        events = [document]
    checked = []
    for n, raw in enumerate(events, start=1):
        found = (
            _check(raw, prefixes) if isinstance(raw, Mapping) else [("event", "not a JSON object")]
        )
        problems += [Problem(name, n, field, reason) for field, reason in found]
        if not found:
            checked.append(_normalised(n, dict(raw), namespaces))
    return checked, problems


def _namespaces(context: Any) -> dict[str, str]:
    """Namespace prefixes an ``@context`` declares (objects inside it map prefix -> URI)."""
    entries = context if isinstance(context, list) else [context]
    return {
        key: str(uri)
        for entry in entries
        if isinstance(entry, Mapping)
        for key, uri in entry.items()
        if isinstance(uri, str)
    }


def _check(event: Mapping[str, Any], prefixes: set[str]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []

    def need(ok: bool, field: str, reason: str) -> None:
        if not ok:
            problems.append((field, reason))

    kind = event.get("type")
    need(kind in TYPES, "type", f"must be one of {list(TYPES)}, got {kind!r}")
    need(TIME.match(str(event.get("eventTime", ""))) is not None, "eventTime",
         "required, an ISO 8601 date-time with a zone")  # fmt: skip
    need(OFFSET.match(str(event.get("eventTimeZoneOffset", ""))) is not None,
         "eventTimeZoneOffset", "required, ±hh:mm")  # fmt: skip
    if kind != "TransformationEvent":
        need(event.get("action") in ACTIONS, "action", f"required, one of {list(ACTIONS)}")
    present = (*ID_LISTS, *QUANTITY_LISTS, "parentID", "bizTransactionList", "transformationID")
    has = {f: f in event for f in present}  # an empty list is allowed (a sensor-only event)
    if kind == "ObjectEvent":
        need(
            has["epcList"] or has["quantityList"],
            "epcList",
            "an ObjectEvent needs epcList or quantityList",
        )
    if kind in ("AggregationEvent", "AssociationEvent") and event.get("action") != "DELETE":
        need(
            has["childEPCs"] or has["childQuantityList"],
            "childEPCs",
            "childEPCs or childQuantityList required (a DELETE of a parent may name none)",
        )
    if kind == "AssociationEvent" or (
        kind == "AggregationEvent" and event.get("action") in ("ADD", "DELETE")
    ):
        need(has["parentID"], "parentID", "required")
    if kind == "TransactionEvent":
        need(has["bizTransactionList"], "bizTransactionList", "required")
    if kind == "TransformationEvent":
        inputs = has["inputEPCList"] or has["inputQuantityList"]
        outputs = has["outputEPCList"] or has["outputQuantityList"]
        need((inputs and outputs) or has["transformationID"], "inputEPCList",
             "inputs and outputs, or a transformationID, required")  # fmt: skip
    for field, vocabulary, urn in (
        ("bizStep", BIZ_STEPS, "bizstep"),
        ("disposition", DISPOSITIONS, "disp"),
    ):
        if field in event:
            need(_vocabulary_ok(str(event[field]), vocabulary, urn, prefixes), field,
                 f"{event[field]!r} is not a CBV {field}, a URI or a declared CURIE")  # fmt: skip
    for field in ID_LISTS:
        for value in event.get(field) or []:
            need(
                isinstance(value, str) and URI.match(value) is not None,
                field,
                f"{value!r} is not a URI",
            )
            wrong = identifier_problem(value) if isinstance(value, str) else None
            need(wrong is None, field, f"{value!r}: {wrong}")
    if isinstance(event.get("parentID"), str):
        wrong = identifier_problem(event["parentID"])
        need(wrong is None, "parentID", f"{event['parentID']!r}: {wrong}")
    for field in QUANTITY_LISTS:
        for element in event.get(field) or []:
            problems += _quantity_problems(field, element)
    ilmd = event.get("ilmd")
    if isinstance(ilmd, Mapping):
        for key in ilmd:
            need(":" in key, f"ilmd.{key}", "an ILMD field needs a namespace prefix")
    for key in event:
        need(
            key in STANDARD_FIELDS or ":" in key,
            key,
            "unknown field (an extension needs a namespace prefix)",
        )
    info = event.get("certificationInfo")
    if info is not None:
        values = info if isinstance(info, list) else [info]
        need(all(isinstance(v, str) and URI.match(v) for v in values), "certificationInfo",
             "a URI or a list of URIs")  # fmt: skip
    error = event.get("errorDeclaration")
    if error is not None:
        declared = str(error.get("declarationTime", "")) if isinstance(error, Mapping) else ""
        need(TIME.match(declared) is not None, "errorDeclaration.declarationTime",
             "required, an ISO 8601 date-time")  # fmt: skip
    return problems


def _vocabulary_ok(value: str, vocabulary: frozenset[str], urn: str, prefixes: set[str]) -> bool:
    if value in vocabulary or value.removeprefix(f"urn:epcglobal:cbv:{urn}:") in vocabulary:
        return True
    if value.startswith(("http://", "https://", "urn:")):
        return True
    prefix, found, _ = value.partition(":")
    return bool(found) and prefix in prefixes


def _quantity_problems(field: str, element: Any) -> list[tuple[str, str]]:
    if not isinstance(element, Mapping):
        return [(field, "a quantity element is an object")]
    problems = []
    if not isinstance(element.get("epcClass"), str):
        problems.append((f"{field}.epcClass", "required"))
    if "quantity" in element and (
        isinstance(element["quantity"], bool) or not isinstance(element["quantity"], int | float)
    ):
        problems.append((f"{field}.quantity", f"must be a number, got {element['quantity']!r}"))
    if "uom" in element and not isinstance(element["uom"], str):
        problems.append((f"{field}.uom", "must be a UN/CEFACT code"))
    problems += [
        (f"{field}.{key}", "unknown field")
        for key in element
        if key not in ("epcClass", "quantity", "uom")
    ]
    return problems


def _normalised(index: int, raw: dict[str, Any], namespaces: dict[str, str]) -> Event:
    moment = datetime.fromisoformat(str(raw["eventTime"]).replace("Z", "+00:00"))
    epcs = [canonical(str(e)) for field in ID_LISTS for e in raw.get(field) or []]
    epcs += [
        canonical(str(q["epcClass"])) for field in QUANTITY_LISTS for q in raw.get(field) or []
    ]
    namespaces = {**namespaces, **_namespaces(raw.get("@context"))}
    raw["@context"] = [namespaces]  # kept with the stored event, so it hashes the same alone

    def bare(field: str) -> str | None:
        value = raw.get(field)
        return None if value is None else cbv_term(str(value), field)

    parent = raw.get("parentID")
    return Event(
        index=index,
        event_hash=event_hash(raw, namespaces),
        declares_error="errorDeclaration" in raw,
        event_type=str(raw["type"]),
        event_time=moment.astimezone(UTC).replace(tzinfo=None),
        action=raw.get("action"),
        biz_step=bare("bizStep"),
        disposition=bare("disposition"),
        parent=None if parent is None else canonical(str(parent)),
        epcs=tuple(epcs),
        read_point=_place(raw.get("readPoint")),
        biz_location=_place(raw.get("bizLocation")),
        raw=raw,
    )


def _place(value: Any) -> str | None:
    return canonical(str(value["id"])) if isinstance(value, Mapping) and "id" in value else None


def named(event: Event) -> list[tuple[str, str]]:
    """Every (role, identifier) the event names, for the query index.

    Roles: ``e`` an EPC of epcList or childEPCs, ``p`` the parent, ``i`` an input, ``o`` an
    output, ``c`` a class of a quantity list.

    Parameters
    ----------
    event
        The event.

    Returns
    -------
    list of tuple of str
        (role, identifier) pairs.

    """
    raw = event.raw
    found = {(ROLES[f], canonical(str(v))) for f in ID_LISTS for v in raw.get(f) or []}
    found |= {
        ("c", canonical(str(q["epcClass"]))) for f in QUANTITY_LISTS for q in raw.get(f) or []
    }
    if event.parent:
        found.add(("p", event.parent))
    return sorted(found)


def from_stored(raw: dict[str, Any]) -> Event:
    """A stored event (checked at capture, its namespaces kept with it) normalised again.

    Parameters
    ----------
    raw
        The stored JSON.

    Returns
    -------
    Event
        The event.

    """
    return _normalised(0, dict(raw), _namespaces(raw.get("@context")))


def cbv_term(value: str, field: str) -> str:
    """A bizStep or disposition as its bare CBV term when it is one (from a URN or Web URI).

    Parameters
    ----------
    value
        The value as sent.
    field
        ``bizStep`` or ``disposition``.

    Returns
    -------
    str
        The bare term, or the value unchanged.

    References
    ----------
    GS1 Core Business Vocabulary (CBV) 2.0: business steps and dispositions.

    """
    urn, web = {"bizStep": ("bizstep", "BizStep"), "disposition": ("disp", "Disp")}[field]
    for prefix in (f"urn:epcglobal:cbv:{urn}:", f"https://ref.gs1.org/cbv/{web}-"):
        if value.startswith(prefix):
            return value.removeprefix(prefix)
    return value
