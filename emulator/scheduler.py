"""Timed events of one clock: a heap of ``(due, seq, timer)`` shared by everything on that clock.

Every clock owns one :class:`Scheduler` (``clock.scheduler``), so all timed work of a world — the
Waits, retry intervals, task completions and timeouts of every execution of every (account,
region) partition — is one queue in one time order. A service schedules through a
:class:`ServiceTimers` view bound to its lock (``clock.scheduler.bound(service.lock)``): each
timer's callback runs under the lock of the service that scheduled it, and closing the service
cancels only its own timers.

The interpreter never sleeps. Running the queue pops timers in (due, seq) order:

* Virtual clock: before a timer runs, the clock is *moved* to its due time with the move function
  the clock handed over at construction. That is a real clock move: every subscriber (TTL sweeps)
  is notified, so a two-hour Wait sweeps the TTL items that expired during it before the state
  after the Wait runs. ``clock.advance``/``clock.jump_to`` run exactly the timers due by their
  target, each at its own due time; :meth:`Scheduler.run_until_idle` keeps jumping while an
  *active* timer is queued. Timers marked ``passive`` (the timeout guarding a wait on something
  external, such as a task token) do not keep that driver going: a workflow parked on a callback
  stops there, and only a clock move past the timeout (``advance``, or the jump to a later active
  timer) fires it. A one-day Wait therefore costs one heap push and one pop, and its exit event
  carries the exact virtual timestamp.
* System clock (server mode): a daemon thread sleeps until the next due time and runs timers in
  real time; it ends when the queue is empty and starts again with the next timer.

Re-entrancy: a callback that calls back into a driver (a task callable starting another execution,
or moving the clock) does not start a second loop on the same thread; the running loop picks up
whatever became due. Cancelling a timer is O(1): the handle is flagged and skipped when popped.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .clock import Clock

__all__ = ["Timer", "Scheduler", "ServiceTimers"]


_AGAIN = object()
"""What :meth:`Scheduler._take_next` answers when the queue's head changed while it waited."""


