"""The import graph follows docs/architecture.md.

No arrow up a layer or sideways (an engine never uses a sibling), no cycle between modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
LAYERS = {  # the top-level units of greenlane by layer; a unit imports only lower layers
    "foundation": ("errors", "settings", "logs"),
    "base": ("geo", "gs1", "factors", "io"),
    "kernel": ("emissions",),
    "engines": ("energy", "esg", "packing", "parcels", "relief", "routing", "traceability"),
    "store, scenario, reports": ("store", "scenario", "reports"),
    "application": ("app",),
    "faces": ("cli", "service"),
    "public API": ("__init__",),  # greenlane/__init__.py names what a program may use
}
RANK = {unit: rank for rank, units in enumerate(LAYERS.values()) for unit in units}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted((SRC / "greenlane").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _imports(module: str, path: Path, top_level_only: bool) -> set[str]:
    """The greenlane modules ``module`` imports (at module level only, if asked)."""
    tree = ast.parse(path.read_text())
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    nodes = _top_level(tree.body) if top_level_only else ast.walk(tree)
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {name for name in found if name.split(".")[0] == "greenlane"}


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run on import: not inside functions, classes or ``if TYPE_CHECKING``."""
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.If | ast.Try):
            yield from _top_level(node.body + node.orelse)
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_unit_has_a_layer() -> None:
    """A new top-level module or package is placed in a layer before it is used."""
    units = {_unit(module) for module, _ in _modules()}
    assert units == set(RANK), f"place these in LAYERS: {sorted(units ^ set(RANK))}"


def test_no_import_goes_up_or_sideways() -> None:
    """Every import (lazy ones too) points to a strictly lower layer, or within its own unit."""
    wrong = []
    for module, path in _modules():
        for target in _imports(module, path, top_level_only=False):
            a, b = _unit(module), _unit(target)
            if a != b and RANK[b] >= RANK[a]:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "\n".join(wrong)


def test_no_cycle_between_modules() -> None:
    """Modules import each other (at import time) without a cycle."""
    known = dict(_modules())
    graph = {
        m: {t for t in _imports(m, p, top_level_only=True) if t in known and t != m}
        for m, p in known.items()
    }
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle.extend([*path[path.index(nxt) :], node, nxt] if nxt in path else [node, nxt])
                return True
            if nxt not in state and visit(nxt, [*path, node]):
                return True
        state[node] = 2
        return False

    for module in sorted(graph):
        if module not in state and visit(module, []):
            break
    assert not cycle, " -> ".join(cycle)


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("from greenlane.store import connect\n", "greenlane.store"),
        ("def f():\n    from greenlane.routing import plan\n", "greenlane.routing"),
        ("from ...cli import main\n", "greenlane.cli"),
    ],
)
def test_the_checker_sees_lazy_and_relative_imports(source: str, bad: str, tmp_path: Path) -> None:
    """The walk finds an arrow however it is written (so the tests above can fail)."""
    path = tmp_path / "pack" / "__init__.py"
    path.parent.mkdir()
    path.write_text(source)
    assert any(t.startswith(bad) for t in _imports("greenlane.packing.pack", path, False))
