"""Standalone scaling measurements of the DynamoDB storage engine (no moto, no boto3).

Run: ``python benchmarks/engine_scaling.py [--quick]``. Prints one line per measure:

* get / put per operation (hash-only table of 10,000 items);
* Query of 100 items from a 10,000-item item collection;
* Query latency (first 10 items of a 100-item collection) at 1,000 vs 1,000,000 items in the table
  (target ratio <= 1.3: Query cost must not depend on table size), for the same hot collections
  and for random collections (the latter adds CPU-cache misses of a 1 GB heap);
* full paginated Scan (pages of 100 resumed by exclusive_start) of 100,000 vs 10,000 items, time per
  item (target within 1.5x: no re-walking from the start);
* bytes per small item at 1,000,000 items (tracemalloc; total and engine overhead beyond the items).

Timings are medians over rounds with the garbage collector disabled during a round.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator.clock import VirtualClock, perf_counter  # noqa: E402
from emulator.dynamodb.engine import Table  # noqa: E402
from emulator.dynamodb.keys import KeySchema, SortCondition  # noqa: E402

HASH = KeySchema("id", "S")
COMPOSITE = KeySchema("pk", "S", "sk", "N")


def per_call(fn: Callable[[], Any], number: int, rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        gc.disable()
        t0 = perf_counter()
        for _ in range(number):
            fn()
        samples.append((perf_counter() - t0) / number)
        gc.enable()
    return statistics.median(samples)


def new_table(schema: KeySchema, lag: float = 0.0) -> Table:
    return Table(schema, clock=VirtualClock(start=0.0), rng=random.Random(0), replica_lag=lag)


def hash_table(n: int, lag: float = 0.0) -> Table:
    t = new_table(HASH, lag)
    for i in range(n):
        t.put({"id": {"S": f"k{i:07d}"}, "v": {"N": "1"}})
    return t


def composite_table(pks: int, per_pk: int) -> Table:
    t = new_table(COMPOSITE)
    for p in range(pks):
        pk = {"S": f"p{p:06d}"}
        for s in range(per_pk):
            t.put({"pk": pk, "sk": {"N": str(s)}, "v": {"N": "1"}})
    return t


def bench_point(out: list[tuple[str, str]]) -> None:
    t = hash_table(10_000)
    rng = random.Random(1)
    keys = [{"id": {"S": f"k{rng.randrange(10_000):07d}"}} for _ in range(1000)]
    it = iter(range(10**9))
    get = per_call(lambda: t.get(keys[next(it) % 1000]), 20_000)
    # distinct objects for every call: re-putting the stored object itself is a no-op by contract
    items = [{"id": {"S": f"k{rng.randrange(10_000):07d}"}, "v": {"N": str(i)}} for i in range(100_000)]
    put = per_call(lambda: t.put(items[next(it) % 100_000]), 20_000)
    lag_t = hash_table(10_000, lag=1.0)
    get_ec = per_call(lambda: lag_t.get(keys[next(it) % 1000], consistent=False), 20_000)
    put_lag = per_call(lambda: lag_t.put(items[next(it) % 100_000]), 20_000)
    out.append(("get (10k items, strong)", f"{get * 1e6:.2f} us/op"))
    out.append(("put (10k items, lag 0; mostly overwrites)", f"{put * 1e6:.2f} us/op"))
    out.append(("get eventually consistent (lag 1 s, 2 replicas)", f"{get_ec * 1e6:.2f} us/op"))
    out.append(("put with replicas (lag 1 s)", f"{put_lag * 1e6:.2f} us/op"))


def bench_query_100(out: list[tuple[str, str]]) -> None:
    t = composite_table(1, 10_000)
    cond = SortCondition("BETWEEN", ({"N": "5000"}, {"N": "5099"}))

    def q() -> int:
        return sum(1 for _ in t.query({"S": "p000000"}, cond))

    assert q() == 100
    out.append(("Query 100 items from a 10,000-item collection", f"{per_call(q, 2000) * 1e6:.1f} us"))


def bench_query_scaling(out: list[tuple[str, str]], big: int) -> None:
    """Same query mix against a small and a big table. ``hot``: the queries hit the same 10
    collections in both tables, so the ratio isolates algorithmic cost; ``spread``: queries hit
    random collections among all of the big table's, adding the CPU-cache misses of a big heap."""

    def query_time(t: Table, pks: int, spread: bool) -> float:
        rng = random.Random(2)
        choices = pks if spread else 10
        hv = [{"S": f"p{rng.randrange(choices):06d}"} for _ in range(1000)]
        it = iter(range(10**9))

        def q() -> None:
            n = 0
            for _ in t.query(hv[next(it) % 1000]):
                n += 1
                if n == 10:
                    break

        return per_call(q, 20_000, rounds=7)

    small_t = composite_table(10, 100)
    large_t = composite_table(big // 100, 100)
    small = query_time(small_t, 10, False)  # measured after the big build (same heap state)
    hot = query_time(large_t, big // 100, False)
    spread = query_time(large_t, big // 100, True)
    out.append(
        (
            f"Query latency 1,000 vs {big:,} items (same 10 collections)",
            f"{small * 1e6:.2f} us vs {hot * 1e6:.2f} us  ratio {hot / small:.2f}",
        )
    )
    out.append(
        (
            f"Query latency 1,000 vs {big:,} items (random collections)",
            f"{small * 1e6:.2f} us vs {spread * 1e6:.2f} us  ratio {spread / small:.2f}",
        )
    )


def bench_scan(out: list[tuple[str, str]]) -> None:
    def paged(t: Table) -> int:
        start = None
        total = 0
        while True:
            page = []
            for item in t.scan(exclusive_start=start):
                page.append(item)
                if len(page) == 100:
                    break
            total += len(page)
            if len(page) < 100:
                return total
            start = {"id": page[-1]["id"]}

    small_t, large_t = hash_table(10_000), hash_table(100_000)
    small_s: list[float] = []
    large_s: list[float] = []
    for _ in range(7):  # interleaved rounds: both sizes see the same machine noise
        for t, samples, reps in ((small_t, small_s, 10), (large_t, large_s, 1)):
            gc.disable()
            t0 = perf_counter()
            for _ in range(reps):
                n = paged(t)
            samples.append((perf_counter() - t0) / reps / n)
            gc.enable()
    small, large = statistics.median(small_s), statistics.median(large_s)
    out.append(
        (
            "Paginated Scan (pages of 100) 10,000 vs 100,000 items",
            f"{small * 1e6:.3f} vs {large * 1e6:.3f} us/item  ratio {large / small:.2f}",
        )
    )


def bytes_per_item(
    schema: KeySchema, make_items: Callable[[], list[dict[str, Any]]], n: int
) -> tuple[float, float]:
    """Traced bytes per item of the item dicts themselves, and of the engine beyond them."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    items = make_items()
    after_items = tracemalloc.get_traced_memory()[0]
    t = new_table(schema)
    for item in items:
        t.put(item)
    after_table = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after_items - base) / n, (after_table - after_items) / n


def bench_memory(out: list[tuple[str, str]], n: int) -> None:
    for label, schema, make_items in (
        ("hash-only", HASH, lambda: [{"id": {"S": f"k{i:07d}"}, "v": {"N": "1"}} for i in range(n)]),
        (
            "1,000 per partition key",
            COMPOSITE,
            lambda: [
                {"pk": {"S": f"p{i // 1000:06d}"}, "sk": {"N": str(i % 1000)}, "v": {"N": "1"}}
                for i in range(n)
            ],
        ),
    ):
        item_bytes, overhead = bytes_per_item(schema, make_items, n)
        out.append(
            (
                f"bytes per small item at {n:,} items ({label})",
                f"{item_bytes + overhead:.0f} total = {item_bytes:.0f} item dicts + {overhead:.0f} engine",
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (100,000 instead of 1,000,000)")
    args = parser.parse_args()
    big = 100_000 if args.quick else 1_000_000
    out: list[tuple[str, str]] = []
    bench_point(out)
    bench_query_100(out)
    bench_query_scaling(out, big)
    bench_scan(out)
    bench_memory(out, big)
    width = max(len(name) for name, _ in out)
    for name, value in out:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
