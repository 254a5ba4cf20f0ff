"""One execution: its threads, its history, and the driver that runs them on the scheduler.

Design decisions:

* **Threads are generators.** The main flow, each Parallel branch and each Map iteration is a
  :class:`Thread` wrapping a generator (``states.run_program``). A generator runs states
  synchronously — a Pass/Choice chain never yields — and yields a command only when it must wait:
  ``(SLEEP, due)`` for a Wait, a retry interval or a task completion; ``(FORK, group)`` to run
  child threads (Map/Parallel); ``(PARK, None)`` to wait for something external (a task token).
  The driver (:meth:`Execution.step`) turns commands into scheduler events, so branches and
  iterations interleave on the one scheduler and a Wait inside one Map iteration never blocks
  the others. Nothing ever sleeps.
* **Groups.** A :class:`Group` runs child threads with a concurrency limit (Map
  ``MaxConcurrency``; 0 = all at once), collects results in item order, applies the tolerated
  failure thresholds and aborts the siblings of a failed child. Children that finish
  synchronously are collected in a loop (no recursion), so a Map over 100,000 items is flat.
* **previousEventId.** Each thread remembers the id of its last event; an event's
  ``previousEventId`` is its thread's last event (HIS-03/HIS-04).
* **Failures** are :class:`~emulator.stepfunctions.asl.failures.StatesFailure` values raised inside a
  thread; an unhandled one ends the thread, then the group or the execution.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...handoff import HandoffLock
from ..asl.failures import RUNTIME, StatesFailure
from ..messages import HISTORY_FULL, internal_error
from ..payloads import DEPTH_TEXT, MAX_DEPTH
from . import context as ctxmod
from . import run_log
from .history import MAX_EVENTS, History, dumps, error_details
from .states import run_program
from .tape import SEND as TAPE_SEND
from .tape import TapedRandom
from .threads import (
    ABORTABLE,
    ABORTED,
    FAILED,
    FORK,
    PARK,
    RUNNING,
    SLEEP,
    SUCCEEDED,
    TIMED_OUT,
    Group,
    OutOfTime,
    Terminated,
    Thread,
)

__all__ = [
    "ABORTABLE",
    "ABORTED",
    "EXPRESS_EVENT_BUDGET",
    "FAILED",
    "FORK",
    "MAX_EVENTS",
    "PARK",
    "RUNNING",
    "SLEEP",
    "SUCCEEDED",
    "TIMED_OUT",
    "Execution",
    "Group",
    "OutOfTime",
    "Terminated",
    "Thread",
]

EXPRESS_MAX_SECONDS = 300.0  # LIM-06
STANDARD_MAX_SECONDS = 365 * 86400.0  # LIM-06 (one year)
# An Express workflow has no history limit on AWS; a loop that never waits ends at the 5-minute
# duration limit (TIMED_OUT). Here a state transition takes no virtual time, so such a loop would
# never reach that limit: instead, an Express execution that records this many history events one
# after another (on its longest path: Map iterations and Parallel branches run side by side, so a
# wide Map costs what its longest iteration costs, times its waves past MaxConcurrency) has used
# up what five minutes of AWS's transition rate would allow (~25,000 transitions, ~80 a second [INF]). It then stops where it
# is and times out at its duration limit on the clock, as on AWS. Under 0.5 s of wall time here.
EXPRESS_EVENT_BUDGET = 50_000
HANDOVER_EVERY = 16  # steps an execution runs while a caller waits, before it hands the lock over


class Execution:
    """A running or finished execution of one state machine revision."""

    mock_run: Any = None  # the mock configuration's test case it runs (mock_config.MockRun)
    before_redrive: str = "FAILED"  # a Map Run child waiting to be redriven: its status before

    def __init__(
        self,
        service: Any,
        *,
        arn: str,
        name: str,
        machine: Any,
        record: Any,
        input_text: str,
        input_value: Any,
        express: bool = False,
        sync: bool = False,
        version_arn: str | None = None,
    ) -> None:
        self.service = service
        self.world = service.world
        self.clock = service.world.clock
        self.scheduler = service.scheduler
        self.arn = arn
        self.name = name
        self.machine = machine  # asl.model.StateMachine
        self.record = record  # the state machine revision record
        self.state_machine_arn = record.arn
        self.role_arn = record.role_arn
        self.input_text = input_text
        self.input_value = input_value
        self.express = express
        self.sync = sync
        self.version_arn = version_arn
        self.alias_arn: str | None = None
        self.map_run_arn: str | None = None  # a Map Run's child execution (runtime/map_runs.py)
        self.item_count = 1  # items a Map Run child processes (its batch's)
        self.status = RUNNING
        self.start_date = self.clock.now()
        self._init_run_state(arn)
        self.ctx_base = ctxmod.execution_part(
            execution_arn=arn,
            input_value=input_value,
            start=self.start_date,
            name=name,
            role_arn=record.role_arn,
            state_machine_arn=record.arn,
            state_machine_name=record.name,
            redrive=not sync,
        )
        # AWS passes unchanged non-object input text through verbatim (spaces included).
        self._raw_ids: dict[int, str] = {}
        if isinstance(input_value, list):
            self._raw_ids[id(input_value)] = input_text
        self._init_bookkeeping(service, express)

    def _init_run_state(self, arn: str) -> None:
        """What the run writes as it goes: the outcome, the history, threads, timers, tokens."""
        self.stop_date: float | None = None
        self.output: Any = None
        self.output_text: str | None = None
        self.error: str | None = None
        self.cause: str | None = None
        self.history = History()
        self.rng = self.world.rng(f"stepfunctions:{arn}", TapedRandom)
        self.main: Thread | None = None
        self.groups: set[Group] = set()
        self.timeout_timer: Any = None
        self.tokens: set[str] = set()

    def _init_bookkeeping(self, service: Any, express: bool) -> None:
        """What the service keeps about the run: listeners, counters, the lock hand-over, limits."""
        self.on_finish: list[Callable[[Execution], None]] = []
        self.seq = 0  # creation number within its state machine (set by StartExecution)
        self.steps = 0  # driver steps while callers wait (when to hand the service lock over)
        lock = service.lock
        self.handoff_lock: HandoffLock | None = lock if isinstance(lock, HandoffLock) else None
        self.listed_in: list[Execution] = []  # its state machine's list of executions
        # API-04: set by DeleteStateMachine; the runner raises Terminated at the next transition.
        self.terminating = False
        # HIS-06: 25,000 events per Standard execution; Express keeps no API history (no limit
        # on AWS), but a runaway one is bounded by its duration (EXPRESS_EVENT_BUDGET, in emit).
        self.max_events = 1 << 62 if express else MAX_EVENTS
        if express:
            self.emit = self._emit_express  # type: ignore[method-assign]
        self.deadline_timer: Any = None  # the active timeout of an Express run out of budget
        # RedriveExecution (redrive.py): how often and when last, and the clientTokens answered.
        self.redrive_count = 0
        self.redrive_date: float | None = None
        self.redrive_tokens: dict[str, tuple[float, float]] = {}

    def __setstate__(self, state: dict) -> None:
        """A restored (or copied) execution: its raw input text is keyed by ``id()`` of the input
        list, which the restored list does not share with the original's."""
        self.__dict__.update(state)
        if self._raw_ids:
            self._raw_ids = {id(self.input_value): self.input_text}

    # -- events -----------------------------------------------------------------------------
    def emit(self, thread: Thread, etype: str, details: dict | None = None) -> int:
        """Record one event of ``thread`` (a Standard execution: HIS-06's 25,000-event limit)."""
        events = self.history.events
        if len(events) >= self.max_events:
            raise StatesFailure(RUNTIME, HISTORY_FULL)
        events.append((etype, thread.last, self.clock.now(), details))
        thread.last = n = len(events)
        return n

    def _emit_express(self, thread: Thread, etype: str, details: dict | None = None) -> int:
        """:meth:`emit` of an Express execution (the instance's ``emit``): no history limit, but
        the duration budget on the longest path (EXPRESS_EVENT_BUDGET)."""
        thread.transitions = t = thread.transitions + 1
        if t > EXPRESS_EVENT_BUDGET or self.deadline_timer is not None:
            raise OutOfTime()  # out of duration: this thread, and every other one, stops here
        events = self.history.events
        events.append((etype, thread.last, self.clock.now(), details))
        thread.last = n = len(events)
        return n

    def dumps(self, value: Any) -> str:
        if self._raw_ids and isinstance(value, list):
            return self._dumps_raw(value)
        return dumps(value)

    def _dumps_raw(self, value: Any) -> str:
        raw = self._raw_ids.get(id(value))
        if raw is not None:
            return raw
        if isinstance(value, list):
            return "[" + ",".join(self._dumps_raw(v) for v in value) + "]"
        return dumps(value)

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        # The execution input is recorded as the caller wrote it (DescribeExecution.input too).
        details = {"input": self.input_text, "roleArn": self.role_arn}
        if self.alias_arn:
            details["stateMachineAliasArn"] = self.alias_arn
        if self.version_arn:
            details["stateMachineVersionArn"] = self.version_arn
        self.history.events.append(("ExecutionStarted", 0, self.start_date, details))
        run_log.started(self)
        self.timeout_timer = self.scheduler.at(
            self.start_date + self._duration_limit(), self._timed_out, passive=True
        )
        main = self.main = Thread(0)
        main.gen = run_program(self, main, self.machine.program, self.input_value, {})
        if self.clock.virtual:
            self.step(main)  # StartExecution runs it until it waits (the driver moves time on)
        else:
            # In real time StartExecution returns at once, as on AWS, whatever the workflow does:
            # its first step is a timer due now, run by the clock's thread (or by a
            # StartSyncExecution caller, which drives the queue itself).
            main.timer = self.scheduler.at(self.start_date, lambda: self.step(main))

    def step(self, thread: Thread, value: Any = None) -> None:
        """Run ``thread`` until it waits or ends (the driver; see module docstring). What it
        sends goes on the thread's tape, as its RNG's draws do (``tape.py``)."""
        gen = thread.gen
        assert gen is not None
        lock = self.handoff_lock
        clock = self.clock
        rng = self.rng
        held, rng.current = rng.current, thread
        try:
            while True:
                if lock is not None and lock.waiting:  # nobody waiting: one attribute read a step
                    self._hand_over(lock)
                if thread.cancelled or self.status != RUNNING:
                    return
                thread.timer = None
                # The tape starts at the first state (the first send, which enters it, is not needed).
                if thread.prologue is not None:
                    thread.tape.append((TAPE_SEND, value, clock.now()))  # type: ignore[union-attr]
                try:
                    cmd = gen.send(value)
                except StopIteration as stop:
                    self._thread_done(thread, True, stop.value)
                    return
                except (Exception, OutOfTime, Terminated) as exc:
                    self._thread_raised(thread, exc)
                    return
                kind = cmd[0]
                if kind == SLEEP:
                    thread.timer = self.scheduler.at(cmd[1], lambda t=thread: self.step(t))
                    return
                if kind == FORK:
                    value = self._fork(thread, cmd[1])
                    if value is None:
                        return  # the group resumes the thread when it finishes
                    continue
                if kind == PARK:
                    thread.parked = cmd[1]
                    return
                raise RuntimeError(f"unknown thread command {kind!r}")
        finally:
            rng.current = held

    def _hand_over(self, lock: HandoffLock) -> None:
        """Hand the service lock to waiting callers every HANDOVER_EVERY steps
        (emulator/handoff.py); on a virtual clock nobody else moves time meanwhile
        (Scheduler.paused)."""
        self.steps += 1
        if not self.steps % HANDOVER_EVERY:
            scheduler = self.clock.scheduler
            scheduler.pause()
            try:
                lock.hand_over()
            finally:
                scheduler.resume()

    def _fork(self, thread: Thread, group: Group) -> tuple[bool, Any] | None:
        """Start ``group`` (a FORK command): its outcome if it finished at once, else None (its
        last child resumes ``thread``)."""
        self.groups.add(group)
        group.owner = thread.resume
        thread.forked = group
        replay = thread.replay
        if replay is not None:  # the first state of a redriven thread (../redrive.py)
            thread.replay = None
            if replay[0] is thread.resume and replay[1] is not None:
                group.seed(*replay[1])
        group.base = thread.transitions
        group.start()
        if group.finished:
            thread.transitions = max(thread.transitions, group.longest)
            self.groups.discard(group)
            return group.outcome
        group.parent = thread
        return None

    def _thread_raised(self, thread: Thread, exc: BaseException) -> None:
        """What a thread's exception does: a StatesFailure ends the thread (then its group or the
        execution); the rest see below."""
        if isinstance(exc, StatesFailure):
            self._thread_done(thread, False, exc)
        elif isinstance(exc, OutOfTime):
            self._run_out_the_clock()
        elif isinstance(exc, Terminated):
            # The thread's state has exited and the next one is not entered: nothing of it to
            # abort; its siblings (Parallel branches, Map iterations) record their aborts.
            thread.state_type = None
            self.stop(None, None)
        elif isinstance(exc, RecursionError):
            # A value grew deeper while the execution ran than the runtime's recursive walkers
            # can follow (the door bounds inputs; a loop can still wrap one level per pass):
            # AWS's Jackson refuses such depth too. [INF] error name; see ../payloads.py.
            self._thread_done(
                thread,
                False,
                StatesFailure(RUNTIME, DEPTH_TEXT.format(depth=f"> {MAX_DEPTH}", limit=MAX_DEPTH)),
            )
        else:  # an emulator bug: fail this execution visibly, keep the rest
            self.service.scheduler.errors.append(exc)
            self._thread_done(thread, False, StatesFailure(RUNTIME, internal_error(exc)))

    def resume(self, thread: Thread, value: Any) -> None:
        """Resume a parked thread (task token answered, timeout fired)."""
        thread.parked = None
        self.step(thread, value)

    def _thread_done(self, thread: Thread, ok: bool, value: Any) -> None:
        thread.finished = True
        thread.tape = thread.prologue = None  # type: ignore[assignment]  # nothing to rebuild now
        if thread.group is not None:
            group = thread.group
            group.child_done(thread, ok, value)
            if group.finished:
                self.groups.discard(group)
            return
        if ok:
            self._succeed(thread, value)
        else:
            self._fail(thread, value)

    def _close(self, status: str) -> None:
        self.status = status
        self.stop_date = self.clock.now()
        if self.timeout_timer is not None:
            self.timeout_timer.cancel()
        if self.deadline_timer is not None:
            self.deadline_timer.cancel()
        for group in list(self.groups):
            group.abort()
        self.groups.clear()
        if self.main is not None:
            self.main.cancel()
        for token in list(self.tokens):
            self.service.tokens.pop(token, None)
            self.service.timed_out_tokens.add(token)  # a late SendTask* → TaskTimedOut (API-19)
        self.tokens.clear()
        self.service.retention.closed(self)
        run_log.ended(self)
        for cb in self.on_finish:
            cb(self)

    def reopen(self, now: float) -> None:
        """A redrive's reopening (RedriveExecution, or a Map Run's redrive of a child): the count and
        date up, RUNNING again with no result, ``$$.Execution.RedriveCount``/``RedriveTime``
        (CTX-07/CTX-08), and ``ExecutionRedriven`` appended ([INF] previousEventId: the event that
        closed the execution before)."""
        self.redrive_count += 1
        self.redrive_date = now
        self.status, self.stop_date = RUNNING, None
        self.error = self.cause = self.output = self.output_text = None
        part = dict(self.ctx_base["Execution"])
        part["RedriveCount"] = self.redrive_count
        part["RedriveTime"] = ctxmod.iso_millis(now)
        self.ctx_base = {**self.ctx_base, "Execution": part}
        events = self.history.events
        events.append(("ExecutionRedriven", len(events), now, {"redriveCount": self.redrive_count}))

    def _succeed(self, thread: Thread, output: Any) -> None:
        self.output = output
        self.output_text = self.dumps(output)
        self.history.events.append(
            ("ExecutionSucceeded", thread.last, self.clock.now(), {"output": self.output_text})
        )
        self._close(SUCCEEDED)

    def _fail(self, thread: Thread, failure: StatesFailure) -> None:
        self.error, self.cause = failure.error, failure.cause
        self.history.events.append(
            ("ExecutionFailed", thread.last, self.clock.now(), error_details(failure.error, failure.cause))
        )
        self._close(FAILED)

    def _run_out_the_clock(self) -> None:
        """An Express execution out of budget: it times out at its duration limit (an active
        event, so a virtual clock moves there, as a StartSyncExecution caller waits there)."""
        if self.deadline_timer is None and self.status == RUNNING:
            self.deadline_timer = self.scheduler.at(self.start_date + self._duration_limit(), self._timed_out)

    def _duration_limit(self) -> float:
        """Seconds the execution may run: its type's limit (LIM-06), or less by TimeoutSeconds."""
        limit = EXPRESS_MAX_SECONDS if self.express else STANDARD_MAX_SECONDS
        timeout = self.machine.timeout_seconds
        if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
            limit = min(limit, float(timeout))
        return limit

    def _timed_out(self) -> None:
        if self.status != RUNNING:
            return
        # Measured on AWS (floci-io/floci#2733, #2782): DescribeExecution of a TIMED_OUT execution
        # has no ``error``/``cause`` keys; ``States.Timeout`` lives only on the ExecutionTimedOut
        # event, whose previousEventId is 0 (like ExecutionAborted, HIS-04). ASL-TOP-05, ERR-12.
        self.error, self.cause = None, None
        self.history.events.append(("ExecutionTimedOut", 0, self.clock.now(), {"error": "States.Timeout"}))
        self._close(TIMED_OUT)

    def stop(self, error: str | None, cause: str | None) -> None:
        """StopExecution (API-08): the in-flight states record their aborts, then
        ``ExecutionAborted`` (previousEventId 0, HIS-04) closes the history; ``_close`` cancels
        every timer, retry wait and task token of the execution."""
        if self.status != RUNNING:
            return
        self.error, self.cause = error, cause
        if self.main is not None:
            parents = self.group_parents()
            try:
                self._record_abort(self.main, parents)
            except StatesFailure:  # the 25,000-event limit (HIS-06): the terminal event still goes in
                pass
        self.history.events.append(("ExecutionAborted", 0, self.clock.now(), error_details(error, cause)))
        self._close(ABORTED)

    def _record_abort(self, thread: Thread, parents: dict[int, Group]) -> None:
        """Abort events of ``thread``'s in-flight state, innermost first (reference §12.2/§12.3):
        a running Task/Map/Parallel records ``<Type>StateAborted`` after whatever it runs — each
        running inline-Map iteration's inner aborts then ``MapIterationAborted {index, name}``,
        each Parallel branch's inner aborts, a distributed Map's ``MapRunAborted``. A Wait records
        nothing (WAIT-06, observed: ``WaitStateEntered`` → ``ExecutionAborted``)."""
        if thread.finished or thread.cancelled:
            return
        self._abort_group_of(thread, parents, record=True)
        if thread.state_type in ABORTABLE:
            self.emit(thread, f"{thread.state_type}StateAborted")

    def _abort_group_of(self, thread: Thread, parents: dict[int, Group], *, record: bool) -> None:
        """Abort the Map/Parallel children ``thread`` is waiting on (if any), recording their
        abort events first when ``record``; the group is cancelled and forgotten."""
        group = parents.get(id(thread))
        if group is None:
            return
        if record and not group.private:
            for i in sorted(group.running):
                child = group.running[i]
                self._record_abort(child, parents)
                if group.iteration_name is not None:
                    self.emit(
                        child, "MapIterationAborted", {"index": child.index, "name": group.iteration_name}
                    )
            if group.running:
                thread.last = max(c.last for c in group.running.values())
        else:
            if record:  # a distributed Map: its child executions keep their own histories
                self.emit(thread, "MapRunAborted")
            for child in list(group.running.values()):
                self._abort_group_of(child, parents, record=False)
        group.parent = None
        group.abort()
        self.groups.discard(group)

    def group_parents(self) -> dict[int, Group]:
        """The running Map/Parallel groups by the id of the thread waiting on each."""
        return {id(g.parent): g for g in self.groups if g.parent is not None and not g.finished}

    def abort_inner(self, thread: Thread, parents: dict[int, Group], *, record: bool = True) -> None:
        """``thread`` is being aborted by a failing sibling: abort what its in-flight Map or
        Parallel runs (recording the inner abort events when ``record``), not its own state.
        ``parents`` is :meth:`group_parents`, taken once for all the siblings."""
        if thread.finished or thread.cancelled:
            return
        self._abort_group_of(thread, parents, record=record)

    # -- helpers for states -----------------------------------------------------------------
    def state_context(self, name: str, entered: float, retry_count: int | None = None) -> dict:
        return ctxmod.state_context(self.ctx_base, name, entered, retry_count)

    def input_json(self) -> str:
        return self.input_text if self._raw_ids else dumps(self.input_value)
