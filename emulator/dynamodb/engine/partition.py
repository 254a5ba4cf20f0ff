"""Partitions: contiguous ranges of the MD5 hash space, holding the Scan order of item collections.

A partition-key value is placed by its MD5 digest (``keys.partition_hash``); a table's hash space
is cut into ``n`` contiguous ranges by the digest's first 16 bits, one :class:`Partition` each.
A partition keeps a :class:`~.sortedpairs.SortedPairs` from *order key* to the item collection
(tables with a sort key) or to the item itself (hash-only tables). For hash-only tables that costs
one MD5 and a bisect on every overwrite (about 1 µs, a few percent of a PutItem), and buys a Scan
that walks items without a hash lookup per item: about twice as fast at 100,000 items, where
those lookups miss the CPU caches. An order key is ``digest + suffix`` (``bytes``), where the
suffix is a canonical, decodable serialization of the partition-key value; byte order on order keys
is therefore hash order (CM7/Q10), ties broken by the value.

Point reads and writes never touch partitions: the table's dict finds an item collection by its
encoded partition key in O(1). Partitions are consulted only when a partition-key value appears or
disappears (O(log n)) and by Scan, which walks them in hash order and resumes with a bisect.

Parallel scan segments (Q11) split the hash space the way dynalite reproduces DynamoDB: 4096
buckets over the first 12 bits of the digest, segment ``s`` of ``T`` covering buckets
``[ceil(4096·s/T), ceil(4096·(s+1)/T) - 1]``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..keys import partition_hash, salted_digest
from .sortedpairs import SortedPairs

BUCKETS = 4096


def _suffix(key_type: str, pk: Any) -> bytes:
    if key_type == "S":
        return pk.encode("utf-8", "surrogatepass")
    if key_type == "B":
        return pk
    # canonical text of the value, the same for int and Decimal encodings of one number
    if isinstance(pk, int):
        return str(pk).encode("ascii")
    if pk == pk.to_integral_value():
        return str(int(pk)).encode("ascii")
    return format(pk.normalize(), "f").encode("ascii")


def order_key(key_type: str, pk: Any) -> bytes:
    """``md5 digest + canonical suffix`` for an encoded partition-key value.

    Runtime complexity: O(len) of the encoded value (one MD5)."""
    if key_type == "S":
        raw = pk.encode("utf-8", "surrogatepass")
        return salted_digest(raw) + raw
    if key_type == "B":
        return salted_digest(pk) + pk
    return partition_hash(key_type, pk) + _suffix(key_type, pk)


def decode_order_key(key_type: str, okey: bytes) -> Any:
    """The encoded partition-key value an order key was built from.

    Runtime complexity: O(len) of the encoded value."""
    raw = okey[16:]
    if key_type == "S":
        return raw.decode("utf-8", "surrogatepass")
    if key_type == "B":
        return raw
    text = raw.decode("ascii")
    return Decimal(text) if "." in text else int(text)


def prefix16(okey: bytes) -> int:
    """The first 16 bits of an order key (the partition routing prefix).

    Runtime complexity: O(1)."""
    return (okey[0] << 8) | okey[1]


def bucket_bound(bucket: int) -> bytes:
    """The smallest order key in 12-bit bucket ``bucket`` (0..4095).

    Runtime complexity: O(1)."""
    return bytes([bucket >> 4, (bucket & 0xF) << 4])


def segment_buckets(segment: int, total_segments: int) -> tuple[int, int]:
    """Inclusive bucket range ``(lo, hi)`` of a parallel-scan segment (empty when lo > hi).

    Runtime complexity: O(1)."""
    lo = -(-BUCKETS * segment // total_segments)
    hi = -(-BUCKETS * (segment + 1) // total_segments) - 1
    return lo, hi


def segment_bounds(segment: int, total_segments: int) -> tuple[bytes | None, bytes | None] | None:
    """Half-open order-key range ``[lo, hi)`` of a segment (None = unbounded); None when empty.

    Runtime complexity: O(1)."""
    lo, hi = segment_buckets(segment, total_segments)
    if lo > hi:
        return None
    return (bucket_bound(lo) if lo > 0 else None, bucket_bound(hi + 1) if hi + 1 < BUCKETS else None)


def bucket_of(okey: bytes) -> int:
    """The 12-bit parallel-scan bucket of an order key (or of a bare MD5 digest).

    Runtime complexity: O(1)."""
    return (okey[0] << 4) | (okey[1] >> 4)


def segment_of(okey: bytes, total_segments: int) -> int:
    """The segment (of ``total_segments``) whose range holds order key (or digest) ``okey``.

    Runtime complexity: O(1) (at most a step or two of rounding correction)."""
    bucket = bucket_of(okey)
    # largest s with ceil(4096·s/T) <= bucket
    s = (bucket * total_segments) // BUCKETS
    while s + 1 < total_segments and segment_buckets(s + 1, total_segments)[0] <= bucket:
        s += 1
    while s > 0 and segment_buckets(s, total_segments)[0] > bucket:
        s -= 1
    return s


class Partition:
    """One contiguous range ``[lo, hi)`` of the 16-bit hash prefix; its collections in hash order."""

    __slots__ = ("index", "lo", "hi", "order")

    def __init__(self, index: int, lo: int, hi: int) -> None:
        self.index = index
        self.lo = lo
        self.hi = hi
        self.order = SortedPairs()

    def copy(self) -> Partition:
        """A copy with its own order map sharing the values.

        Runtime complexity: O(m) for the m collections or items in the partition."""
        p = Partition(self.index, self.lo, self.hi)
        p.order = self.order.copy()
        return p

    def _check(self) -> None:
        self.order._check()
        for okey, _value in self.order.items():
            assert self.lo <= prefix16(okey) < self.hi, "order key outside its partition's range"


def make_partitions(n: int) -> list[Partition]:
    """``n`` partitions splitting the 16-bit prefix space into contiguous, near-equal ranges.

    Runtime complexity: O(n) for n partitions."""
    if not 1 <= n <= 65536:
        raise ValueError("partitions must be between 1 and 65536")
    bounds = [(65536 * i) // n for i in range(n + 1)]
    return [Partition(i, bounds[i], bounds[i + 1]) for i in range(n)]


def route(n: int, okey: bytes) -> int:
    """Index of the partition (of ``n`` made by :func:`make_partitions`) that holds ``okey``.

    Runtime complexity: O(1) (at most a step or two of rounding correction)."""
    p = prefix16(okey)
    i = (p * n) >> 16
    # (65536·i)//n <= p < (65536·(i+1))//n; integer rounding may put p one partition off
    while (65536 * (i + 1)) // n <= p:
        i += 1
    while (65536 * i) // n > p:
        i -= 1
    return i
