"""GS1 check digits on published codes, and SSCCs built from a prefix and a serial."""

from __future__ import annotations

import pytest

from greenlane.gs1 import check_digit, is_valid
from greenlane.parcels.sscc import make_sscc


@pytest.mark.parametrize(
    "code",
    [
        "376104250021234569",  # SSCC in GS1's logistic label guideline
        "106141411234567897",  # SSCC with the GS1 US example prefix 0614141
        "4006381333931",  # GTIN-13
        "9780306406157",  # ISBN-13 (a GTIN-13)
        "036000291452",  # UPC-A (GTIN-12)
    ],
)
def test_published_codes_carry_their_check_digit(code: str) -> None:
    """The mod-10 digit of each code's body is its last digit; one changed digit fails."""
    assert check_digit(code[:-1]) == int(code[-1]) and is_valid(code)
    altered = code[:-2] + str((int(code[-2]) + 1) % 10) + code[-1]
    assert not is_valid(altered)


def test_an_sscc_is_18_digits_with_its_check_digit() -> None:
    """Extension 3, prefix 7610425, serial 2123456 make GS1's example SSCC."""
    assert make_sscc("7610425", 2123456, extension=3) == "376104250021234569"
    assert make_sscc("0614141", 123456789, extension=1) == "106141411234567897"


def test_bad_prefixes_serials_and_extensions_are_refused() -> None:
    """A short prefix, a serial too long for the prefix, a two-digit extension: ValueError."""
    with pytest.raises(ValueError, match="7-10 digits"):
        make_sscc("123", 1)
    with pytest.raises(ValueError, match="serial must be"):
        make_sscc("0614141", 10**9)
    with pytest.raises(ValueError, match="one digit"):
        make_sscc("0614141", 1, extension=12)
    with pytest.raises(ValueError, match="digits only"):
        check_digit("12a")
