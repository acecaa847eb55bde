"""The EPCIS event hash ID (CBV 2.0 section 8.9): one fingerprint per event, whatever its syntax.

The pre-hash string concatenates the event's fields in the canonical property order, each
``key=value``, with list elements sorted, timestamps in UTC at millisecond precision, CBV
values as their ``https://ref.gs1.org/cbv/`` URIs, EPC URIs as canonical GS1 Digital Link
URIs, and user extensions as ``{namespace}name=value``, sorted. The hash is
``ni:///sha-256;<hex>?ver=CBV2.0``.

``eventID``, ``recordTime``, ``errorDeclaration`` and ``certificationInfo`` are not part of
the string, so an error declaration carries the hash of the event it corrects: the store keys
events on the hash *and* whether the event declares an error.

References
----------
GS1 CBV 2.0, section 8.9 "EPCIS Event Hash ID"; the rules as written in the README of the
reference implementation (RalphTro/epcis-event-hash-generator, MIT), whose test vectors
``tests/traceability/test_hashing.py`` checks.

"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from greenlane.gs1 import canonical
from greenlane.traceability.vocabulary import STANDARD_FIELDS

VERSION = "CBV2.0"
CBV = "https://ref.gs1.org/cbv/"
STANDARD_PREFIXES = {"gs1": "https://gs1.org/voc/", "epcis": "https://ref.gs1.org/epcis/",
                     "cbv": CBV}  # fmt: skip
URN_TERMS = {"bizstep": "BizStep", "disp": "Disp", "btt": "BTT", "sdt": "SDT", "er": "ER"}
EPC_LISTS = ("epcList", "parentID", "inputEPCList", "childEPCs")
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList")
OUTPUTS = ("outputEPCList", "outputQuantityList")
NOT_HASHED = STANDARD_FIELDS  # every standard field is placed by name; the rest are extensions
METADATA = ("time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
            "dataProcessingMethod", "bizRules")  # fmt: skip
REPORT = ("type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
          "time", "microorganism", "chemicalSubstance", "value", "component", "stringValue",
          "booleanValue", "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue",
          "sDev", "percRank", "percValue", "uom", "coordinateReferenceSystem")  # fmt: skip
TIMES = frozenset(("time", "startTime", "endTime"))
COMMENT = "{http://www.w3.org/2000/01/rdf-schema#}comment"  # a remark, not part of the event
GS1_TERMS = frozenset(("type", "exception"))  # bare values are terms of the GS1 Web Vocabulary
# CBV 2.0 section 8.9 lists sources before destinations; the reference implementation (whose
# vectors are what partners compute) puts destinations first, so greenlane does too
TYPED_LISTS = (
    ("bizTransactionList", "bizTransaction", "BTT"),
    ("destinationList", "destination", "SDT"),
    ("sourceList", "source", "SDT"),
)
FRACTION = re.compile(r"^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(.*)$")


def event_hash(
    event: Mapping[str, Any], namespaces: Mapping[str, str], ignored: Collection[str] = ()
) -> str:
    """The event's hash ID; ``namespaces`` maps the document's CURIE prefixes to their URIs.

    Parameters
    ----------
    event
        The event as decoded JSON.
    namespaces
        The document's ``@context`` prefixes.
    ignored
        User extensions the document lists in its ``ignoreFields`` (as CURIEs): not hashed.

    Returns
    -------
    str
        ``ni:///sha-256;<hex>?ver=CBV2.0``.

    References
    ----------
    GS1 Core Business Vocabulary (CBV) 2.0, section 8.9 (event hash ID); GS1 EPCIS 2.0
    (2022).

    """
    digest = hashlib.sha256(prehash(event, namespaces, ignored).encode()).hexdigest()
    return f"ni:///sha-256;{digest}?ver={VERSION}"


def prehash(
    event: Mapping[str, Any], namespaces: Mapping[str, str], ignored: Collection[str] = ()
) -> str:
    """The canonical pre-hash string of one event (JSON/JSON-LD binding).

    Parameters
    ----------
    event
        The event as decoded JSON.
    namespaces
        The document's ``@context`` prefixes.
    ignored
        User extensions not hashed (the document's ``ignoreFields``).

    Returns
    -------
    str
        The pre-hash string.

    References
    ----------
    GS1 Core Business Vocabulary (CBV) 2.0, section 8.9 (event hash ID); GS1 EPCIS 2.0
    (2022).

    """
    prefixes = {**STANDARD_PREFIXES, **namespaces}
    ignored = {_name(k, prefixes) for k in ignored} | {COMMENT}
    parts = [
        f"eventType={event['type']}",
        f"eventTime={timestamp(str(event['eventTime']))}",
        f"eventTimeZoneOffset={event['eventTimeZoneOffset']}",
        _listed("certificationInfo", event.get("certificationInfo"), prefixes),
    ]
    for field in EPC_LISTS:
        parts.append(_identifiers(field, event.get(field)))
    for field in QUANTITY_LISTS:
        parts.append(_quantities(field, event.get(field)))
    parts.append(_identifiers(OUTPUTS[0], event.get(OUTPUTS[0])))
    parts.append(_quantities(OUTPUTS[1], event.get(OUTPUTS[1])))
    parts.append(_scalar("action", event.get("action")))
    transformation = event.get("transformationID")
    parts.append(_scalar("transformationID", None if transformation is None
                         else canonical(str(transformation))))  # fmt: skip
    parts.append(_scalar("bizStep", _term(event.get("bizStep"), "BizStep", prefixes)))
    parts.append(_scalar("disposition", _term(event.get("disposition"), "Disp", prefixes)))
    parts.append(_persistent(event.get("persistentDisposition"), prefixes))
    for field in ("readPoint", "bizLocation"):
        place = event.get(field)
        if isinstance(place, Mapping) and "id" in place:
            parts.append(f"{field}id={canonical(str(place['id']))}"
                         + _extensions(place, prefixes, ignored, {"id"}))  # fmt: skip
    for field, key, term in TYPED_LISTS:
        parts.append(_typed(field, key, term, event.get(field), prefixes))
    parts.append(_sensors(event.get("sensorElementList"), prefixes, ignored))
    ilmd = event.get("ilmd")
    if isinstance(ilmd, Mapping) and ilmd:
        parts.append("ilmd" + _extensions(ilmd, prefixes, ignored, set()))
    parts.append(_extensions(event, prefixes, ignored, NOT_HASHED))
    return "".join(parts)


def timestamp(value: str) -> str:
    """A timestamp in UTC at millisecond precision: a 4th decimal of 5-9 rounds the 3rd up.

    Parameters
    ----------
    value
        An ISO 8601 date-time with its offset.

    Returns
    -------
    str
        ``YYYY-MM-DDTHH:MM:SS.sssZ``.

    References
    ----------
    GS1 Core Business Vocabulary (CBV) 2.0, section 8.9 (event hash ID); GS1 EPCIS 2.0
    (2022).

    """
    head, fraction, zone = FRACTION.match(value.strip()).groups()  # type: ignore[union-attr]
    moment = datetime.fromisoformat(head + (zone.replace("Z", "+00:00") or "+00:00"))
    millis = Decimal(fraction or "0").quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    moment = moment.astimezone(UTC) + timedelta(milliseconds=int(millis * 1000))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def number(value: Any) -> str:
    """A number without trailing zeros (1.0 -> 1, 0.3430 -> 0.343).

    Parameters
    ----------
    value
        A number (or its text).

    Returns
    -------
    str
        Its canonical text.

    References
    ----------
    GS1 Core Business Vocabulary (CBV) 2.0, section 8.9 (event hash ID); GS1 EPCIS 2.0
    (2022).

    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = format(Decimal(str(value)).normalize(), "f")
        return text
    return str(value).strip()


def _scalar(key: str, value: Any) -> str:
    return "" if value is None else f"{key}={number(value)}"


def _identifiers(field: str, values: Any) -> str:
    if isinstance(values, str):  # parentID
        return f"{field}={canonical(values)}"
    if not values:
        return ""
    return field + "".join(sorted(f"epc={canonical(str(v))}" for v in values))


def _quantities(field: str, elements: Any) -> str:
    if not elements:
        return ""
    rendered = [
        f"quantityElementepcClass={canonical(str(e['epcClass']))}"
        + _scalar("quantity", e.get("quantity"))
        + _scalar("uom", e.get("uom"))
        for e in elements
    ]
    return field + "".join(sorted(rendered))


def _term(value: Any, kind: str, prefixes: Mapping[str, str]) -> str | None:
    """A CBV value (bare, URN or CURIE) as its Web URI; a custom URI as it is."""
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith("urn:epcglobal:cbv:"):
        group, _, term = text.removeprefix("urn:epcglobal:cbv:").partition(":")
        return f"{CBV}{URN_TERMS.get(group, kind)}-{term}"
    prefix, found, rest = text.partition(":")
    if found and prefix in prefixes:
        return prefixes[prefix] + rest
    return text if found else f"{CBV}{kind}-{text}"


def _persistent(value: Any, prefixes: Mapping[str, str]) -> str:
    if not isinstance(value, Mapping):
        return ""
    parts = [
        "".join(sorted(f"{key}={_term(v, 'Disp', prefixes)}" for v in value.get(key) or []))
        for key in ("set", "unset")
    ]
    return "persistentDisposition" + "".join(parts)


def _typed(field: str, key: str, kind: str, elements: Any, prefixes: Mapping[str, str]) -> str:
    if not elements:
        return ""
    rendered = [
        ("" if e.get("type") is None else f"type={_term(e['type'], kind, prefixes)}")
        + f"{key}={canonical(str(e[key]))}"
        for e in elements
    ]
    return field + "".join(sorted(rendered))


def _sensors(elements: Any, prefixes: Mapping[str, str], ignored: Collection[str]) -> str:
    """Each sensor element: its metadata, its reports (sorted), each with its extensions last."""
    if not elements:
        return ""

    def fields(block: Mapping[str, Any], order: tuple[str, ...]) -> str:
        text = "".join(f"{k}={_sensor_value(k, block[k], prefixes)}" for k in order if k in block)
        return text + _extensions(block, prefixes, ignored, set(order))

    rendered = []
    for element in elements:
        text = "sensorElement"
        if isinstance(element.get("sensorMetadata"), Mapping):
            text += "sensorMetadata" + fields(element["sensorMetadata"], METADATA)
        reports = ["sensorReport" + fields(r, REPORT) for r in element.get("sensorReport") or []]
        extra = _extensions(element, prefixes, ignored, {"sensorMetadata", "sensorReport"})
        rendered.append(text + "".join(sorted(reports)) + extra)
    return "sensorElementList" + "".join(sorted(rendered))


def _sensor_value(key: str, value: Any, prefixes: Mapping[str, str]) -> str:
    """A sensor field's value: times in UTC; a bare measurement type or exception in gs1:."""
    if key in TIMES:
        return timestamp(str(value))
    if key in GS1_TERMS and isinstance(value, str) and ":" not in value:
        return STANDARD_PREFIXES["gs1"] + value.strip()
    return _value(value, prefixes)


def _value(value: Any, prefixes: Mapping[str, str]) -> str:
    if isinstance(value, str):
        prefix, found, rest = value.strip().partition(":")
        if found and prefix in prefixes:
            return prefixes[prefix] + rest
        return canonical(value)
    return number(value)


def _listed(key: str, value: Any, prefixes: Mapping[str, str]) -> str:
    """A field that holds one value or a list of them, each ``key=value``, sorted."""
    if value is None:
        return ""
    values = value if isinstance(value, list) else [value]
    return "".join(sorted(f"{key}={_value(v, prefixes)}" for v in values))


def _extensions(
    block: Mapping[str, Any],
    prefixes: Mapping[str, str],
    ignored: Collection[str],
    standard: Collection[str],
) -> str:
    """The user extensions of an event or of a field with an extension point, sorted."""
    found = [
        _extension(k, v, prefixes)
        for k, v in block.items()
        if k not in standard and not k.startswith("@") and _name(k, prefixes) not in ignored
    ]
    return "".join(sorted(found))


def _name(key: str, prefixes: Mapping[str, str]) -> str:
    """An extension's name as ``{namespace}local``."""
    prefix, _, local = key.partition(":")
    return "{" + prefixes.get(prefix, prefix + ":") + "}" + local


def _extension(key: str, value: Any, prefixes: Mapping[str, str]) -> str:
    name = _name(key, prefixes)
    if isinstance(value, Mapping):
        children = (_extension(k, v, prefixes) for k, v in value.items() if not k.startswith("@"))
        return name + "".join(sorted(children))
    if isinstance(value, list):
        return "".join(sorted(_extension(key, item, prefixes) for item in value))
    return f"{name}={number(value)}"
