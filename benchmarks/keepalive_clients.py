"""Many concurrent keep-alive HTTP clients against ``emulator serve`` (issue 9, HTTP server resources).

    python benchmarks/keepalive_clients.py [--clients 1000] [--seconds 10] [--idle-wait 8]
                                           [--server-arg=--idle-timeout=5 ...]
    PYTHONPATH=../other-checkout python benchmarks/keepalive_clients.py      # measure another checkout

Starts ``emulator serve --port 0`` in its own process (the ``emulator`` package this script
imports: this checkout's, or the one ``PYTHONPATH`` names), on loopback only, and drives it from one asyncio
process holding ``--clients`` keep-alive connections:

1. connect: all clients connect at once; the slowest connects and how many took over 0.5 s (a
   full listen queue shows up as SYN retransmits, about 1 s each);
2. idle: the server's threads and resident memory while every connection is open and idle;
3. load: every client loops on GetItem (one small item) for ``--seconds``; answers per second,
   latency percentiles and the server's threads while loaded;
4. idle close: after ``--idle-wait`` seconds of silence, how many connections the server closed.

Everything runs under deadlines and the server process is always stopped, so the script ends by
itself. Threads and memory come from ``/proc`` (Linux); elsewhere they print as n/a.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

if not os.environ.get("PYTHONPATH"):  # measure this checkout unless PYTHONPATH names another
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import emulator  # noqa: E402

TARGET = "DynamoDB_20120810.{}"
JSON10 = "application/x-amz-json-1.0"
TABLE = {
    "TableName": "bench",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
ITEM = {"TableName": "bench", "Item": {"id": {"S": "k"}, "v": {"S": "value"}, "n": {"N": "42"}}}
GET = {"TableName": "bench", "Key": {"id": {"S": "k"}}}


def request(operation: str, body: dict[str, Any]) -> bytes:
    raw = json.dumps(body).encode()
    head = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {TARGET.format(operation)}\r\n"
        f"Content-Type: {JSON10}\r\nContent-Length: {len(raw)}\r\n\r\n"
    )
    return head.encode() + raw


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


def proc_status(pid: int) -> tuple[str, str]:
    """(threads, resident MB) of a process, from /proc; n/a elsewhere."""
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return "n/a", "n/a"
    return fields["Threads"].strip(), f"{int(fields['VmRSS'].split()[0]) / 1024:.0f}"


def start_server(extra: list[str]) -> tuple[subprocess.Popen[str], str, int]:
    root = os.path.dirname(os.path.dirname(os.path.abspath(emulator.__file__)))
    env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--host", "127.0.0.1", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=root,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    url = line.split(" on ", 1)[1].split(" ", 1)[0] if " on " in line else ""
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return proc, root, int(url.rsplit(":", 1)[1])


def connect_all(port: int, n: int, timeout: float) -> tuple[list[float], list[socket.socket]]:
    """Start ``n`` non-blocking connects at once; the seconds each took to complete, and the sockets.

    Plain sockets and one selector, so that the times are the kernel's (a SYN dropped by a full
    listen queue is retried after about 1 s), not the client's own scheduling."""
    selector = selectors.DefaultSelector()
    started: dict[socket.socket, float] = {}
    for _ in range(n):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        started[sock] = time.perf_counter()
        selector.register(sock, selectors.EVENT_WRITE)
    took: list[float] = []
    connected: list[socket.socket] = []
    deadline = time.perf_counter() + timeout
    while started and time.perf_counter() < deadline:
        for key, _ in selector.select(0.1):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            selector.unregister(sock)
            took.append(time.perf_counter() - started.pop(sock))
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                sock.setblocking(True)
                connected.append(sock)
            else:
                sock.close()
    for sock in started:
        took.append(timeout)
        sock.close()
    selector.close()
    return took, connected


async def connect(port: int, timeout: float) -> tuple[float, Any]:
    started = time.perf_counter()
    try:
        stream = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    except (OSError, asyncio.TimeoutError):
        return time.perf_counter() - started, None
    return time.perf_counter() - started, stream


