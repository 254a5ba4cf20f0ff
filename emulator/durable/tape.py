"""The clock tape of a durable world on the system clock: what ``now()`` answered, played back.

A request's answer may depend on every clock reading its handler makes (an execution's name is
derived from the time it started; a creation date is the time of the request). On a virtual
clock the readings follow from the logged clock moves; on the system clock they are wall time,
different at replay. So while a logged request runs, the tape records, for that thread only,
each reading the handler makes; the replay of the request plays them back in the same order
(and, once they run out, the last one), so the handler takes the same decisions. Other threads
(the scheduler's timers) read real time throughout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..clock import wall_time

__all__ = ["ClockTape"]


class ClockTape:
    """``SystemClock.reading`` of a durable world (see the module docstring)."""

    not_state = True  # a snapshot leaves it out: the restored clock reads real time

    def __init__(self) -> None:
        self._local = threading.local()  # .recording: list | None; .playing: list | None; .last

    def __call__(self) -> float:
        local = self._local
        playing = getattr(local, "playing", None)
        if playing is not None:
            if playing:
                local.last = playing.pop()
            return float(local.last)
        now = wall_time()
        recording = getattr(local, "recording", None)
        if recording is not None:
            recording.append(now)
        return now

    @contextmanager
    def recording(self) -> Iterator[list[float]]:
        """Record this thread's readings into the list yielded."""
        readings: list[float] = []
        self._local.recording = readings
        try:
            yield readings
        finally:
            self._local.recording = None

    @contextmanager
    def playing(self, readings: tuple[float, ...], at: float) -> Iterator[None]:
        """Answer this thread's readings from ``readings`` (then the last of them, or ``at``)."""
        local = self._local
        local.playing, local.last = list(reversed(readings)), at
        try:
            yield
        finally:
            local.playing = None
