"""Time, for the whole emulator.

This is the ONLY module that reads the wall clock. Everything else asks a :class:`Clock`.

Two clocks:

* :class:`VirtualClock` (the in-process default) starts at the real time of creation and then
  moves only when told (``advance``) or when a scheduler jumps it to its next due event. A one-day
  Wait or a one-hour retry interval therefore costs no wall time, and timestamps stay exact.
* :class:`SystemClock` (the server default) follows the wall clock; ``advance`` is refused,
  because real time cannot be pushed.

Both expose ``now()`` as epoch seconds (float) and ``now_datetime()`` as an aware UTC datetime,
plus ``monotonic()`` for measuring elapsed time. Listeners (schedulers) may subscribe to clock moves
so that advancing a virtual clock fires whatever became due.
"""

from __future__ import annotations

import datetime as _dt
import threading
import time as _time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "VirtualClock", "SystemClock", "wall_time"]

UTC = _dt.timezone.utc


def wall_time() -> float:
    """Real epoch seconds. Only for code that must measure real time (benchmarks, server start)."""
    return _time.time()


def perf_counter() -> float:
    """Real high-resolution counter, for timing guards (e.g. JSONata evaluation time limits)."""
    return _time.perf_counter()


@runtime_checkable
class Clock(Protocol):
    """What the services need from time."""

    virtual: bool

    def now(self) -> float: ...

    def now_datetime(self) -> _dt.datetime: ...

    def advance(self, seconds: float = 0.0, *, minutes: float = 0.0, hours: float = 0.0,
                days: float = 0.0) -> float: ...

    def subscribe(self, listener: Callable[[float], None]) -> None: ...


class _ClockBase:
    virtual = False

    def __init__(self) -> None:
        self._listeners: list[Callable[[float], None]] = []

    def now(self) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def now_datetime(self) -> _dt.datetime:
        """The current time as an aware UTC datetime (boto3 returns aware datetimes)."""
        return _dt.datetime.fromtimestamp(self.now(), UTC)

    def subscribe(self, listener: Callable[[float], None]) -> None:
        """Call ``listener(now)`` after every move of the clock (virtual clocks only move on advance)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[float], None]) -> None:
        try:
            self._listeners.remove(listener)
        except ValueError:
            pass

    def _notify(self) -> None:
        now = self.now()
        for listener in list(self._listeners):
            listener(now)


class VirtualClock(_ClockBase):
    """A clock that moves only when advanced.

    ``start`` defaults to the real time at creation, rounded to the millisecond, so timestamps look
    plausible. Advancing notifies subscribers (the Step Functions scheduler, TTL sweeps) so that
    whatever became due runs before ``advance`` returns.
    """

    virtual = True

    def __init__(self, start: float | None = None) -> None:
        super().__init__()
        self._now = round(wall_time(), 3) if start is None else float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def set(self, epoch_seconds: float) -> None:
        """Jump to an absolute time; moving backwards is refused (time is monotonic)."""
        with self._lock:
            if epoch_seconds < self._now:
                raise ValueError("a virtual clock cannot move backwards")
            self._now = float(epoch_seconds)
        self._notify()

    def advance(self, seconds: float = 0.0, *, minutes: float = 0.0, hours: float = 0.0,
                days: float = 0.0) -> float:
        """Move forward by the given amount and return the new time (epoch seconds)."""
        delta = seconds + 60.0 * minutes + 3600.0 * hours + 86400.0 * days
        if delta < 0:
            raise ValueError("a virtual clock cannot move backwards")
        with self._lock:
            self._now += delta
        self._notify()
        return self._now

    def _jump_to(self, epoch_seconds: float) -> None:
        """Scheduler-internal move: no notification (the scheduler is the one moving it)."""
        with self._lock:
            if epoch_seconds > self._now:
                self._now = float(epoch_seconds)

    def __repr__(self) -> str:
        return f"VirtualClock({self.now_datetime().isoformat()})"


class SystemClock(_ClockBase):
    """The wall clock. Used by the HTTP server by default so clients see real timestamps."""

    virtual = False

    def now(self) -> float:
        return wall_time()

    def advance(self, seconds: float = 0.0, *, minutes: float = 0.0, hours: float = 0.0,
                days: float = 0.0) -> float:
        raise RuntimeError("the system clock cannot be advanced; use a VirtualClock")

    def sleep(self, seconds: float) -> None:
        """Real sleep, for the system-clock scheduler thread only."""
        _time.sleep(max(0.0, seconds))

    def __repr__(self) -> str:
        return "SystemClock()"
