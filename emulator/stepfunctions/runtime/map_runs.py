"""Map Runs: what a Distributed Map starts (MAP-12, MAP-14, MAP-16).

A Distributed Map run is a Map Run resource (``arn:...:mapRun:<sm>/<label>:<uuid>``) whose
iterations, or batches, are child executions of the state machine ``...:stateMachine:<sm>/<label>``
(of the ``ProcessorConfig.ExecutionType``). Each child has its own name (a UUID), ARN
(``...:execution:<sm>/<label>:<name>``), context object, input, output and history
(``ExecutionStarted`` … ``ExecutionSucceeded|Failed|Aborted``), seen through DescribeExecution,
GetExecutionHistory and ``ListExecutions(mapRunArn=...)``; the parent's history keeps only the
``MapRun*`` events. DescribeMapRun/ListMapRuns/UpdateMapRun read and change :class:`MapRun`.

The children run as threads of the parent execution on the one scheduler (a copy of the parent
:class:`~.execution.Execution` with its own identity and history), so they interleave with each
other and with the parent exactly as the rest of the runtime does; ``MaxConcurrency`` and the
tolerated failure thresholds are the :class:`~.threads.Group`'s, which UpdateMapRun changes
while the run goes.

Redrive (MAP-17): redriving the parent re-enters the Map state, which then redrives the SAME Map
Run (``MapRunRedriven {mapRunArn, redriveCount}`` in the parent's history instead of
``MapRunStarted``; the run's ``redriveCount``/``redriveDate``): each STANDARD child that failed,
timed out or was aborted is redriven itself — same ARN, ``ExecutionRedriven`` appended to its
history, its ``redriveCount`` up, on from the state it failed in — and waits as
``PENDING_REDRIVE`` until the run's concurrency lets it start; an item whose child never started
starts a new child. EXPRESS children cannot be redriven: failed ones run again as new children
(AWS, "Redriving Map Runs"). [INF]: a child that is not reached before the run ends again keeps
its earlier status.

The ResultWriter files (``manifest.json``, ``SUCCEEDED_0.json``, ``FAILED_0.json``,
``PENDING_0.json``) are in ``map_results.py``.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..asl.failures import RUNTIME, StatesFailure
from . import context as ctxmod
from . import run_log
from .history import History, dumps, error_details
from .tape import taped
from .threads import ABORTED, FAILED, RUNNING, SUCCEEDED, Group, Thread

if TYPE_CHECKING:
    from .execution import Execution

Program = Callable[["Execution", Thread, Any], Generator[Any, Any, Any]]
#: "the hard limit of 1000 redrives of a given Map Run. If you've exceeded this limit, you'll receive
#: the States.Runtime error" (DG, "Redriving Map Runs"); [INF] the cause text.
MAX_MAP_RUN_REDRIVES = 1000
MAP_RUN_REDRIVES = f"The Map Run has been redriven the maximum number of times ({MAX_MAP_RUN_REDRIVES})"
EXECUTION_STATUSES = (RUNNING, SUCCEEDED, FAILED, "TIMED_OUT", ABORTED, "PENDING_REDRIVE")
PENDING_REDRIVE = "PENDING_REDRIVE"


@dataclass(slots=True, eq=False)
class MapRun:
    """One Map Run: its configuration (changed by UpdateMapRun), children and outcome."""

    arn: str
    execution_arn: str  # the parent execution
    state_machine_arn: str  # the parent's state machine
    child_machine_arn: str  # ...:stateMachine:<sm>/<label>
    label: str
    run_id: str
    execution_type: str  # STANDARD or EXPRESS (ProcessorConfig.ExecutionType)
    start_date: float
    max_concurrency: int = 0
    tolerated_pct: float = 0.0
    tolerated_count: int = 0
    status: str = RUNNING
    stop_date: float | None = None
    children: list = field(default_factory=list)  # child executions, in start order
    pending_items: list = field(default_factory=list)  # per child input: item count
    item_total: int = 0
    results_written: int = 0
    group: Group | None = None
    redrive_count: int = 0
    redrive_date: float | None = None
    by_index: dict = field(default_factory=dict)  # item (or batch) index → its child execution


def open_run(ex: Execution, state: Any, limit: Any, tolerance: tuple[Any, Any]) -> MapRun:
    """Create the Map Run of ``state`` in ``ex`` (its ARN as MAP-12) and register it."""
    run_id = str(uuid.UUID(int=ex.rng.getrandbits(128), version=4))
    # MAP-12: without a Label, AWS generates a unique one (a UUID), not the state's name.
    label = (
        state.label
        if isinstance(state.label, str)
        else str(uuid.UUID(int=ex.rng.getrandbits(128), version=4))
    )
    run = MapRun(
        arn=ex.service.arn("states", f"mapRun:{ex.record.name}/{label}:{run_id}"),
        execution_arn=ex.arn,
        state_machine_arn=ex.state_machine_arn,
        child_machine_arn=ex.service.arn("states", f"stateMachine:{ex.record.name}/{label}"),
        label=label,
        run_id=run_id,
        execution_type=state.execution_type,
        start_date=ex.clock.now(),
        max_concurrency=limit if isinstance(limit, int) and limit > 0 else 0,
        tolerated_pct=float(tolerance[1] or 0),
        tolerated_count=int(tolerance[0] or 0),
    )
    ex.service.map_runs[run.arn] = run
    ex.service.map_runs_of.setdefault(ex.arn, []).append(run)
    # The parent stopped or timed out while the run went: the run and its children are aborted.
    ex.on_finish.append(
        lambda done: close_run(run, ABORTED, done.clock.now()) if run.status == RUNNING else None
    )
    return run


def begin_run(ex: Execution, thread: Thread, state: Any, limit: Any, tolerance: tuple[Any, Any]) -> MapRun:
    """The Map Run of this entry of ``state``: the one a redrive re-enters (MAP-17), reopened
    with ``MapRunRedriven``, else a new one with ``MapRunStarted``."""
    replay = thread.replay
    old = replay[2] if replay is not None and replay[0] is thread.resume else None
    if old is None or old.status not in (FAILED, ABORTED):
        run = open_run(ex, state, limit, tolerance)
        ex.emit(thread, "MapRunStarted", {"mapRunArn": run.arn})
        return run
    if old.redrive_count >= MAX_MAP_RUN_REDRIVES:
        raise StatesFailure(RUNTIME, MAP_RUN_REDRIVES)
    now = ex.clock.now()
    old.status, old.stop_date = RUNNING, None
    old.redrive_count += 1
    old.redrive_date = now
    redo = replay[1][1] if replay[1] is not None else {}
    if old.execution_type == "STANDARD":
        for i in redo:
            child = old.by_index.get(i)
            if child is not None and child.status not in (RUNNING, SUCCEEDED):
                child.before_redrive = child.status
                child.status = PENDING_REDRIVE
    ex.on_finish.append(
        lambda done: close_run(old, ABORTED, done.clock.now()) if old.status == RUNNING else None
    )
    ex.emit(thread, "MapRunRedriven", {"mapRunArn": old.arn, "redriveCount": old.redrive_count})
    return old


def child_program(
    run: MapRun, ex: Execution, th: Thread, value: Any, items: int, program: Program, index: int = -1
) -> Generator[Any, Any, Any]:
    """The thread of one child execution: ``ExecutionStarted``, ``program(child, th, value)``
    (the item processor), its end event; a child waiting to be redriven goes on instead."""
    child = taped(ex, th, lambda: _child_of(run, ex, th, value, items, index))
    try:
        out = yield from program(child, th, value)
    except StatesFailure as failure:
        child.error, child.cause = failure.error, failure.cause
        _end_child(child, th, FAILED, "ExecutionFailed", error_details(failure.error, failure.cause))
        raise
    child.output = out
    child.output_text = dumps(out)
    _end_child(child, th, SUCCEEDED, "ExecutionSucceeded", {"output": child.output_text})
    return out


def _child_of(run: MapRun, ex: Execution, th: Thread, value: Any, items: int, index: int) -> Execution:
    """The child execution of item ``index``: redriven if it waits for that, else a new one."""
    child = run.by_index.get(index)
    if child is not None and child.status == PENDING_REDRIVE:
        _redrive_child(child, th)
        return child
    child = _new_child(run, ex, value, items)
    run.by_index[index] = child
    th.last = 0
    child.emit(th, "ExecutionStarted", {"input": child.input_text, "roleArn": child.role_arn})
    return child


def _redrive_child(child: Execution, th: Thread) -> None:
    """A child that failed (or timed out, or was aborted) goes on as a redriven execution, as
    RedriveExecution does for a top-level one (``redrive.py``)."""
    child.reopen(child.clock.now())
    th.last = len(child.history.events)


def _new_child(run: MapRun, ex: Execution, value: Any, items: int) -> Execution:
    """A copy of the parent execution with the child's identity, context object and history."""
    name = str(uuid.UUID(int=ex.rng.getrandbits(128), version=4))
    sm_name = ex.record.name
    if run.execution_type == "EXPRESS":  # [INF] the Express child ARN form
        suffix = uuid.UUID(int=ex.rng.getrandbits(128), version=4)
        arn = ex.service.arn("states", f"express:{sm_name}/{run.label}:{name}:{suffix}")
    else:
        arn = ex.service.arn("states", f"execution:{sm_name}/{run.label}:{name}")
    child = copy.copy(ex)
    child.__dict__.pop("emit", None)  # an Express parent's budgeted emit is bound to the parent
    child.arn, child.name = arn, name
    child.history = History()
    child.status, child.start_date, child.stop_date = RUNNING, ex.clock.now(), None
    child.input_value, child.input_text = value, dumps(value)
    child._raw_ids = {}
    child.output = child.output_text = child.error = child.cause = None
    child.state_machine_arn = run.child_machine_arn
    child.version_arn = child.alias_arn = None
    child.map_run_arn = run.arn
    child.redrive_count, child.redrive_date, child.redrive_tokens = 0, None, {}
    child.item_count = items
    child.seq = len(run.children)  # its start number in the run: ListExecutions' order and tokens
    child.ctx_base = ctxmod.execution_part(
        execution_arn=arn,
        input_value=value,
        start=child.start_date,
        name=name,
        role_arn=ex.role_arn,
        state_machine_arn=run.child_machine_arn,
        state_machine_name=f"{sm_name}/{run.label}",
        redrive=run.execution_type == "STANDARD",
    )
    run.children.append(child)
    ex.service.map_run_children[arn] = child
    run_log.started(child)
    return child


