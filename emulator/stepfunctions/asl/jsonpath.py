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

Design: parsing is :mod:`emulator.stepfunctions.asl.jsonpath_syntax` (cached by path text; its
public names are importable from here too); compiled paths are frozen slotted dataclasses. Values returned are *shared* with the input document (no copies): callers treat JSON
values as immutable, and :func:`write_path` copies only the containers along the written path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .. import messages as M
from .jsonpath_filter import PathPredicate
from .jsonpath_syntax import (
    CONTEXT,
    DATA,
    Child,
    CompiledPath,
    DeepScan,
    Filter,
    Index,
    InvalidPath,
    Key,
    Segment,
    Slice,
    Wildcard,
    compile_path,
    is_reference_path,
    is_result_path,
    is_valid_path,
    skip_quoted,
)

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


class PathNotFound(LookupError):
    """A path matched nothing. ``path`` is the path text; ``message`` is the Jayway detail that AWS
    puts after ``Invalid path '<p>' : `` (e.g. ``No results for path: $['a']``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class PathWriteError(ValueError):
    """``write_path`` could not place the value (an intermediate node is not an object/array)."""


# ------------------------------------------------------------------------------------------- reading


def _fragment(key: Key) -> str:
    return f"[{key}]" if isinstance(key, int) else f"['{key}']"


_JAVA_TYPES = {
    str: "java.lang.String",
    int: "java.lang.Integer",
    float: "java.lang.Double",
    bool: "java.lang.Boolean",
    list: "net.minidev.json.JSONArray",
    dict: "net.minidev.json.JSONObject",
}


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
                raise PathNotFound(path.text, M.not_an_object(_fragment(key), walked, _java_type(node)))
            walked += _fragment(key)
            if key not in node:
                if pos == last:
                    raise PathNotFound(path.text, M.no_results(_normalized(keys)))
                raise PathNotFound(path.text, M.missing_property(walked))
            node = node[key]
        else:
            if not isinstance(node, list):
                raise PathNotFound(path.text, M.not_an_array(_fragment(key), compact_json(node)))
            walked += _fragment(key)
            idx = key + len(node) if key < 0 else key
            if not 0 <= idx < len(node):
                # Jayway swallows IndexOutOfBounds; the definite path then has no result.
                raise PathNotFound(path.text, M.no_results(_normalized(keys)))
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
        return (
            "{"
            + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _java_json(v) for k, v in value.items())
            + "}"
        )
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
        raise PathNotFound(path.text, M.variable_not_defined(name))
    return variables[name]


def read_path(
    data: Any, path: str, *, context: Any = None, variables: Mapping[str, Any] | None = None
) -> Any:
    """Value selected by ``path``. A definite path returns the node (raises :class:`PathNotFound`
    when absent); an indefinite path returns the list of matches (possibly empty).
    Raises :class:`InvalidPath` for text that is not a path."""
    if path == "$":
        return data
    return read_compiled(compile_path(path), data, context=context, variables=variables)


def read_compiled(
    cp: CompiledPath, data: Any, *, context: Any = None, variables: Mapping[str, Any] | None = None
) -> Any:
    """:func:`read_path` for an already compiled path (saves the cache lookup on hot paths)."""
    doc = _root_value(cp, data, context, variables)
    if cp.keys is not None:
        if not cp.keys:
            return doc
        return _walk(doc, cp)
    nodes = [doc]
    for seg in cp.segments:
        nodes = _apply(seg, nodes, doc)
    return nodes


# ------------------------------------------------------------------------------ indefinite evaluation


def _apply(seg: Segment, nodes: list[Any], root: Any) -> list[Any]:
    """Jayway semantics for an indefinite path: missing members are skipped, never errors.
    ``root`` is the document read (``$`` inside a filter)."""
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
                out.extend(node[seg.start : seg.stop : seg.step])
    elif isinstance(seg, DeepScan):
        every: list[Any] = []
        for node in nodes:
            _descendants(node, every)
        out = _apply(seg.segment, every, root)
    else:  # Filter: on an array, its matching elements; on an object, the object itself if it matches
        for node in nodes:
            candidates = node if isinstance(node, list) else [node] if isinstance(node, dict) else []
            if candidates:
                out.extend(_filter(seg, candidates, root))
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


def _filter(seg: Filter, items: list[Any], root: Any) -> list[Any]:
    """Elements of ``items`` matching any alternative of the predicate, in array order."""
    matched: set[int] = set()
    for alternative in seg.alternatives:
        if isinstance(alternative, PathPredicate):
            matched.update(id(item) for item in items if alternative.matches(item, root))
            continue
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
        raise InvalidPath(M.result_path_not_reference(path))
    keys = cp.keys
    if not keys:
        return value
    return _write(data, keys, 0, value, path)


def _write(node: Any, keys: tuple[Key, ...], pos: int, value: Any, path: str) -> Any:
    key = keys[pos]
    last = pos == len(keys) - 1
    if isinstance(key, str):
        if not isinstance(node, dict):
            raise PathWriteError(M.cannot_set_field(key, path))
        out = dict(node)
        out[key] = value if last else _write(node.get(key, {}), keys, pos + 1, value, path)
        return out
    if not isinstance(node, list):
        raise PathWriteError(M.cannot_set_index(key, path))
    idx = key + len(node) if key < 0 else key
    if not 0 <= idx < len(node):
        raise PathWriteError(M.index_out_of_range(key, path))
    out_list = list(node)
    out_list[idx] = value if last else _write(node[idx], keys, pos + 1, value, path)
    return out_list
