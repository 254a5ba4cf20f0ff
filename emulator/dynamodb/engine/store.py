"""The materialised state of a table: what the leader holds, and what each replica holds.

A :class:`Store` maps encoded partition-key values to their data in one ``dict``: the item itself
for a hash-only table (no per-item wrapper), an :class:`~.collection.ItemCollection` for a table
with a sort key. Alongside it, the partitions (``partition.py``) hold the Scan order of the
partition-key values. The leader and every replica are Stores; replicas share the item objects
with the leader (items are immutable once stored, see ``table.py``), so a replica costs only its
index structures.

Complexity (n items, c items in the collection, k items returned):
``lookup`` O(1) (hash-only) / O(1) dict + O(log c) (with a sort key); ``put``/``delete`` O(log c),
plus O(log n) and one MD5 when a partition-key value appears or disappears; ``query``
O(log c + k); ``scan`` page resume O(log n + log c), then O(1) amortised per item.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..keys import KeySchema
from .collection import ItemCollection
from .partition import (
    Partition,
    decode_order_key,
    make_partitions,
    order_key,
    prefix16,
    route,
    segment_bounds,
)
from .sortrange import SortRange

Item = dict[str, Any]


class Store:
    """Items of one table, by encoded key, plus the hash-ordered partitions for Scan."""

    __slots__ = ("schema", "has_range", "hash_type", "data", "partitions", "item_count")

    def __init__(self, schema: KeySchema, partitions: int) -> None:
        self.schema = schema
        self.has_range = schema.range_name is not None
        self.hash_type = schema.hash_type
        self.data: dict[Any, Any] = {}
        self.partitions: list[Partition] = make_partitions(partitions)
        self.item_count = 0

    # --- point operations -------------------------------------------------------------------

    def lookup(self, pk: Any, sk: Any) -> Item | None:
        """The item stored at (pk, sk), or None.

        Runtime complexity: O(1) hash-only; O(1) + O(log c) with a sort key."""
        entry = self.data.get(pk)
        if entry is None or not self.has_range:
            return entry
        return entry.get(sk)

    def put(self, pk: Any, sk: Any, item: Item) -> Item | None:
        """Store ``item`` at (pk, sk); return the item replaced (None if new).

        Runtime complexity: O(log c), plus O(log n) and one MD5 for a new partition-key value."""
        data = self.data
        if not self.has_range:
            old = data.get(pk)
            data[pk] = item
            self._add_order(pk, item)  # the Scan order holds the item itself: one MD5 per write
            if old is None:
                self.item_count += 1
            return old
        coll = data.get(pk)
        if coll is None:
            coll = data[pk] = ItemCollection()
            self._add_order(pk, coll)
        old = coll.put(sk, item)
        if old is None:
            self.item_count += 1
        return old

    def delete(self, pk: Any, sk: Any) -> Item | None:
        """Remove (pk, sk); return the removed item (None if absent).

        Runtime complexity: O(log c), plus O(log n) and one MD5 when a partition-key value goes."""
        data = self.data
        if not self.has_range:
            old = data.pop(pk, None)
            if old is not None:
                self._remove_order(pk)
                self.item_count -= 1
            return old
        coll = data.get(pk)
        if coll is None:
            return None
        old = coll.delete(sk)
        if old is not None:
            self.item_count -= 1
            if not coll.size:
                del data[pk]
                self._remove_order(pk)
        return old

    def apply(self, pk: Any, sk: Any, new: Item | None) -> None:
        """Make (pk, sk) hold ``new`` (None = absent): how replicas replay the change log.

        Runtime complexity: that of :meth:`put` or :meth:`delete`."""
        if new is None:
            self.delete(pk, sk)
        else:
            self.put(pk, sk, new)

    def _add_order(self, pk: Any, value: Any) -> None:
        okey = order_key(self.hash_type, pk)
        self.partitions[route(len(self.partitions), okey)].order.set(okey, value)

    def _remove_order(self, pk: Any) -> None:
        okey = order_key(self.hash_type, pk)
        self.partitions[route(len(self.partitions), okey)].order.pop(okey)

    # --- range reads ------------------------------------------------------------------------

    def query(
        self, pk: Any, bounds: SortRange | None, forward: bool, after: Any, has_after: bool
    ) -> Iterator[Item]:
        """Items of one partition-key value within ``bounds``, in sort-key order (reversed when not
        ``forward``), strictly after ``after`` when ``has_after``; lazy.

        Runtime complexity: O(log c + k) for k items yielded; O(1) hash-only."""
        entry = self.data.get(pk)
        if entry is None:
            return iter(())
        if not self.has_range:
            if has_after or (bounds is not None and bounds.empty):
                return iter(())
            return iter((entry,))
        return entry.range(bounds, forward, after, has_after)

    def scan(self, segment: int, total_segments: int, start: tuple[Any, Any] | None) -> Iterator[Item]:
        """Items in hash order within the segment, after ``start`` = (pk, sk) when given.

        Runtime complexity: O(log n + log c) to resume after ``start``, then amortised O(1) per item."""
        seg = segment_bounds(segment, total_segments)
        if seg is None:
            return
        lo, hi = seg
        hash_type = self.hash_type
        data = self.data
        has_range = self.has_range
        partitions = self.partitions
        n = len(partitions)
        last: bytes | None = None
        if start is not None:
            pk, sk = start
            last = order_key(hash_type, pk)
            if hi is not None and last >= hi:
                return
            if lo is not None and last < lo:
                last = None
            elif has_range:
                coll = data.get(pk)
                if coll is not None:
                    yield from coll.range(None, True, sk, True)
        if last is not None:
            first = route(n, last)
        elif lo is not None:
            first = route(n, lo)
        else:
            first = 0
        hi_prefix = prefix16(hi) if hi is not None else 65536
        for index in range(first, n):
            part = partitions[index]
            if part.lo >= hi_prefix:
                return
            walk = part.order.walk(lo, True, hi, False, True, last, last is not None)
            if has_range:
                for coll in walk:
                    if coll.maxes is None and coll.size <= 32:
                        yield from coll.vals[:]  # small collection: one snapshot, no walk
                    else:
                        yield from coll.range(None, True, None, False)
            else:
                yield from walk
            last = None

    # --- maintenance ------------------------------------------------------------------------

    def copy(self) -> Store:
        """A structural copy sharing the (immutable) items (used to seed a replica).

        Runtime complexity: O(n)."""
        s = Store.__new__(Store)
        s.schema = self.schema
        s.has_range = self.has_range
        s.hash_type = self.hash_type
        s.item_count = self.item_count
        s.partitions = [p.copy() for p in self.partitions]
        if self.has_range:
            copies = {id(coll): coll.copy() for coll in self.data.values()}
            s.data = {pk: copies[id(coll)] for pk, coll in self.data.items()}
            for part in s.partitions:
                part.order.map_values(lambda coll: copies[id(coll)])
        else:
            s.data = dict(self.data)
        return s

    def iter_all(self) -> Iterator[tuple[Any, Any, Item]]:
        """Every (pk, sk, item), in no particular order (for checks and comparisons).

        Runtime complexity: O(n) for the whole walk, O(1) per item."""
        if self.has_range:
            for pk, coll in self.data.items():
                for sk, item in coll.items():
                    yield pk, sk, item
        else:
            for pk, item in self.data.items():
                yield pk, None, item

    def _check(self) -> None:
        """Invariants: partitions ordered and in range; order keys ↔ dict keys; counts; keys of
        stored items encode to where they are stored."""
        schema = self.schema
        okeys: list[bytes] = []
        for i, part in enumerate(self.partitions):
            part._check()
            for okey, value in part.order.items():
                assert route(len(self.partitions), okey) == i, "order key in the wrong partition"
                pk = decode_order_key(self.hash_type, okey)
                assert pk in self.data, "order key without data"
                if self.has_range:
                    assert value is self.data[pk], "partition points at a stale collection"
                else:
                    assert value is self.data[pk], "partition holds a stale item"
                okeys.append(okey)
        assert all(a < b for a, b in zip(okeys, okeys[1:])), "partitions out of hash order"
        assert len(okeys) == len(self.data), "partition order keys and collections disagree"
        count = 0
        for pk, entry in self.data.items():
            if self.has_range:
                entry._check()
                for sk, item in entry.items():
                    assert schema.encode(item) == (pk, sk), "item stored under a foreign key"
                count += len(entry)
            else:
                assert schema.encode(entry) == (pk,), "item stored under a foreign key"
                count += 1
        assert count == self.item_count, "item_count drifted"
