"""PartiQL for DynamoDB: values bound to a request's parameters, and conditions and SET/REMOVE
rendered as DynamoDB expression text.

Why text: a rendered condition (``#n0.#n1 = :v0 AND begins_with(#n2, :v1)``) compiles through
``expressions/`` exactly like a ConditionExpression or FilterExpression, so PartiQL shares the
native API's one evaluator, its compile cache and its value semantics (number comparison, type
mismatches are false, sizes, sets) instead of growing a second one. Every name goes through an
ExpressionAttributeNames placeholder (so reserved words and odd characters need no care) and every
value through an ExpressionAttributeValues placeholder.
"""

from __future__ import annotations

from typing import Any

from .. import messages as M
from ..errors import ValidationException
from . import ast as A
from .parser import IS_TYPES

_SET_TYPES = {"S": "SS", "N": "NS", "B": "BS"}


def bind(node: Any, params: list[Any]) -> dict[str, Any]:
    """The AttributeValue of a value node, with ``?`` replaced by the request's parameters."""
    if isinstance(node, A.Lit):
        return node.av
    if isinstance(node, A.Param):
        return params[node.index]  # type: ignore[no-any-return]
    if isinstance(node, A.ListV):
        return {"L": [bind(v, params) for v in node.items]}
    if isinstance(node, A.MapV):
        return {"M": {k: bind(v, params) for k, v in node.pairs}}
    if isinstance(node, A.BagV):
        return _bag([bind(v, params) for v in node.items])
    raise ValidationException(M.PQL_BOOLEAN_WHERE)


def _bag(members: list[dict[str, Any]]) -> dict[str, Any]:
    if not members:
        raise ValidationException(M.PQL_EMPTY_BAG)
    tags = {next(iter(av)) for av in members}
    if len(tags) != 1 or next(iter(tags)) not in _SET_TYPES:
        raise ValidationException(M.PQL_BAG_TYPE)
    tag = tags.pop()
    return {_SET_TYPES[tag]: [av[tag] for av in members]}


class Renderer:
    """Accumulates the placeholders of one native request while its expressions are rendered."""

    __slots__ = ("params", "names", "values", "_name_refs")

    def __init__(self, params: list[Any]) -> None:
        self.params = params
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._name_refs: dict[str, str] = {}

    def name(self, name: str) -> str:
        ref = self._name_refs.get(name)
        if ref is None:
            ref = self._name_refs[name] = f"#n{len(self._name_refs)}"
            self.names[ref] = name
        return ref

    def value(self, av: dict[str, Any]) -> str:
        ref = f":v{len(self.values)}"
        self.values[ref] = av
        return ref

    def path(self, path: A.Path) -> str:
        out = []
        for part in path.parts:
            if isinstance(part, int):
                out.append(f"[{part}]")
            else:
                out.append(("." if out else "") + self.name(part))
        return "".join(out)

    def operand(self, node: Any) -> str:
        if isinstance(node, A.Path):
            return self.path(node)
        if isinstance(node, A.Size):
            return f"size({self.path(node.path)})"
        return self.value(bind(node, self.params))

    def condition(self, node: Any) -> str:
        """The condition-expression text of a WHERE (sub)tree."""
        kind = type(node)
        if kind is A.And:
            return " AND ".join(f"({self.condition(i)})" for i in node.items)
        if kind is A.Or:
            return " OR ".join(f"({self.condition(i)})" for i in node.items)
        if kind is A.Not:
            return f"NOT ({self.condition(node.item)})"
        if kind is A.Cmp:
            return f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"
        if kind is A.In:
            return f"{self.operand(node.subject)} IN ({', '.join(self.operand(i) for i in node.items)})"
        if kind is A.Between:
            low, high = self.operand(node.low), self.operand(node.high)
            return f"{self.operand(node.subject)} BETWEEN {low} AND {high}"
        if kind is A.Is:
            if node.what == "MISSING":
                fn = "attribute_exists" if node.negated else "attribute_not_exists"
                return f"{fn}({self.path(node.path)})"
            text = f"attribute_type({self.path(node.path)}, {self.value({'S': IS_TYPES[node.what]})})"
            return f"NOT ({text})" if node.negated else text
        if kind is A.Func:
            return f"{node.name}({', '.join(self.operand(a) for a in node.args)})"
        raise ValidationException(M.PQL_BOOLEAN_WHERE)

    def update(self, sets: tuple[tuple[A.Path, Any], ...], removes: tuple[A.Path, ...]) -> str:
        """The UpdateExpression of an UPDATE's SET and REMOVE clauses (set_add/set_delete become
        ADD/DELETE actions, as AWS documents them)."""
        set_parts: list[str] = []
        add_parts: list[str] = []
        delete_parts: list[str] = []
        for path, value in sets:
            target = self.path(path)
            if isinstance(value, A.Call) and value.name in ("set_add", "set_delete"):
                (add_parts if value.name == "set_add" else delete_parts).append(
                    f"{target} {self.set_value(value.args[1])}"
                )
            else:
                set_parts.append(f"{target} = {self.set_value(value)}")
        sections = []
        if set_parts:
            sections.append("SET " + ", ".join(set_parts))
        if removes:
            sections.append("REMOVE " + ", ".join(self.path(p) for p in removes))
        if add_parts:
            sections.append("ADD " + ", ".join(add_parts))
        if delete_parts:
            sections.append("DELETE " + ", ".join(delete_parts))
        return " ".join(sections)

    def set_value(self, node: Any) -> str:
        if isinstance(node, A.Arith):
            return f"{self.set_value(node.left)} {node.op} {self.set_value(node.right)}"
        if isinstance(node, A.Call):
            return f"{node.name}({', '.join(self.set_value(a) for a in node.args)})"
        return self.operand(node)

    def attach(self, request: dict[str, Any]) -> dict[str, Any]:
        """``request`` with this renderer's ExpressionAttributeNames/Values (when any)."""
        if self.names:
            request["ExpressionAttributeNames"] = self.names
        if self.values:
            request["ExpressionAttributeValues"] = self.values
        return request
