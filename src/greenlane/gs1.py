"""GS1 identifiers: check digits, and EPC URIs as canonical GS1 Digital Link URIs.

An EPC pure-identity URI (``urn:epc:id:grai:4012345.55555.987``) and a GS1 Digital Link URI
(``https://id.gs1.org/8003/04012345555554987``) name the same thing; EPCIS 2.0 accepts both.
greenlane compares identifiers in the Digital Link form, so an event names its container the
same way whichever form the reader sent.

References
----------
GS1 General Specifications, section 7.9 (check digit calculation); GS1 EPC Tag Data Standard
2.0, section 6 (EPC URIs); GS1 Digital Link URI Syntax 1.2, section 4.11 (canonical form).

"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from urllib.parse import urlsplit

DIGITAL_LINK = "https://id.gs1.org"


def check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of ``digits`` (the code without its last digit).

    Notes
    -----
    From the right, digits are weighted 3, 1, 3, 1, ...; the check digit brings the weighted
    sum up to a multiple of ten.

    """
    if not digits.isdigit():
        raise ValueError(f"a GS1 code is digits only, got {digits!r}")
    total = sum(int(d) * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def is_valid(code: str) -> bool:
    """Whether a GS1 code (GTIN, SSCC, GLN ...) has the right check digit."""
    return len(code) >= 2 and code.isdigit() and check_digit(code[:-1]) == int(code[-1])


def _checked(digits: str) -> str:
    return digits + str(check_digit(digits))


def _gtin(prefix: str, item: str) -> str:
    """GTIN-14 from a company prefix and an item reference whose first digit is the indicator."""
    return _checked(item[:1] + prefix + item[1:])


def _sgtin(parts: list[str]) -> str:
    return f"/01/{_gtin(parts[0], parts[1])}/21/{parts[2]}"


def _sscc(parts: list[str]) -> str:
    return f"/00/{_checked(parts[1][:1] + parts[0] + parts[1][1:])}"


def _sgln(parts: list[str]) -> str:
    extension = "" if parts[2] == "0" else f"/254/{parts[2]}"
    return f"/414/{_checked(parts[0] + parts[1])}{extension}"


def _grai(parts: list[str]) -> str:
    return f"/8003/0{_checked(parts[0] + parts[1])}{parts[2]}"


def _giai(parts: list[str]) -> str:
    return f"/8004/{parts[0]}{parts[1]}"


def _gdti(parts: list[str]) -> str:
    return f"/253/{_checked(parts[0] + parts[1])}{parts[2]}"


def _pgln(parts: list[str]) -> str:
    return f"/417/{_checked(parts[0] + parts[1])}"


def _lgtin(parts: list[str]) -> str:
    return f"/01/{_gtin(parts[0], parts[1])}/10/{parts[2]}"


def _gtin_pattern(parts: list[str]) -> str:
    return f"/01/{_gtin(parts[0], parts[1])}"


SCHEMES = {  # scheme -> (number of dot-separated parts, Digital Link path)
    "id:sgtin": (3, _sgtin),
    "id:sscc": (2, _sscc),
    "id:sgln": (3, _sgln),
    "id:grai": (3, _grai),
    "id:giai": (2, _giai),
    "id:gdti": (3, _gdti),
    "id:pgln": (2, _pgln),
    "class:lgtin": (3, _lgtin),
    "idpat:sgtin": (3, _gtin_pattern),
}
EPC_URI = re.compile(r"^urn:epc:(id|class|idpat):([a-z0-9]+):(.+)$")
# the GS1 keys and key qualifiers the constrained canonical form keeps (finest level only)
KEPT_KEYS = frozenset(
    [
        "00",
        "01",
        "21",
        "10",
        "235",
        "253",
        "255",
        "401",
        "402",
        "414",
        "254",
        "417",
        "8003",
        "8004",
        "8006",
        "8010",
        "8011",
        "8017",
        "8018",
    ]
)


@lru_cache(maxsize=1 << 16)  # readers repeat the same tags and places: convert each once
def canonical(identifier: str) -> str:
    """The canonical GS1 Digital Link URI of an EPC URI or Digital Link; anything else as is.

    Digital Link URIs keep the ``id.gs1.org`` domain, lose their query string, and keep only
    the keys and qualifiers of the finest level of identification. An EPC URI of a scheme
    greenlane does not convert (or a malformed one) is returned unchanged.
    """
    value = identifier.strip()
    found = EPC_URI.match(value)
    if found:
        return _from_epc(found[1], found[2], found[3]) or value
    if value.startswith(("http://", "https://")) and re.search(r"/(00|01|414|8003|8004)/", value):
        return _constrained(value)
    return value


def _from_epc(level: str, scheme: str, body: str) -> str | None:
    known = SCHEMES.get(f"{level}:{scheme}")
    parts = body.split(".")
    if known is None or len(parts) != known[0] or not all(p.isdigit() for p in parts[:2]):
        return None
    return DIGITAL_LINK + known[1](parts)


def _constrained(uri: str) -> str:
    segments = urlsplit(uri).path.strip("/").split("/")
    start = next(i for i, s in enumerate(segments) if s in KEPT_KEYS)
    pairs = list(zip(segments[start::2], segments[start + 1 :: 2], strict=False))
    kept = [f"{key}/{value}" for key, value in pairs if key in KEPT_KEYS]
    return f"{DIGITAL_LINK}/{'/'.join(kept)}"


DIGITS = {"sgtin": 13, "sscc": 17, "sgln": 12, "grai": 12}  # company prefix + reference
KEY_LENGTHS = {"01": 14, "00": 18, "414": 13}


def identifier_problem(identifier: str) -> str | None:
    """Why an SGTIN, SSCC, SGLN or GRAI (EPC URI or Digital Link) is malformed, else None.

    EPC URIs: the company prefix and reference are digits of the right total length (the
    serial is free text). Digital Link: a GTIN, SSCC or GLN has its length and check digit; a
    GRAI its 14 digits and a serial (its check digit is not enforced: the OpenEPCIS examples,
    which the tests hold as valid, break it).
    """
    found = EPC_URI.match(identifier)
    if found and found[1] == "id" and found[2] in DIGITS:
        parts = found[3].split(".")
        wanted = 3 if found[2] != "sscc" else 2
        digits = "".join(parts[:2])
        if len(parts) != wanted or not digits.isdigit() or len(digits) != DIGITS[found[2]]:
            kind, size = found[2].upper(), DIGITS[found[2]]
            return f"not a {kind} EPC URI (prefix and reference: {size} digits)"
        return None
    if identifier.startswith(("http://", "https://")):
        segments = urlsplit(identifier).path.strip("/").split("/")
        for key, value in pairwise(segments):
            if key in KEY_LENGTHS:
                if len(value) != KEY_LENGTHS[key] or not is_valid(value):
                    return f"GS1 key {key} must be {KEY_LENGTHS[key]} digits with its check digit"
                return None
            if key == "8003" and not (14 < len(value) <= 30 and value[:14].isdigit()):
                return "GS1 key 8003 (GRAI) must be 14 digits and a serial of 1-16 characters"
    return None


def gtin_of(identifier: str) -> str | None:
    """The GTIN an SGTIN, LGTIN or GTIN names (in any form), else None."""
    path = urlsplit(canonical(identifier)).path.split("/")
    return path[2] if len(path) > 2 and path[1] == "01" else None
