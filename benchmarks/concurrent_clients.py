"""Server throughput: several boto3 client *processes* running the same loop against one endpoint.

A single boto3 loop measures latency: each call waits for the one before, and most of a call's
time is boto3's own work in the client (building, signing and parsing), which no server can
remove. A server's throughput is what it answers per second when clients keep it busy, so
:class:`ClientPool` starts ``n`` worker processes (``spawn``, so they share nothing with the
benchmark process or the server thread it may host), each with its own boto3 client, and has them
all run the same call in a loop for the same wall-clock window; the throughput is the sum of the
calls they finished divided by the window.

Workers stay up between measurements (process start-up and boto3 import are paid once), and
each measurement starts all workers at one agreed instant.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


def _worker(commands: Any, results: Any) -> None:
    sys.path.insert(0, HERE)
    from suite_wire import make_client

    clients: dict[str, Any] = {}
    while True:
        command = commands.get()
        if command is None:
            return
        url, operation, params, start_at, seconds = command
        client = clients.get(url)
        if client is None:
            client = clients[url] = make_client(url)
        call = getattr(client, operation)
        call(**params)  # warm: connection open, models loaded
        while time.time() < start_at:
            time.sleep(0.0005)
        done, end = 0, start_at + seconds
        while time.time() < end:
            call(**params)
            done += 1
        results.put((done, time.time() - start_at))


class ClientPool:
    """``n`` boto3 client processes that run one call in a loop, all at once, on request."""

    def __init__(self, n: int) -> None:
        ctx = mp.get_context("spawn")
        self.results = ctx.Queue()
        self.commands = [ctx.Queue() for _ in range(n)]
        self.processes = [
            ctx.Process(target=_worker, args=(q, self.results), daemon=True) for q in self.commands
        ]
        for p in self.processes:
            p.start()

    def throughput(self, url: str, operation: str, params: dict[str, Any], seconds: float) -> float:
        """Calls per second, all workers together, of ``client.<operation>(**params)`` at ``url``."""
        start_at = time.time() + 1.0  # time for every worker to warm up and wait at the line
        for q in self.commands:
            q.put((url, operation, params, start_at, seconds))
        answers = [self.results.get(timeout=seconds + 120) for _ in self.commands]
        return sum(done for done, _ in answers) / max(elapsed for _, elapsed in answers)

    def close(self) -> None:
        for q in self.commands:
            q.put(None)
        for p in self.processes:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