def _end_child(child: Execution, th: Thread, status: str, event: str, details: dict) -> None:
    child.history.events.append((event, th.last, child.clock.now(), details))
    child.status, child.stop_date = status, child.clock.now()
    run_log.ended(child)


def close_run(run: MapRun, status: str, now: float) -> None:
    """The run ended (``SUCCEEDED``, ``FAILED`` or ``ABORTED``): children still running were
    aborted with it (``ExecutionAborted``, previousEventId 0 as for StopExecution)."""
    for child in run.children:
        if child.status == RUNNING:
            child.history.events.append(("ExecutionAborted", 0, now, {}))
            child.status, child.stop_date = ABORTED, now
            run_log.ended(child)
        elif child.status == PENDING_REDRIVE:
            child.status = child.before_redrive
    run.status, run.stop_date = status, now
    run.group = None


def counts(run: MapRun) -> tuple[dict, dict]:
    """DescribeMapRun's ``itemCounts`` and ``executionCounts``."""
    by_status = dict.fromkeys(EXECUTION_STATUSES, 0)
    items_by_status = dict.fromkeys(EXECUTION_STATUSES, 0)
    for child in run.children:
        by_status[child.status] += 1
        items_by_status[child.status] += child.item_count
    started_items = sum(items_by_status.values())
    executions = _count_shape(by_status, len(run.pending_items) - len(run.children), len(run.pending_items))
    items = _count_shape(items_by_status, run.item_total - started_items, run.item_total)
    executions["resultsWritten"] = run.results_written
    executions["pendingRedrive"] = by_status[PENDING_REDRIVE]
    items["pendingRedrive"] = items_by_status[PENDING_REDRIVE]
    items["resultsWritten"] = run.results_written and sum(
        c.item_count for c in run.children if c.status != RUNNING
    )
    return items, executions


