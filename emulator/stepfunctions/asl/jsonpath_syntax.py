"""JSONPath syntax: a path text → a :class:`CompiledPath` (its root, and its keys or segments).

Split from :mod:`emulator.stepfunctions.asl.jsonpath` (which reads and writes documents along
compiled paths and re-exports every public name here): this module knows the grammar AWS accepts
(Jayway JsonPath's, see that module's docstring) and nothing of documents. Parses are cached by
path text (``emulator.caches.memoize``); a compiled path is a frozen slotted dataclass, shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jsonpath_ng.ext import parse as _ng_parse

from ...caches import memoize
from .. import messages as M
from .jsonpath_filter import compile_predicate

__all__ = [
    "CONTEXT",
    "DATA",
    "VARIABLE",
    "Child",
    "CompiledPath",
    "DeepScan",
    "Filter",
    "Index",
    "InvalidPath",
    "Key",
    "Segment",
    "Slice",
    "Wildcard",
    "compile_path",
    "is_reference_path",
    "is_result_path",
    "is_valid_path",
    "skip_quoted",
]


def _conjunction_operator() -> str:
    """``&&`` where this jsonpath-ng understands it (>= 1.7 deprecates ``&``), else ``&``."""
    try:
        _ng_parse("$[?(@.a && @.b)]")
    except Exception:
        return "&"
    return "&&"


_AND = _conjunction_operator()

Key = str | int

DATA = "data"
CONTEXT = "context"
VARIABLE = "variable"


class InvalidPath(ValueError):
    """The text is not a JSONPath AWS would accept (definition-time problem)."""


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
    ``$[?(...)]`` per ``||`` alternative; Jayway's ``&&`` is rewritten to jsonpath-ng's ``&``), or,
    for an alternative comparing with another path, by :mod:`.jsonpath_filter`."""

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
        return InvalidPath(M.path_syntax(message, self.i, self.text))

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
                raise self.fail(M.path_illegal_character(c))
        return out

    def dot_name(self) -> str:
        rest, n = self.rest, len(self.rest)
        j = self.i
        while j < n and rest[j] not in _STOP:
            j += 1
        if j == self.i:
            raise self.fail(M.PATH_ENDS_WITH_DOT)
        if j < n and rest[j] == "(":
            raise self.fail(M.PATH_FUNCTIONS)
        name = rest[self.i : j]
        self.i = j
        return name

    def skip_spaces(self) -> None:
        while self.i < len(self.rest) and self.rest[self.i] == " ":
            self.i += 1

    def expect(self, char: str) -> None:
        self.skip_spaces()
        if self.i >= len(self.rest) or self.rest[self.i] != char:
            raise self.fail(M.path_expected(char))
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
            raise self.fail(M.PATH_UNTERMINATED_NAME)
        self.i = k + 1
        return "".join(chars)

    def bracket(self) -> Segment:
        rest, n = self.rest, len(self.rest)
        self.i += 1  # '['
        self.skip_spaces()
        if self.i >= n:
            raise self.fail(M.PATH_UNCLOSED_BRACKET)
        c = rest[self.i]
        if c in "'\"":
            names = [self.quoted()]
            self.skip_spaces()
            while self.i < n and rest[self.i] == ",":
                self.i += 1
                self.skip_spaces()
                if self.i >= n or rest[self.i] not in "'\"":
                    raise self.fail(M.PATH_QUOTED_NAME_EXPECTED)
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
            raise self.fail(M.PATH_UNCLOSED_BRACKET)
        inner = rest[self.i : k].replace(" ", "")
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
            raise self.fail(M.path_invalid_index(inner)) from None

    def filter(self) -> Filter:
        rest, n = self.rest, len(self.rest)
        self.i += 1  # '?'
        self.skip_spaces()
        if self.i >= n or rest[self.i] != "(":
            raise self.fail(M.PATH_FILTER_PAREN_EXPECTED)
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
            raise self.fail(M.PATH_UNCLOSED_FILTER)
        predicate = rest[start + 1 : k]
        self.i = k + 1
        self.expect("]")
        alternatives: list[Any] = []
        for alt in _split_top(predicate, "||"):
            conjuncts = _split_top(alt, "&&")
            with_paths = compile_predicate(conjuncts) if _reads_the_root(conjuncts) else None
            if with_paths is not None:  # a path on both sides: Jayway's rules, not jsonpath-ng's
                alternatives.append(with_paths)  # (whose newer releases parse it, differently)
                continue
            expr = _AND.join(conjuncts)
            try:
                alternatives.append(_ng_parse(f"$[?({expr})]"))
            except Exception as exc:  # jsonpath-ng raises JsonPath*Error and bare Exception
                with_paths = compile_predicate(conjuncts)
                if with_paths is None:
                    raise self.fail(M.path_unsupported_filter(predicate, exc)) from None
                alternatives.append(with_paths)
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
        raise InvalidPath(M.path_not_rooted(text))
    if text.startswith("$$"):
        return CONTEXT, None, text[2:]
    if len(text) == 1 or text[1] in ".[":
        return DATA, None, text[1:]
    j = 1
    while j < len(text) and text[j] not in ".[":
        j += 1
    name = text[1:j]
    if not name.isidentifier():
        raise InvalidPath(M.path_invalid_variable(text))
    return VARIABLE, name, text[j:]


def compile_path(text: str) -> CompiledPath:
    """Parse (and cache) a path text. Raises :class:`InvalidPath` (and nothing else)."""
    if not isinstance(text, str):
        raise InvalidPath(M.path_not_a_string(text))
    return _compile(text)


@memoize(4096)
def _compile(text: str) -> CompiledPath:
    root, variable, tail = _split_root(text)
    # Jayway trims the path text it compiles: "$$.Execution.Name " (aws-samples
    # app-decompose-for-parallelism, deployed by its template) reads $$.Execution.Name.
    segments = _PathParser(text, tail.rstrip()).segments()
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


def _reads_the_root(conjuncts: list[str]) -> bool:
    """Whether a filter compares with a ``$``-rooted path (outside quoted strings)."""
    for text in conjuncts:
        k = 0
        while k < len(text):
            ch = text[k]
            if ch in "'\"":
                k = skip_quoted(text, k)
                continue
            if ch == "$":
                return True
            k += 1
    return False
