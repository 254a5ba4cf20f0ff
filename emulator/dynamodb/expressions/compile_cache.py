"""A cache of *compiled* expressions, keyed by text, kind and the request's names/values.

Parsing is cached by text alone (``parser``). Binding and closure building still cost tens of
microseconds, and most hot loops repeat the same expression with the same placeholders
(``attribute_not_exists(pk)``, ``#s = :active``). So a compiled object is also reused when the
kind, the text, the ExpressionAttributeNames and the ExpressionAttributeValues are all equal.
Only scalar values (S, N, B, BOOL, NULL) take part in keys; a request with a set, list or map
value compiles afresh (hashing those would cost about as much as compiling). The cache is a
:class:`~emulator.caches.BoundedCache`: when full, the oldest entry makes room.

Compiled objects are immutable and never hand out their bound values for mutation, so sharing
them between requests is safe. A hit replays which placeholders the expression used, so E4
("unused in expressions") works the same with and without the cache. Errors are never cached.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ...caches import BoundedCache
from ..values import SCALAR_TYPES
from .context import ExpressionContext

T = TypeVar("T")
MAX_ENTRIES = 4096

_cache: BoundedCache[tuple, tuple[Any, frozenset[str], frozenset[str]]] = BoundedCache(
    "dynamodb.expressions.compiled", MAX_ENTRIES
)
_get = _cache.entries.get


def _key(kind: Hashable, text: str, ctx: ExpressionContext) -> tuple | None:
    values: list[tuple] = []
    for ref, av in ctx.values.items():
        if len(av) != 1:
            return None
        for tag, val in av.items():
            if tag not in SCALAR_TYPES:
                return None
            values.append((ref, tag, val))
    return (kind, text, tuple(ctx.names.items()), tuple(values))


def cached(kind: Hashable, text: str, ctx: ExpressionContext, build: Callable[[], T]) -> T:
    """``build()`` once per distinct (kind, text, names, values); replay placeholder use on hits.

    ``kind`` is anything hashable that, with the text, decides the result: the expression kind,
    and for a key condition also the key schema it is matched against."""
    if type(text) is not str:
        return build()
    key = _key(kind, text, ctx)
    if key is None:
        return build()
    hit = _get(key)
    if hit is not None:
        ctx.used_names.update(hit[1])
        ctx.used_values.update(hit[2])
        return hit[0]  # type: ignore[no-any-return]
    # Track this expression's own placeholder use, apart from the request's other expressions.
    saved_names, saved_values = ctx.used_names, ctx.used_values
    ctx.used_names, ctx.used_values = set(), set()
    try:
        result = build()
    finally:
        used_names, used_values = ctx.used_names, ctx.used_values
        ctx.used_names, ctx.used_values = saved_names | used_names, saved_values | used_values
    _cache.put(key, (result, frozenset(used_names), frozenset(used_values)))
    return result


def clear() -> None:
    _cache.clear()
