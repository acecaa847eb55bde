"""The curated public API: every name resolves, importing greenlane loads no engine, typed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import greenlane


@pytest.mark.parametrize("name", greenlane.__all__)
def test_every_public_name_resolves_to_its_documented_object(name: str) -> None:
    """Each name is the object of the module it names, with a docstring."""
    module, attribute = greenlane.PUBLIC[name]
    value = getattr(greenlane, name)
    assert value is getattr(__import__(module, fromlist=[attribute]), attribute)
    assert (value.__doc__ or "").strip(), f"{name} has no docstring"


def test_all_lists_exactly_the_public_names() -> None:
    """``__all__`` (what ``from greenlane import *`` and the docs show) is the table's names."""
    assert sorted(greenlane.__all__) == sorted(greenlane.PUBLIC)


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name outside the API is not silently imported."""
    with pytest.raises(AttributeError, match="no attribute 'pipeline_internals'"):
        greenlane.pipeline_internals  # noqa: B018


def test_importing_greenlane_loads_no_engine() -> None:
    """``import greenlane`` costs nothing until a name is used."""
    probe = (
        "import sys, greenlane\n"
        "print(sorted(m for m in sys.modules if m.startswith('greenlane.')))\n"
        "greenlane.Problem\n"
        "print(sorted(m for m in sys.modules if m.startswith('greenlane.')))\n"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    before, after = found.stdout.splitlines()
    assert before == "[]" and after == "['greenlane.errors']", found.stderr


def test_the_package_says_it_is_typed() -> None:
    """PEP 561: the py.typed marker ships with the package."""
    assert (Path(greenlane.__file__).parent / "py.typed").is_file()


def _allocator_conf(env: dict[str, str]) -> str:
    """The jemalloc options Polars is given when greenlane is imported first."""
    probe = "import os, greenlane, polars\nprint(os.environ['_RJEM_MALLOC_CONF'])\n"
    clean = {k: v for k, v in os.environ.items() if k not in ("POLARS_THP", "_RJEM_MALLOC_CONF")}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=clean | env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_polars_allocator_keeps_pages_and_uses_huge_pages_unless_the_user_says_otherwise() -> None:
    """Set before Polars loads: Polars' own defaults, then greenlane's (later options win)."""
    options = _allocator_conf({}).split(",")
    assert "thp:always" in options
    assert options.index("dirty_decay_ms:5000") > options.index("dirty_decay_ms:500")
    mine = _allocator_conf({"POLARS_THP": "0", "_RJEM_MALLOC_CONF": "dirty_decay_ms:0"})
    assert mine.split(",") == ["dirty_decay_ms:500", "muzzy_decay_ms:1000", "dirty_decay_ms:0"]
