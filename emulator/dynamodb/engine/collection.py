"""One item collection: the items that share a partition-key value, ordered by encoded sort key.

Design decisions:

* Most collections are small (often a single item), so a collection starts as a plain sorted
  Python ``list`` of encoded sort keys plus a ``dict`` from encoded sort key to item; past
  ``PROMOTE_AT`` keys the list is promoted to a :class:`sortedcontainers.SortedList`, whose inserts
  and deletes stay O(log n) however large the collection grows. Both expose the same
  ``bisect_left/bisect_right`` + slicing vocabulary through the two helpers below.
* Readers fetch *chunks* of at most ``CHUNK`` keys, re-bisecting from the last key returned before
  each chunk. A chunk costs O(log n + k); iteration never holds an index into a structure across a
  yield, so a write between two chunks can neither crash an iterator nor make it repeat or skip a
  key that was present throughout (DynamoDB gives no snapshot isolation either, Q12).

Complexity: ``get`` O(1); ``put``/``delete`` O(log n) (plain list: O(n) memmove below PROMOTE_AT);
``range`` O(log n + k).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from typing import Any

from sortedcontainers import SortedList

from .sortrange import SortRange

PROMOTE_AT = 512
CHUNK = 128

Item = dict[str, Any]


def _bl(keys: Any, x: Any) -> int:
    return bisect_left(keys, x) if type(keys) is list else keys.bisect_left(x)


def _br(keys: Any, x: Any) -> int:
    return bisect_right(keys, x) if type(keys) is list else keys.bisect_right(x)


class ItemCollection:
    """Sorted map encoded-sort-key → item for one partition-key value."""

    __slots__ = ("keys", "items")

    def __init__(self) -> None:
        self.keys: list[Any] | SortedList = []
        self.items: dict[Any, Item] = {}

    def __len__(self) -> int:
        return len(self.items)

    def get(self, sk: Any) -> Item | None:
        return self.items.get(sk)

    def put(self, sk: Any, item: Item) -> Item | None:
        """Store ``item`` under ``sk``; return the item it replaced. O(log n)."""
        items = self.items
        old = items.get(sk)
        items[sk] = item
        if old is None:
            keys = self.keys
            if type(keys) is list:
                insort(keys, sk)
                if len(keys) > PROMOTE_AT:
                    self.keys = SortedList(keys)
            else:
                keys.add(sk)  # type: ignore[union-attr]
        return old

    def delete(self, sk: Any) -> Item | None:
        """Remove ``sk``; return the removed item (None when absent). O(log n)."""
        old = self.items.pop(sk, None)
        if old is not None:
            keys = self.keys
            if type(keys) is list:
                del keys[bisect_left(keys, sk)]
            else:
                keys.remove(sk)  # type: ignore[union-attr]
        return old

    def copy(self) -> ItemCollection:
        """A structural copy sharing the (immutable) items. O(n)."""
        c = ItemCollection()
        c.keys = list(self.keys) if type(self.keys) is list else SortedList(self.keys)
        c.items = dict(self.items)
        return c

    def range(self, bounds: SortRange | None, forward: bool = True, after: Any = None,
              has_after: bool = False) -> Iterator[Item]:
        """Items whose sort key is within ``bounds``, in order (reverse when not ``forward``),
        strictly after ``after`` in that direction when ``has_after``. O(log n + k)."""
        if bounds is not None and bounds.empty:
            return
        items = self.items
        last = after
        has_last = has_after
        while True:
            keys = self.keys
            if bounds is None or bounds.lo is None:
                start = 0
            else:
                start = _bl(keys, bounds.lo) if bounds.lo_inclusive else _br(keys, bounds.lo)
            if bounds is None or bounds.hi is None:
                stop = len(keys)
            else:
                stop = _br(keys, bounds.hi) if bounds.hi_inclusive else _bl(keys, bounds.hi)
            if forward:
                if has_last:
                    start = max(start, _br(keys, last))
                if start >= stop:
                    return
                chunk = keys[start:min(stop, start + CHUNK)]
            else:
                if has_last:
                    stop = min(stop, _bl(keys, last))
                if start >= stop:
                    return
                chunk = keys[max(start, stop - CHUNK):stop]
                chunk.reverse()
            resolved = [items[k] for k in chunk]
            last = chunk[-1]
            has_last = True
            yield from resolved

    def _check(self) -> None:
        keys = self.keys
        assert len(keys) == len(self.items), "keys/items count mismatch"
        assert len(keys) > 0, "empty collection kept"
        for a, b in zip(keys, list(keys)[1:]):
            assert a < b, "sort keys out of order or duplicated"
        assert set(keys) == set(self.items), "keys/items disagree"
        if isinstance(keys, SortedList):
            keys._check()
