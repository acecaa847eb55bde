"""The Serial Shipping Container Code (SSCC) of every waybill.

An SSCC is 18 digits: an extension digit, the GS1 company prefix, a serial reference filling
the rest of 17 digits, and a check digit.

References
----------
GS1 General Specifications, section 7.9 (check digit calculation) and 2.2.1 (SSCC).

"""

from __future__ import annotations

from greenlane.errors import FieldError
from greenlane.gs1 import check_digit

SSCC_DIGITS = 18


def make_sscc(company_prefix: str, serial: int, extension: int = 0) -> str:
    """The SSCC of ``serial`` under a GS1 company prefix (7 to 10 digits).

    Parameters
    ----------
    company_prefix
        The GS1 company prefix.
    serial
        The serial reference.
    extension
        The extension digit.

    Returns
    -------
    str
        The 18-digit SSCC with its check digit.

    Raises
    ------
    ValueError
        When the prefix is not 7-10 digits, the extension not one digit, or the serial does
        not fit in the digits the prefix leaves.

    References
    ----------
    GS1 General Specifications: the SSCC (AI 00) and the standard check digit calculation.

    """
    if not (company_prefix.isdigit() and 7 <= len(company_prefix) <= 10):
        raise FieldError("company_prefix", f"must be 7-10 digits, got {company_prefix!r}")
    if not 0 <= extension <= 9:
        raise FieldError("extension", f"must be one digit, got {extension!r}")
    width = SSCC_DIGITS - 2 - len(company_prefix)
    if not 0 <= serial < 10**width:
        raise FieldError("serial", f"must be 0..{10**width - 1} under this prefix, got {serial}")
    body = f"{extension}{company_prefix}{serial:0{width}d}"
    return body + str(check_digit(body))
