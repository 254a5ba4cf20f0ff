"""Intrinsic functions of JSONPath states (reference §5, INT-01..INT-20).

Three parts:

* A real parser for the intrinsic syntax (spec "Intrinsic Functions")::

      call  := NAME '(' [arg (',' arg)*] ')'          NAME  := [A-Za-z0-9._]+ (a registered States.X)
      arg   := 'string' | number | null | true | false | path | call

  String literals use single quotes; ``\\'``, ``\\{``, ``\\}`` and ``\\\\`` are escapes (the braces stay
  literal braces in ``States.Format``); any other backslash is kept as is (AWS observed: a JSON text
  with ``\\"`` inside a literal reaches ``States.StringToJson`` intact); a trailing open backslash is an
  error. ``true``/``false`` are accepted (AWS observed: ``States.JsonMerge(..., false)``). Paths are
  ``$…``, ``$$…`` and ``$var…``. At most 10 nested calls per field (LIM-10). The AST is frozen slotted
  dataclasses; :func:`parse` is cached by text and raises only :class:`IntrinsicSyntaxError`.
* A registry ``FUNCTIONS`` of :class:`FunctionSpec` (name → arity, declared argument types,
  implementation). Arity is checked at parse time (definition error); argument types at run time.
* :func:`evaluate`, raising :class:`~emulator.stepfunctions.asl.failures.StatesFailure`:
  ``States.IntrinsicFailure`` (catchable, spec) for bad argument values, ``States.Runtime`` for a path
  argument that matches nothing (same text as a ``.$`` path). AWS's exact IntrinsicFailure causes
  were not captured (reference §15.7): ours name the function and the problem (INF).

Randomness (``MathRandom`` without seed, ``UUID``) comes from the ``rng`` argument (a
``random.Random``, e.g. ``Emulator.rng("intrinsics")``) so executions are reproducible (EMU-02).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...caches import memoize
from .. import messages as M
from .failures import RUNTIME, StatesFailure
from .jsonpath import (
    InvalidPath,
    PathNotFound,
    compact_json,
    compile_path,
    java_double,
    read_path,
    skip_quoted,
)

__all__ = [
    "FUNCTIONS",
    "Call",
    "FunctionSpec",
    "IntrinsicSyntaxError",
    "Literal",
    "PathArg",
    "StringLit",
    "compact_json",
    "evaluate",
    "is_intrinsic",
    "java_string",
    "parse",
]

INTRINSIC_FAILURE = "States.IntrinsicFailure"
MAX_NESTING = 10  # LIM-10
MAX_TEXT = 10_000  # LIM-10: Base64 / Hash inputs
MAX_RANGE = 1_000  # INT-07


class IntrinsicSyntaxError(ValueError):
    """The text is not a well-formed intrinsic function call (definition validation)."""


# ------------------------------------------------------------------------------------------------ AST


@dataclass(frozen=True, slots=True)
class StringLit:
    """A quoted string. ``value`` has escapes resolved; ``raw`` keeps them (Format needs ``\\{``)."""

    value: str
    raw: str


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, ``null``, ``true`` or ``false``."""

    value: Any


@dataclass(frozen=True, slots=True)
class PathArg:
    path: str


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Arg, ...]


Arg = StringLit | Literal | PathArg | Call


# --------------------------------------------------------------------------------------------- parser

_NAME_RE = re.compile(r"[A-Za-z0-9._]+")
_NUMBER_RE = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_INTRINSIC_RE = re.compile(r"\s*States\.[A-Za-z0-9._]+\s*\(")
_STRING_ESCAPES = frozenset("'{}\\")


