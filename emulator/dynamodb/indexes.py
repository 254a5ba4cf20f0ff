"""Secondary indexes, the basics: GSI and LSI definitions, projections, and index entries kept in
step with the table through the engine's change log (reference §9 X1-X7, Q7-Q9, K7).

An index is a sorted map from ``(index hash, index range, table key)`` to the *projected* item.
Entries are maintained by a change-log listener, so nothing can write to the table without
updating its indexes (the write funnel). Sparse (X5): an item is indexed only when it has every
index key attribute.

Design decisions and limits (say so rather than pretend):

* GSIs are updated synchronously, like LSIs, when the world's ``replica_lag`` is 0 (the default):
  a GSI query sees a write at once. With ``replica_lag`` > 0 a GSI follows the change log through
  its own cursor and shows a change only ``replica_lag`` seconds (virtual clock) after the commit,
  as AWS propagates GSIs asynchronously (EC3). LSIs are always synchronous.
* A GSI created by UpdateTable is backfilled at once from the leader (items whose index key has
  another type are skipped, X7) and is ACTIVE immediately; AWS reports CREATING/Backfilling first.
* Within one index hash value, entries are ordered by index range key, then by table key (AWS
  leaves ties unordered, X6). Index Scan walks index hash values in MD5 order, as the table does.
* Ordered range iteration is the engine's own (``engine/sortedpairs.py``, as a table's item
  collections): one :class:`SortedPairs` per index hash value, ``(range, table key) → projected
  item``, walked with the same bounds and the same resume-after-a-key rule as a table Query.
* ``_check()`` verifies the index against a full scan of the table.

Complexity (e entries under one index hash value, k returned): maintenance O(log e) per write;
Query O(log e + k); a Scan page O(log h + k) for h index hash values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import messages as M
from .engine.partition import bucket_of, segment_buckets, segment_of
from .engine.sortedpairs import SortedPairs
from .engine.sortrange import sort_range
from .errors import ValidationException
from .keys import (
    ENCODERS,
    HASH_KEY_MAX_BYTES,
    RANGE_KEY_MAX_BYTES,
    KeySchema,
    SortCondition,
    key_value_size,
    partition_hash,
)
from .values import item_size

Item = dict[str, Any]


class _Bottom:
    """Sorts before every value (a sentinel inside entry tuples)."""

    def __lt__(self, other: object) -> bool:
        return True

    def __gt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return other is self

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return 0


class _Top(_Bottom):
    """Sorts after every value."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return True

    def __le__(self, other: object) -> bool:
        return other is self

    def __ge__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 1


BOTTOM, TOP = _Bottom(), _Top()


