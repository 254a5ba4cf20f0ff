"""Timed events on the world's clock: a heap of ``(due, seq, callback)``.

The interpreter never sleeps. A Wait, a retry interval, a task completion or a timeout is an
event here; running the scheduler pops events in (due, seq) order and runs them.

* Virtual clock: :meth:`Scheduler.run_until_idle` pops the next event, jumps the clock to its due
  time (``VirtualClock._jump_to``) and runs it, until nothing *active* is left. Events marked
  ``passive`` (the timeout guarding a wait on something external, such as a task token) do not
  keep the driver going: a workflow parked on a callback stops there, and only an explicit
  ``clock.advance`` (which fires everything that became due, see :meth:`on_clock_moved`) lets its
  timeout fire. A one-day Wait therefore costs one heap push and one pop, and its exit event
  carries the exact virtual timestamp.
* System clock (server mode): a daemon thread sleeps until the next due time and runs events in
  real time, under the owning service's lock.

Cancelling an event is O(1): the handle is flagged and skipped when popped.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from typing import Any


class Timer:
    """A handle on one scheduled event; ``cancel()`` makes it a no-op."""

    __slots__ = ("due", "callback", "passive", "cancelled")

    def __init__(self, due: float, callback: Callable[[], Any], passive: bool) -> None:
        self.due = due
        self.callback = callback
        self.passive = passive
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    """The event queue of one Step Functions service, driven by its clock."""

    def __init__(self, clock: Any, lock: Any = None) -> None:
        self.clock = clock
        self.lock = lock if lock is not None else threading.RLock()
        self._heap: list[tuple[float, int, Timer]] = []
        self._seq = itertools.count()
        self._active = 0
        self._running = False
        self._thread: threading.Thread | None = None
        self._wake = threading.Condition(threading.Lock())
        self._closed = False
        self.errors: list[BaseException] = []  # callbacks that raised on the background thread
        if getattr(clock, "virtual", False):
            clock.subscribe(self.on_clock_moved)

    # -- queue ------------------------------------------------------------------------------
    def at(self, due: float, callback: Callable[[], Any], *, passive: bool = False) -> Timer:
        """Run ``callback`` when the clock reaches ``due`` (epoch seconds)."""
        timer = Timer(due, callback, passive)
        heapq.heappush(self._heap, (due, next(self._seq), timer))
        if not passive:
            self._active += 1
        if not getattr(self.clock, "virtual", False):
            self._ensure_thread()
            with self._wake:
                self._wake.notify()
        return timer

    def after(self, delay: float, callback: Callable[[], Any], *, passive: bool = False) -> Timer:
        return self.at(self.clock.now() + max(0.0, delay), callback, passive=passive)

    def next_due(self) -> float | None:
        """Due time of the earliest queued, not cancelled event."""
        heap = self._heap
        while heap and heap[0][2].cancelled:
            self._pop()
        return heap[0][0] if heap else None

    def pending(self) -> int:
        """Number of queued, not cancelled events (active and passive)."""
        return sum(1 for _, _, t in self._heap if not t.cancelled)

    def _pop(self) -> Timer:
        _, _, timer = heapq.heappop(self._heap)
        if not timer.passive:
            self._active -= 1
        return timer

    # -- virtual-clock driver ---------------------------------------------------------------
    def run_until_idle(self, *, include_passive: bool = False, until: float | None = None) -> int:
        """Run events in time order, jumping a virtual clock, until no active event is left.

        ``include_passive``: also fire passive timeouts (jumping time as far as needed).
        ``until``: do not run events due after this time. Returns the number of events run.
        Re-entrant calls (a task callable calling the API) return at once.
        """
        if self._running:
            return 0
        self._running = True
        ran = 0
        heap = self._heap
        clock = self.clock
        jump = getattr(clock, "_jump_to", None)
        try:
            with self.lock:
                while heap:
                    due, _, timer = heap[0]
                    if timer.cancelled:
                        self._pop()
                        continue
                    if until is not None and due > until:
                        break
                    if not include_passive and self._active <= 0 and until is None:
                        break
                    if jump is not None:
                        if due > clock.now():
                            jump(due)
                    elif due > clock.now():
                        break
                    self._pop()
                    timer.callback()
                    ran += 1
        finally:
            self._running = False
        return ran

    def on_clock_moved(self, now: float) -> None:
        """Clock listener: a user ``advance`` fires everything that became due (passive too)."""
        self.run_until_idle(include_passive=True, until=now)

    # -- system-clock driver ----------------------------------------------------------------
    def _ensure_thread(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._loop, name="emulator-sfn-scheduler",
                                            daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while not self._closed:
            with self.lock:
                now = self.clock.now()
                while self._heap and (self._heap[0][2].cancelled or self._heap[0][0] <= now):
                    timer = self._pop()
                    if not timer.cancelled:
                        try:
                            timer.callback()
                        except Exception as exc:  # a bug: keep the server's clock running
                            self.errors.append(exc)
                    now = self.clock.now()
                wait = (self._heap[0][0] - now) if self._heap else 1.0
            with self._wake:
                self._wake.wait(timeout=min(max(wait, 0.0), 1.0))

    def close(self) -> None:
        self._closed = True
        with self._wake:
            self._wake.notify()
        unsubscribe = getattr(self.clock, "unsubscribe", None)
        if unsubscribe is not None:
            unsubscribe(self.on_clock_moved)
