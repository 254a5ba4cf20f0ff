"""Durable put_item throughput over HTTP: ``emulator serve --data-dir`` against the in-memory server.

Run: ``python benchmarks/durable_throughput.py [--quick] [--clients N]``.

Two ``emulator serve`` processes (one in memory, one with ``--data-dir`` in a temporary
directory) are kept busy by the same boto3 client processes
(``concurrent_clients.ClientPool``, 2 by default) running ``put_item`` in a loop; the requests
answered per second, all clients together, are compared. Every durable put is acknowledged only
once SQLite has committed it (WAL; ``--data-sync normal``, the default, waits for the operating
system, ``full`` for the disk); concurrent writers share a commit.
Target: the durable server keeps at least 50% of the in-memory throughput.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from concurrent_clients import ClientPool  # noqa: E402
from suite_wire import free_port, make_client, serve_process  # noqa: E402

TABLE = {
    "TableName": "bench",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
PUT = {"TableName": "bench", "Item": {"pk": {"S": "p1"}, "payload": {"S": "x" * 100}}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--data-sync", choices=("full", "normal"), default="normal")
    args = parser.parse_args(argv)
    seconds, rounds = (2.0, 2) if args.quick else (4.0, 3)
    data_dir = tempfile.mkdtemp(prefix="emulator-durable-bench-")
    ports = {"in memory": free_port(), "durable": free_port()}
    servers = {
        "in memory": serve_process(ports["in memory"]),
        "durable": serve_process(ports["durable"], "--data-dir", data_dir, "--data-sync", args.data_sync),
    }
    pool = ClientPool(args.clients)
    try:
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for url in urls.values():
            make_client(url).create_table(**TABLE)
        for url in urls.values():  # warm-up round (client start, connections, first imports)
            pool.throughput(url, "put_item", PUT, 1.0)
        rates: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(rounds):  # interleaved, so that both see the same machine load
            for name, url in urls.items():
                rates[name].append(pool.throughput(url, "put_item", PUT, seconds))
        memory, durable = (statistics.median(rates[n]) for n in ("in memory", "durable"))
        print(
            f"put_item over HTTP, {args.clients} boto3 client processes, median of {rounds} x {seconds:g} s:"
        )
        print(
            f"  in memory: {memory:8,.0f} requests/s   (rounds: {', '.join(f'{r:,.0f}' for r in rates['in memory'])})"
        )
        print(
            f"  durable:   {durable:8,.0f} requests/s   (rounds: {', '.join(f'{r:,.0f}' for r in rates['durable'])})"
        )
        ratio = durable / memory
        print(f"  durable / in memory = {ratio:.0%} (target >= 50%: {'met' if ratio >= 0.5 else 'NOT met'})")
        return 0 if ratio >= 0.5 else 1
    finally:
        pool.close()
        for proc in servers.values():
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:  # pragma: no cover
                proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
