"""The HTTP door: DynamoDB, DynamoDB Streams and Step Functions on one port.

HTTP/1.1 with keep-alive, so an SDK's connection pool is reused. The request handling is written
by hand (:class:`~emulator.wire.http_door.Door`, with :mod:`emulator.wire.connection` reading requests) because
``http.server``'s costs more per request than the operations do. Every ``POST`` is handed to
:func:`emulator.wire.awsjson.handle`, which picks the service by ``X-Amz-Target`` — the same code
the in-process boto3 hook runs. The server:

* binds ``127.0.0.1`` unless told otherwise (it accepts any credentials and any signature, so it
  must not be reachable from elsewhere by accident);
* routes by ``X-Amz-Target``, never by the ``Host`` header, so the ``sync-`` host prefix of
  ``StartSyncExecution`` is accepted;
* answers ``GET /`` with a 200 health line naming the host the client called, and any other
  path with a 404, as DynamoDB's endpoints do (:mod:`emulator.wire.front_end`);
* checks every size before reading what it announces (:mod:`emulator.wire.connection`): a body over
  16 MB is 413, a malformed Content-Length or chunk size 400, an overlong head 414/431, and a
  non-POST or non-JSON request gets DynamoDB's 404 answer;
* sends DynamoDB's answers over 1 MB with chunked transfer encoding to HTTP/1.1 clients (W15);
* writes each response with a single ``send`` and sets ``TCP_NODELAY``, so small keep-alive
  responses are not held back by Nagle's algorithm.

Connections and threads (issue 9). A thread per connection made 1,000 idle keep-alive clients
cost 1,000 threads, forever. Here one selector thread (``_Loop``) accepts connections (listen
backlog :data:`BACKLOG`), watches the idle ones, and closes those idle longer than
``idle_timeout`` seconds (and at most ``max_connections`` are open: beyond that new clients wait
in the listen queue). A readable connection goes to a bounded pool of request threads
(:mod:`emulator.wire.workers`, ``threads`` of them), where a
:class:`~emulator.wire.http_door.Door` answers it. A thread that answered a request keeps reading
that connection for ``http_door.LINGER`` seconds — unless other connections are waiting for a
thread — so a busy client costs no more than it did with a thread of its own; then the connection
goes back to the selector. Long-polling requests (``http_door.BLOCKING_TARGETS``) detach their
thread from the pool, so they can never starve it.

The Emulator it serves is an attribute (:attr:`EmulatorServer.world`) and may be swapped between
requests: the test fixtures run one session-wide server and point it at each test's Emulator.
"""

from __future__ import annotations

import errno
import ipaddress
import selectors
import socket
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from ..clock import perf_counter
from . import cors as _cors
from .connection import Connection
from .http_door import Door

DEFAULT_IDLE_TIMEOUT = 60.0  # seconds a keep-alive connection may stay silent (AWS's load balancers: 60)
DEFAULT_MAX_CONNECTIONS = 4096  # open client connections; more wait in the listen queue
DEFAULT_THREADS = 32  # request threads (long polls do not count, see workers.py)
BACKLOG = max(1024, socket.SOMAXCONN)  # the listen queue (the kernel may cap it: net.core.somaxconn)
_CLOSING_GRACE = 2.0  # after an error answer, unread input is drained this long before the close
_ACCEPT_BATCH = 64
_ACCEPT_RETRY = 0.1  # out of file descriptors: accepting pauses this long
_OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_LISTENER, _WAKE = object(), object()


