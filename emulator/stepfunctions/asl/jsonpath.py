"""JSONPath for JSONPath-mode states: reading (``InputPath``, ``.$`` values, Choice ``Variable``) and
writing (``ResultPath``).

AWS evaluates paths with Jayway JsonPath (its messages leak into causes: ``No results for path:
$['a']``, ``Missing property in path $['no']``), so this module reproduces Jayway's behaviour for
the paths people actually write and delegates the rest to ``jsonpath-ng``:

* A *definite* path — ``$``, ``.name``, ``['name']``, ``["name"]``, ``[3]``, ``[-1]`` — is parsed
  here into a tuple of keys and walked directly. It is the hot path (no jsonpath-ng objects), and it
  gives Jayway's exact failure texts (see :class:`PathNotFound`).
* An *indefinite* path — wildcards, deep scan ``..``, slices, unions ``[0,1]``, filters
  ``[?(@.a >= 5)]`` — is evaluated segment by segment here with Jayway's rules (``.*`` and ``[*]``
  alike on objects and arrays; deep scan in pre-order; missing members skipped); like Jayway it
  yields a JSON array of the matches (possibly empty, never an error: ``JP-01``). Filter predicates
  are evaluated by ``jsonpath_ng.ext`` (Jayway's ``&&`` mapped to its ``&``, ``||`` evaluated as
  alternatives); predicates jsonpath-ng cannot parse (``in``, ``!``, functions) are InvalidPath.

Roots (spec "Paths", ``JP-01``/``JP-14``/``CTX-01``): ``$...`` reads the data, ``$$...`` reads the
context object (first ``$`` stripped), ``$name...`` reads variable ``name``.

Quoted names in brackets: only the backslash-escaped delimiter (``\\'`` inside ``'...'``) is
unescaped; every other backslash stays literal. AWS observed: ``$['Test\\""Name"']`` selects the key
``Test\\""Name"`` (conformance case ESCAPE_SEQUENCES_JSONPATH).

Design: parses are cached by path text (``emulator.caches.memoize``); compiled paths are frozen slotted
dataclasses. Values returned are *shared* with the input document (no copies): callers treat JSON
values as immutable, and :func:`write_path` copies only the containers along the written path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jsonpath_ng.ext import parse as _ng_parse

from ...caches import memoize


def _conjunction_operator() -> str:
    """``&&`` where this jsonpath-ng understands it (>= 1.7 deprecates ``&``), else ``&``."""
    try:
        _ng_parse("$[?(@.a && @.b)]")
    except Exception:
        return "&"
    return "&&"


_AND = _conjunction_operator()

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
    "java_double",
    "read_compiled",
    "read_path",
    "skip_quoted",
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
class Child:
    """``.name`` / ``['name']`` (one name: definite) or ``['a','b']`` (a union)."""

    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Index:
    """``[3]`` / ``[-1]`` (one index: definite) or ``[0,2]`` (a union)."""

    indices: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Wildcard:
    """``.*`` / ``[*]``: the values of an object or the elements of an array (Jayway treats both
    spellings alike; jsonpath-ng does not, hence our own evaluator)."""


@dataclass(frozen=True, slots=True)
class Slice:
    """``[start:stop]`` / ``[start:stop:step]`` on arrays (Python slice semantics)."""

    start: int | None
    stop: int | None
    step: int | None


@dataclass(frozen=True, slots=True)
class DeepScan:
    """``..x``: ``segment`` applied to the node and all its descendants, in pre-order."""

    segment: Segment


@dataclass(frozen=True, slots=True)
class Filter:
    """``[?(<predicate>)]``. The predicate is evaluated by ``jsonpath_ng.ext`` (one compiled
    ``$[?(...)]`` per ``||`` alternative; Jayway's ``&&`` is rewritten to jsonpath-ng's ``&``)."""

    text: str
    alternatives: tuple[Any, ...]


Segment = Child | Index | Wildcard | Slice | DeepScan | Filter


@dataclass(frozen=True, slots=True)
class CompiledPath:
    """A parsed path. ``keys`` is set for definite paths (the fast path); ``segments`` always.
    ``root`` is ``data``, ``context`` or ``variable`` (then ``variable`` names it)."""

    text: str
    root: str
    variable: str | None
    keys: tuple[Key, ...] | None
    segments: tuple[Segment, ...] = ()

    @property
    def definite(self) -> bool:
        return self.keys is not None


# --------------------------------------------------------------------------------------------- parsing

_STOP = frozenset(".[ ()")


class _PathParser:
    """Recursive-descent parser of a path tail (the text after the root ``$``/``$$``/``$var``)."""

    def __init__(self, text: str, rest: str) -> None:
        self.text = text
        self.rest = rest
        self.i = 0

    def fail(self, message: str) -> InvalidPath:
        return InvalidPath(f"{message} at position {self.i} in path '{self.text}'")

    def segments(self) -> list[Segment]:
        rest, n = self.rest, len(self.rest)
        out: list[Segment] = []
        while self.i < n:
            c = rest[self.i]
            if rest.startswith("..", self.i):
                self.i += 2
                if self.i < n and rest[self.i] == "*":
                    self.i += 1
                    out.append(DeepScan(Wildcard()))
                elif self.i < n and rest[self.i] == "[":
                    out.append(DeepScan(self.bracket()))
                else:
                    out.append(DeepScan(Child((self.dot_name(),))))
            elif c == ".":
                self.i += 1
                if self.i < n and rest[self.i] == "*":
                    self.i += 1
                    out.append(Wildcard())
                elif self.i < n and rest[self.i] == "[":
                    continue  # Jayway tolerates "$.['a']"
                else:
                    out.append(Child((self.dot_name(),)))
            elif c == "[":
                out.append(self.bracket())
            else:
                raise self.fail(f"Illegal character '{c}'")
        return out

    def dot_name(self) -> str:
        rest, n = self.rest, len(self.rest)
        j = self.i
        while j < n and rest[j] not in _STOP:
            j += 1
        if j == self.i:
            raise self.fail("Path must not end with a '.' or '..'")
        if j < n and rest[j] == "(":
            raise self.fail("Functions are not supported")
        name = rest[self.i:j]
        self.i = j
        return name

    def skip_spaces(self) -> None:
        while self.i < len(self.rest) and self.rest[self.i] == " ":
            self.i += 1

    def expect(self, char: str) -> None:
        self.skip_spaces()
        if self.i >= len(self.rest) or self.rest[self.i] != char:
            raise self.fail(f"Expected '{char}'")
        self.i += 1

    def quoted(self) -> str:
        rest, n = self.rest, len(self.rest)
        q = rest[self.i]
        chars: list[str] = []
        k = self.i + 1
        while k < n and rest[k] != q:
            if rest[k] == "\\" and k + 1 < n and rest[k + 1] == q:
                chars.append(q)  # only the escaped delimiter is unescaped (see module docstring)
                k += 2
                continue
            chars.append(rest[k])
            k += 1
        if k >= n:
            raise self.fail("Unterminated quoted name")
        self.i = k + 1
        return "".join(chars)

    def bracket(self) -> Segment:
        rest, n = self.rest, len(self.rest)
        self.i += 1  # '['
        self.skip_spaces()
        if self.i >= n:
            raise self.fail("Unclosed bracket")
        c = rest[self.i]
        if c in "'\"":
            names = [self.quoted()]
            self.skip_spaces()
            while self.i < n and rest[self.i] == ",":
                self.i += 1
                self.skip_spaces()
                if self.i >= n or rest[self.i] not in "'\"":
                    raise self.fail("Expected a quoted name")
                names.append(self.quoted())
                self.skip_spaces()
            self.expect("]")
            return Child(tuple(names))
        if c == "*":
            self.i += 1
            self.expect("]")
            return Wildcard()
        if c == "?":
            return self.filter()
        k = rest.find("]", self.i)
        if k < 0:
            raise self.fail("Unclosed bracket")
        inner = rest[self.i:k].replace(" ", "")
        self.i = k + 1
        try:
            if ":" in inner:
                parts = inner.split(":")
                if len(parts) > 3:
                    raise ValueError(inner)
                bounds = [int(p) if p else None for p in parts] + [None] * (3 - len(parts))
                if bounds[2] == 0:
                    raise ValueError(inner)
                return Slice(bounds[0], bounds[1], bounds[2])
            return Index(tuple(int(p) for p in inner.split(",")))
        except ValueError:
            raise self.fail(f"Invalid array index or slice '[{inner}]'") from None

    def filter(self) -> Filter:
        rest, n = self.rest, len(self.rest)
        self.i += 1  # '?'
        self.skip_spaces()
        if self.i >= n or rest[self.i] != "(":
            raise self.fail("Expected '(' after '?'")
        start = self.i
        depth, k = 0, self.i
        while k < n:
            ch = rest[k]
            if ch in "'\"":
                k = skip_quoted(rest, k)
                continue
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        if k >= n or rest[k] != ")":
            raise self.fail("Unclosed filter expression")
        predicate = rest[start + 1:k]
        self.i = k + 1
        self.expect("]")
        alternatives = []
        for alt in _split_top(predicate, "||"):
            expr = _AND.join(_split_top(alt, "&&"))
            try:
                alternatives.append(_ng_parse(f"$[?({expr})]"))
            except Exception as exc:  # jsonpath-ng raises JsonPath*Error and bare Exception
                raise self.fail(f"Unsupported filter expression '{predicate}' ({exc})") from None
        return Filter(predicate, tuple(alternatives))


def skip_quoted(text: str, k: int) -> int:
    """Index just past the quoted string opening at ``text[k]`` (``'`` or ``"``; a backslash escapes
    the next character); ``len(text)`` or beyond when it is unclosed. The scanners of filter
    expressions and of intrinsic-function path arguments step over quotes with this."""
    quote, n = text[k], len(text)
    k += 1
    while k < n and text[k] != quote:
        k += 2 if text[k] == "\\" else 1
    return k + 1 if k < n else k


def _split_top(text: str, sep: str) -> list[str]:
    """Split ``text`` on ``sep`` outside quotes."""
    parts: list[str] = []
    last = i = 0
    while i < len(text):
        if text[i] in "'\"":
            i = skip_quoted(text, i)
            continue
        if text.startswith(sep, i):
            parts.append(text[last:i])
            i += len(sep)
            last = i
            continue
        i += 1
    parts.append(text[last:])
    return parts


def _definite_keys(segments: list[Segment]) -> tuple[Key, ...] | None:
    keys: list[Key] = []
    for seg in segments:
        if isinstance(seg, Child) and len(seg.names) == 1:
            keys.append(seg.names[0])
        elif isinstance(seg, Index) and len(seg.indices) == 1:
            keys.append(seg.indices[0])
        else:
            return None
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


def compile_path(text: str) -> CompiledPath:
    """Parse (and cache) a path text. Raises :class:`InvalidPath` (and nothing else)."""
    if not isinstance(text, str):
        raise InvalidPath(f"A path must be a string, not {type(text).__name__}")
    return _compile(text)


@memoize(4096)
def _compile(text: str) -> CompiledPath:
    root, variable, tail = _split_root(text)
    segments = _PathParser(text, tail).segments()
    return CompiledPath(text, root, variable, _definite_keys(segments), tuple(segments))


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
    """Jayway's evaluation of a definite path. Fast loop; on a miss :func:`_walk_explain` rewalks
    to raise the failure text."""
    node = doc
    for key in path.keys:  # type: ignore[union-attr]
        if isinstance(key, str):
            if type(node) is not dict or key not in node:
                return _walk_explain(doc, path)
            node = node[key]
        else:
            if type(node) is not list or not -len(node) <= key < len(node):
                return _walk_explain(doc, path)
            node = node[key]
    return node


def _walk_explain(doc: Any, path: CompiledPath) -> Any:
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
    """JSON text the way AWS (Jackson) prints values inside messages and ``States.JsonToString``:
    compact (no spaces), non-ASCII kept, and floats as Java prints doubles (``1.0E20``, ``1.5E-5``
    where Python would print ``1e+20``, ``1.5e-05``)."""
    if _has_scientific_float(value):
        return _java_json(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _has_scientific_float(value: Any) -> bool:
    """Whether Java would print some float in ``value`` in scientific notation."""
    if isinstance(value, float):
        return value != 0 and not 1e-3 <= abs(value) < 1e7
    if isinstance(value, dict):
        return any(_has_scientific_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_scientific_float(v) for v in value)
    return False


def _java_json(value: Any) -> str:
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _java_json(v)
                              for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_java_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def java_double(x: float) -> str:
    """``Double.toString`` (how AWS's Java runtime prints a double): ``1.0``, ``1.1``, ``1.0E7``,
    ``1.5E-5``; plain decimal for 1e-3 <= |x| < 1e7, otherwise scientific."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    if 1e-3 <= abs(x) < 1e7:
        s = repr(x)
        if "e" in s:  # cannot happen in this range for CPython's repr, kept for safety
            s = format(Decimal(s), "f")
        return s if "." in s else s + ".0"
    sign, digits, exp = Decimal(repr(x)).as_tuple()
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    e10 = len(digits) - 1 + int(exp)
    mant = ds[0] + "." + (ds[1:] or "0")
    return ("-" if sign else "") + f"{mant}E{e10}"


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
    return read_compiled(compile_path(path), data, context=context, variables=variables)


def read_compiled(cp: CompiledPath, data: Any, *, context: Any = None,
                  variables: Mapping[str, Any] | None = None) -> Any:
    """:func:`read_path` for an already compiled path (saves the cache lookup on hot paths)."""
    doc = _root_value(cp, data, context, variables)
    if cp.keys is not None:
        if not cp.keys:
            return doc
        return _walk(doc, cp)
    nodes = [doc]
    for seg in cp.segments:
        nodes = _apply(seg, nodes)
    return nodes


# ------------------------------------------------------------------------------ indefinite evaluation


def _apply(seg: Segment, nodes: list[Any]) -> list[Any]:
    """Jayway semantics for an indefinite path: missing members are skipped, never errors."""
    out: list[Any] = []
    if isinstance(seg, Child):
        for node in nodes:
            if isinstance(node, dict):
                out.extend(node[name] for name in seg.names if name in node)
    elif isinstance(seg, Index):
        for node in nodes:
            if isinstance(node, list):
                n = len(node)
                out.extend(node[i] for i in seg.indices if -n <= i < n)
    elif isinstance(seg, Wildcard):
        for node in nodes:
            if isinstance(node, dict):
                out.extend(node.values())
            elif isinstance(node, list):
                out.extend(node)
    elif isinstance(seg, Slice):
        for node in nodes:
            if isinstance(node, list):
                out.extend(node[seg.start:seg.stop:seg.step])
    elif isinstance(seg, DeepScan):
        every: list[Any] = []
        for node in nodes:
            _descendants(node, every)
        out = _apply(seg.segment, every)
    else:  # Filter: on an array, its matching elements; on an object, the object itself if it matches
        for node in nodes:
            candidates = node if isinstance(node, list) else [node] if isinstance(node, dict) else []
            if candidates:
                out.extend(_filter(seg, candidates))
    return out


def _descendants(node: Any, out: list[Any]) -> None:
    """``node`` and everything below it, pre-order (Jayway's deep-scan order)."""
    out.append(node)
    if isinstance(node, dict):
        for v in node.values():
            _descendants(v, out)
    elif isinstance(node, list):
        for v in node:
            _descendants(v, out)


def _filter(seg: Filter, items: list[Any]) -> list[Any]:
    """Elements of ``items`` matching any alternative of the predicate, in array order."""
    matched: set[int] = set()
    for alternative in seg.alternatives:
        try:
            matched.update(id(m.value) for m in alternative.find(items))
        except Exception:  # noqa: BLE001 - a predicate jsonpath-ng cannot evaluate matches nothing
            continue
    return [item for item in items if id(item) in matched]


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
