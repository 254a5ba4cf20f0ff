"""JSONPath for JSONPath-mode states: reading (``InputPath``, ``.$`` values, Choice ``Variable``) and
writing (``ResultPath``).

AWS evaluates paths with Jayway JsonPath (its messages leak into causes: ``No results for path:
$['a']``, ``Missing property in path $['no']``), so this module reproduces Jayway's behaviour for
the paths people actually write and delegates the rest to ``jsonpath-ng``:

* A *definite* path — ``$``, ``.name``, ``['name']``, ``["name"]``, ``[3]``, ``[-1]`` — is parsed
  here into a tuple of keys and walked directly. It is the hot path (no jsonpath-ng objects), and it
  gives Jayway's exact failure texts (see :class:`PathNotFound`).
* An *indefinite* path — wildcards, deep scan ``..``, slices, unions ``[0,1]``, filters
  ``[?(@.a >= 5)]`` — is handed to ``jsonpath_ng.ext``; like Jayway it yields a JSON array of the
  matches (possibly empty, never an error: ``JP-01``).

Roots (spec "Paths", ``JP-01``/``JP-14``/``CTX-01``): ``$...`` reads the data, ``$$...`` reads the
context object (first ``$`` stripped), ``$name...`` reads variable ``name``.

Quoted names in brackets: only the backslash-escaped delimiter (``\\'`` inside ``'...'``) is
unescaped; every other backslash stays literal. AWS observed: ``$['Test\\""Name"']`` selects the key
``Test\\""Name"`` (conformance case ESCAPE_SEQUENCES_JSONPATH).

Design: parses are cached by path text (``functools.lru_cache``); compiled paths are frozen slotted
dataclasses. Values returned are *shared* with the input document (no copies): callers treat JSON
values as immutable, and :func:`write_path` copies only the containers along the written path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
from jsonpath_ng.ext import parse as _ng_parse

__all__ = [
    "CompiledPath",
    "InvalidPath",
    "PathNotFound",
    "PathWriteError",
    "compact_json",
    "compile_path",
    "is_reference_path",
    "is_result_path",
    "is_valid_path",
    "read_path",
    "write_path",
]

Key = str | int

DATA = "data"
CONTEXT = "context"
VARIABLE = "variable"


class InvalidPath(ValueError):
    """The text is not a JSONPath AWS would accept (definition-time problem)."""


class PathNotFound(LookupError):
    """A path matched nothing. ``path`` is the path text; ``message`` is the Jayway detail that AWS
    puts after ``Invalid path '<p>' : `` (e.g. ``No results for path: $['a']``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class PathWriteError(ValueError):
    """``write_path`` could not place the value (an intermediate node is not an object/array)."""


@dataclass(frozen=True, slots=True)
class CompiledPath:
    """A parsed path. ``keys`` is set for definite paths, ``ng`` (a jsonpath-ng expression) for
    indefinite ones. ``root`` is ``data``, ``context`` or ``variable`` (then ``variable`` names it)."""

    text: str
    root: str
    variable: str | None
    keys: tuple[Key, ...] | None
    ng: Any = None

    @property
    def definite(self) -> bool:
        return self.keys is not None


# --------------------------------------------------------------------------------------------- parsing

_STOP = frozenset(".[ ()")


def _parse_definite(rest: str) -> tuple[Key, ...] | None:
    """Keys of a definite path tail (the text after the root ``$``), or None if the tail uses
    anything beyond dot/bracket names and single indices. Raises InvalidPath for broken syntax."""
    keys: list[Key] = []
    i, n = 0, len(rest)
    while i < n:
        c = rest[i]
        if c == ".":
            i += 1
            if i < n and rest[i] in ".*":
                return None  # deep scan / wildcard
            j = i
            while j < n and rest[j] not in _STOP:
                j += 1
            if j == i:
                if j < n and rest[j] == "[":
                    # "$.['a']" is tolerated by Jayway as "$['a']"
                    continue
                raise InvalidPath(f"Path must not end with a '.' or '..': {rest}")
            if j < n and rest[j] == "(":
                return None  # function call, e.g. .length()
            keys.append(rest[i:j])
            i = j
        elif c == "[":
            j = i + 1
            while j < n and rest[j] == " ":
                j += 1
            if j >= n:
                raise InvalidPath(f"Unclosed bracket in path: {rest}")
            q = rest[j]
            if q in "'\"":
                name_chars: list[str] = []
                k = j + 1
                while k < n and rest[k] != q:
                    if rest[k] == "\\" and k + 1 < n and rest[k + 1] == q:
                        name_chars.append(q)
                        k += 2
                        continue
                    name_chars.append(rest[k])
                    k += 1
                if k >= n:
                    raise InvalidPath(f"Unterminated quoted name in path: {rest}")
                k += 1
                while k < n and rest[k] == " ":
                    k += 1
                if k < n and rest[k] == ",":
                    return None  # ['a','b'] union
                if k >= n or rest[k] != "]":
                    raise InvalidPath(f"Expected ']' in path: {rest}")
                keys.append("".join(name_chars))
                i = k + 1
            else:
                k = rest.find("]", j)
                if k < 0:
                    raise InvalidPath(f"Unclosed bracket in path: {rest}")
                inner = rest[j:k].strip()
                try:
                    keys.append(int(inner))
                except ValueError:
                    return None  # *, slices, unions, filters
                i = k + 1
        else:
            raise InvalidPath(f"Illegal character at position {i} in path: {rest}")
    return tuple(keys)


def _split_root(text: str) -> tuple[str, str | None, str]:
    """(root kind, variable name, tail) of a path text; raises InvalidPath if it is not a path."""
    if not isinstance(text, str) or not text.startswith("$"):
        raise InvalidPath(f"Path must start with '$': {text!r}")
    if text.startswith("$$"):
        return CONTEXT, None, text[2:]
    if len(text) == 1 or text[1] in ".[":
        return DATA, None, text[1:]
    j = 1
    while j < len(text) and text[j] not in ".[":
        j += 1
    name = text[1:j]
    if not name.isidentifier():
        raise InvalidPath(f"Invalid variable reference in path: {text!r}")
    return VARIABLE, name, text[j:]


@lru_cache(maxsize=4096)
def compile_path(text: str) -> CompiledPath:
    """Parse (and cache) a path text. Raises :class:`InvalidPath`."""
    root, variable, tail = _split_root(text)
    keys = _parse_definite(tail)
    ng = None
    if keys is None:
        try:
            ng = _ng_parse("$" + tail)
        except (JsonPathParserError, JsonPathLexerError, Exception) as exc:  # jsonpath-ng raises bare Exception too
            raise InvalidPath(f"Invalid path {text!r}: {exc}") from None
    return CompiledPath(text, root, variable, keys, ng)


def is_valid_path(path: object) -> bool:
    """True if ``path`` is a JSONPath AWS accepts where a general Path is allowed."""
    if not isinstance(path, str):
        return False
    try:
        compile_path(path)
    except InvalidPath:
        return False
    return True


def is_reference_path(path: object) -> bool:
    """True for a Reference Path (spec ``JP-02``): identifies a single node, dot and bracket
    notation only (no ``@ , : ?``, wildcards, deep scan or functions). ``$$`` and ``$var`` roots are
    allowed (ItemsPath ``$$.Execution.Input``, SecondsPath ``$waitTime``)."""
    if not isinstance(path, str):
        return False
    try:
        return compile_path(path).definite
    except InvalidPath:
        return False


def is_result_path(path: object) -> bool:
    """True for a usable ``ResultPath`` (``ASL-VAL-18``): a Reference Path on the data, never
    ``$$`` and never a variable."""
    if not isinstance(path, str):
        return False
    try:
        cp = compile_path(path)
    except InvalidPath:
        return False
    return cp.definite and cp.root == DATA


# ------------------------------------------------------------------------------------------- reading


def _fragment(key: Key) -> str:
    return f"[{key}]" if isinstance(key, int) else f"['{key}']"


_JAVA_TYPES = {str: "java.lang.String", int: "java.lang.Integer", float: "java.lang.Double",
               bool: "java.lang.Boolean", list: "net.minidev.json.JSONArray",
               dict: "net.minidev.json.JSONObject"}


def _java_type(value: Any) -> str:
    if value is None:
        return "null"
    return _JAVA_TYPES.get(type(value), type(value).__name__)


def _walk(doc: Any, path: CompiledPath) -> Any:
    """Jayway's evaluation of a definite path, with its failure texts."""
    keys = path.keys
    assert keys is not None
    node = doc
    last = len(keys) - 1
    walked = "$"
    for pos, key in enumerate(keys):
        if isinstance(key, str):
            if not isinstance(node, dict):
                # Jayway PropertyPathToken on a non-object (exact provider class name: INF).
                raise PathNotFound(path.text, (
                    f"Expected to find an object with property {_fragment(key)} in path {walked} but "
                    f"found '{_java_type(node)}'. This is not a json object according to the "
                    "JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."))
            walked += _fragment(key)
            if key not in node:
                if pos == last:
                    raise PathNotFound(path.text, f"No results for path: {_normalized(keys)}")
                raise PathNotFound(path.text, f"Missing property in path {walked}")
            node = node[key]
        else:
            if not isinstance(node, list):
                raise PathNotFound(path.text, (
                    f"Filter: {_fragment(key)} can only be applied to arrays. Current context is: "
                    f"{compact_json(node)}"))
            walked += _fragment(key)
            idx = key + len(node) if key < 0 else key
            if not 0 <= idx < len(node):
                # Jayway swallows IndexOutOfBounds; the definite path then has no result.
                raise PathNotFound(path.text, f"No results for path: {_normalized(keys)}")
            node = node[idx]
    return node


def _normalized(keys: tuple[Key, ...]) -> str:
    return "$" + "".join(_fragment(k) for k in keys)


def compact_json(value: Any) -> str:
    """JSON text the way AWS prints values inside messages and ``States.JsonToString``: compact
    (no spaces), non-ASCII kept (Jackson does not escape it)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _root_value(path: CompiledPath, data: Any, context: Any, variables: Mapping[str, Any] | None) -> Any:
    if path.root == DATA:
        return data
    if path.root == CONTEXT:
        return context if context is not None else {}
    name = path.variable or ""
    if variables is None or name not in variables:
        # VAR-06: reading an unassigned variable in JSONPath is a States.Runtime path error (INF text).
        raise PathNotFound(path.text, f"The variable '${name}' is not defined")
    return variables[name]


def read_path(data: Any, path: str, *, context: Any = None,
              variables: Mapping[str, Any] | None = None) -> Any:
    """Value selected by ``path``. A definite path returns the node (raises :class:`PathNotFound`
    when absent); an indefinite path returns the list of matches (possibly empty).
    Raises :class:`InvalidPath` for text that is not a path."""
    if path == "$":
        return data
    cp = compile_path(path)
    doc = _root_value(cp, data, context, variables)
    if cp.keys is not None:
        if not cp.keys:
            return doc
        return _walk(doc, cp)
    return [m.value for m in cp.ng.find(doc)]


# ------------------------------------------------------------------------------------------- writing


def write_path(data: Any, path: str, value: Any) -> Any:
    """``data`` with ``value`` placed at the reference path ``path`` (ResultPath semantics, ``JP-09``).

    ``$`` replaces everything. Otherwise the containers along the path are copied (the input is never
    mutated; untouched branches are shared), missing object fields are created as ``{}`` on the way,
    an existing field is overwritten, and an array element may be replaced if it exists. Raises
    :class:`PathWriteError` if a node on the way is not an object (or array, for an index)."""
    cp = compile_path(path)
    if cp.keys is None or cp.root != DATA:
        raise InvalidPath(f"ResultPath must be a reference path on the input: {path!r}")
    keys = cp.keys
    if not keys:
        return value
    return _write(data, keys, 0, value, path)


def _write(node: Any, keys: tuple[Key, ...], pos: int, value: Any, path: str) -> Any:
    key = keys[pos]
    last = pos == len(keys) - 1
    if isinstance(key, str):
        if not isinstance(node, dict):
            raise PathWriteError(f"Cannot set field {key!r} on a non-object node for path {path!r}")
        out = dict(node)
        out[key] = value if last else _write(node.get(key, {}), keys, pos + 1, value, path)
        return out
    if not isinstance(node, list):
        raise PathWriteError(f"Cannot set index {key} on a non-array node for path {path!r}")
    idx = key + len(node) if key < 0 else key
    if not 0 <= idx < len(node):
        raise PathWriteError(f"Index {key} out of range for path {path!r}")
    out_list = list(node)
    out_list[idx] = value if last else _write(node[idx], keys, pos + 1, value, path)
    return out_list
