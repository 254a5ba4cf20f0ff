"""How many partitions a table has, and which one a partition-key value lands in.

AWS ("Partitions and data distribution", DynamoDB Developer Guide): a partition holds up to 10 GB
and serves up to 3,000 RCU and 1,000 WCU per second; DynamoDB adds partitions when a table grows
past what its partitions can hold by size or serve by throughput, and never merges them back. A
partition-key value is placed by the hash of the value.

The model here:

* partitions = max(ceil(size / 10 GB), ceil(RCU / 3,000 + WCU / 1,000), 1), and never fewer than
  before (splits are permanent). Provisioned tables use their provisioned throughput; on-demand
  tables the throughput AWS says a new on-demand table serves at once (12,000 read and 4,000
  write request units).
* A value lands in the partition whose range of the MD5 hash space holds it: the engine's own
  hash ranges (``engine.partition``, ``Table.segment_of``), cut into ``n`` equal parts. When ``n``
  grows every range is cut again, as a split does.
"""

from __future__ import annotations

import math

PARTITION_BYTES = 10 * 1024**3
PARTITION_RCU = 3000.0
PARTITION_WCU = 1000.0

#: What a new on-demand table can serve at once (AWS: 4,000 write and 12,000 read request units).
ON_DEMAND_INITIAL_RCU = 12000.0
ON_DEMAND_INITIAL_WCU = 4000.0


def partition_count(size_bytes: int, rcu: float, wcu: float, before: int = 1) -> int:
    """The number of partitions for a table of ``size_bytes`` serving ``rcu`` and ``wcu``."""
    by_size = math.ceil(size_bytes / PARTITION_BYTES)
    by_throughput = math.ceil(rcu / PARTITION_RCU + wcu / PARTITION_WCU)
    return max(by_size, by_throughput, before, 1)
