"""A sorted map kept as parallel key and value lists: the engine's one ordered structure.

Why not ``sortedcontainers.SortedDict``: it pairs a SortedList of keys with a hash table, so an
ordered walk does a hash lookup per key, touching memory in random order, and even an empty one
costs several hundred bytes. Here values sit in a list *parallel* to the sorted keys, so a range
walk reads two pointer arrays sequentially and a one-item map is one small object and two lists.
The layout is sortedcontainers' own idea (a list of sorted blocks plus their maxima), applied to
pairs:

* **flat** (``maxes is None``): one sorted ``keys`` list and its ``vals``; used up to ``LOAD``
  pairs, where a memmove insert is cheaper than any tree.
* **blocked**: ``keys``/``vals`` are lists of blocks of ``LOAD//2..LOAD*2`` pairs, ``maxes`` the
  last key of each block; a block splits in two when it exceeds ``2·LOAD`` and is merged into a
  neighbour when it falls below ``LOAD//4``.

Complexity: ``get``/``set``/``pop`` O(log n) (plus an O(LOAD) memmove); ``walk`` O(log n) to find
its start and amortised O(1) per pair. Walks re-bisect from the last key returned before every
chunk, so a write between two pulls can neither break a walk nor make it repeat a key; chunks grow
from ``FIRST_CHUNK`` so a walk that stops early (Query with a small Limit) copies little.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

LOAD = 512
FIRST_CHUNK = 16
MAX_CHUNK = 256


class SortedPairs:
    """Sorted ``key → value`` map with ordered range walks."""

    __slots__ = ("keys", "vals", "maxes", "size")

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.vals: list[Any] = []
        self.maxes: list[Any] | None = None
        self.size = 0

    def __len__(self) -> int:
        """Number of pairs.

        Runtime complexity: O(1)."""
        return self.size

    # --- point operations -------------------------------------------------------------------

    def get(self, key: Any) -> Any:
        """The value at ``key`` or None.

        Runtime complexity: O(log n)."""
        maxes = self.maxes
        if maxes is None:
            keys = self.keys
            i = bisect_left(keys, key)
            if i < len(keys) and keys[i] == key:
                return self.vals[i]
            return None
        b = bisect_left(maxes, key)
        if b == len(maxes):
            return None
        block = self.keys[b]
        i = bisect_left(block, key)
        if block[i] == key:
            return self.vals[b][i]
        return None

    def set(self, key: Any, value: Any) -> Any:
        """Store ``value`` at ``key``; return the previous value (None when new).

        Runtime complexity: O(log n), plus an O(LOAD) memmove within one block."""
        maxes = self.maxes
        if maxes is None:
            keys = self.keys
            i = bisect_left(keys, key)
            if i < len(keys) and keys[i] == key:
                old = self.vals[i]
                self.vals[i] = value
                return old
            keys.insert(i, key)
            self.vals.insert(i, value)
            self.size += 1
            if self.size > 2 * LOAD:
                self._to_blocked()
            return None
        b = bisect_left(maxes, key)
        if b == len(maxes):
            b -= 1
            block = self.keys[b]
            block.append(key)
            self.vals[b].append(value)
            maxes[b] = key
        else:
            block = self.keys[b]
            i = bisect_left(block, key)
            if block[i] == key:
                vals = self.vals[b]
                old = vals[i]
                vals[i] = value
                return old
            block.insert(i, key)
            self.vals[b].insert(i, value)
        self.size += 1
        if len(block) > 2 * LOAD:
            self._split(b)
        return None

    def pop(self, key: Any) -> Any:
        """Remove ``key``; return its value (None when absent).

        Runtime complexity: O(log n), plus an O(LOAD) memmove within one block."""
        maxes = self.maxes
        if maxes is None:
            keys = self.keys
            i = bisect_left(keys, key)
            if i < len(keys) and keys[i] == key:
                del keys[i]
                self.size -= 1
                return self.vals.pop(i)
            return None
        b = bisect_left(maxes, key)
        if b == len(maxes):
            return None
        block = self.keys[b]
        i = bisect_left(block, key)
        if block[i] != key:
            return None
        del block[i]
        old = self.vals[b].pop(i)
        self.size -= 1
        if block:
            maxes[b] = block[-1]
        if len(block) < max(1, LOAD // 4):
            self._merge(b)
        return old

    # --- block maintenance ------------------------------------------------------------------

    def _to_blocked(self) -> None:
        keys, vals = self.keys, self.vals
        self.keys = [keys[i : i + LOAD] for i in range(0, len(keys), LOAD)]
        self.vals = [vals[i : i + LOAD] for i in range(0, len(vals), LOAD)]
        self.maxes = [block[-1] for block in self.keys]

    def _split(self, b: int) -> None:
        assert self.maxes is not None
        block, vals = self.keys[b], self.vals[b]
        half = len(block) // 2
        self.keys[b + 1 : b + 1] = [block[half:]]
        self.vals[b + 1 : b + 1] = [vals[half:]]
        del block[half:]
        del vals[half:]
        self.maxes[b : b + 1] = [block[-1], self.keys[b + 1][-1]]

    def _merge(self, b: int) -> None:
        maxes = self.maxes
        assert maxes is not None
        if self.size <= LOAD:
            self.keys = [k for block in self.keys for k in block]
            self.vals = [v for block in self.vals for v in block]
            self.maxes = None
            return
        if not self.keys[b]:
            del self.keys[b], self.vals[b], maxes[b]
            return
        n = b + 1 if b + 1 < len(maxes) else b - 1
        lo, hi = min(b, n), max(b, n)
        self.keys[lo].extend(self.keys[hi])
        self.vals[lo].extend(self.vals[hi])
        del self.keys[hi], self.vals[hi], maxes[hi]
        maxes[lo] = self.keys[lo][-1]
        if len(self.keys[lo]) > 2 * LOAD:
            self._split(lo)

    # --- walks ------------------------------------------------------------------------------

    def _blocks(self) -> tuple[list[list[Any]], list[list[Any]]]:
        if self.maxes is None:
            return [self.keys], [self.vals]
        return self.keys, self.vals

    def _position(self, key: Any, right: bool) -> tuple[int, int]:
        """(block, index) of the first key > ``key`` (right) or >= ``key`` (left)."""
        maxes = self.maxes
        if maxes is None:
            return 0, (bisect_right if right else bisect_left)(self.keys, key)
        b = (bisect_right if right else bisect_left)(maxes, key)
        if b == len(maxes):
            return b, 0
        return b, (bisect_right if right else bisect_left)(self.keys[b], key)

    def walk(
        self,
        lo: Any = None,
        lo_inclusive: bool = True,
        hi: Any = None,
        hi_inclusive: bool = True,
        forward: bool = True,
        after: Any = None,
        has_after: bool = False,
    ) -> Iterator[Any]:
        """Values whose keys are within the bounds (None = unbounded), ascending (or descending
        when not ``forward``), strictly after ``after`` in walk order when ``has_after``.

        Runtime complexity: O(log n + k) for k values yielded (a re-bisection per chunk)."""
        if forward:
            return self._walk_forward(lo, lo_inclusive, hi, hi_inclusive, after, has_after)
        return self._walk_backward(lo, lo_inclusive, hi, hi_inclusive, after, has_after)

    def _walk_forward(
        self, lo: Any, lo_inc: bool, hi: Any, hi_inc: bool, last: Any, has_last: bool
    ) -> Iterator[Any]:
        chunk = FIRST_CHUNK
        while True:
            b, i = self._position(lo, not lo_inc) if lo is not None else (0, 0)
            if has_last:
                b, i = max((b, i), self._position(last, True))
            kblocks, vblocks = self._blocks()
            while b < len(kblocks) and i >= len(kblocks[b]):
                b, i = b + 1, 0
            if b >= len(kblocks):
                return
            kb = kblocks[b]
            j = min(len(kb), i + chunk)
            done = False
            if hi is not None and (kb[j - 1] > hi if hi_inc else kb[j - 1] >= hi):
                j = bisect_right(kb, hi, i, j) if hi_inc else bisect_left(kb, hi, i, j)
                done = True
            if j > i:
                last, has_last = kb[j - 1], True  # read before yielding: the block may change
                yield from vblocks[b][i:j]
            if done:
                return
            if chunk < MAX_CHUNK:
                chunk *= 2

    def _walk_backward(
        self, lo: Any, lo_inc: bool, hi: Any, hi_inc: bool, last: Any, has_last: bool
    ) -> Iterator[Any]:
        chunk = FIRST_CHUNK
        while True:
            # (b, i): walk the keys strictly before position i of block b
            kblocks, vblocks = self._blocks()
            if hi is not None:
                b, i = self._position(hi, hi_inc)
            else:
                b, i = len(kblocks) - 1, len(kblocks[-1])
            if has_last:
                b, i = min((b, i), self._position(last, False))
            if b >= len(kblocks):
                b = len(kblocks) - 1
                i = len(kblocks[b])
            while b >= 0 and i <= 0:
                b -= 1
                i = len(kblocks[b]) if b >= 0 else 0
            if b < 0:
                return
            kb = kblocks[b]
            j = max(0, i - chunk)
            done = False
            if lo is not None and (kb[j] < lo if lo_inc else kb[j] <= lo):
                j = bisect_left(kb, lo, j, i) if lo_inc else bisect_right(kb, lo, j, i)
                done = True
            if i > j:
                last, has_last = kb[j], True  # read before yielding: the block may change
                vals = vblocks[b][j:i]
                vals.reverse()
                yield from vals
            if done:
                return
            if chunk < MAX_CHUNK:
                chunk *= 2

    # --- whole-map helpers ------------------------------------------------------------------

    def items(self) -> Iterator[tuple[Any, Any]]:
        """All (key, value) pairs in key order (no protection against concurrent writes).

        Runtime complexity: O(n) for the whole walk, O(1) per pair."""
        kblocks, vblocks = self._blocks()
        for kb, vb in zip(kblocks, vblocks):
            yield from zip(kb, vb)

    def map_values(self, fn: Any) -> None:
        """Replace every value ``v`` by ``fn(v)`` in place.

        Runtime complexity: O(n)."""
        _, vblocks = self._blocks()
        for vb in vblocks:
            vb[:] = [fn(v) for v in vb]

    def copy(self) -> SortedPairs:
        """A copy with its own key and value lists (the values themselves are shared).

        Runtime complexity: O(n)."""
        c = type(self).__new__(type(self))
        c.size = self.size
        if self.maxes is None:
            c.keys = list(self.keys)
            c.vals = list(self.vals)
            c.maxes = None
        else:
            c.keys = [list(b) for b in self.keys]
            c.vals = [list(b) for b in self.vals]
            c.maxes = list(self.maxes)
        return c

    def _check(self) -> None:
        kblocks, vblocks = self._blocks()
        assert len(kblocks) == len(vblocks)
        total = 0
        prev: Any = None
        first = True
        for kb, vb in zip(kblocks, vblocks):
            assert len(kb) == len(vb), "keys/values lengths differ"
            for k in kb:
                assert first or prev < k, "keys out of order or duplicated"
                prev, first = k, False
            total += len(kb)
        assert total == self.size, "size drifted"
        if self.maxes is not None:
            assert len(self.maxes) == len(kblocks)
            for kb, m in zip(kblocks, self.maxes):
                assert kb and kb[-1] == m, "block maximum stale or empty block"
                assert len(kb) <= 2 * LOAD, "block too large"
            assert self.size > LOAD or len(kblocks) >= 1
        else:
            assert self.size <= 2 * LOAD, "flat map too large"
