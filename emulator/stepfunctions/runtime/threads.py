"""Lines of control inside an execution: threads, the groups that run them, and their commands.

A :class:`Thread` wraps the generator of one line of control (main flow, Parallel branch, Map
iteration); the generator yields a command when it must wait (``SLEEP``, ``FORK``, ``PARK``; see
``execution.py``). A :class:`Group` runs the child threads of a Map or Parallel state. Both know
the :class:`~.execution.Execution` only through the few methods they call (``step``,
``group_parents``, ``abort_inner``), so the state handlers (``states/``) can import this module
without importing the execution driver, which imports them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from ..asl.failures import StatesFailure
from ..messages import TOLERANCE_EXCEEDED

if TYPE_CHECKING:
    from .execution import Execution

SLEEP = "sleep"
FORK = "fork"
PARK = "park"

ABORTABLE = frozenset({"Task", "Map", "Parallel"})  # state types with a …StateAborted event

RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED = "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"


class Thread:
    """One line of control (main flow, branch or iteration)."""

    __slots__ = (
        "gen",
        "last",
        "group",
        "index",
        "timer",
        "cancelled",
        "finished",
        "state_type",
        "inner_last",
        "parked",
        "credentials",
        "transitions",
        "resume",
        "forked",
        "redrive",
        "replay",
        "entered",
        "tape",
        "prologue",
        "rerun",
    )

    def __init__(self, last: int, group: Group | None = None, index: int = 0) -> None:
        self.gen: Generator[Any, Any, Any] | None = None
        self.last = last
        self.group = group
        self.index = index
        self.timer: Any = None
        self.cancelled = False
        self.finished = False
        self.state_type: str | None = None
        self.inner_last = 0
        self.parked: Any = None
        self.credentials: str | None = None
        # Events recorded one after another on this line of control, its ancestors' included:
        # the length of the path that took the longest to get here (Express's duration budget).
        self.transitions = 0
        # Redrive (../redrive.py): the state this thread is in — ``(name, input, scope)``, set at
        # each state entry — and the Map/Parallel group that state last forked; ``redrive`` is the
        # plan a redriven thread starts from, ``replay`` what its first state's fork reuses.
        self.resume: tuple[str, Any, dict] | None = None
        self.forked: Group | None = None
        self.redrive: Any = None
        self.replay: Any = None
        # Snapshots of a running execution (tape.py): the id of the current state's entry event,
        # what came into the thread since, what came before its first state, and — while the
        # thread is being rebuilt from these — its replay.
        self.entered = 0
        self.tape: list | None = None  # a list from the first entry on (or a first call out)
        self.prologue: list | tuple | None = None
        self.rerun: Any = None

    def cancel(self) -> None:
        self.cancelled = True
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.parked is not None:
            cancel = getattr(self.parked, "cancel", None)
            if cancel is not None:
                cancel()
            self.parked = None


class Group:
    """Child threads of a Map or Parallel state.

    ``make(i, thread)`` returns the generator of child ``i``; ``limit`` 0 means unlimited.
    ``outcome`` is ``(True, [results...])`` or ``(False, StatesFailure)``.
    """

    def __init__(
        self,
        ex: Execution,
        count: int,
        make: Callable[[int, Thread], Generator[Any, Any, Any]],
        *,
        start_last: int,
        limit: int = 0,
        sequential_chain: bool = False,
        tolerated_count: int | None = None,
        tolerated_pct: float | None = None,
        on_abort: Callable[[Thread, int], None] | None = None,
        iteration_name: str | None = None,
        private: bool = False,
    ) -> None:
        self.ex = ex
        self.iteration_name = iteration_name  # inline Map: children are iterations of this state
        self.private = private  # distributed Map: children record elsewhere
        self.count = count
        self.make = make
        self.limit = limit if limit and limit > 0 else count
        self.start_last = start_last
        self.sequential_chain = sequential_chain
        self.tolerated_count = tolerated_count
        self.tolerated_pct = tolerated_pct
        self.on_abort = on_abort
        self.results: list[Any] = [None] * count
        self.next_index = 0
        self.running: dict[int, Thread] = {}
        self.failures = 0
        self.finished = False
        self.outcome: tuple[bool, Any] = (True, self.results)
        self.parent: Thread | None = None
        self.last_done = start_last
        self.last_inner = start_last
        self._pumping = False
        # The duration budget (EXPRESS_EVENT_BUDGET) counts the longest path, not every event:
        # children run side by side, so each starts from the parent's count (``base``), or, past
        # ``limit`` running at once, from the count at which the earliest slot came free.
        self.base = 0
        self.free_slots: list[int] = []
        self.longest = 0
        self.timed = ex.express  # only Express executions have the budget to keep
        # Redrive (../redrive.py): children that failed or were aborted (kept to be redriven),
        # the state entry that forked this group, and — in a redriven group — the children to run
        # again (index → their plan, None to start afresh); the others keep their results.
        self.unsuccessful: dict[int, Thread] = {}
        self.owner: Any = None
        self.redo: dict[int, Any] | None = None
        self.map_run: Any = None  # a Distributed Map's group: its Map Run (map_runs.py)

    def seed(self, results: list, redo: dict[int, Any]) -> None:
        """A redriven group: keep the results of the children that succeeded, run ``redo`` again."""
        if len(results) == self.count:
            self.results[:] = results
            self.redo = redo

    def start(self) -> None:
        if self.count == 0:
            self.finished = True
            return
        self._pump()

    def _pump(self) -> None:
        self._pumping = True
        try:
            while not self.finished and self.next_index < self.count and len(self.running) < self.limit:
                i = self.next_index
                self.next_index += 1
                redo = self.redo
                if redo is not None and i not in redo:
                    continue  # succeeded before the redrive: its result stands
                th = Thread(self.start_last, self, i)
                if redo is not None:
                    th.redrive = redo[i]
                if self.timed:
                    th.transitions = heapq.heappop(self.free_slots) if i >= self.limit else self.base
                th.gen = self.make(i, th)
                self.running[i] = th
                self.ex.step(th)
            if not self.finished and not self.running and self.next_index >= self.count:
                self.finished = True
                self.outcome = (True, self.results)
        finally:
            self._pumping = False

    def child_done(self, th: Thread, ok: bool, value: Any) -> None:
        if self.finished:
            return
        self.running.pop(th.index, None)
        self.last_done = th.last
        if self.timed:
            self.longest = max(self.longest, th.transitions)
            heapq.heappush(self.free_slots, th.transitions)
        self.last_inner = th.inner_last or th.last
        if self.sequential_chain:
            self.start_last = th.inner_last
        if ok:
            self.results[th.index] = value
        else:
            failure: StatesFailure = value
            self.failures += 1
            self.unsuccessful[th.index] = th
            if not self._tolerated():
                if self.tolerated_count is not None or self.tolerated_pct is not None:
                    failure = StatesFailure("States.ExceedToleratedFailureThreshold", TOLERANCE_EXCEEDED)
                self._abort_running(th.last)
                self.finished = True
                self.outcome = (False, failure)
                self._resume_parent()
                return
            self.results[th.index] = {"Error": failure.error, "Cause": failure.cause}
        if not self._pumping:
            self._pump()
            self._resume_parent()

    def reconfigure(
        self, limit: int | None, tolerated_count: int | None, tolerated_pct: float | None
    ) -> None:
        """UpdateMapRun on a running distributed Map: a new concurrency limit (0: unlimited) and
        tolerated failure thresholds (``None``: unchanged), applied from now on; a higher limit
        starts waiting children at once."""
        if limit is not None:
            self.limit = limit if limit > 0 else self.count
        if tolerated_count is not None:
            self.tolerated_count = tolerated_count
        if tolerated_pct is not None:
            self.tolerated_pct = tolerated_pct
        if not self.finished and not self._pumping:
            self._pump()
            self._resume_parent()

    def _tolerated(self) -> bool:
        if self.tolerated_count is None and self.tolerated_pct is None:
            return False
        if self.tolerated_count is not None and self.failures > self.tolerated_count:
            return False
        if self.tolerated_pct is not None and self.count:
            if self.failures * 100.0 / self.count > self.tolerated_pct:
                return False
        return True

    def _abort_running(self, failing_event: int) -> None:
        """A child failed: stop its running siblings. Whatever a sibling itself runs (a nested Map
        or Parallel) is aborted with it — its abort events first, innermost first, as for
        StopExecution — so that nothing of an aborted branch or iteration runs on (its Waits,
        Tasks and iterations used to keep going and record events after the Map/Parallel ended)."""
        parents = self.ex.group_parents()
        for i in sorted(self.running):
            th = self.running[i]
            if self.on_abort is not None:
                th.last = failing_event
            self.ex.abort_inner(th, parents, record=self.on_abort is not None)
            th.cancel()
            self.unsuccessful[i] = th
            if self.on_abort is not None:
                self.on_abort(th, failing_event)
        self.running.clear()

    def _resume_parent(self) -> None:
        if self.finished and not self._pumping and self.parent is not None:
            parent, self.parent = self.parent, None
            parent.transitions = max(parent.transitions, self.longest)
            self.ex.step(parent, self.outcome)

    def abort(self) -> None:
        """Cancel everything (the execution ended)."""
        self.finished = True
        for th in list(self.running.values()):
            th.cancel()
            self.unsuccessful[th.index] = th
        self.running.clear()


class OutOfTime(BaseException):
    """Raised by :meth:`Execution.emit` when an Express execution has used its event budget
    (:data:`EXPRESS_EVENT_BUDGET`): the thread stops where it is, and the execution times out at
    its duration limit. A BaseException, like :class:`Terminated`, so no Catch or Retry sees it."""


class Terminated(BaseException):
    """Raised by the state runner at a state transition of an execution whose state machine is
    being deleted (API-04: "running executions are terminated at their next state transition").
    A BaseException so that no Catch/Retry machinery or emulator-bug guard intercepts it; the
    driver (:meth:`Execution.step`) turns it into ``ExecutionAborted``."""