async def one(stream: Any, raw: bytes, timeout: float) -> int:
    reader, writer = stream
    writer.write(raw)
    return await asyncio.wait_for(read_response(reader), timeout)


async def loop_gets(stream: Any, stop_at: float, latencies: list[float], errors: list[str]) -> int:
    raw, done = request("GetItem", GET), 0
    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        try:
            status = await one(stream, raw, 30.0)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as exc:
            errors.append(type(exc).__name__)
            return done
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors.append(f"HTTP {status}")
        done += 1
    return done


async def closed_by_server(stream: Any) -> bool:
    reader, _ = stream
    try:
        return await asyncio.wait_for(reader.read(1), 0.05) == b""
    except asyncio.TimeoutError:
        return False
    except OSError:
        return True


async def measure(args: argparse.Namespace, pid: int, port: int) -> None:
    n = args.clients
    setup = await connect(port, 10.0)
    if setup[1] is None:
        raise SystemExit("cannot connect to the server")
    for operation, body in (("CreateTable", TABLE), ("PutItem", ITEM)):
        assert await one(setup[1], request(operation, body), 10.0) == 200, operation
    setup[1][1].close()

    waits, sockets = connect_all(port, n, 15.0)
    connected = [await asyncio.open_connection(sock=sock) for sock in sockets]
    waits.sort()
    print(
        f"connect   {len(connected)}/{n} connected; median {statistics.median(waits) * 1000:.1f} ms, "
        f"max {waits[-1] * 1000:.0f} ms, {sum(w > 0.5 for w in waits)} over 0.5 s"
    )
    await asyncio.sleep(1.0)
    threads, rss = proc_status(pid)
    print(f"idle      {len(connected)} open connections: server threads {threads}, RSS {rss} MB")

    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.perf_counter() + args.seconds
    sampled: list[tuple[str, str]] = []

    async def sample() -> None:
        await asyncio.sleep(args.seconds / 2)
        sampled.append(proc_status(pid))

    started = time.perf_counter()
    counts, _ = await asyncio.gather(
        asyncio.gather(*(loop_gets(s, stop_at, latencies, errors) for s in connected)), sample()
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    total = sum(counts)
    pct = (
        (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000)
        if latencies
        else (lambda q: float("nan"))
    )
    print(
        f"load      {total / elapsed:.0f} GetItem/s with {len(connected)} clients for {elapsed:.1f} s; "
        f"latency p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {pct(1.0):.0f} ms; "
        f"clients that got no answer {sum(c == 0 for c in counts)}; errors {len(errors)}"
        + (f" ({', '.join(sorted(set(errors)))})" if errors else "")
    )
    print(
        f"          server threads while loaded {sampled[0][0] if sampled else 'n/a'}, "
        f"RSS {sampled[0][1] if sampled else 'n/a'} MB"
    )

    if args.idle_wait > 0:
        await asyncio.sleep(args.idle_wait)
        closed = sum(await asyncio.gather(*(closed_by_server(s) for s in connected)))
        threads, rss = proc_status(pid)
        print(
            f"idle wait after {args.idle_wait:.0f} s of silence: {closed}/{len(connected)} closed by the server; "
            f"server threads {threads}, RSS {rss} MB"
        )
    for _, writer in connected:
        writer.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the load phase")
    parser.add_argument(
        "--idle-wait",
        type=float,
        default=8.0,
        help="silence before counting server-closed connections (0 skips)",
    )
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="extra argument for `emulator serve` (repeatable), e.g. --server-arg=--idle-timeout=5",
    )
    args = parser.parse_args(argv)
    proc, root, port = start_server(args.server_arg)
    print(f"emulator from {root}: {args.clients} keep-alive clients on 127.0.0.1:{port}")
    deadline = 60.0 + args.seconds + args.idle_wait + args.clients * 0.05
    try:
        asyncio.run(asyncio.wait_for(measure(args, proc.pid, port), deadline))
    except asyncio.TimeoutError:
        print(f"gave up after {deadline:.0f} s")
        return 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
