"""Kit verification: what was read into each kit against its bill of materials.

Reads come as one row per tag read (kit, kit type, the tag's EPC, the item it carries); a tag
read several times counts once. A kit fails when any item is missing, in excess, or not of
its bill of materials at all; a kit of an unknown type fails too. Failed kits are blocked from
dispatch.

The kit error rate comes with an exact (Clopper–Pearson) confidence interval. To claim a rate
at or below a target at a confidence level, the one-sided exact upper bound must be at or
below the target; with no errors that takes ``ceil(ln(1 - level) / ln(1 - target))`` kits
(9,985 for 0.03% at 95%).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from greenlane.errors import FieldError


@dataclass(frozen=True, slots=True)
class Read:
    """One tag read into a kit."""

    kit_id: str
    kit_type: str
    epc: str
    item: str


@dataclass(frozen=True, slots=True)
class KitCheck:
    """One kit against its bill of materials."""

    kit_id: str
    kit_type: str
    missing: dict[str, int]
    extra: dict[str, int]
    wrong: dict[str, int]  # items that are not in the bill of materials at all
    unknown_type: bool = False

    @property
    def passed(self) -> bool:
        """Exactly its bill of materials: it may be dispatched."""
        return not (self.missing or self.extra or self.wrong or self.unknown_type)


def bills_of_materials(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Each kit type's items and how many of each, from ``kit_type, item, quantity`` rows.

    Parameters
    ----------
    rows
        Typed bill-of-materials rows.

    Returns
    -------
    dict
        Kit type to item to quantity.

    """
    boms: dict[str, dict[str, int]] = {}
    for row in rows:
        boms.setdefault(str(row["kit_type"]), {})[str(row["item"])] = int(row["quantity"])
    return boms


def verify(reads: Iterable[Read], boms: Mapping[str, Mapping[str, int]]) -> list[KitCheck]:
    """Every kit read, checked against the bill of materials of its type.

    Parameters
    ----------
    reads
        The tag reads (kit, its type, the item read).
    boms
        Kit type to item to quantity.

    Returns
    -------
    list of KitCheck
        Each kit, passed or failed with what is missing or extra.

    """
    tags: dict[str, dict[str, str]] = defaultdict(dict)  # kit -> epc -> item
    types: dict[str, str] = {}
    for read in reads:
        tags[read.kit_id][read.epc] = read.item
        types[read.kit_id] = read.kit_type
    checks = []
    for kit_id in sorted(tags):
        counted = Counter(tags[kit_id].values())
        bom = boms.get(types[kit_id])
        if bom is None:
            checks.append(KitCheck(kit_id, types[kit_id], {}, {}, dict(counted), True))
            continue
        checks.append(
            KitCheck(
                kit_id,
                types[kit_id],
                missing={i: n - counted[i] for i, n in bom.items() if counted[i] < n},
                extra={i: counted[i] - n for i, n in bom.items() if counted[i] > n},
                wrong={i: n for i, n in counted.items() if i not in bom},
            )
        )
    return checks


@dataclass(frozen=True, slots=True)
class ErrorRate:
    """Failed kits over kits checked, with the exact interval and the one-sided bound."""

    failed: int
    checked: int
    lower: float
    upper: float
    upper_one_sided: float
    level: float

    @property
    def rate(self) -> float:
        """The observed error rate."""
        return self.failed / self.checked if self.checked else 0.0

    def supports(self, target: float) -> bool:
        """Whether the rate is shown to be at or below ``target`` at this level."""
        return self.upper_one_sided <= target


def error_rate(failed: int, checked: int, level: float = 0.95) -> ErrorRate:
    """Clopper–Pearson: the two-sided interval at ``level`` and the one-sided upper bound.

    Parameters
    ----------
    failed
        Kits that failed their check.
    checked
        Kits checked.
    level
        Confidence level.

    Returns
    -------
    ErrorRate
        The rate with its exact bounds.

    Raises
    ------
    ValueError
        Unless 0 <= failed <= checked and checked > 0.

    References
    ----------
    C. J. Clopper and E. S. Pearson, "The use of confidence or fiducial limits illustrated in
    the case of the binomial", Biometrika 26(4) (1934) 404-413.

    """
    if not 0 <= failed <= checked or checked == 0:
        raise ValueError(f"need 0 <= failed <= checked and checked > 0, got {failed}/{checked}")
    alpha = 1 - level
    from scipy.stats import beta  # here: SciPy's statistics cost 0.3 s to import

    lower = 0.0 if failed == 0 else float(beta.ppf(alpha / 2, failed, checked - failed + 1))
    upper = (
        1.0 if failed == checked else float(beta.ppf(1 - alpha / 2, failed + 1, checked - failed))
    )
    one_sided = 1.0 if failed == checked else float(beta.ppf(level, failed + 1, checked - failed))
    return ErrorRate(failed, checked, lower, upper, one_sided, level)


def kits_to_demonstrate(target: float, level: float = 0.95) -> int:
    """Error-free kits to inspect before the one-sided exact bound is at or below ``target``.

    Parameters
    ----------
    target
        The error rate to demonstrate.
    level
        Confidence level.

    Returns
    -------
    int
        The number of consecutive error-free kits.

    References
    ----------
    C. J. Clopper and E. S. Pearson, "The use of confidence or fiducial limits illustrated in
    the case of the binomial", Biometrika 26(4) (1934) 404-413.

    """
    if not 0 < target < 1:
        raise FieldError("target", f"must be in (0, 1), got {target!r}")
    return math.ceil(math.log1p(-level) / math.log1p(-target))
