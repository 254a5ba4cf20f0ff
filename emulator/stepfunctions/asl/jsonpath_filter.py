"""Filter predicates that compare with another path: ``[?(@.id == $.wanted)]``, ``[?(@.a > @.b)]``.

Jayway JsonPath (AWS's JSONPath engine) lets either side of a filter comparison be a path: ``@...``
(the element being tested) or ``$...`` (the root of the document being read), and a number may be
written as Java's BigDecimal reads it (``.85``). jsonpath-ng, which evaluates the other filters
(:mod:`~emulator.stepfunctions.asl.jsonpath_syntax`), takes neither, so an alternative it cannot
parse is compiled here instead. AWS accepts such
definitions: the aws-samples "early-stopping-sf-bedrock" workflow, deployed by its template, reads
``$.approaches[?(@.workerId == $.agent_id)].approach``, and the aws-stepfunctions-examples
document-text-analysis workflow ``$.result.Entities[?(@.Score > .85)]`` (issue 11 rule 20).

Semantics (Jayway's): a conjunct is ``<operand> <op> <operand>`` or a lone path (true when the
path exists); operands are paths or JSON literals (numbers, ``'...'``/``"..."`` strings, ``true``,
``false``, ``null``); a missing path makes the comparison false; ``<``, ``<=``, ``>``, ``>=``
compare two numbers or two strings only. Anything else is not compiled here (the caller reports
its own error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_MISSING = object()
_COMPARISON = re.compile(r"^\s*(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")  # Java's BigDecimal: ".85" too
_PATH = re.compile(r"^[@$](\.[A-Za-z_][\w-]*|\[\d+\]|\['[^']*'\])*$")


@dataclass(frozen=True, slots=True)
class _Operand:
    """A path (``@`` the element, ``$`` the root; ``keys`` from the root) or a literal ``value``."""

    root: str | None
    keys: tuple[str | int, ...] = ()
    value: Any = None

    def read(self, item: Any, root: Any) -> Any:
        if self.root is None:
            return self.value
        node = item if self.root == "@" else root
        for key in self.keys:
            if isinstance(key, int):
                if not isinstance(node, list) or not -len(node) <= key < len(node):
                    return _MISSING
            elif not isinstance(node, dict) or key not in node:
                return _MISSING
            node = node[key]
        return node


def _operand(text: str) -> _Operand | None:
    if _PATH.match(text):
        keys: list[str | int] = []
        for part in re.findall(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]|\['([^']*)'\]", text[1:]):
            name, index, quoted = part
            keys.append(int(index) if index else name or quoted)
        return _Operand(text[0], tuple(keys))
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return _Operand(None, value=text[1:-1])
    if _NUMBER.match(text):
        is_int = text.lstrip("-").isdigit()
        return _Operand(None, value=int(text) if is_int else float(text))
    if text in ("true", "false", "null"):
        return _Operand(None, value=json.loads(text))
    return None


def _compare(left: Any, op: str, right: Any) -> bool:
    if left is _MISSING or right is _MISSING:
        return False
    if op in ("==", "!="):
        same = left == right and isinstance(left, bool) == isinstance(right, bool)
        return same if op == "==" else not same
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if not numbers and not (isinstance(left, str) and isinstance(right, str)):
        return False
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


@dataclass(frozen=True, slots=True)
class PathPredicate:
    """One ``||`` alternative: its ``&&`` conjuncts, each (left, op, right) or (path, None, None)."""

    conjuncts: tuple[tuple[_Operand, str | None, _Operand | None], ...]

    def matches(self, item: Any, root: Any) -> bool:
        for left, op, right in self.conjuncts:
            value = left.read(item, root)
            if op is None or right is None:
                if value is _MISSING:
                    return False
            elif not _compare(value, op, right.read(item, root)):
                return False
        return True


def compile_predicate(conjuncts: list[str]) -> PathPredicate | None:
    """The alternative made of ``conjuncts`` (texts between ``&&``), or None when one of them is
    not of the forms above."""
    out: list[tuple[_Operand, str | None, _Operand | None]] = []
    for text in conjuncts:
        text = text.strip()
        match = _COMPARISON.match(text)
        if match is None:
            lone = _operand(text)
            if lone is None or lone.root is None:
                return None
            out.append((lone, None, None))
            continue
        left, right = _operand(match.group(1)), _operand(match.group(3))
        if left is None or right is None:
            return None
        out.append((left, match.group(2), right))
    return PathPredicate(tuple(out))
