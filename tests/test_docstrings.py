"""Every public function of the engines documents its parameters and its result (numpydoc).

Checked with numpydoc's own validator, so the sections are the ones numpydoc renders: each
parameter named in ``Parameters`` (and no other), a ``Returns`` section whenever the function
returns something. Methods that implement a standard or a paper say so under ``References``
(``REFERENCED`` below lists them).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import FunctionType

import pytest
from numpydoc.validate import validate

ENGINES = ("emissions", "energy", "esg", "packing", "parcels", "relief", "routing",
           "traceability")  # fmt: skip
CHECKS = {  # numpydoc's codes this project holds every public engine function to
    "GL08": "no docstring",
    "PR01": "a parameter is not documented",
    "PR02": "a documented parameter does not exist",
    "RT01": "no Returns section",
}
REFERENCED = (  # the methods of a standard or a paper: each cites it under References
    "greenlane.emissions.calculate",
    "greenlane.emissions.kernel.activity",
    "greenlane.emissions.kernel.allocate",
    "greenlane.emissions.kernel.emissions",
    "greenlane.emissions.report.build_report",
    "greenlane.energy.pv.clearsky",
    "greenlane.energy.pv.ac_kw",
    "greenlane.esg.scopes.scope_entries",
    "greenlane.packing.freesize.lsah",
    "greenlane.packing.container.load_container",
    "greenlane.parcels.sscc.make_sscc",
    "greenlane.relief.kits.error_rate",
    "greenlane.relief.dispatch.plan",
    "greenlane.relief.preposition.preposition",
    "greenlane.routing.planner.plan",
    "greenlane.routing.charging.plan_with_charging",
    "greenlane.traceability.hashing.event_hash",
    "greenlane.traceability.containers.containers_needed",
)


def _public_functions() -> list[str]:
    names = []
    for engine in ENGINES:
        package = importlib.import_module(f"greenlane.{engine}")
        modules = [package] + [
            importlib.import_module(m.name)
            for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
        ]
        for module in modules:
            for name, value in vars(module).items():
                if (
                    isinstance(value, FunctionType)
                    and not name.startswith("_")
                    and value.__module__ == module.__name__
                ):
                    names.append(f"{module.__name__}.{name}")
    return sorted(set(names))


PUBLIC = _public_functions()


def test_the_walk_finds_the_engines_functions() -> None:
    """The list is the engines' real surface (so the checks below cannot pass empty)."""
    assert len(PUBLIC) > 100 and "greenlane.emissions.calculate" in PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_engine_function_documents_its_parameters_and_result(name: str) -> None:
    """Numpydoc finds every parameter documented and the result described."""
    found = validate(name)
    errors = [f"{code}: {message}" for code, message in found["errors"] if code in CHECKS]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("name", REFERENCED)
def test_a_method_from_a_standard_or_paper_cites_it(name: str) -> None:
    """Its References section names the standard (clause) or the paper."""
    module, _, attribute = name.rpartition(".")
    doc = inspect.getdoc(getattr(importlib.import_module(module), attribute)) or ""
    assert "References\n----------\n" in doc, name
