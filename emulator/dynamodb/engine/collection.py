"""One item collection: the items that share a partition-key value, ordered by encoded sort key.

An :class:`ItemCollection` is a :class:`~.sortedpairs.SortedPairs` from encoded sort key to item:
a one-item collection is one small object and two one-element lists, and a Query walks two
pointer arrays in order. Sort-key conditions arrive as a :class:`~.sortrange.SortRange`.

Complexity: ``get``/``put``/``delete`` O(log c); ``range`` O(log c + k).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .sortedpairs import SortedPairs
from .sortrange import SortRange

Item = dict[str, Any]


class ItemCollection(SortedPairs):
    """Sorted map encoded-sort-key → item for one partition-key value."""

    __slots__ = ()

    def put(self, sk: Any, item: Item) -> Item | None:
        """Store ``item`` under ``sk``; return the item it replaced.

        Runtime complexity: O(log c) (plus a memmove within one block)."""
        return self.set(sk, item)

    def delete(self, sk: Any) -> Item | None:
        """Remove ``sk``; return the removed item (None when absent).

        Runtime complexity: O(log c) (plus a memmove within one block)."""
        return self.pop(sk)

    def range(
        self, bounds: SortRange | None, forward: bool = True, after: Any = None, has_after: bool = False
    ) -> Iterator[Item]:
        """Items whose sort key is within ``bounds``, in order (reverse when not ``forward``),
        strictly after ``after`` in that direction when ``has_after``.

        Runtime complexity: O(log c + k) for c items in the collection, k yielded."""
        if bounds is None:
            return self.walk(None, True, None, True, forward, after, has_after)
        if bounds.empty:
            return iter(())
        return self.walk(
            bounds.lo, bounds.lo_inclusive, bounds.hi, bounds.hi_inclusive, forward, after, has_after
        )

    def _check(self) -> None:
        super()._check()
        assert self.size > 0, "empty collection kept"
