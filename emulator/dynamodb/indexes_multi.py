"""A global secondary index with a multi-attribute key (``multikey.py``): the same entries,
change-log maintenance, Scan and paging as :class:`~emulator.dynamodb.indexes.SecondaryIndex`,
with tuple keys.

An entry's index hash is the tuple of its encoded HASH values and its index range the tuple of
its encoded RANGE values. Python compares tuples element by element, each element by its own
type's order, so the engine's ``SortedPairs`` keeps the entries exactly in AWS's order (RANGE
attributes left to right) and a Query is one bounded walk, never a sort:

* equalities on a prefix ``P`` of the RANGE attributes are the range ``[P, P + (TOP,))``: every
  tuple starting with ``P`` sorts at or after ``P`` (a shorter tuple sorts first) and before
  ``P + (TOP,)``;
* a condition on the next attribute turns its bounds (``engine/sortrange.py``) into tuples:
  inclusive low ``P + (lo,)``, exclusive low ``P + (lo, TOP)``, inclusive high ``P + (hi, TOP)``,
  exclusive high ``P + (hi,)``.

An item missing any key attribute (or holding one with another type) is not in the index (sparse).
Placement (Scan order) hashes the HASH values together. The single-attribute index keeps its own
code, so nothing here costs a plain GSI anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import messages as M
from .engine.sortrange import sort_range
from .errors import ValidationException
from .indexes import BOTTOM, TOP, SecondaryIndex
from .keys import (
    ENCODERS,
    HASH_KEY_MAX_BYTES,
    RANGE_KEY_MAX_BYTES,
    hash_bytes,
    key_value_size,
    salted_digest,
)
from .multikey import MultiKeyCondition, MultiSort

Item = dict[str, Any]


def _encode_all(pairs: tuple[tuple[str, str], ...], item: Item) -> tuple[Any, ...] | None:
    out = []
    for name, key_type in pairs:
        av = item.get(name)
        if av is None or key_type not in av:
            return None
        out.append(ENCODERS[key_type](av[key_type]))
    return tuple(out)


@dataclass(slots=True)
class MultiAttributeIndex(SecondaryIndex):
    """A GSI whose ``schema`` is a :class:`~emulator.dynamodb.multikey.MultiKeySchema`."""

    def entry_key(self, item: Item) -> tuple[Any, Any, Any] | None:
        """``(hash tuple, range tuple, table key)``, or None when a key attribute is missing.

        Runtime complexity: O(len) of the key values."""
        enc_hash = _encode_all(self.schema.hashes, item)
        if enc_hash is None:
            return None
        enc_range = _encode_all(self.schema.ranges, item)
        if enc_range is None:
            return None
        return enc_hash, enc_range, self.table_schema.encode(item)

    def _digest(self, enc_hash: Any) -> bytes:
        types = [t for _, t in self.schema.hashes]
        return salted_digest(b"\x00".join(hash_bytes(t, v) for t, v in zip(types, enc_hash)))

    def check_write(self, item: Item, *, runtime: frozenset[str] | tuple[()] = ()) -> None:
        """K7/K10 type, K4 empty and K2/K3 size checks on every key attribute the item holds.

        Runtime complexity: O(1) per key attribute (O(len) for a long key)."""
        for pairs, limit, too_large in (
            (self.schema.hashes, HASH_KEY_MAX_BYTES, M.HASH_KEY_TOO_LARGE),
            (self.schema.ranges, RANGE_KEY_MAX_BYTES, M.RANGE_KEY_TOO_LARGE),
        ):
            for name, key_type in pairs:
                av = item.get(name)
                if av is None:
                    continue
                actual = next(iter(av)) if isinstance(av, dict) and len(av) == 1 else None
                if actual != key_type:
                    if name in runtime:
                        raise ValidationException(M.INDEX_KEY_UNSUPPORTED_TYPE)
                    raise ValidationException(
                        M.index_key_type_mismatch(name, key_type, str(actual), self.name)
                    )
                raw = av[key_type]
                if key_type in ("S", "B") and len(raw) == 0:
                    kind = "string" if key_type == "S" else "binary"
                    raise ValidationException(M.item_key_empty(kind, name))
                if key_type != "N" and len(raw) * 4 > limit and key_value_size(key_type, av) > limit:
                    raise ValidationException(too_large)

    def check_constant_types(self, constants: tuple[tuple[str, str], ...]) -> None:
        """K7 for an update writing a constant of the wrong type to any key attribute.

        Runtime complexity: O(m k) for m constants and k <= 8 key attributes."""
        types = self.schema.types()
        for name, type_ in constants:
            expected = types.get(name)
            if expected is not None and type_ != expected:
                raise ValidationException(M.index_key_type_mismatch(name, expected, type_, self.name))

    def bounds(self, sort: MultiSort) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        """``(lo, hi)``: the range tuples ``t`` with ``lo <= t < hi`` match ``sort``; None: none do.

        Runtime complexity: O(k) (O(len) of a begins_with prefix)."""
        ranges = self.schema.ranges
        prefix = tuple(ENCODERS[t](av[t]) for av, (_, t) in zip(sort.prefix, ranges))
        if sort.last is None:
            return prefix, prefix + (TOP,)
        b = sort_range(sort.last, ranges[len(prefix)][1])
        if b is None or b.empty:
            return None
        lo = prefix if b.lo is None else prefix + ((b.lo,) if b.lo_inclusive else (b.lo, TOP))
        hi = prefix + (TOP,) if b.hi is None else prefix + ((b.hi, TOP) if b.hi_inclusive else (b.hi,))
        return lo, hi

    def check_start(self, keycond: MultiKeyCondition, start: Item) -> None:
        """An ExclusiveStartKey must lie inside the key condition (Q5's two texts).

        Runtime complexity: O(k)."""
        ek = self.start_entry(start)
        wanted = _encode_all(
            self.schema.hashes, dict(zip((n for n, _ in self.schema.hashes), keycond.hash_value))
        )
        if ek[0] != wanted:
            raise ValidationException(M.START_KEY_OUTSIDE)
        bounds = self.bounds(keycond.sort)
        if bounds is None or not bounds[0] <= ek[1] < bounds[1]:
            raise ValidationException(M.START_KEY_RANGE)

    def query(  # type: ignore[override]
        self,
        hash_value: tuple[Item, ...],
        sort: MultiSort,
        *,
        forward: bool = True,
        exclusive_start: Item | None = None,
    ) -> Iterator[Item]:
        """Projected entries of one index partition within ``sort``, in index order (reversed when
        not ``forward``), strictly after ``exclusive_start``; lazy.

        Runtime complexity: O(log e + k) for e entries in the partition and k yielded."""
        names = (n for n, _ in self.schema.hashes)
        enc_hash = _encode_all(self.schema.hashes, dict(zip(names, hash_value)))
        part = self.parts.get(enc_hash)
        if part is None:
            return
        bounds = self.bounds(sort)
        if bounds is None:
            return
        lo, hi = (bounds[0], BOTTOM), (bounds[1], BOTTOM)
        if exclusive_start is not None:
            ek = self.start_entry(exclusive_start)
            yield from part.walk(lo, True, hi, True, forward, (ek[1], ek[2]), True)
        else:
            yield from part.walk(lo, True, hi, True, forward)