@dataclass(slots=True)
class SecondaryIndex:
    """One GSI or LSI of a table, with its entries."""

    name: str
    kind: str  # "GLOBAL" or "LOCAL"
    schema: Any  # the index key: a keys.KeySchema (a multikey.MultiKeySchema in indexes_multi.py)
    table_schema: KeySchema
    key_schema: list[dict[str, str]]
    projection: dict[str, Any]
    arn: str
    read_capacity: int = 0
    write_capacity: int = 0
    #: Encoded index hash → its entries, (encoded range, encoded table key) → projected item, in
    #: the engine's one ordered structure (engine/sortedpairs.py), as a table's item collections.
    parts: dict[Any, SortedPairs] = field(default_factory=dict)
    entries: dict[tuple[Any, Any, Any], Item] = field(default_factory=dict)
    #: Scan order of the parts: (digest, encoded index hash) → itself.
    order: SortedPairs = field(default_factory=SortedPairs)
    size_bytes: int = 0
    detach: Any = None  # unsubscribes the change-log listener (index deleted)
    lag: float = 0.0  # GSI propagation delay (seconds on the world's clock)
    cursor: Any = None  # change-log cursor of a lagging GSI
    #: Index key attributes, then the table key attributes not already among them (derived).
    key_names: tuple[str, ...] = field(init=False)
    #: The attributes a KEYS_ONLY/INCLUDE entry keeps; None for ALL (derived, used on every write).
    kept: frozenset[str] | None = field(init=False)

    def __post_init__(self) -> None:
        names = list(self.schema.key_names)
        names += [n for n in self.table_schema.key_names if n not in names]
        self.key_names = tuple(names)
        ptype = self.projection_type
        self.kept = (
            None
            if ptype == "ALL"
            else frozenset(names).union(
                (self.projection.get("NonKeyAttributes") or ()) if ptype == "INCLUDE" else ()
            )
        )

    @property
    def is_global(self) -> bool:
        """Whether this is a GSI (else an LSI).

        Runtime complexity: O(1)."""
        return self.kind == "GLOBAL"

    @property
    def projection_type(self) -> str:
        """ALL, KEYS_ONLY or INCLUDE.

        Runtime complexity: O(1)."""
        return str(self.projection["ProjectionType"])

    # --- entries --------------------------------------------------------------------------------

    def entry_key(self, item: Item) -> tuple[Any, Any, Any] | None:
        """``(hash, range, table key)`` encodings, or None when the item is not in the index.

        Runtime complexity: O(len) of the key values."""
        schema = self.schema
        hav = item.get(schema.hash_name)
        if hav is None or schema.hash_type not in hav:
            return None
        rng: Any = None
        if schema.range_name is not None:
            rav = item.get(schema.range_name)
            if rav is None or schema.range_type not in rav:
                return None
            rng = ENCODERS[schema.range_type](rav[schema.range_type])  # type: ignore[index]
        return ENCODERS[schema.hash_type](hav[schema.hash_type]), rng, self.table_schema.encode(item)

    def project(self, item: Item) -> Item:
        """The index entry of ``item``: the item itself (ALL) or its kept attributes.

        Runtime complexity: O(1) for ALL, else O(a) for a attributes of the item."""
        keep = self.kept
        if keep is None:
            return item
        return {n: av for n, av in item.items() if n in keep}

    def apply(self, old: Item | None, new: Item | None) -> None:
        """Follow one committed change of the table (a change-log listener).

        Runtime complexity: O(log e + log h + s) for an item of s bytes."""
        if old is not None:
            ek = self.entry_key(old)
            if ek is not None:
                projected = self.entries.pop(ek, None)
                if projected is not None:
                    self.size_bytes -= item_size(projected)
                    part = self.parts[ek[0]]
                    part.pop((ek[1], ek[2]))
                    if not part:
                        del self.parts[ek[0]]
                        self.order.pop((self._digest(ek[0]), ek[0]))
        if new is not None:
            ek = self.entry_key(new)
            if ek is not None:
                projected = self.project(new)
                self.entries[ek] = projected
                self.size_bytes += item_size(projected)
                target = self.parts.get(ek[0])
                if target is None:
                    target = self.parts[ek[0]] = SortedPairs()
                    position = (self._digest(ek[0]), ek[0])
                    self.order.set(position, position)
                target.set((ek[1], ek[2]), projected)

    def listener(self, record: Any) -> None:
        """The change-log listener: :meth:`apply` one committed record.

        Runtime complexity: that of :meth:`apply`."""
        self.apply(record.old, record.new)

    def follow(self, change_log: Any, lag: float) -> None:
        """Keep up with the table: synchronously (LSIs; GSIs when ``lag`` is 0), or, for a GSI with
        ``lag`` > 0, through a change-log cursor applied ``lag`` seconds after each commit (EC3).

        Runtime complexity: O(1)."""
        if lag > 0 and self.is_global:
            self.lag = lag
            self.cursor = change_log.cursor(f"gsi:{self.name}")
            self.detach = self.cursor.close
        else:
            self.detach = change_log.subscribe(self.listener)

    def catch_up(self, now: float) -> None:
        """Apply the committed changes at least ``lag`` old (a lagging GSI, before each read).

        Runtime complexity: O(k (log e + log h + s)) for k records applied."""
        cursor = self.cursor
        if cursor is None:
            return
        horizon = now - self.lag
        applied = cursor.applied
        for record in cursor.pending():
            if record.time > horizon:
                break
            self.apply(record.old, record.new)
            applied = record.seq
        if applied != cursor.applied:
            cursor.applied = applied
            cursor.log.trim()

    def _digest(self, enc_hash: Any) -> bytes:
        return partition_hash(self.schema.hash_type, enc_hash)

    @property
    def item_count(self) -> int:
        """Number of entries in the index.

        Runtime complexity: O(1)."""
        return len(self.entries)

    # --- reads ------------------------------------------------------------------------------------

    def check_write(self, item: Item, *, runtime: frozenset[str] | tuple[()] = ()) -> None:
        """K7 (and K10): an index key attribute present with the wrong type; K4: empty; X5: longer
        than the K2/K3 key limits (2048 bytes for an index hash key, 1024 for a range key).

        ``runtime`` names the attributes an UpdateExpression SET from a value known only at run
        time; a wrong type there is K10's run-time error (dynalite ``updateItem``: "The update
        expression attempted to update the secondary index key to unsupported type").

        Runtime complexity: O(1) per key attribute (O(len) for a long key)."""
        schema = self.schema
        for name, key_type, limit, too_large in (
            (schema.hash_name, schema.hash_type, HASH_KEY_MAX_BYTES, M.HASH_KEY_TOO_LARGE),
            (schema.range_name, schema.range_type, RANGE_KEY_MAX_BYTES, M.RANGE_KEY_TOO_LARGE),
        ):
            if name is None or key_type is None:
                continue
            av = item.get(name)
            if av is None:
                continue
            actual = next(iter(av)) if isinstance(av, dict) and len(av) == 1 else None
            if actual != key_type:
                if name in runtime:
                    raise ValidationException(M.INDEX_KEY_UNSUPPORTED_TYPE)
                raise ValidationException(M.index_key_type_mismatch(name, key_type, str(actual), self.name))
            raw = av[key_type]
            if key_type in ("S", "B") and len(raw) == 0:
                raise ValidationException(M.item_key_empty("string" if key_type == "S" else "binary", name))
            if key_type != "N" and len(raw) * 4 > limit and key_value_size(key_type, av) > limit:
                raise ValidationException(too_large)

    def check_constant_types(self, constants: tuple[tuple[str, str], ...]) -> None:
        """K7 before the condition (dynalite ``validateUpdates``): an update that writes a constant
        of the wrong type to one of this index's key attributes fails whatever the stored item.

        Runtime complexity: O(m) for m constants written."""
        schema = self.schema
        for name, type_ in constants:
            if name == schema.hash_name and type_ != schema.hash_type:
                raise ValidationException(
                    M.index_key_type_mismatch(name, str(schema.hash_type), type_, self.name)
                )
            if name == schema.range_name and type_ != schema.range_type:
                raise ValidationException(
                    M.index_key_type_mismatch(name, str(schema.range_type), type_, self.name)
                )

    def start_entry(self, key: Item) -> tuple[Any, Any, Any]:
        """The entry position of an ExclusiveStartKey (already checked to hold every key name).

        Runtime complexity: O(len) of the key values."""
        ek = self.entry_key(key)
        assert ek is not None
        return ek

    def query(
        self,
        hash_value: Item,
        sort: SortCondition | None,
        *,
        forward: bool = True,
        exclusive_start: Item | None = None,
    ) -> Iterator[Item]:
        """Projected entries of one index hash value within ``sort``, in index range then table key order
        (reversed when not ``forward``), strictly after ``exclusive_start``; lazy (Q3).

        Runtime complexity: O(log e + k) for e entries under the hash value and k yielded."""
        raw = hash_value.get(self.schema.hash_type)
        if raw is None:
            return
        enc_hash = ENCODERS[self.schema.hash_type](raw)
        part = self.parts.get(enc_hash)
        if part is None:
            return
        bounds = sort_range(sort, self.schema.range_type)
        if bounds is not None and bounds.empty:
            return
        # Entry keys are (range, table key) pairs: a bound on the range alone becomes a pair with a
        # sentinel that sorts before (inclusive low, exclusive high) or after every table key.
        lo: Any = None
        hi: Any = None
        if bounds is not None:
            if bounds.lo is not None:
                lo = (bounds.lo, BOTTOM if bounds.lo_inclusive else TOP)
            if bounds.hi is not None:
                hi = (bounds.hi, TOP if bounds.hi_inclusive else BOTTOM)
        if exclusive_start is not None:
            ek = self.start_entry(exclusive_start)
            yield from part.walk(lo, True, hi, True, forward, (ek[1], ek[2]), True)
        else:
            yield from part.walk(lo, True, hi, True, forward)

    def scan(
        self, *, segment: int = 0, total_segments: int = 1, exclusive_start: Item | None = None
    ) -> Iterator[Item]:
        """Projected entries in index-hash MD5 order within parallel-scan ``segment``, strictly after
        ``exclusive_start``; lazy.

        Runtime complexity: O(log h + h' + k) for h index hash values (h' after the start), k yielded."""
        lo_b, hi_b = segment_buckets(segment, total_segments)
        start: tuple[bytes, Any] | None = None
        after: tuple[Any, Any] | None = None
        if exclusive_start is not None:
            ek = self.start_entry(exclusive_start)
            start = (self._digest(ek[0]), ek[0])
            after = (ek[1], ek[2])
        for position in self.order.walk(start, True):
            digest, enc_hash = position
            bucket = bucket_of(digest)
            if bucket < lo_b:
                continue
            if bucket > hi_b:
                return
            part = self.parts.get(enc_hash)
            if part is None:
                continue
            if after is not None and position == start:
                yield from part.walk(after, False)
            else:
                yield from part.walk()

    def segment_of(self, key: Item, total_segments: int) -> int:
        """The parallel-scan segment holding index entry ``key`` (to check an ExclusiveStartKey, Q11).

        Runtime complexity: O(len) of the key (one MD5)."""
        return segment_of(self._digest(self.start_entry(key)[0]), total_segments)

    def last_key(self, item: Item) -> Item:
        """LastEvaluatedKey of an index read: the table key plus the index key (Q3).

        Runtime complexity: O(1) per key attribute."""
        return {n: {t: v for t, v in item[n].items()} for n in self.key_names}

    # --- description and checks -------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        """The index's part of DescribeTable (``GlobalSecondaryIndexes``/``LocalSecondaryIndexes``).

        Runtime complexity: O(1) (the key schema and projection are small)."""
        desc: dict[str, Any] = {
            "IndexName": self.name,
            "KeySchema": [dict(k) for k in self.key_schema],
            "Projection": {k: (list(v) if isinstance(v, list) else v) for k, v in self.projection.items()},
        }
        if self.is_global:
            desc["IndexStatus"] = "ACTIVE"
            desc["ProvisionedThroughput"] = {
                "NumberOfDecreasesToday": 0,
                "ReadCapacityUnits": self.read_capacity,
                "WriteCapacityUnits": self.write_capacity,
            }
        desc["IndexSizeBytes"] = self.size_bytes
        desc["ItemCount"] = self.item_count
        desc["IndexArn"] = self.arn
        return desc

    def _check(self, table_items: Iterator[Item]) -> None:
        """Invariant: the entries are exactly the projections of the indexable table items."""
        expected = {}
        for item in table_items:
            ek = self.entry_key(item)
            if ek is not None:
                expected[ek] = self.project(item)
        assert expected == self.entries, f"index {self.name} disagrees with its table"
        assert sum(len(p) for p in self.parts.values()) == len(self.entries), "index parts drifted"
        assert len(self.order) == len(self.parts), "index order drifted"
        self.order._check()
        for enc_hash, part in self.parts.items():
            part._check()
            for (rng, tkey), projected in part.items():
                assert self.entries[(enc_hash, rng, tkey)] is projected, (
                    "index part disagrees with its entries"
                )
        assert self.size_bytes == sum(item_size(i) for i in self.entries.values()), "index size drifted"