def is_intrinsic(s: object) -> bool:
    """True if ``s`` looks like an intrinsic function call (``States.Name(``…)."""
    return isinstance(s, str) and _INTRINSIC_RE.match(s) is not None


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, message: str) -> IntrinsicSyntaxError:
        return IntrinsicSyntaxError(M.intrinsic_syntax(message, self.pos, self.text))

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def call(self, depth: int) -> Call:
        if depth > MAX_NESTING:
            raise self.error(M.intrinsic_nesting(MAX_NESTING))
        m = _NAME_RE.match(self.text, self.pos)
        if not m:
            raise self.error(M.INTRINSIC_NAME_EXPECTED)
        name = m.group(0)
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise self.error(M.intrinsic_unknown(name))
        self.pos = m.end()
        self.skip_ws()
        if self.peek() != "(":
            raise self.error(M.INTRINSIC_PAREN_EXPECTED)
        self.pos += 1
        args: list[Arg] = []
        self.skip_ws()
        if self.peek() == ")":
            self.pos += 1
        else:
            while True:
                self.skip_ws()
                args.append(self.arg(depth))
                self.skip_ws()
                c = self.peek()
                self.pos += 1
                if c == ")":
                    break
                if c != ",":
                    self.pos -= 1
                    raise self.error(M.INTRINSIC_SEPARATOR_EXPECTED)
        if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
            raise IntrinsicSyntaxError(M.intrinsic_arity(name, spec.arity_text(), len(args)))
        return Call(name, tuple(args))

    def arg(self, depth: int) -> Arg:
        c = self.peek()
        if c == "'":
            return self.string()
        if c == "$":
            return self.path()
        if c == "-" or c.isdigit():
            m = _NUMBER_RE.match(self.text, self.pos)
            if not m:
                raise self.error(M.INTRINSIC_INVALID_NUMBER)
            self.pos = m.end()
            num = m.group(0)
            if not (m.group(1) or m.group(2)):
                return Literal(int(num))
            number = float(num)
            if not math.isfinite(number):
                raise self.error(M.INTRINSIC_NUMBER_OUT_OF_RANGE)
            return Literal(number)
        for word, value in (("null", None), ("true", True), ("false", False)):
            if self.text.startswith(word, self.pos):
                end = self.pos + len(word)
                if end >= len(self.text) or not (self.text[end].isalnum() or self.text[end] in "._"):
                    self.pos = end
                    return Literal(value)
        if c and (c.isalpha()):
            return self.call(depth + 1)
        raise self.error(M.INTRINSIC_ARGUMENT_EXPECTED)

    def string(self) -> StringLit:
        self.pos += 1  # opening quote
        start = self.pos
        out: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                raise self.error(M.INTRINSIC_UNTERMINATED_STRING)
            c = text[self.pos]
            if c == "\\":
                if self.pos + 1 >= len(text):
                    raise self.error(M.INTRINSIC_OPEN_ESCAPE)
                nxt = text[self.pos + 1]
                out.append(nxt if nxt in _STRING_ESCAPES else c + nxt)
                self.pos += 2
                continue
            if c == "'":
                raw = text[start : self.pos]
                self.pos += 1
                return StringLit("".join(out), raw)
            out.append(c)
            self.pos += 1

    def path(self) -> PathArg:
        text = self.text
        start = self.pos
        depth = 0
        while self.pos < len(text):
            c = text[self.pos]
            if c in "'\"":
                self.pos = skip_quoted(text, self.pos)
                continue
            if c in "[(":
                depth += 1
            elif c in "])":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                break
            self.pos += 1
        path = text[start : self.pos].rstrip()
        try:
            compile_path(path)
        except InvalidPath as exc:
            raise IntrinsicSyntaxError(M.intrinsic_path_argument(path, exc)) from None
        return PathArg(path)


def parse(expr: str) -> Call:
    """AST of an intrinsic function call (cached). Raises :class:`IntrinsicSyntaxError`."""
    if not isinstance(expr, str):
        raise IntrinsicSyntaxError(M.INTRINSIC_NOT_A_STRING)
    return _parse(expr)


