"""A service lock that a long-running holder hands to waiting callers at safe points.

Every operation of a service runs under its one re-entrant lock, so no caller sees a torn
resource. Step Functions also runs its workflows under that lock, and a workflow may compute for
a long time without waiting on anything (a Map over many items, a long chain of states): every
other Step Functions call, from another thread or over HTTP, used to wait until it was done.

:class:`HandoffLock` is that re-entrant lock plus a count of the threads waiting for it. The
workflow runner calls :meth:`HandoffLock.hand_over` between two steps of an execution, where no
state is half-done: if anybody is waiting, it releases the lock entirely (whatever its depth),
lets every thread that was waiting take it in turn, and takes it back at the same depth. A call
on another resource therefore answers within about one state's work, and with nobody waiting a
hand-over costs one attribute read. A JSONata evaluation, which may compute for up to two
seconds, runs with the lock released (:meth:`release_all` / :meth:`restore`). While a thread has
let others in mid-workflow it is paused on the clock's scheduler (``Scheduler.pause``), so that
no caller let in moves a virtual clock under the running execution.

``_release_save``, ``_acquire_restore`` and ``_is_owned`` are what :class:`threading.Condition`
needs of its lock (the GetActivityTask long poll waits on one); they delegate to the RLock's own.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["HandoffLock"]

HANDOVER_WAIT_SECONDS = 0.5  # at most this long for the waiting threads to take their turn


class HandoffLock:
    """A re-entrant lock whose holder can hand it to waiting threads (see the module docstring)."""

    __slots__ = ("_lock", "_state", "waiting")

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._state = threading.Condition(threading.Lock())  # guards and signals ``waiting``
        self.waiting = 0  # threads blocked in acquire()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        lock = self._lock
        if lock.acquire(False):
            return True
        if not blocking:
            return False
        with self._state:
            self.waiting += 1
        try:
            return lock.acquire(True, timeout)
        finally:
            with self._state:
                self.waiting -= 1
                self._state.notify_all()

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def hand_over(self) -> None:
        """Called by the holder at a safe point: let every thread now waiting have the lock once."""
        if not self.waiting:
            return
        saved = self.release_all()
        try:
            with self._state:
                self._state.wait_for(lambda: self.waiting == 0, timeout=HANDOVER_WAIT_SECONDS)
        finally:
            self.restore(saved)

    def release_all(self) -> Any:
        """Release the lock entirely, whatever the holder's depth; :meth:`restore` takes it back."""
        return self._lock._release_save()  # type: ignore[attr-defined]

    def restore(self, saved: Any) -> None:
        """Take the lock back at the depth :meth:`release_all` left it, counted as waiting (so a
        long holder that got it meanwhile hands it back at its next step)."""
        lock = self._lock
        if lock.acquire(False):  # uncontended, the usual case: no bookkeeping
            lock.release()
            lock._acquire_restore(saved)  # type: ignore[attr-defined]
            return
        with self._state:
            self.waiting += 1
        try:
            self._lock._acquire_restore(saved)  # type: ignore[attr-defined]
        finally:
            with self._state:
                self.waiting -= 1
                self._state.notify_all()

    # -- what threading.Condition needs -------------------------------------------------------
    def _release_save(self) -> Any:
        return self._lock._release_save()  # type: ignore[attr-defined]

    def _acquire_restore(self, saved: Any) -> None:
        self._lock._acquire_restore(saved)  # type: ignore[attr-defined]

    def _is_owned(self) -> bool:
        return self._lock._is_owned()  # type: ignore[attr-defined]
