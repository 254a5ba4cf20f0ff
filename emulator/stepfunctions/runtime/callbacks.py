"""Task tokens: executions parked on ``.waitForTaskToken`` until SendTask* answers (RES-09).

A :class:`Callback` holds the parked thread and its guards: a TimeoutSeconds timer and a
HeartbeatSeconds timer, both *passive* scheduler events (they fire when the user advances the
clock, not on their own in ``run_until_idle``: a workflow waiting on someone else stops there).
``SendTaskHeartbeat`` re-arms the heartbeat timer. The outcome is ``("success", output)``,
``("failure", error, cause)`` or ``("timeout",)``.
"""

from __future__ import annotations

from typing import Any

from .tape import note_last


class Callback:
    __slots__ = (
        "service",
        "token",
        "ex",
        "thread",
        "base",
        "outcome",
        "timers",
        "heartbeat",
        "closed",
        "activity",
    )

    def __init__(self, service: Any, token: str, ex: Any, thread: Any, base: dict) -> None:
        self.service = service
        self.token = token
        self.ex = ex
        self.thread = thread
        self.base = base
        self.outcome: tuple | None = None
        self.timers: dict[str, Any] = {}
        self.heartbeat: float | None = None
        self.closed = False
        self.activity: Any = None  # (ActivityRecord, input JSON, timeout, heartbeat) for activities

    def arm(self, start: float, timeout: float | None, heartbeat: float | None) -> None:
        """TimeoutSeconds counts from ``start`` (the task's start); HeartbeatSeconds from now, i.e.
        when the invoked call returned (RES-09/ASL-TASK-04)."""
        if self.closed:
            return
        sched = self.service.scheduler
        if timeout is not None:
            self.timers["timeout"] = sched.at(start + timeout, self._expire, passive=True)
        if heartbeat is not None:
            self.heartbeat = heartbeat
            self.timers["heartbeat"] = sched.after(heartbeat, self._missed_heartbeat, passive=True)

    def beat(self) -> None:
        if self.heartbeat is not None and not self.closed:
            old = self.timers.get("heartbeat")
            if old is not None:
                old.cancel()
            self.timers["heartbeat"] = self.service.scheduler.after(
                self.heartbeat, self._missed_heartbeat, passive=True
            )

    def _expire(self) -> None:
        self.service.timed_out_tokens.add(self.token)
        self.resolve(("timeout", False))

    def _missed_heartbeat(self) -> None:
        self.service.timed_out_tokens.add(self.token)
        self.resolve(("timeout", True))

    def resolve(self, outcome: tuple) -> None:
        if self.closed:
            return
        self.closed = True
        self.outcome = outcome
        for t in self.timers.values():
            t.cancel()
        self.service.tokens.pop(self.token, None)
        # An answered task is closed: a second SendTask* gets TaskTimedOut ("the task associated
        # with the token has already been closed", SendTaskSuccess API reference; API-19).
        self.service.timed_out_tokens.add(self.token)
        self.ex.tokens.discard(self.token)
        if self.thread.parked is self:
            self.ex.resume(self.thread, outcome)

    def start_activity(self, worker_name: str | None) -> None:
        """A worker took the task (GetActivityTask): record ActivityStarted and start the clocks."""
        details = {"workerName": worker_name} if worker_name else {}
        self.ex.emit(self.thread, "ActivityStarted", details)
        note_last(self.thread)  # recorded while the thread waits: a replay must know (tape.py)
        _, _, timeout, heartbeat = self.activity
        self.arm(self.ex.clock.now(), timeout, heartbeat)

    def cancel(self) -> None:
        self.closed = True
        if self.activity is not None:
            try:
                self.activity[0].queue.remove(self)
            except ValueError:
                pass
        for t in self.timers.values():
            t.cancel()
        self.service.tokens.pop(self.token, None)
        self.service.timed_out_tokens.add(self.token)  # the task is closed: TaskTimedOut (API-19)
        self.ex.tokens.discard(self.token)
