"""Bounded memo caches for what is compiled from request text, and one switch that empties them all.

Expressions, JSONPath/JSONata texts, intrinsic calls, Choice timestamps and credential scopes
arrive in requests, so a long-running server sees an unbounded number of distinct ones: every
memo of them must be bounded. Every such memo in the package is a :class:`BoundedCache` (or a
function wrapped by :func:`memoize`, which keeps one), so the policy is stated once:

* When full, the **oldest entry** (first inserted) makes room. Not the whole cache: a clear-all
  would make every hot expression miss at once after each run of new texts. Not the least recently
  *used* either: LRU reorders on every hit, and a hit is the hot path (PutItem with a
  ConditionExpression, every JSONPath read); first-in-first-out keeps a hit one dict lookup. A hot
  entry that ages out is compiled once more and re-enters at the young end.
* Errors are never cached (a miss that raises stores nothing).
* :func:`reset_caches` empties every registered cache (``emulator.reset_caches()``): for tests that
  count compiles or want a miss path, and to give memory back. Cached values are immutable, so
  emptying never changes an answer, only its cost.

Memos keyed by a closed set (service models, operation specs, botocore's paginator classes) are
bounded by that set and stay plain ``functools.cache``/dicts.

Cost: ``get``/``put`` are O(1); the order of insertion is kept in a ``deque`` beside the dict,
because popping the first key of a dict (``next(iter(d))``) walks the deleted slots in front of it.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["BoundedCache", "memoize", "registered", "reset_caches"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")

_MISSING: Any = object()
_registry: list[BoundedCache[Any, Any]] = []


class BoundedCache(Generic[K, V]):
    """A dict of at most ``maxsize`` entries that evicts the oldest entry when a new one arrives.

    ``entries`` is the plain dict itself: a hot path may bind ``cache.entries.get`` once and pay
    exactly a dict lookup per hit. Only :meth:`put` may add to it.
    """

    __slots__ = ("name", "maxsize", "entries", "_order")

    def __init__(self, name: str, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.name = name
        self.maxsize = maxsize
        self.entries: dict[K, V] = {}
        self._order: deque[K] = deque()
        _registry.append(self)

    def get(self, key: K, default: Any = None) -> Any:
        """The cached value of ``key``, or ``default``. O(1); does not change the eviction order."""
        return self.entries.get(key, default)

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` for ``key``, evicting the oldest entries while full. O(1) amortized."""
        entries = self.entries
        if key in entries:
            entries[key] = value
            return value
        order = self._order
        while len(entries) >= self.maxsize and order:
            entries.pop(order.popleft(), None)
        entries[key] = value
        order.append(key)
        return value

    def clear(self) -> None:
        """Forget every entry. O(n)."""
        self.entries.clear()
        self._order.clear()

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __repr__(self) -> str:
        return f"BoundedCache({self.name!r}, {len(self.entries)}/{self.maxsize})"


def memoize(maxsize: int, name: str | None = None) -> Callable[[Callable[[K], R]], Callable[[K], R]]:
    """Decorate a pure one-argument function with a :class:`BoundedCache` (as ``wrapper.cache``).

    Stands where ``functools.lru_cache`` stood, at the same hit cost (one dict lookup), with the
    eviction policy above and a place in :func:`reset_caches`.
    """

    def decorate(fn: Callable[[K], R]) -> Callable[[K], R]:
        cache: BoundedCache[K, R] = BoundedCache(name or f"{fn.__module__}.{fn.__qualname__}", maxsize)
        entries = cache.entries
        put = cache.put

        @functools.wraps(fn)
        def wrapper(key: K) -> R:
            try:
                return entries[key]
            except KeyError:
                pass
            return put(key, fn(key))

        wrapper.cache = cache  # type: ignore[attr-defined]
        return wrapper

    return decorate


def registered() -> tuple[BoundedCache[Any, Any], ...]:
    """Every cache created so far (those of modules imported so far), oldest first."""
    return tuple(_registry)


def reset_caches() -> None:
    """Empty every registered cache. Answers do not change; only the next call of each text costs
    a compile again."""
    for cache in _registry:
        cache.clear()
