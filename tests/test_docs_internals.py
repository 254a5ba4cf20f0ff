"""docs/internals.md stays true to the tree: its module map names every module of ``emulator/``,
and every module path the page names exists.

A module is named by its path inside the package (``dynamodb/engine/table.py``); a package's
``__init__.py`` by the package's folder (``dynamodb/engine/``). The map is a contract between
packages, so a new module is not finished until the page says where it stands; a moved or removed
module must not leave the page pointing at nothing.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "emulator"
DOC = ROOT / "docs" / "internals.md"
MODULE_MAP = "## Module map"
OPERATION_MAP = "<!-- operation-map:start -->", "<!-- operation-map:end -->"
PY_PATH = re.compile(r"[\w./]+\.py\b")


def modules() -> list[str]:
    """Every module of the package, by path inside it (``wire/server.py``)."""
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))


def section(text: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same level."""
    start = text.index(heading) + len(heading)
    following = text.find("\n## ", start)
    return text[start : len(text) if following < 0 else following]


def named_in_map() -> set[str]:
    """The code spans of the module map (paths of modules and folders)."""
    return set(re.findall(r"`([^`]+)`", section(DOC.read_text(encoding="utf-8"), MODULE_MAP)))


def without_operation_map(text: str) -> str:
    start, end = text.index(OPERATION_MAP[0]), text.index(OPERATION_MAP[1])
    return text[:start] + text[end:]


def test_every_module_is_named_in_the_module_map():
    named = named_in_map()
    missing = []
    for path in modules():
        if path == "__init__.py":
            wanted = {path}
        elif path.endswith("/__init__.py"):
            wanted = {path, path.removesuffix("__init__.py")}
        else:
            wanted = {path}
        if not wanted & named:
            missing.append(path)
    assert not missing, f"modules of emulator/ not named in the module map of docs/internals.md: {missing}"


def test_every_path_in_the_module_map_exists():
    known = set(modules())
    stale = sorted(
        name
        for name in named_in_map()
        if (name.endswith(".py") and name not in known)
        or (name.endswith("/") and not (PACKAGE / name.removeprefix("emulator/") / "__init__.py").is_file())
    )
    assert not stale, f"the module map names modules that do not exist: {stale}"


def test_every_module_path_on_the_page_exists():
    """Paths in the prose may be short (``asl/jsonpath.py``, ``test_ops_items.py``): each must end
    the path of a module or of a file of the repository's tests or docs."""
    known = [
        p.relative_to(ROOT).as_posix()
        for top in ("emulator", "tests", "docs")
        for p in (ROOT / top).rglob("*.py")
    ]
    text = without_operation_map(DOC.read_text(encoding="utf-8"))
    stale = []
    for name in sorted(set(PY_PATH.findall(text))):
        if not any(p == name or p.endswith("/" + name) for p in known):
            stale.append(name)
    assert not stale, f"docs/internals.md names modules that do not exist: {stale}"


def load_operation_map() -> ModuleType:
    spec = importlib.util.spec_from_file_location("operation_map", ROOT / "docs" / "operation_map.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_operation_map_is_what_the_script_generates():
    """The "where to find X" table is generated from the registries, the code and the tests; a
    committed table that differs is stale: rerun ``python docs/operation_map.py --write``."""
    text = DOC.read_text(encoding="utf-8")
    start, end = OPERATION_MAP
    committed = text[text.index(start) + len(start) : text.index(end)].strip()
    generated = load_operation_map().table().strip()
    stale = [
        line
        for line in difflib.unified_diff(committed.splitlines(), generated.splitlines(), lineterm="", n=0)
    ]
    assert committed == generated, (
        "docs/internals.md's operation map is stale; run `python docs/operation_map.py --write`:\n"
        + "\n".join(stale[:20])
    )
