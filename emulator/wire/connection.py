"""One HTTP/1.1 connection of the server: its receive buffer, and requests read within bounds.

Every size is checked before the bytes it announces are read, so no request can make the server
hold more than its limits (issue 9): the request head (request line and headers) is at most
:data:`MAX_HEAD` bytes, a Content-Length or a chunk size is compared with the 16 MB limit before a
byte of the body is buffered, and a chunk-size line is at most :data:`MAX_CHUNK_LINE` bytes. What
cannot be read is answered, not dropped: :class:`RequestError` carries the status (400 for a
malformed length or chunk, 414/431 for an overlong head, 501 for a transfer coding other than
``chunked``), :class:`BodyTooLarge` the 413 of DynamoDB's front end (W7).

A body a little over the limit (up to :data:`DRAIN_LIMIT`) is read and discarded so that the
connection survives and the client reads the 413 rather than a broken pipe (as AWS's front end
does, see Alternator's ``test_too_large_request_*``); beyond that the server answers and closes.

The buffer is the connection's own (not a ``BufferedReader``), so the server can tell whether a
pipelined request is already waiting before it hands an idle connection back to its selector.
"""

from __future__ import annotations

import socket
import sys

from .awsjson import MAX_REQUEST_BYTES

MAX_LINE = 65536  # a longer request line is 414, a longer header line 431 (as http.server)
MAX_HEAD = 2 * MAX_LINE  # request line and headers together (AWS: 16 KB each); more is 431
MAX_HEADERS = 100  # more header lines (or trailer lines) is 431
MAX_CHUNK_LINE = 4096  # a chunk-size line (size and extensions); longer is 400
DRAIN_LIMIT = 2 * MAX_REQUEST_BYTES  # an over-limit body up to this size is drained, not cut off
_RECV = 1 << 16
_RECV_BIG = 1 << 20
_HEX = b"0123456789abcdefABCDEF"