class Timer:
    """A handle on one scheduled event; ``cancel()`` makes it a no-op."""

    __slots__ = ("due", "callback", "lock", "passive", "cancelled")

    def __init__(self, due: float, callback: Callable[[], Any], lock: Any, passive: bool) -> None:
        self.due = due
        self.callback = callback
        self.lock = lock  # the scheduling service's lock (None: run without one)
        self.passive = passive
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    """The event queue of one clock.

    ``move`` is the clock's own "move forward to t and notify subscribers" function (virtual
    clocks); ``None`` for a clock that follows real time, whose timers run on a background thread.
    """

    def __init__(self, clock: Clock, move: Callable[[float], bool] | None = None) -> None:
        self.clock = clock
        self._move = move
        self._heap: list[tuple[float, int, Timer]] = []
        self._seq = itertools.count()
        self._active = 0
        self._mutex = threading.Lock()  # guards the heap
        self._wake = threading.Condition(self._mutex)  # wakes the real-time thread
        self._local = threading.local()  # .driving: this thread runs the queue
        self._thread: threading.Thread | None = None
        self.errors: list[BaseException] = []  # callbacks that raised on the background thread
        # Threads that let other callers in mid-workflow (HandoffLock), by thread id: while one
        # is paused, no other thread moves a virtual clock (it would move time under that
        # workflow's feet); timers due now still run.
        self._paused: dict[int, int] = {}

    # -- queue ------------------------------------------------------------------------------
    def at(
        self, due: float, callback: Callable[[], Any], *, lock: Any = None, passive: bool = False
    ) -> Timer:
        """Run ``callback`` (under ``lock``) when the clock reaches ``due`` (epoch seconds)."""
        return self.add(Timer(due, callback, lock, passive))

    def add(self, timer: Timer) -> Timer:
        """Queue a timer made by the caller."""
        with self._mutex:
            heapq.heappush(self._heap, (timer.due, next(self._seq), timer))
            if not timer.passive:
                self._active += 1
            if self._move is None:
                self._ensure_thread()
                self._wake.notify()
        return timer

    def next_due(self) -> float | None:
        """Due time of the earliest queued, not cancelled timer."""
        with self._mutex:
            return self._peek()

    def pending(self, lock: Any = None) -> int:
        """Number of queued, not cancelled timers (active and passive); only those scheduled
        under ``lock`` if given."""
        with self._mutex:
            return sum(1 for _, _, t in self._heap if not t.cancelled and (lock is None or t.lock is lock))

    def cancel_all(self, lock: Any) -> None:
        """Drop every timer scheduled under ``lock`` (its service closed)."""
        with self._mutex:
            for _, _, t in self._heap:
                if t.lock is lock:
                    t.cancelled = True
            self._heap = [e for e in self._heap if not e[2].cancelled]
            heapq.heapify(self._heap)
            self._active = sum(1 for _, _, t in self._heap if not t.passive)
            self._wake.notify()

    def _peek(self) -> float | None:
        heap = self._heap
        while heap and heap[0][2].cancelled:
            self._pop()
        return heap[0][0] if heap else None

    def _pop(self) -> Timer:
        _, _, timer = heapq.heappop(self._heap)
        if not timer.passive:
            self._active -= 1
        return timer

    # -- drivers ----------------------------------------------------------------------------
    def run_until_idle(self, *, include_passive: bool = False, until: float | None = None) -> int:
        """Run timers in time order, jumping a virtual clock, until no active timer is left.

        ``include_passive``: also fire passive timeouts (jumping time as far as needed).
        ``until``: do not run timers due after this time. On a clock that follows real time only
        what is already due runs. Returns the number of timers run.
        """
        if self._move is None:
            now = self.clock.now()
            until = now if until is None else min(until, now)
        return self._run(until, idle_stops=not include_passive and until is None)

    def run_due(self) -> int:
        """Run the timers due by now, without moving the clock (what happens "at once")."""
        return self._run(self.clock.now(), idle_stops=False)

    def run_through(self, target: float) -> int:
        """Run every timer due by ``target`` in time order, moving a virtual clock to each one's
        due time (the clock's ``jump_to``/``advance``). The caller moves the clock to ``target``."""
        return self._run(target, idle_stops=False)

    def settle(self) -> int:
        """What a call that starts or resumes work runs before it returns: on a virtual clock
        with ``auto_advance`` everything (jumping time); with ``auto_advance=False`` only what is
        due now; on a real-time clock nothing (the background thread runs it)."""
        clock = self.clock
        if not clock.virtual:
            return 0
        return self.run_until_idle() if clock.auto_advance else self.run_due()

    def _run(
        self, until: float | None, *, idle_stops: bool, errors: list[BaseException] | None = None
    ) -> int:
        local = self._local
        if getattr(local, "driving", False):
            return 0
        local.driving = True
        ran = 0
        try:
            while True:
                taken = self._take_next(until, idle_stops)
                if taken is None:
                    break
                if taken is _AGAIN:
                    continue
                due, timer = taken
                try:
                    ran += self._fire(due, timer, errors)
                finally:
                    if timer.lock is not None:
                        timer.lock.release()
        finally:
            local.driving = False
        return ran

    def _take_next(self, until: float | None, idle_stops: bool) -> Any:
        """Pop the next due timer, holding its service's lock: ``(due, timer)``; None when the run
        should stop; ``_AGAIN`` when the head changed while waiting for the lock.

        A timer is taken off the queue only by a thread holding its service's lock: a thread that
        holds that lock (a synchronous StartSyncExecution) runs it itself instead of waiting for
        another thread that popped it and waits for the lock."""
        with self._mutex:
            due = self._peek()
            if due is None or (until is not None and due > until) or (idle_stops and self._active <= 0):
                return None
            if (
                self._move is not None
                and self._paused
                and due > self.clock.now()
                and self._paused_elsewhere()
            ):
                return None  # the paused workflow's own driver runs the rest when it goes on
            timer = self._heap[0][2]
            lock = timer.lock
            if lock is None or lock.acquire(False):  # the usual case: free, or ours
                self._pop()
                return due, timer
        lock.acquire()  # wait for the service, then see whether the timer is still next
        with self._mutex:
            heap = self._heap
            if not heap or heap[0][2] is not timer:
                lock.release()
                return _AGAIN  # another thread ran it, or an earlier timer came in
            self._pop()
        return due, timer

    def _fire(self, due: float, timer: Any, errors: list[BaseException] | None) -> int:
        """Move the clock to ``due`` and run ``timer``: 1 when it ran, 0 when it was cancelled."""
        try:
            if self._move is not None:
                self._move(due)  # subscribers see the move before the timer runs
            if timer.cancelled:
                return 0
            timer.callback()
            return 1
        except Exception as exc:
            if errors is None:
                raise
            errors.append(exc)  # a bug: keep the server's clock running
            return 0

    # -- workflows paused mid-step ---------------------------------------------------------
    # Only the paused thread writes its own key, and dict updates are atomic, so no mutex: this
    # sits on the path of every JSONata evaluation.
    def pause(self) -> None:
        """This thread lets other callers in mid-workflow: until :meth:`resume`, no other thread
        moves a virtual clock (they run only what is due now)."""
        me = threading.get_ident()
        self._paused[me] = self._paused.get(me, 0) + 1

    def resume(self) -> None:
        me = threading.get_ident()
        left = self._paused[me] - 1
        if left:
            self._paused[me] = left
        else:
            del self._paused[me]

    def _paused_elsewhere(self) -> bool:
        """Whether a thread other than this one is paused."""
        me = threading.get_ident()
        return any(ident != me for ident in list(self._paused))

    # -- real-time driver -------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        """Start the background thread (the mutex is held)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="emulator-scheduler", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        clock = self.clock
        while True:
            with self._mutex:
                due = self._peek()
                if due is None:
                    self._thread = None  # an empty queue: the next at() starts a new thread
                    return
                wait = due - clock.now()
                if wait > 0:
                    self._wake.wait(timeout=min(wait, 1.0))
                    continue
            self._run(clock.now(), idle_stops=False, errors=self.errors)

    def bound(self, lock: Any) -> ServiceTimers:
        """The view of this queue for one service, whose callbacks run under ``lock``."""
        return ServiceTimers(self, lock)


