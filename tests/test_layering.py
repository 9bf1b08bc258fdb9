"""The package's shape: imports run one way (no circle) and modules stay under 600 lines.

The import graph is read from the source with :mod:`ast`: module-level and
function-level imports alike, but not those under ``if TYPE_CHECKING:`` (they never
run).  ``from package import name`` runs the package's ``__init__``, so it counts as
importing the package (and the submodule ``name``, when it is one): a module inside a
package therefore imports its siblings by their full dotted path, never through the
package's ``__init__``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "mesorefs"
MAX_LINES = 600

DATA_TABLES: dict[str, str] = {
    # modules that are mostly data, with the reason they may be long
}
"""Modules allowed over :data:`MAX_LINES` because they are data tables, with why."""

NOT_YET_SPLIT: dict[str, str] = {}
"""Known exceptions still to be split; the list only shrinks."""


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, at any depth, skipping TYPE_CHECKING blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            for other in node.orelse:
                yield from _imports(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def import_graph() -> dict[str, set[str]]:
    """For each module of the package, the modules of the package it imports."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_function_level_and_package_imports() -> None:
    """The graph holds an import made inside a function and one made through a package."""
    graph = import_graph()
    assert "mesorefs.snapshot.catalogue" in graph["mesorefs.resolve.resolver"]
    assert "mesorefs" in graph["mesorefs.cli.app"]


def test_cycles_names_a_circle() -> None:
    """A circle of three modules is found and named; a chain is not a circle."""
    circle = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(circle) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_circle() -> None:
    """No module of mesorefs imports, directly or through others, a module that imports it."""
    found = cycles(import_graph())
    assert not found, "import circles: " + "; ".join(" <-> ".join(c) for c in found)


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize(
    "path",
    sorted(PACKAGE.rglob("*.py")),
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_module_is_under_the_line_limit(path: Path) -> None:
    """A module holds at most 600 lines, unless it is a data table or listed to be split."""
    name = path.relative_to(SRC).as_posix()
    if name in DATA_TABLES or name in NOT_YET_SPLIT:
        pytest.skip(DATA_TABLES.get(name) or NOT_YET_SPLIT[name])
    assert _lines(path) <= MAX_LINES, f"{name} has {_lines(path)} lines (limit {MAX_LINES})"


def test_the_exceptions_are_still_needed() -> None:
    """Every listed exception names a module that exists and is still over the limit."""
    for name in {**DATA_TABLES, **NOT_YET_SPLIT}:
        path = SRC / name
        assert path.exists(), f"{name} is listed but does not exist"
        assert _lines(path) > MAX_LINES, f"{name} is under the limit: drop it from the list"


def test_training_imports_no_benchmark() -> None:
    """No script under training/ imports a benchmark script (they import training instead)."""
    root = SRC.parent
    benchmarks = {p.stem for p in (root / "benchmarks").glob("*.py")} | {"benchmarks"}
    found = []
    for path in sorted((root / "training").glob("*.py")):
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                names = [node.module or ""]
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in benchmarks]
    assert not found, "training imports benchmarks: " + ", ".join(found)
