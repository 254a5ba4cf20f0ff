"""Time, for the whole emulator.

This is the ONLY module that reads the wall clock. Everything else asks a :class:`Clock`, and is
typed against that protocol: no caller needs to know which clock it has beyond ``virtual``.

Two clocks:

* :class:`VirtualClock` (the in-process default) starts at the real time of creation and then
  moves only when told: ``advance``/``jump_to`` (the test moves it), or, with ``auto_advance``
  (the default), when a workflow waits on time and the scheduler jumps it to the next due timer.
  A one-day Wait or a one-hour retry interval therefore costs no wall time, and timestamps stay
  exact. With ``auto_advance=False`` nothing but the test moves it (``clock.advance``, or
  ``aws.stepfunctions.run_until_idle()`` which asks for everything): an execution stays RUNNING in
  its Wait until the test moves time past it.
* :class:`SystemClock` (the server default) follows the wall clock; ``advance``/``jump_to`` are
  refused, because real time cannot be pushed, and timers run on a background thread.

Every clock owns the :class:`~emulator.scheduler.Scheduler` of its timed events
(``clock.scheduler``), one queue for the whole world. A move of a virtual clock runs the timers
due by its target in time order, moving the clock to each one's due time first; *every* move —
the test's, or the scheduler's for a Wait, a retry interval or a timeout — notifies every
subscriber (``subscribe(listener)``; ``listener(now)``), which is how TTL sweeps follow time.
Behaviours that read ``now()`` when they are used (stream iterator expiry, stream trimming,
replica catch-up, idempotency windows) need no subscription: they follow every move by
construction.
"""

from __future__ import annotations

import datetime as _dt
import threading
import time as _time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from .scheduler import Scheduler

__all__ = ["Clock", "VirtualClock", "SystemClock", "Listener", "wall_time"]

UTC = _dt.timezone.utc

Listener = Callable[[float], None]


def wall_time() -> float:
    """Real epoch seconds. Only for code that must measure real time (benchmarks, server start)."""
    return _time.time()


def perf_counter() -> float:
    """Real high-resolution counter, for timing guards (e.g. JSONata evaluation time limits)."""
    return _time.perf_counter()