@memoize(2048)
def _parse(expr: str) -> Call:
    p = _Parser(expr)
    p.skip_ws()
    if not expr.startswith("States.", p.pos):
        raise p.error(M.INTRINSIC_NOT_STATES)
    try:
        call = p.call(1)
    except RecursionError:  # pragma: no cover - nesting is capped long before this
        raise IntrinsicSyntaxError(M.INTRINSIC_TOO_DEEP) from None
    p.skip_ws()
    if p.pos != len(expr):
        raise p.error(M.INTRINSIC_TRAILING_TEXT)
    return call


# ------------------------------------------------------------------------------------------ registry

ANY, STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT = (
    "any",
    "string",
    "number",
    "integer",
    "boolean",
    "array",
    "object",
)


def _is_type(value: Any, kind: str) -> bool:
    if kind == ANY:
        return True
    if kind == STRING:
        return isinstance(value, str)
    if kind == BOOLEAN:
        return isinstance(value, bool)
    if kind == ARRAY:
        return isinstance(value, list)
    if kind == OBJECT:
        return isinstance(value, dict)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if kind == INTEGER:
        return isinstance(value, int) or value == int(value)
    return True  # NUMBER


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """One intrinsic: arity (``max_args`` None = variadic) and declared types of positional
    arguments (the last type repeats for variadic functions)."""

    name: str
    min_args: int
    max_args: int | None
    types: tuple[str, ...]
    impl: Callable[..., Any]
    needs_rng: bool = False

    def arity_text(self) -> str:
        if self.max_args is None:
            return f"at least {self.min_args} argument(s)"
        if self.min_args == self.max_args:
            return f"{self.min_args} argument(s)"
        return f"{self.min_args} to {self.max_args} arguments"

    def type_of(self, index: int) -> str:
        if not self.types:
            return ANY
        return self.types[index] if index < len(self.types) else self.types[-1]


FUNCTIONS: dict[str, FunctionSpec] = {}


