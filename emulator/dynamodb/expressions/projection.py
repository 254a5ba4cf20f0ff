"""ProjectionExpression: a list of document paths -> a function that trims items (§5.4).

Paths are merged into a small trie at compile time; ``apply`` walks the item once along it.
Nested paths keep the enclosing structure (``a.b`` -> ``{"a": {"M": {"b": ...}}}``); selected list
elements are compacted in index order; missing parts are left out, and an item none of whose
paths exist projects to ``{}`` (P1, P2). Overlapping or conflicting paths are rejected (P3).
Error priority: syntax, reserved word, undefined name, overlap, conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import messages as M
from ..errors import ValidationException
from ..values import AttributeValue, check_name_bytes, copy_value
from .binding import Binder, ResolvedPath
from .compile_cache import cached
from .condition import parse_checked, raise_first_error
from .context import ExpressionContext
from .parser import parse_projection
from .paths import check_overlaps

Item = dict[str, AttributeValue]
KIND = "ProjectionExpression"
PROJECTION_ORDER = ("reserved", "attrNameVal", "pathOverlap", "pathConflict")


@dataclass(slots=True)
class _Node:
    leaf: bool = False
    fields: dict[str, _Node] = field(default_factory=dict)
    indexes: dict[int, _Node] = field(default_factory=dict)


def _project(av: AttributeValue, node: _Node) -> AttributeValue | None:
    if node.leaf:
        return copy_value(av)
    if node.fields:
        m = av.get("M")
        if m is None:
            return None
        out: dict[str, AttributeValue] = {}
        for name, child in node.fields.items():
            v = m.get(name)
            if v is not None:
                r = _project(v, child)
                if r is not None:
                    out[name] = r
        return {"M": out} if out else None
    lst = av.get("L")
    if lst is None:
        return None
    items: list[AttributeValue] = []
    for i in sorted(node.indexes):
        if i < len(lst):
            r = _project(lst[i], node.indexes[i])
            if r is not None:
                items.append(r)
    return {"L": items} if items else None


class Projection:
    """A compiled projection: ``apply(item) -> new item``; ``top_level_names``; ``paths``."""

    __slots__ = ("paths", "top_level_names", "_root", "_flat")

    def __init__(self, paths: tuple[ResolvedPath, ...]) -> None:
        self.paths = paths
        root = _Node()
        for path in paths:
            node = root
            for step in path:
                table: dict = node.indexes if isinstance(step, int) else node.fields
                nxt = table.get(step)
                if nxt is None:
                    nxt = table[step] = _Node()
                node = nxt
            node.leaf = True
        self._root = root
        self.top_level_names = frozenset(str(p[0]) for p in paths)
        flat = all(len(p) == 1 for p in paths)
        self._flat: tuple[str, ...] | None = tuple(str(p[0]) for p in paths) if flat else None

    def apply(self, item: Item) -> Item:
        if self._flat is not None:
            return {name: copy_value(item[name]) for name in self._flat if name in item}
        out: Item = {}
        for name, child in self._root.fields.items():
            v = item.get(name)
            if v is not None:
                r = _project(v, child)
                if r is not None:
                    out[name] = r
        return out


def compile_projection(text: str, ctx: ExpressionContext) -> Projection:
    """Compile a ProjectionExpression against one request's context."""
    return cached(KIND, text, ctx, lambda: _compile_projection(text, ctx))


def _compile_projection(text: str, ctx: ExpressionContext) -> Projection:
    tree = parse_checked(text, KIND, parse_projection)
    binder = Binder(ctx, {})
    paths = [binder.path(p).path for p in tree.paths]
    check_overlaps(binder, paths)
    raise_first_error(binder, PROJECTION_ORDER, KIND)
    return Projection(tuple(paths))


def attributes_to_get_projection(names: list[str]) -> Projection:
    """AttributesToGet: top-level names taken literally (a dot is part of the name); P4 duplicates."""
    seen: set[str] = set()
    for name in names:
        check_name_bytes(name)  # V15 (issue 11 rule 10)
        if name in seen:
            raise ValidationException(M.legacy_duplicate_attribute(name))
        seen.add(name)
    return Projection(tuple((n,) for n in names))
