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
from collections.abc import Callable, Mapping
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
FRACTION = re.compile(r"^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(.*)$")


def event_hash(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str:
    """The event's hash ID; ``namespaces`` maps the document's CURIE prefixes to their URIs.

    Parameters
    ----------
    event
        The event as decoded JSON.
    namespaces
        The document's ``@context`` prefixes.

    Returns
    -------
    str
        ``ni:///sha-256;<hex>?ver=CBV2.0``.

    References
    ----------
    GS1 Core Business Vocabulary (CBV) 2.0, section 8.9 (event hash ID); GS1 EPCIS 2.0
    (2022).

    """
    digest = hashlib.sha256(prehash(event, namespaces).encode()).hexdigest()
    return f"ni:///sha-256;{digest}?ver={VERSION}"


def prehash(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> str:
    """The canonical pre-hash string of one event (JSON/JSON-LD binding).

    Parameters
    ----------
    event
        The event as decoded JSON.
    namespaces
        The document's ``@context`` prefixes.

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
    parts = [
        f"eventType={event['type']}",
        f"eventTime={timestamp(str(event['eventTime']))}",
        f"eventTimeZoneOffset={event['eventTimeZoneOffset']}",
    ]
    for field in EPC_LISTS:
        parts.append(_identifiers(field, event.get(field)))
    for field in QUANTITY_LISTS:
        parts.append(_quantities(field, event.get(field)))
    parts.append(_identifiers(OUTPUTS[0], event.get(OUTPUTS[0])))
    parts.append(_quantities(OUTPUTS[1], event.get(OUTPUTS[1])))
    parts.append(_scalar("action", event.get("action")))
    parts.append(_scalar("transformationID", event.get("transformationID")))
    parts.append(_scalar("bizStep", _term(event.get("bizStep"), "BizStep", prefixes)))
    parts.append(_scalar("disposition", _term(event.get("disposition"), "Disp", prefixes)))
    parts.append(_persistent(event.get("persistentDisposition"), prefixes))
    for field in ("readPoint", "bizLocation"):
        place = event.get(field)
        if isinstance(place, Mapping) and "id" in place:
            parts.append(f"{field}id={canonical(str(place['id']))}")
    for field, key, term in (
        ("bizTransactionList", "bizTransaction", "BTT"),
        ("sourceList", "source", "SDT"),
        ("destinationList", "destination", "SDT"),
    ):
        parts.append(_typed(field, key, term, event.get(field), prefixes))
    parts.append(_sensors(event.get("sensorElementList"), prefixes))
    ilmd = event.get("ilmd")
    if isinstance(ilmd, Mapping) and ilmd:
        parts.append("ilmd" + "".join(sorted(_extension(k, v, prefixes) for k, v in ilmd.items())))
    parts.append("".join(sorted(_extensions(event, prefixes))))
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
        f"epcClass={canonical(str(e['epcClass']))}"
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
        f"{key}={canonical(str(e[key]))}"
        + ("" if e.get("type") is None else f"type={_term(e['type'], kind, prefixes)}")
        for e in elements
    ]
    return field + "".join(sorted(rendered))


def _sensors(elements: Any, prefixes: Mapping[str, str]) -> str:
    if not elements:
        return ""

    def fields(block: Mapping[str, Any], order: tuple[str, ...]) -> str:
        value: Callable[[str, Any], str] = lambda k, v: (  # noqa: E731
            timestamp(str(v)) if k in TIMES else _value(v, prefixes)
        )
        return "".join(f"{k}={value(k, block[k])}" for k in order if k in block)

    rendered = []
    for element in elements:
        text = "sensorElement"
        if isinstance(element.get("sensorMetadata"), Mapping):
            text += "sensorMetadata" + fields(element["sensorMetadata"], METADATA)
        reports = ["sensorReport" + fields(r, REPORT) for r in element.get("sensorReport") or []]
        rendered.append(text + "".join(sorted(reports)))
    return "sensorElementList" + "".join(sorted(rendered))


def _value(value: Any, prefixes: Mapping[str, str]) -> str:
    if isinstance(value, str):
        prefix, found, rest = value.partition(":")
        if found and prefix in prefixes:
            return prefixes[prefix] + rest
        return canonical(value)
    return number(value)


def _extensions(event: Mapping[str, Any], prefixes: Mapping[str, str]) -> list[str]:
    found = [_extension(k, v, prefixes) for k, v in event.items() if k not in NOT_HASHED]
    for field in ("readPoint", "bizLocation"):
        place = event.get(field)
        if isinstance(place, Mapping):
            found += [field + _extension(k, v, prefixes) for k, v in place.items() if k != "id"]
    return found


def _extension(key: str, value: Any, prefixes: Mapping[str, str]) -> str:
    prefix, _, local = key.partition(":")
    name = "{" + prefixes.get(prefix, prefix + ":") + "}" + local
    if isinstance(value, Mapping):
        children = (_extension(k, v, prefixes) for k, v in value.items() if not k.startswith("@"))
        return name + "".join(sorted(children))
    if isinstance(value, list):
        return "".join(sorted(_extension(key, item, prefixes) for item in value))
    return f"{name}={number(value)}"
