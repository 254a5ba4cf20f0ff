"""Generate the "where to find X" map of docs/internals.md from the operation registries.

Usage (from the repository root)::

    python docs/operation_map.py            # print the table
    python docs/operation_map.py --write    # replace the map in docs/internals.md

For every operation a service registers (DynamoDB, DynamoDB Streams, Step Functions) the table
names its handler (``module:function``, and the fast pre-hook the registration carries), the
request checks, the messages module it takes its texts from, and its test files.

The request checks start with what the registration declares: the request shape
(``registry.operations[name].shape``, e.g. ``request_shapes.PUT_ITEM``) and the registry's
function that checks it before the handler runs (``validation.check``). The rest, like the
messages and the tests, is read off the code: the names a handler's code uses (and, one or two
calls deep, the code of the helpers of its own package it calls) are resolved to the modules that
define them; a module counts as validation when its name says so (``validation``, ``validate``)
or the function is a ``validate_*``/``check*``/``required`` check, and as messages when its name
ends in ``messages``.

Tests: only files that call the operation (``.put_item(`` or ``"PutItem"``) count. Files whose
name holds the operation's snake_case name come first (``test_stop_execution.py``), then those
whose name holds its handler module's (``test_ops_items.py`` for ``operations/items.py``), then
the rest; within each, the files that call it most. tests/test_docs_internals.py checks that the
committed map is what this script generates.
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import sys
import types
from collections.abc import Callable, Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import emulator  # noqa: E402
from emulator.service import Operation, snake_case  # noqa: E402

SERVICES = [
    ("dynamodb", "DynamoDB"),
    ("dynamodbstreams", "DynamoDB Streams"),
    ("stepfunctions", "Step Functions"),
    ("s3", "S3"),
]
VALIDATION_MODULES = re.compile(r"(^|\.)(validation|validate)$")
VALIDATION_FUNCTIONS = re.compile(r"^(validated?_\w*|check\w*|required|parse_arn|raise_validation|load)$")
TEST_FOLDERS = {
    "dynamodb": "tests/dynamodb/",
    "dynamodbstreams": "tests/dynamodb/",
    "stepfunctions": "tests/stepfunctions/",
    "s3": "tests/s3/",
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


def shape_name(shape: object, handler_module: str) -> str | None:
    """``request_shapes.PUT_ITEM``: the module-level name that holds a registered request shape,
    looked up in the service's shapes modules first, then in the handler's own module."""
    modules = sorted(m for m in sys.modules if m.startswith("emulator.") and m.endswith("shapes"))
    for module in [*modules, handler_module]:
        for name, value in sorted(vars(sys.modules[module]).items()):
            if value is shape and name.isupper():
                return f"{module.rsplit('.', 1)[-1]}.{name}"
    return None


def declared_checks(operation: Operation, validate: Callable | None) -> str:
    """The checks the registration declares: its shape and the function that checks it."""
    if operation.shape is None or validate is None:
        return ""
    name = shape_name(operation.shape, inspect.unwrap(operation.handler).__module__)
    checker = f"{validate.__module__.rsplit('.', 1)[-1]}.{validate.__name__}"
    return f"`{name}` + `{checker}`" if name else f"`{checker}`"


def describe(fn: types.FunctionType) -> tuple[str, str]:
    """The validation (what the code calls) and messages cells of one handler."""
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
    return checks, texts or "in the handler"


def test_files() -> dict[str, str]:
    """Path (from the repository root) → text of every test file, in path order."""
    files = {}
    for folder, dirs, names in os.walk(os.path.join(ROOT, "tests")):
        dirs.sort()
        for name in sorted(names):
            if name.startswith("test_") and name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    files[os.path.relpath(path, ROOT)] = f.read()
    return files


def names_hold(path: str, name: str) -> bool:
    """Whether a test file's name holds ``name`` as whole words: ``test_ops_query_scan.py`` holds
    ``query`` and ``scan``, ``test_ops_plain_put.py`` does not hold ``put_item``."""
    stem = os.path.basename(path).removesuffix(".py")
    return f"_{name}_" in f"_{stem}_"


def tests_of(service: str, op: str, handler_module: str, files: dict[str, str]) -> str:
    """The two test files that call ``op``, best first (see the module docstring); those of the
    service's folder, or any file when none there does."""
    call = re.compile(rf"\.{snake_case(op)}\(|\"{op}\"")
    counts = {path: len(call.findall(text)) for path, text in files.items()}
    calling = [p for p, n in counts.items() if n and p.startswith(TEST_FOLDERS[service])]
    if not calling:
        calling = [p for p, n in counts.items() if n]
    concept = handler_module.rsplit(".", 1)[-1]

    def rank(path: str) -> tuple[int, int, str]:
        tier = 0 if names_hold(path, snake_case(op)) else 1 if names_hold(path, concept) else 2
        return tier, -counts[path], path

    best = sorted(calling, key=rank)[:2]
    return ", ".join(f"`{p.removeprefix('tests/')}`" for p in best) or "none found"


def rows() -> Iterator[str]:
    files = test_files()
    with emulator.Emulator() as world:
        for name, title in SERVICES:
            service = world.service(name)
            registry = service.registry
            for op in service.operation_names():
                operation = registry.operations[op]
                fn = inspect.unwrap(operation.handler)
                called, messages = describe(fn)
                declared = declared_checks(operation, registry.validate)
                validation = "; ".join(c for c in (declared, called) if c) or "in the handler"
                handler = f"`{short(fn.__module__)}:{fn.__name__}`"
                if operation.fast is not None:
                    handler += f" (pre-hook `{inspect.unwrap(operation.fast).__name__}`)"
                tests = tests_of(name, op, fn.__module__, files)
                yield f"| {title} | {op} | {handler} | {validation} | {messages} | {tests} |"


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
