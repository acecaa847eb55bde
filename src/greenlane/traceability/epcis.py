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

import math
import re
from collections.abc import Callable, Mapping
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
OFFSET = re.compile(r"^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$")  # the schema's range of zones
DOCUMENTS = ("EPCISDocument", "EPCISQueryDocument")
MAX_TEXT = 200  # identifiers, types and vocabulary values are indexed: the store's column width
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
    kind = document.get("type")
    if kind in DOCUMENTS:
        for field in ("schemaVersion", "creationDate"):
            if field not in document:
                problems.append(Problem(name, None, field, "required"))
        if "creationDate" in document and _time_problem(document["creationDate"]):
            problems.append(
                Problem(name, None, "creationDate", "not an ISO 8601 date-time with a zone")
            )
        body, path = _body(document)
        events = body.get("eventList") if isinstance(body, Mapping) else None
        if not isinstance(events, list):
            return [], [*problems, Problem(name, None, f"{path}.eventList", "required list")]
    else:
        body, events = {}, [document]
    ignored = _ignored(document)
    checked = []
    for n, raw in enumerate(events, start=1):
        found = (
            _check(raw, prefixes) if isinstance(raw, Mapping) else [("event", "not a JSON object")]
        )
        problems += [Problem(name, n, field, reason) for field, reason in found]
        if not found:
            checked.append(_normalised(n, dict(raw), namespaces, ignored=ignored))
    return checked, problems


def _body(document: Mapping[str, Any]) -> tuple[Any, str]:
    """Where a document holds its events: a query document inside its query results."""
    body = document.get("epcisBody")
    if document.get("type") == "EPCISQueryDocument":
        results = body.get("queryResults") if isinstance(body, Mapping) else None
        inner = results.get("resultsBody") if isinstance(results, Mapping) else None
        return inner, "epcisBody.queryResults.resultsBody"
    return body, "epcisBody"


