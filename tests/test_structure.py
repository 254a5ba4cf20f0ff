"""Structure rules of the code base that anyone can check with the project's own tools.

No import cycle inside ``emulator/``: a cycle makes the import order matter, and the usual dodge,
an import inside a function, hides it from the reader. The check reads the source with :mod:`ast`
(nothing is imported), so it sees function-level imports as well as module-level ones.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "emulator"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name; a package is named by its ``__init__``."""
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST):
    """All import statements under ``node``, at any depth, except under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _import_nodes_of(other)
            continue
        yield from _import_nodes_of(child)


def _import_nodes_of(node: ast.AST):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _import_nodes(node)


def _imported(name: str, path: Path, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    """The emulator modules that executing ``node`` in module ``name`` imports directly."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        if node.level:
            package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
            base = package[: len(package) - (node.level - 1)]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        targets = [stem]
        # ``from pkg import x`` imports the submodule pkg.x when there is one
        targets += [f"{stem}.{alias.name}" for alias in node.names if f"{stem}.{alias.name}" in modules]
    found = set()
    for target in targets:
        parts = target.split(".")
        # importing a.b.c runs a/__init__ and a/b/__init__ first, except the importer's own
        # packages, which Python has necessarily begun to run before the importer itself
        for i in range(1, len(parts) + 1):
            module = ".".join(parts[:i])
            if module in modules and not (name == module or name.startswith(module + ".")):
                found.add(module)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the emulator modules it imports (module-level and function-level)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges: set[str] = set()
        for node in _import_nodes(tree):
            edges |= _imported(name, path, node, modules)
        graph[name] = edges
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components of ``graph`` with more than one module or a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph[succ]))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        found.append(sorted(component))
    return found


def _cycle_in(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """One concrete cycle through the component's first module, for the failure message."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for succ in sorted(graph[node] & members):
            if succ == start:
                return paths[node] + [start]
            if succ not in paths:
                paths[succ] = paths[node] + [succ]
                queue.append(succ)
    return component


def test_import_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    assert "emulator.world" in graph["emulator"]  # `from .world import Emulator`
    # `from .operations import tags`: the package and the submodule
    assert {"emulator.stepfunctions.operations", "emulator.stepfunctions.operations.tags"} <= graph[
        "emulator.stepfunctions.service"
    ]
    assert "emulator.stepfunctions.asl.validate" in graph["emulator.stepfunctions.asl.model"]  # in a function
    # `from ...service import OperationRegistry` in dynamodb/operations/__init__: not its own package
    assert "emulator" not in graph["emulator.dynamodb.operations"]


def test_strongly_connected_reports_cycles_and_self_loops():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"a"}, "b": set()}) == [["a"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_inside_emulator():
    graph = import_graph()
    cycles = [" -> ".join(_cycle_in(component, graph)) for component in strongly_connected(graph)]
    assert not cycles, "import cycles inside emulator/:\n" + "\n".join(cycles)
