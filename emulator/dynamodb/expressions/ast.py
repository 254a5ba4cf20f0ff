"""The one AST for every DynamoDB expression kind: frozen, slotted dataclasses.

The parser builds these from text *without* the request's ExpressionAttributeNames/Values, so an
AST can be cached by expression text and shared by all requests. Placeholders stay symbolic
(:class:`NameRef` with ``placeholder=True``, :class:`ValueRef`) until a per-request
:class:`~emulator.dynamodb.expressions.context.ExpressionContext` binds them.

``pos`` fields are source offsets; the checkers use them to report the *first* offending element in
source order, as DynamoDB does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NameRef:
    """One path component written as a bare name (``a``) or a placeholder (``#a``)."""

    text: str
    placeholder: bool
    pos: int


PathElement = NameRef | int


@dataclass(frozen=True, slots=True)
class Path:
    """A document path: a first name, then names (``.b``) and list indexes (``[3]``)."""

    elements: tuple[PathElement, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class ValueRef:
    """An ExpressionAttributeValues placeholder ``:v``."""

    name: str
    pos: int


@dataclass(frozen=True, slots=True)
class Call:
    """A function call ``f(arg, ...)``; which names exist depends on the expression kind."""

    name: str
    args: tuple[Operand, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class Arith:
    """UpdateExpression ``x + y`` / ``x - y``."""

    op: str
    left: Operand
    right: Operand
    pos: int


Operand = Path | ValueRef | Call | Arith


@dataclass(frozen=True, slots=True)
class Compare:
    """``left <op> right`` with op in ``= <> < <= > >=``."""

    op: str
    left: Operand
    right: Operand
    pos: int


@dataclass(frozen=True, slots=True)
class Between:
    subject: Operand
    low: Operand
    high: Operand
    pos: int


@dataclass(frozen=True, slots=True)
class In:
    subject: Operand
    options: tuple[Operand, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class FunctionCondition:
    """A function call used as a condition (``attribute_exists(a)``)."""

    call: Call
    pos: int


@dataclass(frozen=True, slots=True)
class And:
    left: ConditionNode
    right: ConditionNode
    pos: int


@dataclass(frozen=True, slots=True)
class Or:
    left: ConditionNode
    right: ConditionNode
    pos: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: ConditionNode
    pos: int


ConditionNode = Compare | Between | In | FunctionCondition | And | Or | Not


@dataclass(frozen=True, slots=True)
class ConditionTree:
    """A parsed condition with facts the parser saw on the way (redundant parentheses, operators)."""

    root: ConditionNode
    redundant_parens: bool
    operators: int


@dataclass(frozen=True, slots=True)
class UpdateAction:
    """One action: ``clause`` is SET, REMOVE, ADD or DELETE; ``value`` is None for REMOVE."""

    clause: str
    path: Path
    value: Operand | None
    pos: int


@dataclass(frozen=True, slots=True)
class UpdateTree:
    actions: tuple[UpdateAction, ...]
    duplicate_section: str | None
    operators: int


@dataclass(frozen=True, slots=True)
class ProjectionTree:
    paths: tuple[Path, ...]
