"""Where the time of ``HTTP boto3 Query 100 of 10,000 items`` goes (evidence for the 50× target).

    python benchmarks/wire_query_breakdown.py

Runs the wire suite's HTTP Query three ways, interleaved, in one process (as ``suite_wire`` does):

* against ``emulator serve`` (its own process);
* against a *canned* server — a separate process that answers every request instantly with the
  exact bytes ``emulator serve`` gave for that Query: the floor of any server, i.e. what boto3
  itself costs on this machine;
* against moto's ``ThreadedMotoServer`` (few calls: it takes ~0.1 s each).

For ours and the canned server it splits the boto3 call into botocore's response parsing
(``ResponseParser.parse``), the HTTP exchange (``Endpoint._send`` and reading the body: urllib3,
http.client and the wait for the server) and the rest (parameter validation, serialization,
signing, events, retry checks). It also times a raw-socket round trip of the same request to our
server (server work + loopback, no botocore). The last line says how fast a call must be for 50×.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import socket
import statistics
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.endpoint  # noqa: E402
import botocore.parsers  # noqa: E402
from suite_wire import QUERY, canned_server, free_port, load, make_client, raw_request, serve_process  # noqa: E402


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from moto.server import ThreadedMotoServer

    body = json.dumps(QUERY).encode()
    port = free_port()
    ours_proc = serve_process(port)
    moto_port = free_port()
    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto_server.start()
    canned_proc = None
    try:
        ours = make_client(f"http://127.0.0.1:{port}")
        load(ours, "big", 100, 100)
        moto = make_client(f"http://127.0.0.1:{moto_port}")
        load(moto, "big", 100, 100)
        canned_proc = canned_server(port)  # replays our server's exact answer
        canned = make_client(canned_proc.url)
        for client in (ours, canned, moto):
            assert client.query(**QUERY)["Count"] == 100

        spent = {"parse": 0.0, "http": 0.0}
        real_parse, real_send = botocore.parsers.ResponseParser.parse, botocore.endpoint.Endpoint._send

        def timed_parse(self: Any, *args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return real_parse(self, *args, **kwargs)
            finally:
                spent["parse"] += time.perf_counter() - t

        def timed_send(self: Any, request: Any) -> Any:
            t = time.perf_counter()
            response = real_send(self, request)
            response.content  # noqa: B018 - read the body inside the timing
            spent["http"] += time.perf_counter() - t
            return response

        botocore.parsers.ResponseParser.parse = timed_parse  # type: ignore[method-assign]
        botocore.endpoint.Endpoint._send = timed_send  # type: ignore[method-assign]

        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rfile = sock.makefile("rb")
        request = raw_request(port, body)

        def raw_round_trip() -> None:
            sock.sendall(request)
            length = 0
            while (line := rfile.readline()) != b"\r\n":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            rfile.read(length)

        n = 30
        rows: dict[str, dict[str, list[float]]] = {
            k: {"total": [], "parse": [], "http": []} for k in ("ours", "canned")
        }
        raw: list[float] = []
        moto_times: list[float] = []
        gc.disable()
        for _ in range(15):
            for name, client in (("ours", ours), ("canned", canned)):
                spent["parse"] = spent["http"] = 0.0
                t = time.perf_counter()
                for _ in range(n):
                    client.query(**QUERY)
                rows[name]["total"].append((time.perf_counter() - t) / n)
                rows[name]["parse"].append(spent["parse"] / n)
                rows[name]["http"].append(spent["http"] / n)
            t = time.perf_counter()
            for _ in range(n):
                raw_round_trip()
            raw.append((time.perf_counter() - t) / n)
            if len(moto_times) < 5:
                t = time.perf_counter()
                moto.query(**QUERY)
                moto_times.append(time.perf_counter() - t)
        gc.enable()
        sock.close()

        med = statistics.median
        us = 1e6
        for name, r in rows.items():
            total, parse, http = med(r["total"]), med(r["parse"]), med(r["http"])
            print(
                f"{name:7s} boto3 Query: {total * us:7.0f} µs median (min {min(r['total']) * us:.0f}) = "
                f"botocore parse {parse * us:.0f} + HTTP exchange {http * us:.0f} + "
                f"request build/sign/events {(total - parse - http) * us:.0f}"
            )
        print(
            f"raw-socket round trip to emulator serve (server + loopback): {med(raw) * us:.0f} µs median "
            f"(min {min(raw) * us:.0f})"
        )
        m = med(moto_times)
        print(
            f"moto server: {m * 1e3:.1f} ms median; ours {m / med(rows['ours']['total']):.1f}×, "
            f"a zero-cost server {m / med(rows['canned']['total']):.1f}×; 50× needs ≤ {m / 50 * us:.0f} µs per call"
        )
    finally:
        ours_proc.terminate()
        ours_proc.wait(timeout=10)
        moto_server.stop()
        if canned_proc is not None:
            canned_proc.close()


if __name__ == "__main__":
    main()
