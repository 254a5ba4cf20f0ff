"""Generate the "where to find X" map of docs/internals.md from the operation registries.

Usage (from the repository root)::

    python docs/operation_map.py            # print the table
    python docs/operation_map.py --write    # replace the map in docs/internals.md

For every operation a service registers (DynamoDB, DynamoDB Streams, Step Functions) the table
names its handler (``module:function``), the request checks it calls, the messages module it takes
its texts from, and the test files that call it most. The last three are read off the code, not
declared anywhere: the names a handler's code uses (and, one or two calls deep, the code of the
helpers of its own package it calls) are resolved to the modules that define them; a module counts
as validation when its name says so (``validation``, ``validate*``, ``requests``, ``param_types``)
or the function is a ``validate_*``/``check*``/``required`` check, and as messages when its name
ends in ``messages``. Test files are ranked by how often they call the operation
(``.put_item(`` or ``"PutItem"``).
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import sys
import types
from collections import Counter
from collections.abc import Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import emulator  # noqa: E402
from emulator.service import snake_case  # noqa: E402

SERVICES = [
    ("dynamodb", "DynamoDB"),
    ("dynamodbstreams", "DynamoDB Streams"),
    ("stepfunctions", "Step Functions"),
]
VALIDATION_MODULES = re.compile(r"(^|\.)(validation|validate)$")
VALIDATION_FUNCTIONS = re.compile(r"^(validated?_\w*|check\w*|required|parse_arn|raise_validation|load)$")
TEST_FOLDERS = {
    "dynamodb": "tests/dynamodb/",
    "dynamodbstreams": "tests/dynamodb/",
    "stepfunctions": "tests/stepfunctions/",
}
START, END = "<!-- operation-map:start -->", "<!-- operation-map:end -->"
DEPTH = 2


def short(module: str) -> str:
    """``emulator.dynamodb.operations.items`` → ``dynamodb/operations/items.py``."""
    return module.removeprefix("emulator.").replace(".", "/") + ".py"


def code_names(code: types.CodeType) -> Iterator[str]:
    """Every global or attribute name a function's code (and its nested functions) uses."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from code_names(const)


def uses(fn: types.FunctionType, depth: int, seen: set[int]) -> Iterator[tuple[str, str]]:
    """(module, name) of each emulator function or module attribute ``fn`` uses, following the
    helpers of ``fn``'s own package ``depth`` calls deep."""
    if id(fn) in seen:
        return
    seen.add(id(fn))
    names = set(code_names(fn.__code__))
    package = ".".join(fn.__module__.split(".")[:2])  # emulator.<service>
    for name in names:
        obj = fn.__globals__.get(name)
        if isinstance(obj, types.ModuleType) and obj.__name__.startswith("emulator."):
            for attr in names:
                if attr in vars(obj) and not attr.startswith("__"):
                    yield obj.__name__, attr
        elif isinstance(obj, types.FunctionType) and obj.__module__.startswith("emulator."):
            yield obj.__module__, obj.__name__
            if depth > 0 and obj.__module__.startswith(package):
                yield from uses(obj, depth - 1, seen)


def describe(fn: types.FunctionType) -> tuple[str, str]:
    """The validation and messages cells of one handler."""
    validation: dict[str, set[str]] = {}
    messages: dict[str, set[str]] = {}
    for module, name in uses(fn, DEPTH, set()):
        if module.endswith("messages"):
            messages.setdefault(module, set()).add(name)
        elif (VALIDATION_MODULES.search(module) or VALIDATION_FUNCTIONS.match(name)) and not name.startswith(
            "_"
        ):
            if isinstance(getattr(sys.modules[module], name, None), types.FunctionType):
                validation.setdefault(module, set()).add(name)

    checks = "; ".join(
        f"`{short(m)}` ({', '.join(sorted(found))})" for m, found in sorted(validation.items())
    )
    texts = ", ".join(f"`{short(m)}`" for m in sorted(messages))
    return checks or "in the handler", texts or "in the handler"


def test_files() -> dict[str, str]:
    files = {}
    for folder, _dirs, names in os.walk(os.path.join(ROOT, "tests")):
        for name in names:
            if name.startswith("test_") and name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    files[os.path.relpath(path, ROOT)] = f.read()
    return files


def tests_of(service: str, op: str, files: dict[str, str]) -> str:
    """The two test files of the service's folder that call ``op`` most (any file when none does)."""
    call = re.compile(rf"\.{snake_case(op)}\(|\"{op}\"")
    counts = Counter(
        {
            path: len(call.findall(text))
            for path, text in files.items()
            if path.startswith(TEST_FOLDERS[service])
        }
    )
    if not any(counts.values()):
        counts = Counter({path: len(call.findall(text)) for path, text in files.items()})
    best = [path for path, n in counts.most_common(2) if n]
    return ", ".join(f"`{p.removeprefix('tests/')}`" for p in best) or "none found"


def rows() -> Iterator[str]:
    files = test_files()
    with emulator.Emulator() as world:
        for name, title in SERVICES:
            service = world.service(name)
            for op in service.operation_names():
                fn = inspect.unwrap(service.registry.handlers[op])
                validation, messages = describe(fn)
                handler = f"`{short(fn.__module__)}:{fn.__name__}`"
                yield f"| {title} | {op} | {handler} | {validation} | {messages} | {tests_of(name, op, files)} |"


def table() -> str:
    head = ["| Service | Operation | Handler | Validation | Messages | Tests |", "|---|---|---|---|---|---|"]
    return "\n".join(head + list(rows()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the map in docs/internals.md")
    args = parser.parse_args(argv)
    text = table()
    if not args.write:
        print(text)
        return 0
    path = os.path.join(ROOT, "docs", "internals.md")
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    start, end = doc.index(START) + len(START), doc.index(END)
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc[:start] + "\n" + text + "\n" + doc[end:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
