"""greenlane: low-carbon, resilient logistics.

The public API: the names below are what a program using greenlane needs; each is loaded when
first used, so ``import greenlane`` (and the CLI's help) stays fast. Everything else is
internal and may change between versions.

>>> import greenlane
>>> frame = greenlane.calculate(tces)                  # ISO 14083 / GLEC emissions
>>> greenlane.plan_routes(problem, 0.1, 5.0, 1)        # green vehicle routing
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

# Polars' allocator, set before Polars loads (a user's own values win): transparent huge
# pages (Polars' POLARS_THP switch) and freed pages kept 5 s rather than Polars' 0.5 s, so
# that a large frame's next column reuses pages instead of faulting them in afresh. On 10M
# TCEs page faults had been a third of the kernel's time (110,000 a call; 350 with these).
os.environ.setdefault("POLARS_THP", "1")
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:5000,muzzy_decay_ms:5000")

PUBLIC = {  # name -> (module, attribute); the current settings are Settings()
    # errors and settings
    "GreenlaneError": ("greenlane.errors", "GreenlaneError"),
    "InputError": ("greenlane.errors", "InputError"),
    "Problem": ("greenlane.errors", "Problem"),
    "Settings": ("greenlane.settings", "Settings"),
    # the engines
    "calculate": ("greenlane.emissions", "calculate"),
    "CalculationResult": ("greenlane.emissions", "CalculationResult"),
    "Item": ("greenlane.packing.model", "Item"),
    "Carton": ("greenlane.packing.model", "Carton"),
    "plan_order": ("greenlane.packing.select", "plan_order"),
    "plan_routes": ("greenlane.routing.planner", "plan"),
    "plan_relief": ("greenlane.relief.dispatch", "plan"),
    "read_epcis": ("greenlane.traceability.epcis", "read_document"),
    "event_hash": ("greenlane.traceability.hashing", "event_hash"),
    "EsgTarget": ("greenlane.esg.targets", "EsgTarget"),
    # the store and the use cases
    "connect": ("greenlane.store", "connect"),
    "upgrade": ("greenlane.store", "upgrade"),
    "Terms": ("greenlane.app.parcels", "Terms"),
    "plan_parcels": ("greenlane.app.parcels", "plan_parcels"),
    "esg_model": ("greenlane.app.esg", "esg_model"),
    "run_pipeline": ("greenlane.app.pipeline", "run"),
    "summarize": ("greenlane.app.pipeline", "summarize"),
}
__all__ = [  # the names of PUBLIC (a test keeps the two equal)
    "CalculationResult", "Carton", "EsgTarget", "GreenlaneError", "InputError", "Item",
    "Problem", "Settings", "Terms", "calculate", "connect", "esg_model", "event_hash",
    "plan_order", "plan_parcels", "plan_relief", "plan_routes", "read_epcis", "run_pipeline",
    "summarize", "upgrade",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562)."""
    if name not in PUBLIC:
        raise AttributeError(f"module 'greenlane' has no attribute {name!r}")
    module, attribute = PUBLIC[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # what type checkers and editors see
    from greenlane.app.esg import esg_model
    from greenlane.app.parcels import Terms, plan_parcels
    from greenlane.app.pipeline import run as run_pipeline
    from greenlane.app.pipeline import summarize
    from greenlane.emissions import CalculationResult, calculate
    from greenlane.errors import GreenlaneError, InputError, Problem
    from greenlane.esg.targets import EsgTarget
    from greenlane.packing.model import Carton, Item
    from greenlane.packing.select import plan_order
    from greenlane.relief.dispatch import plan as plan_relief
    from greenlane.routing.planner import plan as plan_routes
    from greenlane.settings import Settings
    from greenlane.store import connect, upgrade
    from greenlane.traceability.epcis import read_document as read_epcis
    from greenlane.traceability.hashing import event_hash
