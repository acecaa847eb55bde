"""Relief kits as RFID sees them: the reads of EPCIS aggregations, for the kit check.

The one place the traceability engine (EPCIS events) meets the relief engine (kit checks):
a kit is the parent of AggregationEvents (what it holds after them), an SGTIN whose GTIN is
its type; each child's item is its GTIN (or the EPC itself when it names none).
"""

from __future__ import annotations

from collections.abc import Iterable

from greenlane.errors import InputError, Problem
from greenlane.gs1 import gtin_of
from greenlane.relief.kits import Read
from greenlane.traceability.aggregation import contents
from greenlane.traceability.epcis import Event


def kit_reads(events: Iterable[Event], name: str) -> list[Read]:
    """The tag reads of every kit the events pack; InputError if a kit is not an SGTIN."""
    reads, wrong = [], []
    for kit, children in contents(events).items():
        kit_type = gtin_of(kit)
        if kit_type is None:
            wrong.append(Problem(name, None, "parentID", f"{kit}: a kit must be an SGTIN"))
            continue
        reads += [Read(kit, kit_type, child, gtin_of(child) or child) for child in children]
    if wrong:
        raise InputError(wrong)
    return reads