class RequestError(Exception):
    """The request cannot be read: answer ``status`` (no body) and close the connection."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class BodyTooLarge(Exception):
    """The body passes the 16 MB limit. ``drained``: it was read to its end, so the connection can
    serve the next request; otherwise the server answers 413 and closes."""

    def __init__(self, drained: bool) -> None:
        super().__init__(drained)
        self.drained = drained


class PeerClosed(ConnectionError):
    """The client closed its side before the whole request arrived."""


def content_length(text: str | None) -> int:
    """A Content-Length value: ASCII digits only (no sign, no ``_``, no list); else 400."""
    if text is None:
        return 0
    text = text.strip()
    if not (text.isascii() and text.isdigit()):
        raise RequestError(400)
    digits = text.lstrip("0")
    return int(digits or "0") if len(digits) <= 15 else sys.maxsize


def chunk_size(line: bytes) -> int:
    """The size of a chunk-size line (``1a;ext=v\\r\\n``): hexadecimal digits only; else 400."""
    text = line.split(b";", 1)[0].strip()
    if not text or text.strip(_HEX):
        raise RequestError(400)
    digits = text.lstrip(b"0")
    return int(digits or b"0", 16) if len(digits) <= 15 else sys.maxsize


def _head_end(buf: bytearray) -> int:
    """The index just past the blank line that ends a request head in ``buf``, or -1."""
    crlf = buf.find(b"\n\r\n")
    lf = buf.find(b"\n\n", 0, crlf + 2 if crlf >= 0 else len(buf))
    if lf >= 0:
        return lf + 2
    return crlf + 3 if crlf >= 0 else -1


class Connection:
    """A client's socket, its unread bytes, and the state of the request being answered."""

    __slots__ = (
        "sock",
        "address",
        "buf",
        "timeout",
        "fresh",
        "close_after",
        "headers",
        "requestline",
        "path",
        "idle_since",
        "started",
        "body",
    )

    def __init__(self, sock: socket.socket, address: object) -> None:
        self.sock = sock
        self.address = address
        self.buf = bytearray()
        self.timeout: float | None = None
        self.fresh = True  # handed over by the selector as readable: a recv will not wait
        self.close_after = False  # close once the current answer is written
        self.headers: dict[str, str] = {}
        self.requestline = ""
        self.path = ""  # the request line's target (path and query, as sent)
        self.idle_since = 0.0
        self.started: float | None = None  # when the request's head was read, if it is logged
        self.body = b""  # the request's body once read, if it is logged (the request log reads it)

    def set_timeout(self, seconds: float) -> None:
        if seconds != self.timeout:
            self.sock.settimeout(seconds)
            self.timeout = seconds

    def fill(self, size: int = _RECV) -> None:
        """Receive more bytes (waiting at most the socket's timeout); :class:`PeerClosed` at EOF."""
        data = self.sock.recv(size)
        if not data:
            raise PeerClosed("the client closed the connection")
        self.buf += data

    # -- the head -------------------------------------------------------------------------------
    def read_head(self) -> tuple[str, str, dict[str, str]]:
        """(method, version, headers) of the next request; the request line is kept for logging, and
        its target as :attr:`path`."""
        buf = self.buf
        while True:
            skip = 0
            while skip < len(buf) and buf[skip] in (10, 13):  # blank lines between requests
                skip += 1
            if skip:
                del buf[:skip]
            end = _head_end(buf)
            if end >= 0:
                break
            first_line = buf.find(b"\n")
            if (first_line < 0 and len(buf) > MAX_LINE) or first_line > MAX_LINE:
                raise RequestError(414)
            if len(buf) > MAX_HEAD:
                raise RequestError(431)
            self.fill()
        if end > MAX_HEAD + 2:
            raise RequestError(414 if buf.find(b"\n") > MAX_LINE else 431)
        lines = bytes(buf[:end]).split(b"\n")
        del buf[:end]
        self.body = b""
        self.requestline = requestline = lines[0].rstrip(b"\r").decode("latin-1")
        if len(requestline) > MAX_LINE:
            raise RequestError(414)
        words = requestline.split()
        if len(words) != 3 or not words[2].startswith("HTTP/"):
            raise RequestError(400)
        self.path = words[1]
        self.headers = headers = self._parse_headers(lines[1:-2])
        return words[0], words[2], headers

    @staticmethod
    def _parse_headers(lines: list[bytes]) -> dict[str, str]:
        """Lower-cased names → values (a repeated name keeps its first value; two different
        Content-Lengths are a 400, the request-smuggling case)."""
        if len(lines) > MAX_HEADERS:
            raise RequestError(431)
        headers: dict[str, str] = {}
        for raw in lines:
            if len(raw) > MAX_LINE:
                raise RequestError(431)
            name, colon, value = raw.decode("latin-1").partition(":")
            if not colon:
                if raw[:1] in (b" ", b"\t"):
                    continue  # an obsolete folded continuation line: ignored
                raise RequestError(400)
            name = name.strip().lower()
            value = value.strip()
            if name not in headers:
                headers[name] = value
            elif name == "content-length" and headers[name] != value:
                raise RequestError(400)
        return headers

    # -- the body -------------------------------------------------------------------------------
    def read_body(self, limit: int = MAX_REQUEST_BYTES) -> bytes:
        """The request's body, by Content-Length or chunked; sizes are checked against ``limit``
        (DynamoDB's by default; S3's uploads are larger) before reading. Kept as :attr:`body`
        only while a logged request (:attr:`started`) is answered: an idle connection holds no
        upload."""
        body = self._read_body(limit)
        if self.started is not None:
            self.body = body
        return body

    def _read_body(self, limit: int) -> bytes:
        headers = self.headers
        coding = headers.get("transfer-encoding")
        if coding is not None:
            if coding.strip().lower() != "chunked":
                raise RequestError(501)  # no other transfer coding is understood (RFC 9112 6.1)
            if "content-length" in headers:
                self.close_after = True  # RFC 9112 6.3: chunked wins, and the connection closes
            return self._read_chunked(limit)
        length = content_length(headers.get("content-length"))
        if length > limit:
            if length > DRAIN_LIMIT:
                raise BodyTooLarge(drained=False)
            try:
                self._discard(length)
            except (PeerClosed, OSError):
                raise BodyTooLarge(drained=False) from None
            raise BodyTooLarge(drained=True)
        return self._read_exact(length)

    def _read_exact(self, n: int) -> bytes:
        buf = self.buf
        while len(buf) < n:
            self.fill(min(max(n - len(buf), _RECV), _RECV_BIG))
        body = bytes(buf[:n])
        del buf[:n]
        return body

    def _discard(self, n: int) -> None:
        """Read ``n`` bytes and keep none of them."""
        taken = min(n, len(self.buf))
        del self.buf[:taken]
        n -= taken
        while n > 0:
            data = self.sock.recv(min(n, _RECV_BIG))
            if not data:
                raise PeerClosed("the client closed the connection mid-body")
            n -= len(data)

    def _readline(self, limit: int, status: int) -> bytes:
        """The next line (with its newline), at most ``limit`` bytes before it; else ``status``."""
        buf = self.buf
        while True:
            nl = buf.find(b"\n", 0, limit + 2)
            if nl >= 0:
                line = bytes(buf[: nl + 1])
                del buf[: nl + 1]
                return line
            if len(buf) > limit + 1:
                raise RequestError(status)
            self.fill()

    def _read_chunked(self, limit: int = MAX_REQUEST_BYTES) -> bytes:
        parts: list[bytes] = []
        total = 0
        over = False  # past 16 MB: the rest is drained (up to DRAIN_LIMIT) and the answer is 413
        while True:
            size = chunk_size(self._readline(MAX_CHUNK_LINE, 400))
            if size == 0:
                break
            total += size
            if total > limit:
                if total > DRAIN_LIMIT:
                    raise BodyTooLarge(drained=False)
                over = True
                parts.clear()
            try:
                if over:
                    self._discard(size)
                else:
                    parts.append(self._read_exact(size))
            except PeerClosed:
                if over:
                    raise BodyTooLarge(drained=False) from None
                raise
            if self._readline(1, 400) not in (b"\r\n", b"\n"):
                raise RequestError(400)  # chunk data longer than its size said
        for _ in range(MAX_HEADERS + 1):  # trailers, read and ignored
            if self._readline(MAX_LINE, 431) in (b"\r\n", b"\n"):
                break
        else:
            raise RequestError(431)
        if over:
            raise BodyTooLarge(drained=True)
        return b"".join(parts)

    def discard_body(self) -> None:
        """Read a body nobody needs (GET/HEAD/other methods); :class:`BodyTooLarge` as for POST."""
        if self.headers.get("transfer-encoding") is None and self.headers.get("content-length") is None:
            return
        self.read_body()