def _ignored(document: Mapping[str, Any]) -> tuple[str, ...]:
    """User extensions a document asks to leave out of the hash (``<prefix>:ignoreFields``)."""
    body = document.get("epcisBody")
    results = body.get("queryResults") if isinstance(body, Mapping) else None
    found: set[str] = set()
    for place in (document, body, results):
        if isinstance(place, Mapping):
            for key, value in place.items():
                if key.partition(":")[2] == "ignoreFields" and isinstance(value, list):
                    found |= {v for v in value if isinstance(v, str)}
    return tuple(sorted(found))


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
    """Every problem of one event, as (field, reason): its shape first, then its meaning."""
    problems = _shape(event, prefixes)

    def need(ok: bool, field: str, reason: str) -> None:
        if not ok:
            problems.append((field, reason))

    kind = event.get("type")
    extension = isinstance(kind, str) and kind not in TYPES and _is_term(kind, prefixes)
    need(kind in TYPES or extension, "type",
         f"must be one of {list(TYPES)} or an extension type (a URI or a declared CURIE), "
         f"got {str(kind)[:64]!r}")  # fmt: skip
    need("eventTime" in event, "eventTime", "required, an ISO 8601 date-time with a zone")
    need("eventTimeZoneOffset" in event, "eventTimeZoneOffset", "required, ±hh:mm")
    if kind in TYPES and kind != "TransformationEvent":
        need("action" in event, "action", f"required, one of {list(ACTIONS)}")
    present = (*ID_LISTS, *QUANTITY_LISTS, "parentID", "bizTransactionList", "transformationID")
    has = {f: f in event for f in present}  # an empty list is allowed (a sensor-only event)
    if kind == "ObjectEvent":
        sensed = bool(event.get("sensorElementList")) and "readPoint" in event
        need(
            has["epcList"] or has["quantityList"] or sensed,
            "epcList",
            "an ObjectEvent needs epcList or quantityList (or sensor data and a readPoint)",
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
    return problems


def _shape(event: Mapping[str, Any], prefixes: set[str]) -> list[tuple[str, str]]:
    """Each field present has the type, form and range the EPCIS 2.0 JSON schema gives it."""
    problems: list[tuple[str, str]] = []
    for key, value in event.items():
        if key in FIELD_CHECKS:
            problems += FIELD_CHECKS[key](key, value, prefixes)
        elif key not in STANDARD_FIELDS and not (key.startswith("@") or ":" in key):
            problems.append((key, "unknown field (an extension needs a namespace prefix)"))
    return problems


def _time_problem(value: Any) -> str | None:
    """Why a value is not an ISO 8601 date-time with a zone (month 13, offset +25:00 ...)."""
    if not isinstance(value, str) or not TIME.match(value):
        return "an ISO 8601 date-time with a zone (YYYY-MM-DDThh:mm:ss[.s](Z|±hh:mm))"
    zone = value[-6:]
    if value[-1] != "Z" and not OFFSET.match(zone):
        return f"the zone {zone} is outside -14:00..+14:00"
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        return f"not a date-time: {e}"
    return None


def _is_term(value: str, prefixes: set[str]) -> bool:
    """A URI or a CURIE whose prefix the context declares."""
    prefix, found, _ = value.partition(":")
    return bool(found) and (prefix in prefixes or value.startswith(("http://", "https://", "urn:")))


def _a_time(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    wrong = _time_problem(value)
    return [] if wrong is None else [(field, wrong)]


def _an_offset(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    ok = isinstance(value, str) and OFFSET.match(value)
    return [] if ok else [(field, f"±hh:mm between -14:00 and +14:00, got {str(value)[:32]!r}")]


def _a_uri(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, str) or URI.match(value) is None:
        return [(field, f"must be a URI, got {str(value)[:64]!r}")]
    if len(canonical(value)) > MAX_TEXT:
        return [(field, f"longer than {MAX_TEXT} characters")]
    wrong = identifier_problem(value)
    return [] if wrong is None else [(field, f"{value[:64]!r}: {wrong}")]


def _a_string(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, str):
        return [(field, "must be a string")]
    return [(field, f"longer than {MAX_TEXT} characters")] if len(value) > MAX_TEXT else []


def _a_term(vocabulary: frozenset[str], urn: str) -> Check:
    def check(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
        if isinstance(value, str) and len(value) > MAX_TEXT:
            return [(field, f"longer than {MAX_TEXT} characters")]
        if isinstance(value, str) and _vocabulary_ok(value, vocabulary, urn, prefixes):
            return []
        return [(field, f"{str(value)[:64]!r} is not a CBV {field}, a URI or a declared CURIE")]

    return check


def _an_action(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    return [] if value in ACTIONS else [(field, f"one of {list(ACTIONS)}, got {value!r:.64}")]


def _uris(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return [(field, "must be a list of URIs")]
    return [p for item in value for p in _a_uri(field, item, prefixes)]


def _quantities(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return [(field, "must be a list of quantity elements")]
    return [p for element in value for p in _quantity_problems(field, element)]


def _a_place(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    """A readPoint or bizLocation: an object with its ``id`` and namespaced extensions."""
    if not isinstance(value, Mapping):
        return [(field, 'must be an object with an "id"')]
    if "id" not in value:
        return [(f"{field}.id", "required")]
    return _a_uri(f"{field}.id", value["id"], prefixes) + _extension_keys(field, value, {"id"})


def _typed_list(key: str, type_required: bool) -> Check:
    """bizTransactionList, sourceList, destinationList: objects naming an id and a type."""

    def check(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
        if not isinstance(value, list):
            return [(field, f'must be a list of objects with "{key}" and "type"')]
        problems = []
        for element in value:
            if not isinstance(element, Mapping):
                problems.append((field, f'an element is an object with "{key}" and "type"'))
                continue
            if key not in element:
                problems.append((f"{field}.{key}", "required"))
            else:
                problems += _a_uri(f"{field}.{key}", element[key], prefixes)
            if type_required and "type" not in element:
                problems.append((f"{field}.type", "required"))
            if "type" in element and not isinstance(element["type"], str):
                problems.append((f"{field}.type", "must be a string"))
            problems += _extension_keys(field, element, {key, "type"})
        return problems

    return check


def _persistent(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, Mapping) or not ({"set", "unset"} & set(value)):
        return [(field, 'must be an object with "set" and/or "unset" lists')]
    return [
        (f"{field}.{k}", "must be a list of dispositions")
        for k in ("set", "unset")
        if k in value and not (isinstance(value[k], list) and all(isinstance(v, str)
                                                                   for v in value[k]))
    ] + _extension_keys(field, value, {"set", "unset"})  # fmt: skip


def _an_ilmd(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, Mapping):
        return [(field, "must be an object of namespaced fields")]
    return [(f"ilmd.{k}", "an ILMD field needs a namespace prefix") for k in value if ":" not in k]


def _certification(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    values = value if isinstance(value, list) else [value]
    ok = all(isinstance(v, str) and URI.match(v) for v in values)
    return [] if ok else [(field, "a URI or a list of URIs")]


def _error_declaration(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    if not isinstance(value, Mapping):
        return [(field, "must be an object with its declarationTime")]
    wrong = _time_problem(value.get("declarationTime"))
    problems = [] if wrong is None else [(f"{field}.declarationTime", f"required, {wrong}")]
    if "reason" in value and not isinstance(value["reason"], str):
        problems.append((f"{field}.reason", "must be a string"))
    ids = value.get("correctiveEventIDs", [])
    if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        problems.append((f"{field}.correctiveEventIDs", "must be a list of event IDs"))
    return problems


def _sensor_elements(field: str, value: Any, prefixes: set[str]) -> list[tuple[str, str]]:
    """Sensor elements: objects with optional metadata and a list of report objects."""
    if not isinstance(value, list):
        return [(field, "must be a list of sensor elements")]
    problems: list[tuple[str, str]] = []
    for element in value:
        if not isinstance(element, Mapping):
            problems.append((field, "a sensor element is an object"))
            continue
        metadata = element.get("sensorMetadata", {})
        if not isinstance(metadata, Mapping):
            problems.append((f"{field}.sensorMetadata", "must be an object"))
        else:
            problems += _sensor_fields(f"{field}.sensorMetadata", metadata)
        reports = element.get("sensorReport")
        if not isinstance(reports, list):
            problems.append((f"{field}.sensorReport", "required, a list of sensor reports"))
            continue
        for report in reports:
            if not isinstance(report, Mapping):
                problems.append((f"{field}.sensorReport", "a sensor report is an object"))
            else:
                problems += _sensor_fields(f"{field}.sensorReport", report)
        problems += _extension_keys(field, element, {"sensorMetadata", "sensorReport"})
    return problems


def _sensor_fields(where: str, block: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Sensor values of the type the standard gives each (a number, a boolean, a time ...)."""
    problems = []
    for key, value in block.items():
        field = f"{where}.{key}"
        if key in SENSOR_NUMBERS:
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or not math.isfinite(value):
                problems.append((field, f"must be a finite number, got {str(value)[:32]!r}"))
        elif key == "booleanValue" and not isinstance(value, bool):
            problems.append((field, "must be true or false"))
        elif key in SENSOR_TIMES and (wrong := _time_problem(value)):
            problems.append((field, wrong))
        elif key in SENSOR_STRINGS and not isinstance(value, str):
            problems.append((field, "must be a string"))
        elif key not in SENSOR_FIELDS and ":" not in key and not key.startswith("@"):
            problems.append((field, "unknown field (an extension needs a namespace prefix)"))
    return problems


def _extension_keys(
    field: str, block: Mapping[str, Any], standard: set[str]
) -> list[tuple[str, str]]:
    return [
        (f"{field}.{k}", "unknown field (an extension needs a namespace prefix)")
        for k in block
        if k not in standard and ":" not in k and not k.startswith("@")
    ]


Check = Callable[[str, Any, set[str]], list[tuple[str, str]]]
SENSOR_NUMBERS = frozenset(("value", "minValue", "maxValue", "meanValue", "sDev", "percRank",
                            "percValue"))  # fmt: skip
SENSOR_TIMES = frozenset(("time", "startTime", "endTime"))
SENSOR_STRINGS = frozenset(("type", "exception", "deviceID", "deviceMetadata", "rawData",
                            "dataProcessingMethod", "bizRules", "microorganism",
                            "chemicalSubstance", "component", "stringValue", "hexBinaryValue",
                            "uriValue", "uom", "coordinateReferenceSystem"))  # fmt: skip
SENSOR_FIELDS = SENSOR_NUMBERS | SENSOR_TIMES | SENSOR_STRINGS | {"booleanValue"}
FIELD_CHECKS: dict[str, Check] = {
    "type": _a_string,
    "eventTime": _a_time,
    "recordTime": _a_time,
    "eventTimeZoneOffset": _an_offset,
    "eventID": _a_string,
    "action": _an_action,
    "bizStep": _a_term(BIZ_STEPS, "bizstep"),
    "disposition": _a_term(DISPOSITIONS, "disp"),
    "transformationID": _a_uri,
    "parentID": _a_uri,
    **dict.fromkeys(ID_LISTS, _uris),
    **dict.fromkeys(QUANTITY_LISTS, _quantities),
    "readPoint": _a_place,
    "bizLocation": _a_place,
    "bizTransactionList": _typed_list("bizTransaction", type_required=False),
    "sourceList": _typed_list("source", type_required=True),
    "destinationList": _typed_list("destination", type_required=True),
    "persistentDisposition": _persistent,
    "ilmd": _an_ilmd,
    "sensorElementList": _sensor_elements,
    "certificationInfo": _certification,
    "errorDeclaration": _error_declaration,
}


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


def _normalised(
    index: int,
    raw: dict[str, Any],
    namespaces: dict[str, str],
    hashed: str | None = None,
    ignored: tuple[str, ...] = (),
) -> Event:
    """The event normalised; hashed here unless its hash is known (a stored event)."""
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
        event_hash=hashed or event_hash(raw, namespaces, ignored),
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


def from_stored(raw: dict[str, Any], hashed: str) -> Event:
    """A stored event (checked at capture, its namespaces kept with it) normalised again.

    Parameters
    ----------
    raw
        The stored JSON.
    hashed
        Its hash ID, as computed at capture (with the document's ``ignoreFields``).

    Returns
    -------
    Event
        The event.

    """
    return _normalised(0, dict(raw), _namespaces(raw.get("@context")), hashed)


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
