"""A hot key against a write-sharded key under ``Emulator(capacity="enforce")``, on the virtual clock.

The same workload, two key designs (DynamoDB Developer Guide, "Using write sharding to distribute
workloads evenly"): a game records score events, 2,000 writes of about 1 KB per second for 20
seconds, all for one game.

* **hot key**: every event is written under the partition key ``game#1``. One partition serves a
  key, and a partition takes at most 1,000 WCU per second, so half the writes are throttled and
  retried while the on-demand table as a whole is far below its limits.
* **write-sharded**: the key is ``game#1#<n>`` for a random shard ``n`` of 10, so the writes
  spread over the table's partitions and none of them runs hot.

Each write is a client that retries a throttled write the way the AWS SDKs do (exponential
backoff with full jitter, 25 ms base, up to 10 attempts), all on the world's virtual clock: the
run takes no real time for its 20 simulated seconds, and with the seed it is deterministic. The
latency of a write is the clock time from its first attempt to its success (the emulator answers
in zero clock time, so this is the time spent backing off). The cost columns are
``aws.dynamodb.usage()``'s monthly estimates for the rate observed (us-east-1 list prices, from
``emulator/pricing.py``): the hot key's are lower only because its table served fewer writes per
second (it throttled the rest, and gave up on some); provisioned is priced at the busiest second.

Run it: ``python benchmarks/capacity_hot_key.py`` (``--seconds``, ``--rate``, ``--shards``).
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
from typing import Any

import emulator

BASE_BACKOFF = 0.025
MAX_BACKOFF = 20.0
MAX_ATTEMPTS = 10


def _table(ddb: Any, name: str) -> None:
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def run_design(shards: int, seconds: float, rate: float, seed: int) -> dict[str, Any]:
    """Play the workload against a fresh world; ``shards`` 1 is the hot-key design."""
    aws = emulator.Emulator(capacity="enforce", seed=seed)
    ddb, clock = aws.dynamodb, aws.clock
    table = "Scores"
    _table(ddb, table)
    rng = random.Random(seed)
    start = clock.jump_to(float(int(clock.now()) + 1))  # a whole second: the same per-second peaks every run
    pad = "x" * 900
    # (when, sequence, attempt, first attempt's time, partition key)
    queue: list[tuple[float, int, int, float, str]] = []
    for i in range(int(seconds * rate)):
        when = start + i / rate
        key = "game#1" if shards == 1 else f"game#1#{rng.randrange(shards)}"
        queue.append((when, i, 1, when, key))
    heapq.heapify(queue)
    latencies: list[float] = []
    throttles = failed = 0
    while queue:
        when, seq, attempt, first, key = heapq.heappop(queue)
        if when > clock.now():
            clock.advance(seconds=when - clock.now())
        try:
            ddb.put_item(TableName=table, Item={"pk": {"S": key}, "sk": {"N": str(seq)}, "pad": {"S": pad}})
        except (ddb.exceptions.ThrottlingException, ddb.exceptions.ProvisionedThroughputExceededException):
            throttles += 1
            if attempt == MAX_ATTEMPTS:
                failed += 1
                continue
            backoff = rng.uniform(0, min(MAX_BACKOFF, BASE_BACKOFF * 2**attempt))
            heapq.heappush(queue, (clock.now() + backoff, seq, attempt + 1, first, key))
            continue
        latencies.append(clock.now() - first)
    latencies.sort()
    row = ddb.usage()[table]
    return {
        "design": "hot key" if shards == 1 else f"write-sharded ({shards})",
        "writes": len(latencies),
        "throttles": throttles,
        "failed": failed,
        "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)] if latencies else None,
        "simulated_s": clock.now() - start,
        "wcu": row["consumed_wcu"],
        "partitions": row["partitions"],
        "hot_key": row["hot_key_units"][0]["key"] if row["hot_key_units"] else "-",
        "on_demand": row["monthly_on_demand_usd"],
        "provisioned": row["monthly_provisioned_usd"],
    }


def render(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'design':<20} {'writes':>7} {'throttles':>9} {'failed':>6} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'clock s':>8} {'WCU':>8} {'parts':>5} {'$/month on-demand':>18} {'$/month provisioned':>20}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['design']:<20} {r['writes']:>7,} {r['throttles']:>9,} {r['failed']:>6,} {r['p50_ms']:>8.1f} "
            f"{r['p99_ms']:>8.1f} {r['simulated_s']:>8.1f} {r['wcu']:>8,.0f} {r['partitions']:>5} "
            f"{r['on_demand']:>18,.2f} {r['provisioned']:>20,.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="simulated seconds of workload")
    parser.add_argument("--rate", type=float, default=2000.0, help="writes per second")
    parser.add_argument("--shards", type=int, default=10, help="shards of the write-sharded design")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rows = [run_design(shards, args.seconds, args.rate, args.seed) for shards in (1, args.shards)]
    print(f"{args.rate:,.0f} writes/s of ~1 KB for {args.seconds:g} s on the virtual clock, on-demand table")
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
