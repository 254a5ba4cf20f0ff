"""The HTTP door: DynamoDB, DynamoDB Streams and Step Functions on one port.

A standard-library threading TCP server (one thread per connection) speaking HTTP/1.1 with
keep-alive, so an SDK's connection pool is reused. The HTTP request handler is written by hand
(see ``_Handler``) because ``http.server``'s costs more per request than the operations do (and
its server resolves the host's FQDN at start-up). Every ``POST`` is handed to
:func:`emulator.wire.awsjson.handle`, which picks the service by ``X-Amz-Target`` — the same code
the in-process boto3 hook runs. The server:

* binds ``127.0.0.1`` unless told otherwise (it accepts any credentials and any signature, so it
  must not be reachable from elsewhere by accident);
* ignores the ``Host`` header, so the ``sync-`` host prefix of ``StartSyncExecution`` is accepted;
* answers ``GET`` with a 200 health line, as DynamoDB's endpoints do;
* refuses a body over 16 MB with 413 (after draining it, so the client reads the answer rather
  than a broken pipe), and a non-POST or non-JSON request with DynamoDB's 404 answer;
* writes each response with a single ``send`` and sets ``TCP_NODELAY``, so small keep-alive
  responses are not held back by Nagle's algorithm.

The Emulator it serves is an attribute (:attr:`EmulatorServer.world`) and may be swapped between
requests: the test fixtures run one session-wide server and point it at each test's Emulator.
"""

from __future__ import annotations

import socket
import socketserver
import sys
import threading
from typing import Any

from . import messages as m
from .awsjson import ACCEPTED_CONTENT_TYPES, MAX_REQUEST_BYTES, WireResponse, handle, too_large

_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 409: "Conflict", 402: "Payment Required",
            413: "Request Entity Too Large", 414: "Request-URI Too Long",
            431: "Request Header Fields Too Large", 500: "Internal Server Error",
            501: "Not Implemented", 503: "Service Unavailable"}
_DRAIN_CHUNK = 1 << 20
_MAX_LINE = 65536  # as http.server: a longer request line is 414, a longer header line 431
_MAX_HEADERS = 100
_END_OF_HEADERS = (b"\r\n", b"\n", b"")


class _BodyTooLarge(Exception):
    pass


