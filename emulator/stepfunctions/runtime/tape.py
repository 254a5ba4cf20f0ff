"""How a *running* execution survives a snapshot: each thread keeps a tape of what came into it
from outside since it entered its current state, and a restored world re-runs that state's
handler against the tape until the thread waits where it waited.

Why a tape: a thread is a Python generator (``execution.py``), and a suspended generator cannot
be copied. What it holds is a deterministic function of its code and what it was given, so it is
rebuilt rather than copied: the state it is in (``Thread.resume``, already kept for redrive),
then, in order, everything that did not come from the state's own code —

* the values the driver sent it (a timer's firing, a task token's answer, a Map's outcome), with
  the time of each step (``SEND``): on a virtual clock nothing moves time inside a step, so the
  step's time is every time the handler read; on the system clock a replayed read sees the time
  the step began (at most that step's own duration earlier);
* the result of each call that reaches out (a task's callable or service integration, an
  ``ItemReader``, a Map Run, a task token), through :func:`taped` (``VALUE``/``RAISE``), together
  with the thread's last event id after it (such calls record events);
* the draws from the execution's RNG (``$random()``, ``$uuid()``, retry jitter, request ids),
  through :class:`TapedRandom` (``DRAW``).

The tape is cleared at each state entry, so it holds one state's visit (what it needs before its
first wait is usually nothing). The few entries made before the thread's first state (a Map
Run child's creation) stay in ``Thread.prologue``.

A replay (:func:`rebuild`) calls the thread's generator factory with ``Thread.rerun`` set:
``run_program`` starts at the state of the visit, :func:`taped` hands back the recorded results
instead of calling out (so a task callable is never called twice, and the objects it returned —
the Map's group, the task's callback — are the restored world's own, by pickle's identity), the
execution's ``emit`` finds the events already in its history instead of appending, and its clock
reads the step's time. Sites that only act on the world (arming a callback's timers, queueing an
activity, closing a Map Run) check :func:`replaying`. The replay ends where the tape does: the
generator is then suspended at the command the thread is waiting on, which is checked against the
restored thread (its timer, parked callback or forked group), as is its last event id; a
mismatch is a :class:`~emulator.snapshot_pickler.SnapshotError` naming the execution, never a
silently different world.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..asl.failures import StatesFailure
from .threads import FORK, PARK, SLEEP, Thread

if TYPE_CHECKING:
    from .execution import Execution

SEND, VALUE, RAISE, DRAW = "send", "value", "raise", "draw"


class TapedRandom(random.Random):
    """An execution's RNG: while the driver runs a thread (``current``), its draws go on that
    thread's tape; while the thread is replayed, they come from it."""

    current: Thread | None = None

    def random(self) -> float:
        th = self.current
        if th is None:
            return super().random()
        rerun = th.rerun
        if rerun is not None:
            return rerun.take(DRAW)  # type: ignore[no-any-return]
        value = super().random()
        tape = th.tape
        if tape is None:
            tape = th.tape = []
        tape.append((DRAW, value))
        return value

    def getrandbits(self, k: int) -> int:
        th = self.current
        if th is None:
            return super().getrandbits(k)
        rerun = th.rerun
        if rerun is not None:
            return rerun.take(DRAW)  # type: ignore[no-any-return]
        value = super().getrandbits(k)
        tape = th.tape
        if tape is None:
            tape = th.tape = []
        tape.append((DRAW, value))
        return value

    def __reduce__(self) -> Any:
        if self.current is not None:
            # A step in progress (it handed its lock over mid-step, ../../handoff.py): its thread
            # is neither waiting nor done, so the world has no point to rebuild it at.
            from ...snapshot_pickler import SnapshotError

            raise SnapshotError("a workflow step is in progress (it let another caller in); try again")
        return (_taped_random, (self.getstate(),))


def _taped_random(state: Any) -> TapedRandom:
    rng = TapedRandom()
    rng.setstate(state)
    return rng


def record(thread: Thread, value: Any, kind: str = VALUE) -> None:
    """Put a call's outcome on the thread's tape, with the thread's last event id after it (a
    thread gets its list when it first needs one)."""
    tape = thread.tape
    if tape is None:
        tape = thread.tape = []
    tape.append((kind, value, thread.last))


def replaying(thread: Thread) -> bool:
    """Whether ``thread`` is being rebuilt (sites that only act on the world do nothing then)."""
    return thread.rerun is not None


def taped(ex: Execution, thread: Thread, fn: Callable[[], Any]) -> Any:
    """``fn()``, a call that reaches out of the state's code: live, its result (or failure) goes
    on the thread's tape; replayed, the recorded one comes back and ``fn`` is not called."""
    rerun = thread.rerun
    if rerun is not None:
        kind, value, last = rerun.take_call()
        thread.last = last
        if kind == RAISE:
            raise value
        return value
    rng = ex.rng
    held, rng.current = rng.current, None  # draws inside the call are covered by its result
    try:
        value = fn()
    except StatesFailure as failure:
        record(thread, failure, RAISE)
        raise
    finally:
        rng.current = held
    record(thread, value)
    return value


class Diverged(Exception):
    """The replay did not follow the tape (a bug, or a world changed under a running workflow)."""


class ReplayClock:
    """The clock a replayed thread reads: the time of the step being replayed."""

    def __init__(self, clock: Any, now: float) -> None:
        self._clock = clock
        self.at = now

    def now(self) -> float:
        return self.at

    def __getattr__(self, name: str) -> Any:
        return getattr(self._clock, name)


