"""Binding a cached AST to one request's names and values, collecting errors DynamoDB's way.

The checks of an expression do not stop at the first problem: like DynamoDB (and dynalite, whose
parsers assert AWS's messages), the binder records the *first* error of each category while it
walks the whole tree in source order, and the entry point then reports the highest-priority
category (E14). Each expression kind has its own priority list.

Bound operands are small frozen nodes holding resolved paths (``("a", 0, "b")``) and validated
values; evaluators are built from them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import messages as M
from ..values import AttributeValue, type_of
from . import ast as A
from .context import ExpressionContext
from .reserved import is_reserved

ResolvedPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class BPath:
    path: ResolvedPath
    pos: int


@dataclass(frozen=True, slots=True)
class BValue:
    av: AttributeValue
    ref: str
    pos: int


@dataclass(frozen=True, slots=True)
class BCall:
    name: str
    args: tuple[Bound, ...]
    result_type: str | None
    pos: int


@dataclass(frozen=True, slots=True)
class BArith:
    op: str
    left: Bound
    right: Bound
    pos: int


Bound = BPath | BValue | BCall | BArith


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """A function's arity and its type check; ``check`` returns the result type or records errors."""

    arity: int
    check: Callable[[Binder, str, tuple[Bound, ...]], str | None]


def path_str(path: ResolvedPath) -> str:
    """dynalite/AWS rendering of a path in messages: ``[a, b, [1]]``."""
    return "[" + ", ".join(f"[{p}]" if isinstance(p, int) else p for p in path) + "]"


def static_type(operand: Bound) -> str | None:
    """The type known before evaluation (``getType``): constants and typed function results."""
    if isinstance(operand, BValue):
        return type_of(operand.av)
    if isinstance(operand, BCall):
        return operand.result_type
    if isinstance(operand, BArith):
        return "N"
    return None


def immediate_type(operand: Bound) -> str | None:
    """The type of a constant operand only (``getImmediateType``)."""
    return type_of(operand.av) if isinstance(operand, BValue) else None


def av_text(av: AttributeValue) -> str:
    """``{N:5}`` rendering used in BETWEEN messages."""
    tag = type_of(av)
    return "{" + f"{tag}:{av[tag]}" + "}"


_PLACEHOLDER_VALUE: AttributeValue = {"NULL": True}


class Binder:
    """Walks one expression's AST with a context, recording first errors per category."""

    def __init__(
        self, ctx: ExpressionContext, functions: Mapping[str, FunctionSpec], *, split_undefined: bool = False
    ) -> None:
        self.ctx = ctx
        self.functions = functions
        self.errors: dict[str, str] = {}
        self.top_level_names: set[str] = set()
        self.nested_names: set[str] = set()
        # Update expressions rank undefined names before undefined values; conditions do not.
        self.name_category = "attrName" if split_undefined else "attrNameVal"
        self.value_category = "attrVal" if split_undefined else "attrNameVal"

    def error(self, category: str, message: str) -> None:
        if category not in self.errors:
            self.errors[category] = message

    def first(self, order: tuple[str, ...]) -> str | None:
        for category in order:
            message = self.errors.get(category)
            if message is not None:
                return message
        return None

    # --- operands -------------------------------------------------------------------------
    def path(self, path: A.Path) -> BPath:
        out: list[str | int] = []
        for el in path.elements:
            if isinstance(el, int):
                out.append(el)
            elif el.placeholder:
                name = self.ctx.name(el.text)
                if name is None:
                    self.error(self.name_category, M.undefined_name(el.text))
                    name = el.text
                out.append(name)
            else:
                if is_reserved(el.text):
                    self.error("reserved", M.reserved_keyword(el.text))
                out.append(el.text)
        resolved = tuple(out)
        first = resolved[0]
        assert isinstance(first, str)
        self.top_level_names.add(first)
        if len(resolved) > 1:
            self.nested_names.add(first)
        return BPath(resolved, path.pos)

    def value(self, ref: A.ValueRef) -> BValue:
        av = self.ctx.value(ref.name)
        if av is None:
            self.error(self.value_category, M.undefined_value(ref.name))
            av = _PLACEHOLDER_VALUE
        return BValue(av, ref.name, ref.pos)

    def operand(self, node: Any) -> Bound:
        if isinstance(node, A.Path):
            return self.path(node)
        if isinstance(node, A.ValueRef):
            return self.value(node)
        if isinstance(node, A.Call):
            return self.call(node)
        assert isinstance(node, A.Arith)
        left, right = self.operand(node.left), self.operand(node.right)
        self.misused_args((left, right))
        self.check_call(node.op, (left, right))
        return BArith(node.op, left, right, node.pos)

    def call(self, node: A.Call) -> BCall:
        args = tuple(self.operand(a) for a in node.args)
        self.misused_args(args)
        result = self.check_call(node.name, args)
        return BCall(node.name, args, result, node.pos)

    def check_call(self, name: str, args: tuple[Bound, ...]) -> str | None:
        if "unknownFunction" in self.errors:
            return None
        spec = self.functions.get(name)
        if spec is None:
            # A function of the other expression family is "not allowed" here rather than unknown;
            # both are reported in the same category, first in source order.
            misplaced = self.misplaced_message if name in self.misplaced else M.unknown_function
            self.error("unknownFunction", misplaced(name))
            return None
        if spec.arity != len(args):
            self.error(self.arity_category, M.operand_count(name, len(args)))
            return None
        return spec.check(self, name, args)

    arity_category = "operand"
    # Functions that exist, but only in the other expression family (condition vs update).
    misplaced: frozenset[str] = frozenset()
    misplaced_message: Callable[[str], str] = staticmethod(M.unknown_function)  # type: ignore[assignment]

    def misused_args(self, args: tuple[Bound, ...]) -> None:
        """A function other than size() used as an operand (C2)."""
        for arg in args:
            if isinstance(arg, BCall) and arg.name != "size":
                self.error("misusedFunction", M.misused_function(arg.name))
                return

    def distinct(self, operator: str, args: tuple[Bound, ...]) -> None:
        """C9: the first operand must differ from the second when both are the same path."""
        if (
            len(args) == 2
            and isinstance(args[0], BPath)
            and isinstance(args[1], BPath)
            and args[0].path == args[1].path
        ):
            self.error("distinct", M.operands_not_distinct(operator, path_str(args[0].path)))