class _BadRequest(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Handler(socketserver.StreamRequestHandler):
    """One connection: requests read and answered in a loop while the client keeps it alive.

    Hand-written rather than ``http.server.BaseHTTPRequestHandler``: that class parses every
    request's headers with the ``email`` package and writes its answer in several pieces, which
    cost more than the operations themselves. Here the request line and header lines are split by
    hand (only the handful of headers the door reads are looked at), and each response — status
    line, headers and body — leaves in one ``sendall``. HTTP/1.1 keep-alive: the connection stays open unless the client sends ``Connection: close`` (or speaks HTTP/1.0
    without ``Connection: keep-alive``); ``Expect: 100-continue`` is answered.
    """

    rbufsize = 1 << 16
    wbufsize = 0
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # pragma: no cover - not a TCP socket
            pass
        self.close_connection = False
        self.headers: dict[str, str] = {}
        self.requestline = ""

    def handle(self) -> None:
        while not self.close_connection:
            self.handle_one_request()

    # -- reading --------------------------------------------------------------------------------
    def handle_one_request(self) -> None:
        rfile = self.rfile
        line = rfile.readline(_MAX_LINE + 1)
        while line in (b"\r\n", b"\n"):  # stray blank lines between requests are tolerated
            line = rfile.readline(_MAX_LINE + 1)
        if not line:
            self.close_connection = True
            return
        if len(line) > _MAX_LINE:
            self._refuse(414)
            return
        self.requestline = requestline = line.decode("latin-1").rstrip("\r\n")
        words = requestline.split()
        if len(words) != 3 or not words[2].startswith("HTTP/"):
            self._refuse(400)
            return
        method, _path, version = words
        try:
            headers = self._read_headers()
        except _BadRequest as bad:
            self._refuse(bad.status)
            return
        self.headers = headers
        connection = headers.get("connection", "").lower()
        if version == "HTTP/1.1":
            self.close_connection = connection == "close"
        else:
            self.close_connection = connection != "keep-alive"
        if headers.get("expect", "").lower() == "100-continue" and version == "HTTP/1.1":
            self.connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        if method == "POST":
            self.do_POST()
        elif method == "GET":
            self._discard_body()
            self.do_GET()
        elif method == "HEAD":
            self._discard_body()
            self._write(200, {"Content-Length": "0"}, b"", head_only=True)
        else:
            self._discard_and_not_found()

    def _read_headers(self) -> dict[str, str]:
        """Header lines up to the blank line: lower-cased names → values (repeated names: the first)."""
        headers: dict[str, str] = {}
        readline = self.rfile.readline
        for _ in range(_MAX_HEADERS + 1):
            line = readline(_MAX_LINE + 1)
            if line in _END_OF_HEADERS:
                return headers
            if len(line) > _MAX_LINE:
                raise _BadRequest(431)
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon:
                if line[:1] in (b" ", b"\t"):
                    continue  # an obsolete folded continuation line: ignored
                raise _BadRequest(400)
            name = name.strip().lower()
            if name not in headers:
                headers[name] = value.strip()
        raise _BadRequest(431)

    def _refuse(self, status: int) -> None:
        """A request this server cannot read: answer ``status`` and close (the stream is lost)."""
        self.close_connection = True
        try:
            self._write(status, {"Content-Length": "0"}, b"")
        except OSError:
            pass

    def _read_body(self) -> bytes:
        headers = self.headers
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length = int(headers.get("content-length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        if length > MAX_REQUEST_BYTES:
            remaining = length
            while remaining > 0:  # drain, so that the client gets to read our answer
                chunk = self.rfile.read(min(remaining, _DRAIN_CHUNK))
                if not chunk:
                    break
                remaining -= len(chunk)
            raise _BodyTooLarge()
        if length <= 0:
            return b""
        body = self.rfile.read(length)
        if len(body) != length:
            raise ConnectionError("the client closed the connection mid-body")
        return body

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        too_large_seen = False
        while True:
            size_line = self.rfile.readline(65537)
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                break
            chunk = self.rfile.read(size)
            self.rfile.readline(3)
            total += len(chunk)
            if total > MAX_REQUEST_BYTES:
                too_large_seen = True
                parts.clear()
            elif not too_large_seen:
                parts.append(chunk)
        if too_large_seen:
            raise _BodyTooLarge()
        return b"".join(parts)

    def _discard_body(self) -> None:
        try:
            self._read_body()
        except (_BodyTooLarge, ValueError, OSError):
            self.close_connection = True

    # -- writing --------------------------------------------------------------------------------
    def _write(self, status: int, headers: dict[str, str], body: bytes, *, head_only: bool = False) -> None:
        parts = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"]
        for k, v in headers.items():
            parts.append(f"{k}: {v}\r\n")
        if self.close_connection:
            parts.append("Connection: close\r\n")
        parts.append("\r\n")
        head = "".join(parts).encode("latin-1")
        self.connection.sendall(head if head_only or not body else head + body)
        if self.server.owner.verbose:
            self.log_message('"%s" %s %s', self.requestline, str(status), str(len(body)))

    def _write_wire(self, response: WireResponse) -> None:
        self._write(response.status, response.headers, response.body)
        answered = self.server.owner.answered
        if not answered.is_set():
            answered.set()

    # -- methods --------------------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        world = self.server.owner.world
        headers = self.headers
        target = headers.get("x-amz-target")
        try:
            body = self._read_body()
        except _BodyTooLarge:
            self._write_wire(too_large(world, target))
            return
        except (ValueError, OSError):
            self.close_connection = True
            self._write(400, {"Content-Length": "0"}, b"")
            return
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if body and content_type not in ACCEPTED_CONTENT_TYPES:
            self._not_found()
            return
        if world is None:
            self._write(503, {"Content-Type": "text/plain", "Content-Length": "24"},
                        b"no Emulator is attached\n")
            return
        self._write_wire(handle(world, target, body, content_type=content_type,
                                authorization=headers.get("authorization")))

    def do_GET(self) -> None:  # noqa: N802
        world = self.server.owner.world
        region = getattr(world, "region", "us-east-1")
        body = m.HEALTH.format(service="dynamodb", region=region).encode("ascii")
        self._write(200, {"Content-Type": "text/plain", "Content-Length": str(len(body))}, body)

    def _not_found(self) -> None:
        body = m.NOT_FOUND_BODY.encode("ascii")
        self._write(404, {"Content-Length": str(len(body))}, body)

    def _discard_and_not_found(self) -> None:
        self._discard_body()
        self._not_found()

    def address_string(self) -> str:
        return str(self.client_address[0])

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        if self.server.owner.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class _HTTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: EmulatorServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-request is routine; anything else is reported."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


def _address_family(host: str, port: int) -> socket.AddressFamily:
    """IPv4 unless ``host`` is an IPv6 address or a name that resolves only to one (``::1``, ``::``)."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError):
        return socket.AF_INET  # let bind() report the problem
    families = [info[0] for info in infos]
    if socket.AF_INET in families or not families:
        return socket.AF_INET
    return families[0]


class EmulatorServer:
    """An HTTP server for one :class:`~emulator.Emulator` (which may be swapped: :attr:`world`).

    ``port=0`` picks a free port. Use :meth:`start` to serve from a background thread (then
    :attr:`endpoint_url`), :meth:`stop` to shut down; or use it as a context manager.
    """

    def __init__(self, world: Any = None, *, host: str = "127.0.0.1", port: int = 8000,
                 verbose: bool = False) -> None:
        self.world = world
        self.verbose = verbose
        self.answered = threading.Event()  # set once the first request has been answered
        server_class = _HTTPServer6 if _address_family(host, port) == socket.AF_INET6 else _HTTPServer
        self._httpd = server_class((host, port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def endpoint_url(self) -> str:
        host = self.host
        if host in ("::", "::0"):
            host = "[::1]"
        elif ":" in host:
            host = f"[{host}]"
        elif host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    def start(self) -> EmulatorServer:
        """Serve from a daemon thread; returns at once."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                            name=f"emulator-server-{self.port}", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` is called from another thread."""
        self._httpd.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmulatorServer({self.endpoint_url}, world={self.world!r})"
