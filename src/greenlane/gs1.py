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
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from urllib.parse import quote, unquote, urlsplit

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


def _text(value: str) -> str:
    """A serial or reference as the canonical Digital Link writes it (percent-encoded once)."""
    return quote(unquote(value), safe="'")


# EPC URI scheme -> (its dot-separated parts, how many lead in digits, its Digital Link path);
# TDS 2.0 section 6.3 gives the parts, Digital Link 1.2 the keys. Patterns name a class.
def _paths() -> dict[str, tuple[int, int, Callable[[list[str]], str]]]:
    def serial(key: str, value: str) -> str:
        return f"/{key}/{_text(value)}"

    return {
        "id:sgtin": (3, 2, lambda p: f"/01/{_gtin(p[0], p[1])}" + serial("21", p[2])),
        "id:sscc": (2, 2, lambda p: f"/00/{_checked(p[1][:1] + p[0] + p[1][1:])}"),
        "id:sgln": (3, 2, lambda p: f"/414/{_checked(p[0] + p[1])}"
                    + ("" if p[2] == "0" else serial("254", p[2]))),
        "id:grai": (3, 2, lambda p: f"/8003/0{_checked(p[0] + p[1])}{_text(p[2])}"),
        "id:giai": (2, 1, lambda p: f"/8004/{p[0]}{_text(p[1])}"),
        "id:gsrn": (2, 2, lambda p: f"/8018/{_checked(p[0] + p[1])}"),
        "id:gsrnp": (2, 2, lambda p: f"/8017/{_checked(p[0] + p[1])}"),
        "id:gdti": (3, 2, lambda p: f"/253/{_checked(p[0] + p[1])}{_text(p[2])}"),
        "id:cpi": (3, 1, lambda p: f"/8010/{p[0]}{_text(p[1])}" + serial("8011", p[2])),
        "id:sgcn": (3, 2, lambda p: f"/255/{_checked(p[0] + p[1])}{p[2]}"),
        "id:ginc": (2, 1, lambda p: f"/401/{p[0]}{_text(p[1])}"),
        "id:gsin": (2, 2, lambda p: f"/402/{_checked(p[0] + p[1])}"),
        "id:itip": (5, 4, lambda p: f"/8006/{_gtin(p[0], p[1])}{p[2]}{p[3]}" + serial("21", p[4])),
        "id:upui": (3, 2, lambda p: f"/01/{_gtin(p[0], p[1])}" + serial("235", p[2])),
        "id:pgln": (2, 2, lambda p: f"/417/{_checked(p[0] + p[1])}"),
        "class:lgtin": (3, 2, lambda p: f"/01/{_gtin(p[0], p[1])}" + serial("10", p[2])),
        "idpat:sgtin": (3, 2, lambda p: f"/01/{_gtin(p[0], p[1])}"),
        "idpat:grai": (3, 2, lambda p: f"/8003/0{_checked(p[0] + p[1])}"),
        "idpat:gdti": (3, 2, lambda p: f"/253/{_checked(p[0] + p[1])}"),
        "idpat:sgcn": (3, 2, lambda p: f"/255/{_checked(p[0] + p[1])}"),
        "idpat:cpi": (3, 1, lambda p: f"/8010/{p[0]}{_text(p[1])}"),
        "idpat:itip": (5, 4, lambda p: f"/8006/{_gtin(p[0], p[1])}{p[2]}{p[3]}"),
    }  # fmt: skip


SCHEMES = _paths()
EPC_URI = re.compile(r"^urn:epc:(id|class|idpat):([a-z0-9]+):(.+)$")
# Digital Link: short names of keys and qualifiers, the primary keys with the one qualifier the
# constrained form keeps (finest first), and how each primary key's value looks
SHORT_NAMES = {"gtin": "01", "sscc": "00", "gln": "414", "party": "417", "grai": "8003",
               "giai": "8004", "gdti": "253", "gcn": "255", "ginc": "401", "gsin": "402",
               "itip": "8006", "cpid": "8010", "gsrnp": "8017", "gsrn": "8018", "ser": "21",
               "lot": "10", "glnx": "254", "cpsn": "8011"}  # fmt: skip
QUALIFIERS = {"01": ("21", "235", "10"), "414": ("254",), "8006": ("21", "10"),
              "8010": ("8011",)}  # fmt: skip
KEY_VALUES = {
    "00": r"\d{18}",
    "01": r"\d{8}|\d{12,14}",
    "253": r"\d{13}.{0,17}",
    "255": r"\d{13}\d{0,12}",
    "401": r"\d{4}.{0,26}",
    "402": r"\d{17}",
    "414": r"\d{13}",
    "417": r"\d{13}",
    "8003": r"\d{14}.{0,16}",
    "8004": r"\d{4}.{0,26}",
    "8006": r"\d{18}",
    "8010": r"\d{4}.{0,26}",
    "8017": r"\d{18}",
    "8018": r"\d{18}",
}


@lru_cache(maxsize=1 << 16)  # readers repeat the same tags and places: convert each once
def canonical(identifier: str) -> str:
    """The constrained canonical GS1 Digital Link URI of an EPC URI or Digital Link.

    Digital Link URIs take the ``id.gs1.org`` domain and numeric keys, lose their query
    string, and keep only the finest level of identification (a GTIN with its serial, lot or
    TPX; a GLN with its extension ...). Anything else, or an EPC URI of a scheme without a
    Digital Link (or malformed), is returned as it is, without surrounding blanks.

    Parameters
    ----------
    identifier
        An EPC URI, a Digital Link URI or any other identifier.

    Returns
    -------
    str
        The canonical form.

    References
    ----------
    GS1 EPC Tag Data Standard 2.0, section 6.3; GS1 Digital Link URI Syntax 1.2, section
    4.11; GS1 CBV 2.0, section 8.9 (the constrained form the event hash uses).

    """
    value = identifier.strip()
    found = EPC_URI.match(value)
    if found:
        return _from_epc(found[1], found[2], found[3]) or value
    if value.startswith(("http://", "https://")):
        return _constrained(value) or value
    return value


def _from_epc(level: str, scheme: str, body: str) -> str | None:
    known = SCHEMES.get(f"{level}:{scheme}")
    parts = body.split(".")
    digits = parts[: known[1]] if known else []
    # a 12-digit company prefix leaves an empty reference (urn:epc:id:pgln:999999999999.)
    if known is None or len(parts) != known[0] or not all(p.isdigit() or not p for p in digits):
        return None
    if not parts[0].isdigit():
        return None
    if level == "idpat" and parts[-1] != "*":
        return None
    return DIGITAL_LINK + known[2](parts)


def _constrained(uri: str) -> str | None:
    """A Digital Link URI in its constrained canonical form; None when it is not one."""
    segments = [unquote(s) for s in urlsplit(uri).path.strip("/").split("/")]
    keys = [SHORT_NAMES.get(s, s) for s in segments]
    for n, key in enumerate(keys[:-1]):
        value = segments[n + 1]
        if key == "01" and re.fullmatch(KEY_VALUES[key], value):
            value = value.zfill(14)
        if key in KEY_VALUES and re.fullmatch(KEY_VALUES[key], value):
            pairs = dict(zip(keys[n + 2 :: 2], segments[n + 3 :: 2], strict=False))
            kept = next((q for q in QUALIFIERS.get(key, ()) if q in pairs), None)
            path = f"/{key}/{_text(value)}"
            return DIGITAL_LINK + path + ("" if kept is None else f"/{kept}/{_text(pairs[kept])}")
    return None


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