class ServiceTimers:
    """One service's handle on its clock's scheduler: timers it schedules run under its lock."""

    __slots__ = ("scheduler", "lock", "clock", "errors")

    def __init__(self, scheduler: Scheduler, lock: Any) -> None:
        self.scheduler = scheduler
        self.lock = lock
        self.clock = scheduler.clock
        self.errors = scheduler.errors

    def at(self, due: float, callback: Callable[[], Any], *, passive: bool = False) -> Timer:
        """Run ``callback`` under the service's lock when the clock reaches ``due``."""
        return self.scheduler.add(Timer(due, callback, self.lock, passive))

    def after(self, delay: float, callback: Callable[[], Any], *, passive: bool = False) -> Timer:
        return self.scheduler.add(Timer(self.clock.now() + max(0.0, delay), callback, self.lock, passive))

    def next_due(self) -> float | None:
        return self.scheduler.next_due()

    def pending(self) -> int:
        """This service's queued, not cancelled timers."""
        return self.scheduler.pending(self.lock)

    def run_until_idle(self, *, include_passive: bool = False, until: float | None = None) -> int:
        return self.scheduler.run_until_idle(include_passive=include_passive, until=until)

    def settle(self) -> int:
        return self.scheduler.settle()

    def close(self) -> None:
        """The service closed: its timers never run."""
        self.scheduler.cancel_all(self.lock)
