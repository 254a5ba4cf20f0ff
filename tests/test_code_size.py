"""The house's size rules, checked on every run: small rooms stay small.

No module in ``emulator/`` is over 600 lines, except the tables (message texts and the intrinsic
functions' specs), and no function or method is over 60 lines. A module or function that grows past
these is a sign that it holds two concepts; split it rather than raise the limit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "emulator"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
TABLES = {  # modules that are tables of texts or specs, one entry a few lines each
    "dynamodb/messages.py",
    "stepfunctions/messages.py",
    "stepfunctions/asl/intrinsics.py",
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def relative(path: Path, root: Path = PACKAGE) -> str:
    return path.relative_to(root).as_posix()


def long_functions(path: Path, root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines = (node.end_lineno or node.lineno) - start + 1
            if lines > MAX_FUNCTION_LINES:
                found.append(f"{relative(path, root)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_the_package_is_where_the_checks_look():
    assert (PACKAGE / "__init__.py").is_file() and len(modules()) > 50


def test_no_module_is_over_600_lines_except_the_tables():
    too_long = [
        f"{relative(p)} ({n} lines)"
        for p in modules()
        if relative(p) not in TABLES
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == []


def test_no_function_is_over_60_lines():
    assert [f for p in modules() for f in long_functions(p)] == []


@pytest.mark.parametrize("lines, expected", [(60, []), (61, ["m.py:2 f (61 lines)"])])
def test_the_function_check_counts_decorators_and_body(tmp_path, lines, expected):
    body = "\n".join(["    x = 1"] * (lines - 2))
    source = tmp_path / "m.py"
    source.write_text(f"@decorator\ndef f():\n{body}\n")
    assert long_functions(source, root=tmp_path) == expected
