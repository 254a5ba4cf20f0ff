"""One connection's requests, read and answered on a pool thread: the HTTP door's request handling.

Split from :mod:`emulator.wire.server`, which owns the listening socket, the selector loop that
watches idle connections, and the pool; this module owns what happens between a request's first
byte and its answer's last. It sees the server and the loop only through the two small protocols
below, so it imports nothing of theirs.
"""

from __future__ import annotations

import sys
import threading
import traceback
from typing import Any, Protocol

from . import control, cors, front_end, presigned, request_log, s3_cors, s3_door, sigv4
from .awsjson import ACCEPTED_CONTENT_TYPES, MAX_REQUEST_BYTES, WireResponse, handle, too_large
from .connection import BodyTooLarge, Connection, PeerClosed, RequestError, content_length
from .s3_door import is_s3_request
from .workers import Workers

__all__ = ["BLOCKING_TARGETS", "LINGER", "Door"]

LINGER = 0.05  # seconds a thread waits for a connection's next request before handing it back
CHUNK = 1 << 16  # W15 [INF]: the size of each chunk of a streamed answer (AWS's is not published)
BLOCKING_TARGETS = frozenset(
    {  # requests that may wait for another request: detached from the pool
        "AWSStepFunctions.GetActivityTask",  # long poll, up to 60 s
        "AWSStepFunctions.StartSyncExecution",  # runs the workflow, which may wait for activities/tokens
    }
)
_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    409: "Conflict",
    402: "Payment Required",
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


class Owner(Protocol):
    """What a door reads of its server (:class:`~emulator.wire.server.EmulatorServer`)."""

    world: Any
    idle_timeout: float
    threads: int
    answered: threading.Event
    cors: cors.CorsPolicy | None  # None: no CORS headers
    auth: sigv4.Authenticator | None  # None: any credentials are accepted


class Parking(Protocol):
    """What a door asks of the selector loop: take a connection back, or close it."""

    stopping: bool

    def park(self, conn: Connection) -> None: ...

    def close(self, conn: Connection) -> None: ...

    def close_gently(self, conn: Connection) -> None: ...


