"""What the request log costs: HTTP put_item throughput with ``--log-level INFO`` vs without.

    python benchmarks/request_log_cost.py [--quick]

Two ``emulator serve`` processes, one at the default level (WARNING: nothing is logged per
request) and one at ``--log-level INFO`` writing its one line per request to a file, as a server
run with its log redirected would. The same boto3 put_item loop runs against each, alternating
rounds so that the noise of a shared machine falls on both alike:

* throughput: as many boto3 client processes as the machine has cores keep each server busy
  (``concurrent_clients.ClientPool``); requests per second, median over the rounds;
* server CPU per request: the server process's CPU time (``/proc/<pid>/stat``, user + system)
  over the requests it answered in the throughput window. This is the number the target is judged
  on: when the server is the bottleneck its throughput is 1 / (CPU per request), and unlike wall
  throughput it does not swing with what else runs on a shared machine;
* latency: one client's sequential loop (``harness.time_per_call``).

Target (issue 14 §3): INFO logging costs at most 5% of HTTP throughput: the silent server's CPU
per request is at least 0.95× the INFO server's (the wall-throughput ratio is printed too). On a
busy machine that A/B difference is noisy, so the estimate from parts is printed as well: the CPU
one INFO record costs (measured in this process: ``request_log.record`` through the handler
``emulator serve --log-level INFO`` installs, writing to a file) over the silent server's CPU per
request. Also printed: the in-process cost of one INFO
record (``request_log.record`` into a file handler), the part of the difference the server pays.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path[:0] = [HERE, REPO]

from concurrent_clients import ClientPool  # noqa: E402
from harness import time_per_call  # noqa: E402
from suite_wire import AD, ITEM, KS, free_port, make_client  # noqa: E402

TARGET = 0.95


def serve(port: int, *args: str, stderr: Any = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    import socket

    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        env=env,
        cwd=REPO,
    )
    deadline = time.perf_counter() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if time.perf_counter() > deadline:
                proc.kill()
                raise
            time.sleep(0.01)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def record_cost(number: int) -> float:
    """CPU seconds (this thread's) per INFO record written by ``request_log.record`` through the
    handler ``emulator serve --log-level INFO`` installs, to a file."""
    from emulator.logs import configure
    from emulator.wire import request_log

    class Conn:
        headers = {"x-amz-target": "DynamoDB_20120810.PutItem"}
        requestline = "POST / HTTP/1.1"
        body = json.dumps({"TableName": "bench", "Item": ITEM}).encode()
        started: float | None = 0.0

    logger = logging.getLogger("emulator")
    with tempfile.TemporaryFile("w") as sink:
        saved, sys.stderr = sys.stderr, sink
        try:
            configure("INFO", fast=True)
        finally:
            sys.stderr = saved
        handler = logger.handlers[-1]
        conn = Conn()

        def one() -> None:
            conn.started = request_log.started()
            request_log.record(conn, 200, b"{}")

        try:
            samples = []
            for _ in range(5):
                start = time.thread_time()
                for _ in range(number):
                    one()
                samples.append((time.thread_time() - start) / number)
            return statistics.median(samples)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds, seconds, number = (3, 1.5, 300) if args.quick else (7, 3.0, 1000)
    log_file = tempfile.NamedTemporaryFile("wb", suffix=".log", delete=False)
    quiet_port, info_port = free_port(), free_port()
    quiet = serve(quiet_port)
    info = serve(info_port, "--log-level", "INFO", stderr=log_file)
    urls = {"quiet": f"http://127.0.0.1:{quiet_port}", "info": f"http://127.0.0.1:{info_port}"}
    params = {"TableName": "bench", "Item": ITEM}
    pool = ClientPool(max(2, os.cpu_count() or 2))
    try:
        clients = {name: make_client(url) for name, url in urls.items()}
        for client in clients.values():
            client.create_table(
                TableName="bench", KeySchema=KS, AttributeDefinitions=AD, BillingMode="PAY_PER_REQUEST"
            )
            client.put_item(**params)
        rates: dict[str, list[float]] = {"quiet": [], "info": []}
        latency: dict[str, list[float]] = {"quiet": [], "info": []}
        cpu: dict[str, list[float]] = {"quiet": [], "info": []}
        pids = {"quiet": quiet.pid, "info": info.pid}
        for r in range(rounds):
            order = ("quiet", "info") if r % 2 == 0 else ("info", "quiet")
            for name in order:
                before = cpu_seconds(pids[name])
                rate = pool.throughput(urls[name], "put_item", params, seconds)
                requests = rate * seconds + len(pool.processes)  # and each worker's warm-up call
                cpu[name].append((cpu_seconds(pids[name]) - before) / requests)
                rates[name].append(rate)
                latency[name].append(
                    time_per_call(lambda c=clients[name]: c.put_item(**params), number=number // 5, rounds=1)
                )
    finally:
        pool.close()
        for proc in (quiet, info):
            proc.terminate()
            proc.wait(timeout=10)
        log_file.close()
    lines = sum(1 for _ in open(log_file.name, "rb"))
    os.unlink(log_file.name)
    quiet_rate, info_rate = statistics.median(rates["quiet"]), statistics.median(rates["info"])
    ratio = info_rate / quiet_rate
    quiet_cpu, info_cpu = statistics.median(cpu["quiet"]), statistics.median(cpu["info"])
    cpu_ratio = quiet_cpu / info_cpu
    quiet_lat, info_lat = statistics.median(latency["quiet"]), statistics.median(latency["info"])
    per_record = record_cost(number * 10)
    result = {
        "server_cpu_per_request_quiet_us": round(quiet_cpu * 1e6, 1),
        "server_cpu_per_request_info_us": round(info_cpu * 1e6, 1),
        "server_throughput_ratio_info_vs_quiet": round(cpu_ratio, 4),
        "server_throughput_cost_percent": round((1 - cpu_ratio) * 100, 2),
        "throughput_quiet_rps": round(quiet_rate, 1),
        "throughput_info_rps": round(info_rate, 1),
        "throughput_ratio_info_vs_quiet": round(ratio, 4),
        "throughput_cost_percent": round((1 - ratio) * 100, 2),
        "latency_quiet_us": round(quiet_lat * 1e6, 1),
        "latency_info_us": round(info_lat * 1e6, 1),
        "info_record_cpu_us": round(per_record * 1e6, 2),
        "estimated_cost_percent": round(per_record / quiet_cpu * 100, 2),
        "log_lines_written": lines,
        "rounds": rounds,
        "target": f"server_throughput_ratio_info_vs_quiet >= {TARGET}",
        "met": cpu_ratio >= TARGET,
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