def iso_millis(epoch: float) -> str:
    """``2020-11-04T07:28:34.028Z``: epoch seconds as UTC ISO-8601 text to the millisecond (a
    DynamoDB export's manifests, Lambda's stream invocation records)."""
    stamp = _dt.datetime.fromtimestamp(epoch, UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def _seconds(seconds: float, minutes: float, hours: float, days: float) -> float:
    return seconds + 60.0 * minutes + 3600.0 * hours + 86400.0 * days


@runtime_checkable
class Clock(Protocol):
    """What the emulator needs from time: the complete interface every clock implements."""

    virtual: bool  # True: time moves only when told; False: it follows the wall clock
    auto_advance: bool  # virtual clocks: workflows jump time to their next timer by themselves
    scheduler: Scheduler  # the timed events of everything on this clock, in one time order

    def now(self) -> float:
        """Epoch seconds."""
        ...

    def now_datetime(self) -> _dt.datetime:
        """The current time as an aware UTC datetime (boto3 returns aware datetimes)."""
        ...

    def advance(
        self, seconds: float = 0.0, *, minutes: float = 0.0, hours: float = 0.0, days: float = 0.0
    ) -> float:
        """Move forward by an amount (see :meth:`jump_to`); returns the new time."""
        ...

    def jump_to(self, epoch_seconds: float) -> float:
        """Move forward to an absolute time, running every timer due by then in time order, each
        at its own due time, and notifying the subscribers at every move; returns the new time."""
        ...

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` pass: a real sleep on the wall clock, an advance on a virtual one."""
        ...

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(now)`` after every move of the clock."""
        ...

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling ``listener`` (absent: no-op)."""
        ...


class _ClockBase:
    virtual = False
    auto_advance = False
    scheduler: Scheduler

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def now(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def now_datetime(self) -> _dt.datetime:
        """The current time as an aware UTC datetime (boto3 returns aware datetimes)."""
        return _dt.datetime.fromtimestamp(self.now(), UTC)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(now)`` after every move of the clock."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        try:
            self._listeners.remove(listener)
        except ValueError:
            pass

    def _notify(self) -> None:
        now = self.now()
        for listener in list(self._listeners):
            listener(now)


class VirtualClock(_ClockBase):
    """A clock that moves only when moved.

    ``start`` defaults to the real time at creation, rounded to the millisecond, so timestamps look
    plausible. ``auto_advance`` (default ``True``): a workflow that waits on time jumps the clock
    to its next timer by itself; ``False``: only ``advance``/``jump_to`` (or an explicit
    ``run_until_idle``) move it.
    """

    virtual = True

    def __init__(self, start: float | None = None, *, auto_advance: bool = True) -> None:
        super().__init__()
        self._now = round(wall_time(), 3) if start is None else float(start)
        self._lock = threading.Lock()
        self.auto_advance = auto_advance
        self.scheduler = Scheduler(self, self._move)

    def now(self) -> float:
        return self._now

    def _move(self, epoch_seconds: float) -> bool:
        """Move forward to ``epoch_seconds`` (never back) and notify the subscribers if time moved.
        Handed to the scheduler, which moves time to each timer's due time before running it."""
        if epoch_seconds <= self._now:  # the usual case inside a run: no move (checked again below)
            return False
        with self._lock:
            if epoch_seconds <= self._now:
                return False
            self._now = float(epoch_seconds)
        if self._listeners:
            self._notify()
        return True

    def jump_to(self, epoch_seconds: float) -> float:
        """Move forward to an absolute time: the timers due by then run in time order, each at its
        own due time; subscribers are notified at every move, and once more at the end. Moving
        backwards is refused."""
        if epoch_seconds < self._now:
            raise ValueError("a virtual clock cannot move backwards")
        self.scheduler.run_through(epoch_seconds)
        if not self._move(epoch_seconds) and self._listeners:
            self._notify()  # a test's move is a move even when it is by 0 s (or ends on a timer)
        return self._now

    set = jump_to  # the older name

    def advance(
        self, seconds: float = 0.0, *, minutes: float = 0.0, hours: float = 0.0, days: float = 0.0
    ) -> float:
        """Move forward by the given amount (see :meth:`jump_to`) and return the new time."""
        delta = _seconds(seconds, minutes, hours, days)
        if delta < 0:
            raise ValueError("a virtual clock cannot move backwards")
        return self.jump_to(self._now + delta)

    def sleep(self, seconds: float) -> None:
        """Virtual time passes: the same as ``advance(seconds)``."""
        self.advance(max(0.0, seconds))

    def __repr__(self) -> str:
        return f"VirtualClock({self.now_datetime().isoformat()})"


class SystemClock(_ClockBase):
    """The wall clock. Used by the HTTP server by default so clients see real timestamps; its
    timers run on the scheduler's background thread."""

    virtual = False
    auto_advance = False

    def __init__(self) -> None:
        super().__init__()
        self.scheduler = Scheduler(self)
        # A durable world's clock tape (emulator/durable/tape.py): records the readings of each
        # logged request, and plays them back when the request is replayed. None: real time.
        self.reading: Callable[[], float] | None = None

    def now(self) -> float:
        reading = self.reading
        return wall_time() if reading is None else reading()

    def advance(
        self, seconds: float = 0.0, *, minutes: float = 0.0, hours: float = 0.0, days: float = 0.0
    ) -> float:
        raise RuntimeError("the system clock cannot be advanced; use a VirtualClock")

    def jump_to(self, epoch_seconds: float) -> float:
        raise RuntimeError("the system clock cannot be moved; use a VirtualClock")

    def sleep(self, seconds: float) -> None:
        """A real sleep (background threads, real-time waits)."""
        _time.sleep(max(0.0, seconds))

    def __repr__(self) -> str:
        return "SystemClock()"
