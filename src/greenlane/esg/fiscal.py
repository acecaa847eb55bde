"""Fiscal years that need not start in January: FY2025 ends in 2025.

With the year starting in April (as Alibaba's and Cainiao's do), FY2025 runs from 1 April 2024
to 31 March 2025; with January, FY2025 is the calendar year 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from greenlane.errors import FieldError

LABEL = re.compile(r"^FY(\d{4})$")
YEARS = range(1000, 9999)  # fiscal years whose bounds (and three before) are dates


@dataclass(frozen=True, slots=True)
class FiscalCalendar:
    """When a fiscal year starts (month 1-12)."""

    start_month: int = 1

    def __post_init__(self) -> None:
        """Refuse a month that does not exist."""
        if not 1 <= self.start_month <= 12:
            raise FieldError("start_month", f"must be 1-12, got {self.start_month!r}")

    def bounds(self, label: str) -> tuple[date, date]:
        """First day of the fiscal year and first day of the next."""
        year = parse_year(label)
        if self.start_month == 1:
            return date(year, 1, 1), date(year + 1, 1, 1)
        return date(year - 1, self.start_month, 1), date(year, self.start_month, 1)

    def label_of(self, day: date) -> str:
        """The fiscal year a day falls in."""
        ends_in = day.year + (1 if self.start_month > 1 and day.month >= self.start_month else 0)
        return f"FY{ends_in}"


def parse_year(label: str) -> int:
    """2025 for 'FY2025'.

    Parameters
    ----------
    label
        A fiscal year written ``FY`` and four digits.

    Returns
    -------
    int
        The year the fiscal year is named by.

    Raises
    ------
    ValueError
        If the label is not of that form.

    """
    match = LABEL.match(label.strip())
    if match is None:
        raise ValueError(f"a fiscal year is written FY and four digits (FY2025), got {label!r}")
    year = int(match.group(1))
    if year not in YEARS:
        raise ValueError(f"fiscal year must be FY{YEARS[0]}-FY{YEARS[-1]}, got {label!r}")
    return year