def _count_shape(by_status: dict, pending: int, total: int) -> dict:
    return {
        "pending": max(pending, 0),
        "running": by_status[RUNNING],
        "succeeded": by_status[SUCCEEDED],
        "failed": by_status[FAILED],
        "timedOut": by_status["TIMED_OUT"],
        "aborted": by_status[ABORTED],
        "total": total,
        "resultsWritten": 0,
        "failuresNotRedrivable": 0,
        "pendingRedrive": 0,
    }


#: [INF] the error a stopped child reports to its Map Run when StopExecution gave none.
CHILD_ABORTED = "States.Aborted"


def stop_child(child: Execution, run: MapRun, error: str | None, cause: str | None) -> None:
    """StopExecution of a running child (MAP-19): its in-flight state records its abort, then
    ``ExecutionAborted`` closes its history; the Map Run counts it as an unsuccessful child (an
    aborted one), which fails the run unless the tolerated failures allow it, as a failed child
    does. [INF]: the failure it reports to the run is the stop's ``error``/``cause``
    (``States.Aborted`` without one)."""
    group = run.group
    index = next((i for i, c in run.by_index.items() if c is child), None)
    th = group.running.get(index) if group is not None and index is not None else None
    if child.status != RUNNING or th is None:
        return
    parents = child.group_parents()
    try:
        child._record_abort(th, parents)
    except StatesFailure:  # the history is full: the terminal event still goes in
        pass
    now = child.clock.now()
    child.history.events.append(("ExecutionAborted", 0, now, error_details(error, cause)))
    child.status, child.stop_date = ABORTED, now
    child.error, child.cause = error, cause
    th.cancel()
    child._thread_done(th, False, StatesFailure(error or CHILD_ABORTED, cause))
