"""PartiQL for DynamoDB: the syntax tree the parser builds and the planner reads.

Values stay symbolic until a request's parameters are known (``Param`` is a ``?``), so one parse
serves every execution of a statement text (the parser caches by text). Conditions mirror the
condition grammar of ``expressions/`` closely on purpose: the planner renders them as
condition-expression text, so PartiQL and the native API share one evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PathPart = str | int


@dataclass(frozen=True, slots=True)
class Path:
    """A document path: an attribute name, then names (``.b``) and list indexes (``[0]``)."""

    parts: tuple[PathPart, ...]


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal already in AttributeValue form (``{"S": ...}``, ``{"N": ...}``, BOOL, NULL)."""

    av: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Param:
    index: int  # 0-based position among the statement's ``?``


@dataclass(frozen=True, slots=True)
class ListV:
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class MapV:
    pairs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class BagV:
    """``<<...>>``: a set (SS, NS or BS by its members' type)."""

    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Size:
    path: Path


@dataclass(frozen=True, slots=True)
class Cmp:
    op: str  # = <> < <= > >=
    left: Any  # Path | Size | value
    right: Any


@dataclass(frozen=True, slots=True)
class In:
    subject: Any
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Between:
    subject: Any
    low: Any
    high: Any


@dataclass(frozen=True, slots=True)
class Is:
    path: Path
    what: str  # MISSING | NULL
    negated: bool


@dataclass(frozen=True, slots=True)
class Func:
    """A boolean function: begins_with, contains, attribute_type."""

    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Any


@dataclass(frozen=True, slots=True)
class Arith:
    """``a + b`` / ``a - b`` on the right of a SET."""

    op: str
    left: Any
    right: Any


@dataclass(frozen=True, slots=True)
class Call:
    """A SET value function: list_append, set_add, set_delete, if_not_exists."""

    name: str
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Source:
    table: str
    index: str | None = None


@dataclass(frozen=True, slots=True)
class Select:
    source: Source
    projection: tuple[Path, ...] | None  # None: *
    where: Any = None
    order: tuple[Path, bool] | None = None  # (path, descending)


@dataclass(frozen=True, slots=True)
class Insert:
    source: Source
    value: Any


@dataclass(frozen=True, slots=True)
class Update:
    source: Source
    sets: tuple[tuple[Path, Any], ...]
    removes: tuple[Path, ...]
    where: Any
    returning: str | None = None  # ReturnValues: ALL_NEW, UPDATED_OLD, ...


@dataclass(frozen=True, slots=True)
class Delete:
    source: Source
    where: Any
    returning: str | None = None


@dataclass(frozen=True, slots=True)
class Exists:
    """``EXISTS(SELECT ...)``: a transaction's condition check."""

    select: Select


Statement = Select | Insert | Update | Delete | Exists
