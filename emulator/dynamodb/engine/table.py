"""The storage engine's table: a leader store, the change log, and optional read replicas.

Contract with the operations layer (docs/internals.md):

* **Copies.** The engine stores exactly the item objects it is given and returns references to
  stored items. The operations layer hands :meth:`Table.write` an already validated, already
  copied item (``values.validate_item`` copies on the way in) and copies or projects items before
  they leave for the user (``values.copy_item`` / projection). Stored items are **immutable**:
  a ``mutate`` callback must build a new dict rather than modify ``old`` in place, because replicas,
  change records and iterators share the stored objects.
* **Locking.** The operations layer runs every operation under the service's re-entrant lock
  (``emulator/service.py``); the engine relies on it and takes no locks of its own. Iterators
  returned by :meth:`query` and :meth:`scan` re-bisect between chunks, so a write made between two
  pulls (inside the same locked operation) cannot break them.
* **The write funnel.** :meth:`write` is the only way to change a table. It reads the leader's
  current item, lets the caller decide the new one, stores it, updates the item count, and
  appends one change record, which feeds listeners (indexes, streams, TTL) and replicas.
* **Item-size facts.** The funnel keeps two monotone facts about every item ever stored:
  :attr:`Table.max_item_bytes`, an upper bound on the S1 size of each, and :attr:`Table.all_scalar`
  (no set, list or map value so far). Never lowered on delete or overwrite: they only have to
  bound, and whatever a read can return (leader items, older versions on replicas or lagging GSIs,
  index projections, which keep a subset of an item's attributes) was once stored here. Query and
  Scan use them to skip per-item size work while a page is certainly under 1 MB, and to copy
  all-scalar items cheaply (``operations/reads.py``).
* **Consistency.** Writes and strongly consistent reads use the leader. Eventually consistent reads
  use a replica (``replica.py``) when ``replica_lag > 0``; with lag 0 (the default) no replica
  exists and every read is a leader read, at no extra cost.

Complexity (n items in the table, c in the item collection, k returned): ``get`` O(1) for a
hash-only table, O(1) + O(log c) with a sort key; ``write`` the same plus O(log n) when a
partition-key value appears or disappears, plus one pass over the new item's attributes for
the item-size facts (the exact size only for items with containers, or whose ceiling is above
both :data:`EXACT_SIZE_ABOVE` and the current bound; ``size_bytes`` is computed lazily);
``query`` O(log c + k); a ``scan`` page O(log n + k). Nothing is sorted per request.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from ..keys import ENCODERS, KeySchema, SortCondition
from ..values import item_size, scalar_size_ceiling
from .changelog import ChangeLog
from .partition import order_key, segment_of
from .replica import ReplicaSet
from .sortrange import sort_range
from .store import Store

Item = dict[str, Any]
AttributeValue = dict[str, Any]

DEFAULT_PARTITIONS = 4
DEFAULT_REPLICAS = 2

#: Above this many bytes an item's cheap ceiling (up to 4x its size) is replaced by its exact size
#: before it raises :attr:`Table.max_item_bytes`, so a few big items do not make the bound useless.
#: (A table of many such items then sizes each write exactly: O(item), like the write's own
#: validation; items whose ceiling is at most this, or at most the bound, cost one cheap pass.)
EXACT_SIZE_ABOVE = 4096


class Table:
    """Storage of one DynamoDB table: leader + change log + replicas (indexes are ``indexes.SecondaryIndex``)."""

    def __init__(
        self,
        schema: KeySchema,
        *,
        clock: Any,
        rng: random.Random | None = None,
        replica_lag: float = 0.0,
        replicas: int = DEFAULT_REPLICAS,
        partitions: int = DEFAULT_PARTITIONS,
    ) -> None:
        if replica_lag < 0:
            raise ValueError("replica_lag must be >= 0")
        self.schema = schema
        self.clock = clock
        self.rng = rng if rng is not None else random.Random(0)
        self.replica_count = replicas
        self._leader = Store(schema, partitions)
        self._log = ChangeLog()
        self._size = 0
        #: An upper bound on item_size() of every item ever stored (monotone; see the module doc).
        self.max_item_bytes = 0
        #: True while no item ever stored held a set, list or map value (monotone).
        self.all_scalar = True
        self._has_range = schema.range_name is not None
        self._hash_name = schema.hash_name
        self._hash_enc = ENCODERS[schema.hash_type]
        self._hash_type = schema.hash_type
        self._range_name = schema.range_name
        self._range_type = schema.range_type
        self._range_enc = ENCODERS[schema.range_type] if schema.range_type is not None else None
        self._replicas: ReplicaSet | None = None
        self._lag = 0.0
        self.set_replica_lag(replica_lag)

    # --- configuration ----------------------------------------------------------------------

    @property
    def replica_lag(self) -> float:
        """Seconds an eventually consistent read may lag the leader (0: none).

        Runtime complexity: O(1)."""
        return self._lag

    def set_replica_lag(self, lag: float) -> None:
        """Change the eventual-consistency lag. Turning lag on seeds replicas from the leader's
        current state (O(n)); turning it off drops them.

        Runtime complexity: O(R n) when lag turns on (R replicas seeded), else O(1)."""
        if lag < 0:
            raise ValueError("replica_lag must be >= 0")
        lag = float(lag)
        if lag > 0 and self._replicas is None and self.replica_count > 0:
            self._replicas = ReplicaSet(self._leader, self._log, self.replica_count, lag, self.rng)
        elif lag > 0 and self._replicas is not None:
            self._replicas.lag = lag
        elif lag == 0 and self._replicas is not None:
            self._replicas.close()
            self._replicas = None
        self._lag = lag

    # --- key handling -----------------------------------------------------------------------

    def _encode(self, key: Item) -> tuple[Any, Any]:
        pk = self._hash_enc(key[self._hash_name][self._hash_type])
        if self._has_range:
            return pk, self._range_enc(key[self._range_name][self._range_type])  # type: ignore[misc,index]
        return pk, None

    def _view(self, consistent: bool) -> Store:
        if consistent or self._replicas is None:
            return self._leader
        return self._replicas.read_view(self.clock.now())

    # --- reads ------------------------------------------------------------------------------

    def get(self, key: Item, *, consistent: bool = True) -> Item | None:
        """The stored item with this key (a reference: do not mutate), or None.

        Runtime complexity: O(1) hash-only, O(log c) with a sort key (plus any replica catch-up)."""
        pk = self._hash_enc(key[self._hash_name][self._hash_type])
        store = self._leader if (consistent or self._replicas is None) else self._view(False)
        entry = store.data.get(pk)
        if entry is None or not self._has_range:
            return entry
        return entry.get(self._range_enc(key[self._range_name][self._range_type]))  # type: ignore[misc,index]

    def query(
        self,
        hash_value: AttributeValue,
        sort: SortCondition | None = None,
        *,
        forward: bool = True,
        exclusive_start: Item | None = None,
        consistent: bool = True,
    ) -> Iterator[Item]:
        """Items of one item collection in sort-key order (reversed when not ``forward``),
        strictly after ``exclusive_start`` (a key dict) and within ``sort``.

        A ``hash_value`` or condition value of the wrong type for the schema matches nothing
        (the operations layer reports such requests before calling).

        Runtime complexity: O(log c + k) for c items in the collection, k yielded."""
        raw = hash_value.get(self._hash_type) if isinstance(hash_value, dict) else None
        if raw is None:
            return iter(())
        pk = self._hash_enc(raw)
        bounds = sort_range(sort, self._range_type)
        after: Any = None
        has_after = exclusive_start is not None
        if exclusive_start is not None and self._has_range:
            after = self._range_enc(exclusive_start[self._range_name][self._range_type])  # type: ignore[misc,index]
        return self._view(consistent).query(pk, bounds, forward, after, has_after)

    def scan(
        self,
        *,
        segment: int = 0,
        total_segments: int = 1,
        exclusive_start: Item | None = None,
        consistent: bool = True,
    ) -> Iterator[Item]:
        """Items in partition-hash order, sort-key order within a collection, restricted to
        parallel-scan ``segment`` of ``total_segments``, strictly after ``exclusive_start``.

        Runtime complexity: O(log n) to resume, then amortised O(1) per item (lazy)."""
        if not 0 <= segment < total_segments:
            raise ValueError("segment must be in [0, total_segments)")
        start = self._encode(exclusive_start) if exclusive_start is not None else None
        return self._view(consistent).scan(segment, total_segments, start)

    def segment_of(self, key: Item, total_segments: int) -> int:
        """The parallel-scan segment holding ``key`` (to check an ExclusiveStartKey, Q11).

        Runtime complexity: O(len) of the key (one MD5)."""
        pk = self._hash_enc(key[self._hash_name][self._hash_type])
        return segment_of(order_key(self._hash_type, pk), total_segments)

    # --- the write funnel -------------------------------------------------------------------

    def write(
        self, key: Item, mutate: Callable[[Item | None], Item | None], *, scalar_ceiling: int = -1
    ) -> tuple[Item | None, Item | None]:
        """THE write funnel (Put, Update, Delete, BatchWrite, transactions).

        Looks up the leader's current item ``old``, calls ``mutate(old)`` (which may raise, e.g. a
        failed condition; then nothing changes), stores its result (None = delete; returning
        ``old`` itself = no change, nothing logged), appends one change record and returns
        ``(old, new)``. ``mutate`` must return a new dict, never modify ``old`` in place.

        ``scalar_ceiling``: a caller that already knows the item ``mutate`` returns is all-scalar
        and at most this many bytes (S1) passes it, and the funnel skips its own
        :func:`scalar_size_ceiling` pass (PutItem and BatchWriteItem compute one while validating:
        ``operations/storage_form.py``).

        Runtime complexity: O(log c + log n + s), plus the change-log listeners (indexes, streams)."""
        pk, sk = self._encode(key)
        leader = self._leader
        old = leader.lookup(pk, sk)
        new = mutate(old)
        if new is old:
            return old, old
        if new is None:
            leader.delete(pk, sk)
        else:
            leader.put(pk, sk, new)
            ceiling = scalar_ceiling if scalar_ceiling >= 0 else scalar_size_ceiling(new)
            if ceiling < 0:  # a container: its exact size, computed once
                self.all_scalar = False
                size = item_size(new)
                if size > self.max_item_bytes:
                    self.max_item_bytes = size
            elif ceiling > self.max_item_bytes:
                if ceiling > EXACT_SIZE_ABOVE:
                    ceiling = item_size(new)
                if ceiling > self.max_item_bytes:
                    self.max_item_bytes = ceiling
        self._size = -1
        log = self._log
        now = self.clock.now()
        log.append(now, key, old, new, pk, sk)
        replicas = self._replicas
        if replicas is not None:
            replicas.settle(now)
        return old, new

    def put(self, item: Item) -> tuple[Item | None, Item | None]:
        """Unconditional put of an already validated item (convenience over :meth:`write`).

        Runtime complexity: that of :meth:`write`."""
        return self.write(self.schema.extract_key(item), lambda _old: item)

    def delete(self, key: Item) -> tuple[Item | None, Item | None]:
        """Unconditional delete (convenience over :meth:`write`).

        Runtime complexity: that of :meth:`write`."""
        return self.write(key, lambda _old: None)

    # --- statistics and consumers -----------------------------------------------------------

    @property
    def item_count(self) -> int:
        """Number of items in the leader.

        Runtime complexity: O(1)."""
        return self._leader.item_count

    @property
    def size_bytes(self) -> int:
        """Σ item_size over the leader's items (S1; without the 100-byte overhead of S4).

        Computed on demand and cached until the next write: O(n) after a change, O(1) otherwise.
        Sizing every write (old and new item) would double the cost of the write funnel for a
        figure AWS itself refreshes only every few hours; DescribeTable is the only reader.

        Runtime complexity: O(n) after a write, O(1) otherwise (cached)."""
        if self._size < 0:
            self._size = sum(item_size(item) for _pk, _sk, item in self._leader.iter_all())
        return self._size

    @property
    def change_log(self) -> ChangeLog:
        """The change log: ``subscribe(listener)`` for push consumers, ``cursor()`` for pull.

        Runtime complexity: O(1)."""
        return self._log

    @property
    def replicas(self) -> ReplicaSet | None:
        """The table's read replicas, None while the lag is 0.

        Runtime complexity: O(1)."""
        return self._replicas

    def catch_up(self) -> None:
        """Bring every replica to the leader's state (what ``clock.advance(lag)`` guarantees).

        Runtime complexity: O(R k (log c + log n)) for R replicas and k pending records."""
        if self._replicas is not None:
            self._replicas.catch_up()

    def items(self) -> Iterator[Item]:
        """Every leader item, in Scan order.

        Runtime complexity: O(n) for the whole walk, amortised O(1) per item."""
        return self._leader.scan(0, 1, None)

    def close(self) -> None:
        """Detach replicas (table deleted).

        Runtime complexity: O(R p) for R replicas and p cursors."""
        if self._replicas is not None:
            self._replicas.close()
            self._replicas = None

    def _check(self) -> None:
        """Invariants: leader store, log, size, replicas (equal to the leader once caught up)."""
        self._leader._check()
        self._log._check()
        if self._size >= 0:
            total = sum(item_size(item) for _pk, _sk, item in self._leader.iter_all())
            assert total == self._size, f"cached size_bytes stale: {self._size} != {total}"
        for _pk, _sk, item in self._leader.iter_all():
            assert item_size(item) <= self.max_item_bytes, "max_item_bytes is not an upper bound"
            assert not self.all_scalar or scalar_size_ceiling(item) >= 0, "all_scalar but a container"
        if self._replicas is not None:
            self._replicas._check(self._leader, self._log.seq)