class Door:
    """Answers the requests of one connection at a time, on a pool thread.

    Hand-written rather than ``http.server.BaseHTTPRequestHandler``: that class parses every
    request's headers with the ``email`` package and writes its answer in several pieces, which
    cost more than the operations themselves. Each response — status line, headers and body —
    leaves in one ``sendall``. HTTP/1.1 keep-alive: the connection stays open unless the client
    sends ``Connection: close`` (or speaks HTTP/1.0 without ``Connection: keep-alive``);
    ``Expect: 100-continue`` is answered.
    """

    def __init__(self, owner: Owner, loop: Parking) -> None:
        self.owner = owner
        self.loop = loop
        self.workers = Workers(self.serve, owner.threads)

    def serve(self, conn: Connection) -> None:
        """Answer ``conn``'s requests while they come; then hand it back to the selector (or close)."""
        idle_timeout = self.owner.idle_timeout
        try:
            while True:
                if not conn.buf:
                    if conn.fresh:  # the selector saw it readable: this recv does not wait
                        conn.fresh = False
                        conn.set_timeout(idle_timeout)
                    elif self.workers.waiting() or self.loop.stopping:
                        self.loop.park(conn)
                        return
                    else:
                        conn.set_timeout(LINGER)
                    try:
                        conn.fill()
                    except TimeoutError:
                        self.loop.park(conn)
                        return
                    except OSError:  # the client closed (PeerClosed) or reset the connection
                        self.loop.close(conn)
                        return
                conn.set_timeout(idle_timeout)
                if not self.answer(conn):
                    return
        except Exception:  # pragma: no cover - answer() handles what a client can cause
            traceback.print_exc(file=sys.stderr)
            self.loop.close(conn)

    # -- one request ----------------------------------------------------------------------------
    def answer(self, conn: Connection) -> bool:
        """Read and answer one request; False once the connection is closed (or closing)."""
        method = ""
        try:
            method, version, headers = conn.read_head()
            conn.started = request_log.started()  # None unless the request log is on (INFO)
            connection = headers.get("connection", "").lower()
            if version == "HTTP/1.1":
                conn.close_after = connection == "close"
            else:
                conn.close_after = connection != "keep-alive"
            if headers.get("expect", "").lower() == "100-continue" and version == "HTTP/1.1":
                if "transfer-encoding" not in headers and content_length(headers.get("content-length")) > (
                    s3_door.MAX_BODY if is_s3_request(headers, conn.path) else MAX_REQUEST_BYTES
                ):
                    raise BodyTooLarge(drained=False)  # refused before the client sends it
                conn.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.dispatch(conn, method, headers)
        except RequestError as bad:
            self.refuse(conn, bad.status)
            return False
        except BodyTooLarge as large:
            return self.too_large(conn, method, large.drained)
        except PeerClosed:  # the client closed mid-request; it may still read an answer
            if method or conn.buf:
                self.refuse(conn, 400)
            else:
                self.loop.close(conn)
            return False
        except TimeoutError:  # silent mid-request for longer than the idle timeout
            if method or conn.buf:
                self.refuse(conn, 408)
            else:
                self.loop.close(conn)
            return False
        except OSError:
            self.loop.close(conn)
            return False
        if conn.close_after:
            self.loop.close(conn)
            return False
        return True

    def dispatch(self, conn: Connection, method: str, headers: dict[str, str]) -> None:
        """Who answers a request: a browser's preflight, the control path, S3, the JSON services
        (a POST), else the front end's own pages."""
        if method == "OPTIONS" and self.preflight(conn, headers):
            return
        if control.is_control(conn.path):
            self.control(conn, method)
        elif is_s3_request(headers, conn.path):
            self.s3(conn, method)
        elif method == "POST":
            self.post(conn)
        else:
            conn.discard_body()
            if method == "GET":
                self.get(conn)
            elif method == "HEAD":
                self.write(conn, 200, {"Content-Length": "0"}, b"", head_only=True)
            else:
                self.not_found(conn)

    def preflight(self, conn: Connection, headers: dict[str, str]) -> bool:
        """Answer a browser's ``OPTIONS``: S3's by the bucket's CORS rules (CR4), the JSON
        services' by the server's policy (CR1); False if CORS is off or it is no preflight."""
        policy = self.owner.cors
        if policy is None:
            return False
        if s3_cors.is_s3_options(headers, conn.path):
            answer = s3_cors.preflight(policy, self.owner.world, conn.path, headers)
        elif cors.is_preflight(headers):
            answer = (*cors.preflight(policy, headers), b"")
        else:
            return False
        conn.discard_body()
        self.write(conn, *answer, own_cors=True)
        return True

    def too_large(self, conn: Connection, method: str, drained: bool) -> bool:
        """413 for a body over the limit; the connection stays open only if the body was drained."""
        if not drained:
            conn.close_after = True
        try:
            if method == "POST":
                self.write_wire(conn, too_large(self.owner.world, conn.headers.get("x-amz-target")))
            else:
                self.write(conn, 413, {"Content-Length": "0"}, b"")
        except OSError:
            self.loop.close(conn)
            return False
        if not drained:
            self.loop.close_gently(conn)
            return False
        return True

    def refuse(self, conn: Connection, status: int) -> None:
        """A request this server cannot read: answer ``status`` and close (the stream is lost)."""
        conn.close_after = True
        try:
            self.write(conn, status, {"Content-Length": "0"}, b"")
        except OSError:
            self.loop.close(conn)
            return
        self.loop.close_gently(conn)

    # -- writing --------------------------------------------------------------------------------
    def write(
        self,
        conn: Connection,
        status: int,
        headers: dict[str, str],
        body: bytes,
        *,
        head_only: bool = False,
        own_cors: bool = False,
    ) -> None:
        if self.owner.cors is not None and "origin" in conn.headers and not own_cors:
            headers = cors.decorate(self.owner.cors, conn.headers["origin"], headers)
        parts = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"]
        for k, v in headers.items():
            parts.append(f"{k}: {v}\r\n")
        if conn.close_after:
            parts.append("Connection: close\r\n")
        parts.append("\r\n")
        head = "".join(parts).encode("latin-1")
        if conn.started is not None:  # logged before sending: a client with its answer finds the record
            request_log.record(conn, status, body)
        conn.sock.sendall(head if head_only or not body else head + body)

    def write_wire(self, conn: Connection, response: WireResponse) -> None:
        if response.streamed and conn.requestline.endswith(" HTTP/1.1"):
            headers = {k: v for k, v in response.headers.items() if k != "Content-Length"}
            headers["Transfer-Encoding"] = "chunked"
            self.write(conn, response.status, headers, _chunked(response.body))
        else:
            self.write(conn, response.status, response.headers, response.body)
        answered = self.owner.answered
        if not answered.is_set():
            answered.set()

    # -- methods --------------------------------------------------------------------------------
    def post(self, conn: Connection) -> None:
        world = self.owner.world
        headers = conn.headers
        target = headers.get("x-amz-target")
        body = conn.read_body()
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if body and content_type not in ACCEPTED_CONTENT_TYPES:
            self.not_found(conn)
            return
        if world is None:
            self.write(
                conn,
                503,
                {"Content-Type": "text/plain", "Content-Length": "24"},
                b"no Emulator is attached\n",
            )
            return
        if target in BLOCKING_TARGETS:
            self.workers.detach()
        self.write_wire(
            conn,
            handle(
                world,
                target,
                body,
                content_type=content_type,
                authorization=headers.get("authorization"),
                gate=sigv4.gate(self.owner.auth, conn.path, headers, body),
            ),
        )

    def s3(self, conn: Connection, method: str) -> None:
        """An S3 request (no ``X-Amz-Target``; REST-XML by method and path: emulator/wire/s3_door.py)."""
        body = conn.read_body(s3_door.MAX_BODY)
        auth, path, headers = self.owner.auth, conn.path, conn.headers
        if s3_door.is_presigned(path) and "authorization" in headers:
            refusal: sigv4.Refusal | None = presigned.both_mechanisms(headers["authorization"])
        elif auth is not None and s3_door.is_presigned(path):
            refusal = presigned.check(auth, method, path, headers)  # a presigned URL
        else:
            refusal = sigv4.refusal(auth, "s3", method, path, headers, body)
        if refusal is not None:
            answer = sigv4.s3_answer(self.owner.world, refusal)
        else:
            answer = s3_door.handle(self.owner.world, method, conn.path, conn.headers, body)
        allowing = s3_cors.actual(self.owner.cors, self.owner.world, method, path, headers)
        headers = {**answer.headers, **allowing}  # the bucket's CORS rules, not the server's (CR4)
        self.write(conn, answer.status, headers, answer.body, head_only=method == "HEAD", own_cors=True)

    def control(self, conn: Connection, method: str) -> None:
        """A request on the emulator's own control path (:mod:`emulator.wire.control`)."""
        body = conn.read_body()
        refusal = sigv4.refusal(self.owner.auth, None, method, conn.path, conn.headers, body)
        if refusal is not None:
            self.write_wire(conn, sigv4.json_answer(self.owner.world, refusal))
            return
        answer = control.handle(method, conn.path, conn.headers, body, self.owner.world, self.owner)
        self.write(conn, answer.status, answer.headers, answer.body, head_only=method == "HEAD")

    def get(self, conn: Connection) -> None:
        """W12: the health line on the root path only; elsewhere AWS's "Page Not Found"."""
        world = self.owner.world
        if front_end.is_root(conn.path):
            answer = front_end.health(world, conn.headers.get("host"))
        else:
            answer = front_end.page_not_found(world)
        self.write(conn, answer.status, answer.headers, answer.body)

    def not_found(self, conn: Connection) -> None:
        answer = front_end.not_found(self.owner.world)
        self.write(conn, answer.status, answer.headers, answer.body)


def _chunked(body: bytes) -> bytes:
    """``body`` in HTTP/1.1 chunked framing (RFC 9112 7.1): chunks of :data:`CHUNK` bytes, then
    the last, empty chunk and no trailers."""
    view = memoryview(body)
    parts: list[bytes | memoryview] = []
    for start in range(0, len(body), CHUNK):
        piece = view[start : start + CHUNK]
        parts += (b"%x\r\n" % len(piece), piece, b"\r\n")
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)