class Rerun:
    """One thread's replay: the tape it reads and the history events it finds again."""

    def __init__(self, thread: Thread, now: float) -> None:
        self.thread = thread
        self.entries: list = list(thread.prologue or ())
        self.visit_tape: list = thread.tape or []
        self.pos = 0
        self.in_visit = False
        self.entering = False
        self.cursor = 0
        self.clocks: list[ReplayClock] = []
        self.start_now = now

    # -- the tape --------------------------------------------------------------------------
    def _next(self, kind: str) -> tuple:
        if self.pos >= len(self.entries):
            raise Diverged(f"the replay wanted a {kind} past the end of the tape")
        entry = self.entries[self.pos]
        if entry[0] != kind and not (kind == VALUE and entry[0] == RAISE):
            raise Diverged(f"the replay wanted a {kind}, the tape has a {entry[0]}")
        self.pos += 1
        return entry  # type: ignore[no-any-return]

    def take(self, kind: str) -> Any:
        return self._next(kind)[1]

    def take_call(self) -> tuple:
        return self._next(VALUE)

    def next_send(self) -> tuple[bool, Any]:
        """(more, value): the next value the driver sent, moving the replay clock to its step."""
        if self.pos >= len(self.entries):
            return False, None
        _, value, now = self._next(SEND)
        self._set_now(now)
        return True, value

    def _set_now(self, now: float) -> None:
        for clock in self.clocks:
            clock.at = now

    def enter(self, ex: Execution) -> None:
        """``run_program`` reaches the visited state: from here the visit's tape is read, at the
        time the state was entered."""
        if self.in_visit:
            raise Diverged("the replay entered a second state")
        if self.pos != len(self.entries):
            raise Diverged("the replay left part of the thread's prologue unread")
        self.in_visit = self.entering = True
        self.entries, self.pos = self.visit_tape, 0
        entered = self.thread.entered
        self.cursor = entered
        self._set_now(ex.history.events[entered - 1][2])

    # -- events ----------------------------------------------------------------------------
    def emit(self, ex: Execution, thread: Thread, etype: str, details: dict | None = None) -> int:
        """The event the original run recorded here: the visited state's entry, then each next
        event of the thread (its type, after the thread's last one)."""
        if not self.in_visit:
            return 0  # a prologue's event (MapIterationStarted, a child's ExecutionStarted)
        events = ex.history.events
        if self.entering:
            self.entering = False
            n = self.thread.entered
            if events[n - 1][0] != etype:
                raise Diverged(f"the replay entered a {etype}, the history has a {events[n - 1][0]}")
            self.cursor = thread.last = n
            return n
        last = thread.last
        for n in range(max(self.cursor, last) + 1, len(events) + 1):
            event = events[n - 1]
            if event[1] == last and event[0] == etype:
                self.cursor = thread.last = n
                return n
        raise Diverged(f"the replay recorded a {etype} the history does not have")


def rebuild(
    ex: Execution, thread: Thread, factory: Callable[[], Any], program_ex: Execution, *, started: bool = True
) -> None:
    """Rebuild ``thread.gen`` (a suspended generator left out of a snapshot) by replaying its
    tape; ``factory()`` makes the thread's generator as its group (or the execution) first did,
    ``program_ex`` is the execution whose history holds its events. A generator that never
    started (a real-clock execution's first step, still a timer) is simply made again."""
    gen = factory()
    if not started:
        thread.gen = gen
        return
    final_last = thread.last
    rerun = Rerun(thread, ex.clock.now())
    patched = _patch(rerun, {id(ex): ex, id(program_ex): program_ex}.values())
    held = ex.rng.current
    ex.rng.current = thread
    thread.rerun = rerun
    try:
        more, value = rerun.next_send() if rerun.entries and rerun.entries[0][0] == SEND else (True, None)
        cmd: Any = None
        while more:
            try:
                cmd = gen.send(value)
            except StopIteration:
                raise Diverged("the replayed thread ended") from None
            more, value = rerun.next_send()
        if not rerun.in_visit or rerun.pos != len(rerun.entries):
            raise Diverged("the replay stopped before the end of its tape")
    finally:
        thread.rerun = None
        ex.rng.current = held
        _unpatch(patched)
    _check(thread, cmd, final_last)
    thread.gen = gen


def _check(thread: Thread, cmd: Any, final_last: int) -> None:
    kind = cmd[0] if isinstance(cmd, tuple) and cmd else None
    if thread.last != final_last:
        raise Diverged(f"the replay ended at event {thread.last}, the thread at {final_last}")
    if kind == SLEEP:
        if thread.timer is None:
            raise Diverged("the replay sleeps where the thread has no timer")
    elif kind == PARK:
        if thread.parked is not cmd[1]:
            raise Diverged("the replay parks on something the thread is not parked on")
    elif kind == FORK:
        if thread.forked is not cmd[1]:
            raise Diverged("the replay forks a group the thread did not fork")
    else:
        raise Diverged(f"the replay stopped at {cmd!r}")


def _patch(rerun: Rerun, executions: Any) -> list[tuple[Any, dict]]:
    """Give each execution the replay's ``emit`` and clock (instance attributes, put back after)."""
    patched = []
    for ex in executions:
        saved = {k: ex.__dict__[k] for k in ("emit", "clock") if k in ex.__dict__}
        clock = ReplayClock(ex.clock, rerun.start_now)
        rerun.clocks.append(clock)
        ex.clock = clock
        ex.emit = lambda thread, etype, details=None, _ex=ex: rerun.emit(_ex, thread, etype, details)
        patched.append((ex, saved))
    return patched


def _unpatch(patched: list[tuple[Any, dict]]) -> None:
    for ex, saved in patched:
        ex.__dict__.pop("emit", None)
        ex.__dict__.update(saved)
