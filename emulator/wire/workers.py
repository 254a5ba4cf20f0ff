"""The server's bounded pool of request threads, with a way out for requests that wait.

At most ``size`` threads answer requests; they are started on demand (a job waits only when every
thread is busy and ``size`` are running) and end after :data:`IDLE_EXIT` seconds without work, so
an idle server keeps few threads however many connections it holds.

A request that may wait a long time for something *another* request does — GetActivityTask's
60-second long poll, a StartSyncExecution whose workflow waits for an activity worker or a
task token — calls :meth:`Workers.detach` first. The thread stops counting against ``size`` (so
the pool starts another when work is waiting), and when its job is done it rejoins the pool if
there is room, or ends. Long polls therefore cannot starve the pool: however many are waiting,
``size`` threads stay free for every other request. The cost is one thread per waiting request,
which the server's connection limit bounds (a connection has one request in flight at a time).
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

IDLE_EXIT = 30.0  # seconds a thread waits for work before it ends


class Workers:
    """Run ``job(item)`` for each submitted item on at most ``size`` (attached) threads."""

    def __init__(self, job: Callable[[Any], None], size: int, name: str = "emulator-http") -> None:
        if size < 1:
            raise ValueError("the pool needs at least one thread")
        self._job = job
        self._size = size
        self._name = name
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: deque[Any] = deque()
        self._attached = 0  # threads counting against size
        self._idle = 0  # of those, waiting for work
        self._detached = 0  # threads answering a request that may wait (not counted)
        self._serial = 0
        self._local = threading.local()
        self._closed = False

    @property
    def threads(self) -> int:
        """Threads alive now (attached and detached)."""
        return self._attached + self._detached

    def waiting(self) -> bool:
        """Whether submitted work is waiting for a thread (a busy connection should then step aside)."""
        return bool(self._queue)

    def submit(self, item: Any) -> None:
        with self._lock:
            self._queue.append(item)
            if len(self._queue) > self._idle and self._attached < self._size:
                self._start()
            self._wake.notify()

    def detach(self) -> None:
        """Called from a job about to wait: this thread stops counting against the size."""
        local = self._local
        if getattr(local, "detached", True):
            return
        with self._lock:
            local.detached = True
            self._attached -= 1
            self._detached += 1
            if self._queue and self._idle < len(self._queue) and self._attached < self._size:
                self._start()

    def close(self) -> None:
        """Let idle threads end; queued work is dropped (the server closes those connections)."""
        with self._lock:
            self._closed = True
            self._queue.clear()
            self._wake.notify_all()

    def _start(self) -> None:  # with the lock held
        self._attached += 1
        self._serial += 1
        threading.Thread(target=self._run, name=f"{self._name}-{self._serial}", daemon=True).start()

    def _run(self) -> None:
        local = self._local
        local.detached = False
        while True:
            with self._lock:
                if local.detached:  # back from a waiting request: rejoin if there is room
                    self._detached -= 1
                    if self._attached >= self._size or self._closed:
                        return
                    self._attached += 1
                    local.detached = False
                while not self._queue:
                    if self._closed:
                        self._attached -= 1
                        return
                    self._idle += 1
                    woken = self._wake.wait(IDLE_EXIT)
                    self._idle -= 1
                    if not woken and not self._queue:
                        self._attached -= 1
                        return
                item = self._queue.popleft()
            try:
                self._job(item)
            except Exception:  # pragma: no cover - the job handles its own errors
                traceback.print_exc(file=sys.stderr)