def intrinsic(
    name: str, min_args: int, max_args: int | None, *types: str, needs_rng: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register an implementation under ``States.<name>``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        full = f"States.{name}"
        FUNCTIONS[full] = FunctionSpec(full, min_args, max_args, types, fn, needs_rng)
        return fn

    return register


def _fail(name: str, message: str) -> StatesFailure:
    return StatesFailure(INTRINSIC_FAILURE, M.invalid_arguments(name, message))


# -------------------------------------------------------------------------------- value rendering


def java_string(value: Any) -> str:
    """Natural string form used by ``States.Format`` (INT-01, AWS observed): strings unquoted, numbers
    as Java prints them, ``null``, and objects/arrays Java-collection style ``{Arg1=1, Arg2=[]}``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(java_string(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={java_string(v)}" for k, v in value.items()) + "}"
    return str(value)


def _key(value: Any) -> Any:
    """Hashable identity for JSON deep equality (Jackson: 1 and 1.0 and true are all different)."""
    if isinstance(value, dict):
        return ("o", tuple(sorted((k, _key(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("a", tuple(_key(v) for v in value))
    return (type(value).__name__, value)


def _to_int(name: str, value: Any, what: str) -> int:
    if not _is_type(value, INTEGER):
        raise _fail(name, M.not_an_integer(what, compact_json(value)))
    return int(value)


def _java_round(x: float) -> int:
    """Java ``Math.round``: half up toward +infinity (INT-16)."""
    return int(math.floor(x + 0.5))


# ---------------------------------------------------------------------------------- implementations


@intrinsic("Format", 1, None, STRING, ANY)
def _format(fmt: str, *args: Any, raw: str | None = None) -> str:
    text = fmt if raw is None else raw
    pieces: list[str] = []
    buf: list[str] = []
    i, n, used = 0, len(text), 0
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _STRING_ESCAPES:
            buf.append(text[i + 1])
            i += 2
            continue
        if c == "{" and i + 1 < n and text[i + 1] == "}":
            if used >= len(args):
                raise _fail("States.Format", M.FORMAT_PLACEHOLDERS)
            buf.append(java_string(args[used]))
            used += 1
            i += 2
            continue
        buf.append(c)
        i += 1
    if used != len(args):
        raise _fail("States.Format", M.FORMAT_PLACEHOLDERS)
    pieces.append("".join(buf))
    return "".join(pieces)


@intrinsic("StringToJson", 1, 1, STRING)
def _string_to_json(s: str) -> Any:
    if not s.strip():
        return None  # AWS observed: "" and " " -> null
    try:
        return json.loads(s)
    except ValueError:
        raise _fail("States.StringToJson", M.not_json(s)) from None


@intrinsic("JsonToString", 1, 1, ANY)
def _json_to_string(value: Any) -> str:
    return compact_json(value)


@intrinsic("Array", 0, None, ANY)
def _array(*args: Any) -> list[Any]:
    return list(args)


@intrinsic("ArrayPartition", 2, 2, ARRAY, INTEGER)
def _array_partition(array: list[Any], size: Any) -> list[list[Any]]:
    n = _to_int("States.ArrayPartition", size, "the chunk size")
    if n <= 0:
        raise _fail("States.ArrayPartition", M.chunk_size_not_positive(n))
    return [array[i : i + n] for i in range(0, len(array), n)]


@intrinsic("ArrayContains", 2, 2, ARRAY, ANY)
def _array_contains(array: list[Any], value: Any) -> bool:
    k = _key(value)
    return any(_key(v) == k for v in array)


@intrinsic("ArrayRange", 3, 3, INTEGER, INTEGER, INTEGER)
def _array_range(start: Any, end: Any, step: Any) -> list[int]:
    a = _to_int("States.ArrayRange", start, "the start")
    b = _to_int("States.ArrayRange", end, "the end")
    s = _to_int("States.ArrayRange", step, "the step")
    if s == 0:
        raise _fail("States.ArrayRange", M.RANGE_STEP_ZERO)
    count = max(0, (b - a) // s + 1)
    if count > MAX_RANGE:
        raise _fail("States.ArrayRange", M.range_too_long(count, MAX_RANGE))
    return list(range(a, b + (1 if s > 0 else -1), s))


@intrinsic("ArrayGetItem", 2, 2, ARRAY, INTEGER)
def _array_get_item(array: list[Any], index: Any) -> Any:
    i = _to_int("States.ArrayGetItem", index, "the index")
    if not 0 <= i < len(array):
        raise _fail("States.ArrayGetItem", M.index_out_of_bounds(i, len(array)))
    return array[i]


@intrinsic("ArrayLength", 1, 1, ARRAY)
def _array_length(array: list[Any]) -> int:
    return len(array)


@intrinsic("ArrayUnique", 1, 1, ARRAY)
def _array_unique(array: list[Any]) -> list[Any]:
    # INT-10: AWS order not captured; keep the first occurrence (INF).
    seen: set[Any] = set()
    out = []
    for v in array:
        k = _key(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _limit_text(name: str, s: str) -> None:
    if len(s) > MAX_TEXT:
        raise _fail(name, M.text_too_long(MAX_TEXT, len(s)))


@intrinsic("Base64Encode", 1, 1, STRING)
def _base64_encode(s: str) -> str:
    _limit_text("States.Base64Encode", s)
    return base64.b64encode(s.encode("utf-8", "replace")).decode("ascii")  # Java: a lone surrogate → ?


@intrinsic("Base64Decode", 1, 1, STRING)
def _base64_decode(s: str) -> str:
    _limit_text("States.Base64Decode", s)
    try:
        return base64.b64decode(s.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise _fail("States.Base64Decode", M.NOT_BASE64) from None


_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


@intrinsic("Hash", 2, 2, ANY, STRING)
def _hash(data: Any, algorithm: str) -> str:
    alg = _HASHES.get(algorithm)
    if alg is None:
        raise _fail("States.Hash", M.hash_algorithm(list(_HASHES), algorithm))
    text = data if isinstance(data, str) else compact_json(data)
    _limit_text("States.Hash", text)
    return hashlib.new(alg, text.encode("utf-8", "replace")).hexdigest()  # Java: a lone surrogate → ?


@intrinsic("JsonMerge", 3, 3, OBJECT, OBJECT, BOOLEAN)
def _json_merge(a: dict[str, Any], b: dict[str, Any], deep: bool) -> dict[str, Any]:
    if deep:
        raise _fail("States.JsonMerge", M.SHALLOW_MERGE_ONLY)  # INT-14
    out = dict(a)
    out.update(b)
    return out


@intrinsic("MathRandom", 2, 3, NUMBER, NUMBER, ANY, needs_rng=True)
def _math_random(start: Any, end: Any, seed: Any = None, *, rng: random.Random) -> int:
    lo, hi = _java_round(start), _java_round(end)
    if lo > hi:
        raise _fail("States.MathRandom", M.random_bounds(lo, hi))
    source = rng if seed is None else random.Random(compact_json(seed))
    return source.randint(lo, hi)


@intrinsic("MathAdd", 2, 2, NUMBER, NUMBER)
def _math_add(a: Any, b: Any) -> int:
    return _java_round(a) + _java_round(b)


@intrinsic("StringSplit", 2, 2, STRING, STRING)
def _string_split(s: str, delimiters: str) -> list[str]:
    if not delimiters:
        return [s] if s else []
    pattern = "[" + re.escape(delimiters) + "]"
    return [t for t in re.split(pattern, s) if t]


@intrinsic("UUID", 0, 0, needs_rng=True)
def _uuid(*, rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# --------------------------------------------------------------------------------------- evaluation


def evaluate(
    expr: str,
    input: Any,
    context: Any,
    variables: Mapping[str, Any] | None,
    *,
    rng: random.Random | None = None,
    field: str | None = None,
) -> Any:
    """Value of the intrinsic ``expr`` against the state ``input``, ``context`` object and
    ``variables``. Raises StatesFailure (``States.IntrinsicFailure`` for bad argument values,
    ``States.Runtime`` for a path argument that matches nothing). ``field`` (e.g. ``value.$``) is
    used in the path-failure text."""
    try:
        call = parse(expr)
    except IntrinsicSyntaxError as exc:
        raise StatesFailure(INTRINSIC_FAILURE, str(exc)) from None
    return _eval_call(call, input, context, variables, rng, field or expr)


def _eval_arg(
    arg: Arg,
    input: Any,
    context: Any,
    variables: Mapping[str, Any] | None,
    rng: random.Random | None,
    field: str,
) -> Any:
    if isinstance(arg, Literal):
        return arg.value
    if isinstance(arg, StringLit):
        return arg.value
    if isinstance(arg, PathArg):
        try:
            return read_path(input, arg.path, context=context, variables=variables)
        except PathNotFound:
            raise StatesFailure(
                RUNTIME, M.path_not_found_in_input(arg.path, field, compact_json(input))
            ) from None
    return _eval_call(arg, input, context, variables, rng, field)


def _eval_call(
    call: Call,
    input: Any,
    context: Any,
    variables: Mapping[str, Any] | None,
    rng: random.Random | None,
    field: str,
) -> Any:
    spec = FUNCTIONS[call.name]
    values = [_eval_arg(a, input, context, variables, rng, field) for a in call.args]
    for i, value in enumerate(values):
        kind = spec.type_of(i)
        if not _is_type(value, kind):
            raise _fail(call.name, M.argument_type(i + 1, kind, compact_json(value)))
    kwargs: dict[str, Any] = {}
    if spec.needs_rng:
        kwargs["rng"] = rng if rng is not None else random.Random()
    if call.name == "States.Format" and isinstance(call.args[0], StringLit):
        kwargs["raw"] = call.args[0].raw
    return spec.impl(*values, **kwargs)
