"""Exact running sums: a day's totals the same whatever the parts its TCEs came in."""

from __future__ import annotations

import math
from collections.abc import Iterable


class ExactSum:
    """The correctly rounded sum of every value added, in any number of parts.

    ``math.fsum`` rounds once, at the end; adding the fsums of parts would round once per
    part, so the total would depend on how the day was cut. Each part is kept instead as the
    few floats that add up to its sum exactly (the rounded sum, then what rounding left out,
    until nothing is), and the total is the fsum of those: equal to ``math.fsum`` of all the
    values at once, to the last bit.
    """

    def __init__(self) -> None:
        self._parts: list[float] = []

    def add(self, values: Iterable[float]) -> None:
        """Add values (finite floats)."""
        rest = list(values)
        while (part := math.fsum(rest)) != 0.0:
            self._parts.append(part)
            rest.append(-part)

    @property
    def value(self) -> float:
        """The sum of everything added, rounded once."""
        return math.fsum(self._parts)
