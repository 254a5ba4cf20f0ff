"""Every public method and function of DynamoDB's storage structures states its complexity.

As sortedcontainers does, each public function or method of the engine (``dynamodb/engine/``,
the change log included), the secondary indexes (``dynamodb/indexes.py``) and the streams
(``dynamodb/streams/``) has a ``Runtime complexity:`` line in its docstring, so that a caller can
see what a call costs without reading the code. Names starting with ``_`` (dunders included) are
private and exempt, as are the methods of private classes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

DYNAMODB = Path(__file__).resolve().parent.parent / "emulator" / "dynamodb"
MODULES = sorted(
    [
        *(DYNAMODB / "engine").glob("*.py"),
        DYNAMODB / "indexes.py",
        *(DYNAMODB / "streams").glob("*.py"),
    ]
)
MARK = "Runtime complexity:"


def public_functions(body: list[ast.stmt], prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    """(qualified name, node) of every public function and method of public classes in ``body``."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield from public_functions(node.body, f"{prefix}{node.name}.")


def test_the_checked_modules_are_there():
    names = {p.relative_to(DYNAMODB).as_posix() for p in MODULES}
    assert {"engine/table.py", "engine/changelog.py", "indexes.py", "streams/stream.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(DYNAMODB).as_posix())
def test_every_public_function_states_its_runtime_complexity(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [
        name for name, node in public_functions(tree.body) if MARK not in (ast.get_docstring(node) or "")
    ]
    assert not missing, f"{path.name}: no {MARK!r} line in the docstring of {missing}"
