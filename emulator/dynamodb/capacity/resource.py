"""One throughput resource of the capacity model: a table or a global secondary index.

A resource has a table-level bucket per direction (read, write) and one bucket per partition and
direction, created when a partition is first touched. Table-level limits:

* provisioned: the provisioned RCU/WCU per second, with 300 seconds of burst credit
  (``bucket.BURST_SECONDS``);
* on-demand: AWS's default per-table quota, 40,000 read and 40,000 write request units per second
  ("Throughput default quotas", DynamoDB Developer Guide), one second deep.

Partition limits: 3,000 RCU and 1,000 WCU per second, one second deep, whatever the billing mode
("burst capacity can't alleviate partition-level throttling"). So a hot key throttles while the
table as a whole is under its limit.

The resource also keeps the usage counters the report reads: units consumed, requests and throttles
per direction, units per partition and per partition-key value, and the busiest second seen (what
a provisioned table would have needed). They are only kept while the model is on, so the hot path
of an emulator without it pays nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .bucket import BURST_SECONDS, TokenBucket
from .partitions import (
    ON_DEMAND_INITIAL_RCU,
    ON_DEMAND_INITIAL_WCU,
    PARTITION_BYTES,
    PARTITION_RCU,
    PARTITION_WCU,
    partition_count,
)

#: AWS's default per-table (and per-GSI) throughput quota for on-demand tables, per second.
ON_DEMAND_TABLE_QUOTA = 40000.0

READ, WRITE = 0, 1


class Resource:
    """The buckets and counters of one table or GSI (``index`` None: the table itself)."""

    def __init__(self, meta: Any, index: Any, now: float) -> None:
        self.meta = meta
        self.index = index
        self.name = meta.name if index is None else index.name
        self.arn = meta.arn if index is None else index.arn
        self.partitions = 1
        self.bytes = meta.store.size_bytes if index is None else index.size_bytes
        read, write = self.limits()
        self.buckets = (self._bucket(read, now), self._bucket(write, now))
        self.part_buckets: tuple[dict[int, TokenBucket], dict[int, TokenBucket]] = ({}, {})
        self.consumed = [0.0, 0.0]
        self.requests = [0, 0]
        self.throttled = [0, 0]
        self.partition_units: tuple[dict[int, float], dict[int, float]] = ({}, {})
        self.key_units: dict[str, float] = {}
        self.second = -1  # the clock second being summed, and what it holds (both directions)
        self.second_units = [0.0, 0.0]
        self.peak = [0.0, 0.0]
        self.started = now
        self._repartition()

    @property
    def provisioned(self) -> bool:
        return self.meta.billing_mode != "PAY_PER_REQUEST"

    @property
    def burst_seconds(self) -> float:
        """How deep the table-level buckets are: 300 s of burst when provisioned, 1 s on demand."""
        return BURST_SECONDS if self.provisioned else 1.0

    def limits(self) -> tuple[float, float]:
        """The table-level (read, write) rates per second now."""
        if not self.provisioned:
            return ON_DEMAND_TABLE_QUOTA, ON_DEMAND_TABLE_QUOTA
        holder = self.meta if self.index is None else self.index
        return float(holder.read_capacity), float(holder.write_capacity)

    def _bucket(self, rate: float, now: float) -> TokenBucket:
        return TokenBucket(rate, now, self.burst_seconds)

    def sync(self, now: float) -> None:
        """Follow UpdateTable: new rates (and the burst depth of the billing mode), new partitions.
        A change takes effect when UpdateTable made it (the table's last increase or decrease, or
        its switch of billing mode), not when the next request notices it."""
        read, write = self.limits()
        for bucket, rate in zip(self.buckets, (read, write)):
            if bucket.rate != rate:
                meta = self.meta
                changed = max(
                    (
                        t
                        for t in (meta.last_increase, meta.last_decrease, meta.last_update_to_pay_per_request)
                        if t
                    ),
                    default=now,
                )
                bucket.burst_seconds = self.burst_seconds
                bucket.set_rate(rate, min(max(changed, bucket.stamp), now))
                self._repartition()

    def _repartition(self) -> None:
        if self.provisioned:
            read, write = self.limits()
        else:
            read, write = ON_DEMAND_INITIAL_RCU, ON_DEMAND_INITIAL_WCU
        count = partition_count(self.bytes, read, write, self.partitions)
        if count != self.partitions:
            self.partitions = count
            self.part_buckets = ({}, {})  # a split: the new partitions start afresh

    def grow(self, delta: int) -> None:
        """The stored bytes changed by ``delta`` (a write): split when past 10 GB a partition."""
        self.bytes += delta
        if self.bytes > self.partitions * PARTITION_BYTES:
            self._repartition()

    def partition_of(self, hash_value: Any) -> int:
        """The partition a partition-key value lands in (its place in the hash space)."""
        if self.partitions == 1:
            return 0
        if self.index is None:
            meta = self.meta
            return int(meta.store.segment_of({meta.hash_name: hash_value}, self.partitions))
        digest = hashlib.md5(repr(hash_value).encode()).digest()
        return int.from_bytes(digest[:4], "big") * self.partitions >> 32

    def partition_bucket(self, direction: int, part: int, now: float) -> TokenBucket:
        buckets = self.part_buckets[direction]
        bucket = buckets.get(part)
        if bucket is None:
            rate = PARTITION_RCU if direction == READ else PARTITION_WCU
            bucket = buckets[part] = TokenBucket(rate, now, 1.0)
        return bucket

    def record(self, direction: int, units: float, part: int | None, key: str | None, now: float) -> None:
        """Count an admitted request's units."""
        self.consumed[direction] += units
        self.requests[direction] += 1
        if part is not None:
            parts = self.partition_units[direction]
            parts[part] = parts.get(part, 0.0) + units
        if key is not None:
            self.key_units[key] = self.key_units.get(key, 0.0) + units
        second = int(now)
        if second != self.second:
            self.second = second
            self.second_units = [0.0, 0.0]
        self.second_units[direction] += units
        if self.second_units[direction] > self.peak[direction]:
            self.peak[direction] = self.second_units[direction]