class _Loop:
    """The selector thread: accepts connections, watches idle ones, closes what has waited too long.

    Only this thread touches the selector; pool threads hand connections back with :meth:`park`
    (and :meth:`close_gently`), which queue them and wake the selector through a socket pair.
    """

    def __init__(self, listener: socket.socket, owner: EmulatorServer) -> None:
        self.listener = listener
        self.owner = owner
        self.stopping = False
        self.door = Door(owner, self)
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._wake_pending = False
        self._posts: deque[tuple[str, Connection]] = deque()
        self._idle: dict[int, Connection] = {}  # fd → connection, oldest first
        self._closing: dict[int, Connection] = {}  # answered with an error: drained, then closed
        self._open = 0
        self._count_lock = threading.Lock()
        self._accepting = False
        self._resume_at: float | None = None
        self._done = threading.Event()
        self._selector.register(self._wake_r, selectors.EVENT_READ, _WAKE)
        self._listen()

    @property
    def open_connections(self) -> int:
        return self._open

    # -- called from pool threads ---------------------------------------------------------------
    def park(self, conn: Connection) -> None:
        """An idle connection goes back to the selector until its next request (or its timeout)."""
        self._post("idle", conn)

    def close_gently(self, conn: Connection) -> None:
        """After an error answer: stop sending, drain what the client still sends, then close —
        closing with unread input would reset the connection and could destroy the answer."""
        try:
            conn.sock.shutdown(socket.SHUT_WR)
            conn.sock.settimeout(0.0)  # the selector thread reads it only when readable; never waits
        except OSError:
            self.close(conn)
            return
        self._post("closing", conn)

    def close(self, conn: Connection) -> None:
        try:
            conn.sock.close()
        except OSError:  # pragma: no cover
            pass
        with self._count_lock:
            self._open -= 1
            resume = not self._accepting and self._resume_at is None
        if resume and not self.stopping:
            self._post("resume", conn)

    def _post(self, what: str, conn: Connection) -> None:
        if self.stopping:
            if what != "resume":
                self.close(conn)
            return
        self._posts.append((what, conn))
        if not self._wake_pending:
            self._wake_pending = True
            try:
                self._wake_w.send(b"\0")
            except OSError:  # pragma: no cover - already a byte pending, or stopping
                pass

    def stop(self) -> None:
        self.stopping = True
        try:
            self._wake_w.send(b"\0")
        except OSError:  # pragma: no cover
            pass

    # -- the selector thread --------------------------------------------------------------------
    def run(self) -> None:
        select = self._selector.select
        try:
            while not self.stopping:
                for key, _ in select(self._next_timeout()):
                    data = key.data
                    if data is _LISTENER:
                        self._accept()
                    elif data is _WAKE:
                        self._take_posts()
                    else:
                        self._readable(key.fd, data)
                self._expire()
        finally:
            self.shut()

    def _next_timeout(self) -> float:
        now = perf_counter()
        due = [now + 1.0]
        for conn in self._idle.values():
            due.append(conn.idle_since + self.owner.idle_timeout)
            break
        for conn in self._closing.values():
            due.append(conn.idle_since + _CLOSING_GRACE)
            break
        if self._resume_at is not None:
            due.append(self._resume_at)
        return max(0.0, min(due) - now)

    def _expire(self) -> None:
        now = perf_counter()
        limit = now - self.owner.idle_timeout
        for table, oldest in ((self._idle, limit), (self._closing, now - _CLOSING_GRACE)):
            while table:
                fd, conn = next(iter(table.items()))
                if conn.idle_since > oldest:
                    break
                del table[fd]
                self._unregister(conn)
                self.close(conn)
        if self._resume_at is not None and now >= self._resume_at:
            self._resume_at = None
            self._listen()

    def _take_posts(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass
        self._wake_pending = False
        posts = self._posts
        now = perf_counter()
        while posts:
            what, conn = posts.popleft()
            if what == "resume":
                if self._resume_at is None:
                    self._listen()
                continue
            conn.idle_since = now
            fd = conn.sock.fileno()
            if fd < 0:
                continue
            try:
                self._selector.register(conn.sock, selectors.EVENT_READ, conn)
            except (OSError, ValueError, KeyError):  # pragma: no cover - closed meanwhile
                self.close(conn)
                continue
            (self._idle if what == "idle" else self._closing)[fd] = conn

    def _readable(self, fd: int, conn: Connection) -> None:
        if self._idle.pop(fd, None) is not None:
            self._unregister(conn)
            conn.fresh = True
            self.door.workers.submit(conn)
            return
        try:  # a closing connection: drain and drop what the client still sends
            data = conn.sock.recv(1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            del self._closing[fd]
            self._unregister(conn)
            self.close(conn)

    def _unregister(self, conn: Connection) -> None:
        try:
            self._selector.unregister(conn.sock)
        except (KeyError, ValueError):  # pragma: no cover
            pass

    def _listen(self) -> None:
        if not self._accepting:
            self._selector.register(self.listener, selectors.EVENT_READ, _LISTENER)
            self._accepting = True

    def _pause(self, retry_after: float | None) -> None:
        if self._accepting:
            self._selector.unregister(self.listener)
            self._accepting = False
        self._resume_at = None if retry_after is None else perf_counter() + retry_after

    def _accept(self) -> None:
        for _ in range(_ACCEPT_BATCH):
            with self._count_lock:
                if self._open >= self.owner.max_connections:
                    self._pause(None)  # resumed by the next close
                    return
            try:
                sock, address = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in _OUT_OF_DESCRIPTORS:
                    self._pause(_ACCEPT_RETRY)
                    return
                continue  # ECONNABORTED and the like: that client is gone
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # pragma: no cover - not a TCP socket
                pass
            with self._count_lock:
                self._open += 1
            conn = Connection(sock, address)
            conn.idle_since = perf_counter()
            self._selector.register(sock, selectors.EVENT_READ, conn)
            self._idle[sock.fileno()] = conn

    def shut(self) -> None:
        if self._done.is_set():
            return
        for table in (self._idle, self._closing):
            for conn in table.values():
                try:
                    conn.sock.close()
                except OSError:  # pragma: no cover
                    pass
            table.clear()
        self.door.workers.close()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()
        self._done.set()

    def wait_stopped(self, timeout: float) -> None:
        self._done.wait(timeout)


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


def _listener(host: str, port: int) -> socket.socket:
    sock = socket.socket(_address_family(host, port), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class EmulatorServer:
    """An HTTP server for one :class:`~emulator.Emulator` (which may be swapped: :attr:`world`).

    ``port=0`` picks a free port. Use :meth:`start` to serve from a background thread (then
    :attr:`endpoint_url`), :meth:`stop` to shut down; or use it as a context manager.

    ``idle_timeout``: seconds a connection may stay silent (between requests, or inside one)
    before the server closes it. ``max_connections``: open client connections at most (more wait
    in the listen queue). ``threads``: request threads at most (long polls come on top).

    ``cors``: the origins whose browser pages may call (:mod:`emulator.wire.cors`): ``"auto"``
    (the default: any on loopback, none beyond), ``"*"``, a list of origins, or None for no CORS.
    ``credentials``: access key id → secret; when given, every request must be signed by one of
    them (:mod:`emulator.wire.sigv4`), and otherwise any credentials are accepted.
    """

    def __init__(
        self,
        world: Any = None,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        verbose: bool = False,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        threads: int = DEFAULT_THREADS,
        cors: Iterable[str] | str | None = _cors.AUTO,
        credentials: Mapping[str, str] | None = None,
    ) -> None:
        if not idle_timeout > 0:
            raise ValueError("idle_timeout must be a positive number of seconds")
        if max_connections < 1 or threads < 1:
            raise ValueError("max_connections and threads must be at least 1")
        self.world = world
        self.verbose = verbose
        if verbose:  # the request log at INFO, on stderr (emulator/logs.py)
            from ..logs import configure

            configure("INFO")
        self.idle_timeout = float(idle_timeout)
        self.max_connections = max_connections
        self.threads = threads
        self.answered = threading.Event()  # set once the first request has been answered
        self.auth: Any = None
        if credentials is not None:
            from .sigv4 import Authenticator

            self.auth = Authenticator(credentials)
        self._socket = _listener(host, port)
        self.cors = _cors.policy_for(cors, self.loopback_only)
        self._loop = _Loop(self._socket, self)
        self._thread: threading.Thread | None = None
        self._serving = False

    @property
    def host(self) -> str:
        """The address bound (``0.0.0.0`` or ``::`` for every interface)."""
        return str(self._socket.getsockname()[0])

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    @property
    def url(self) -> str:
        """The address the server listens on, as a URL (``http://0.0.0.0:8000`` for every interface)."""
        return _url(self.host, self.port)

    @property
    def endpoint_url(self) -> str:
        """A URL to reach the server from this machine (loopback when it listens everywhere)."""
        host = self.host
        if host in ("::", "::0"):
            host = "::1"
        elif host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        return _url(host, self.port)

    @property
    def loopback_only(self) -> bool:
        """Whether only this machine can connect (the bound address is a loopback address)."""
        try:
            return ipaddress.ip_address(self.host.split("%", 1)[0]).is_loopback
        except ValueError:  # pragma: no cover - getsockname gives an address
            return False

    @property
    def open_connections(self) -> int:
        """Client connections open now (for tests and diagnostics)."""
        return self._loop.open_connections

    @property
    def request_threads(self) -> int:
        """Request threads alive now (pool threads, and those answering long polls)."""
        return self._loop.door.workers.threads

    def start(self) -> EmulatorServer:
        """Serve from a daemon thread; returns at once."""
        if self._thread is None and not self._serving:
            self._serving = True
            self._thread = threading.Thread(
                target=self._loop.run, name=f"emulator-server-{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` is called from another thread."""
        self._serving = True
        self._loop.run()

    def stop(self) -> None:
        """Stop serving and close the listening socket and the idle connections."""
        if self._serving:
            self._loop.stop()
            self._loop.wait_stopped(5)
            self._serving = False
            self._thread = None
        else:
            self._loop.stopping = True
            self._loop.shut()
        try:
            self._socket.close()
        except OSError:  # pragma: no cover
            pass

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmulatorServer({self.endpoint_url}, world={self.world!r})"
