"""What one execution did to each state, read from its history (GetExecutionHistory's events).

The history is a tree threaded by ``previousEventId``: each event follows the one before it in its
own thread (a Parallel branch, a Map iteration). Walking that chain tells, for every event, which
state *instance* (one entry into a state, named by its ``*StateEntered`` event id) it belongs to:
an event after ``X StateExited`` belongs to X's parent instance, and the Map/Parallel bookkeeping
events (``MapIterationFailed``, ``ParallelStateFailed``...) to the nearest enclosing Map or
Parallel. From that:

* duration — each instance's exit minus entry, on the execution's clock, summed over entries;
* retried — a task scheduled again (or a Map/Parallel started again) after a failure in the same
  instance; caught — an instance that exits after a failure (its Catch was taken, and that edge is
  on the path); failed — an instance whose last failure was neither retried nor caught, and the
  instance whose failure ended the execution;
* iterations — ``MapIteration*`` counts per Map, or the Map Run's ``itemCounts`` for a Distributed
  Map (``map_runs`` are DescribeMapRun answers keyed by Map Run ARN).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import Graph

_FAILURES = frozenset(
    {
        "TaskFailed",
        "TaskTimedOut",
        "TaskStartFailed",
        "TaskSubmitFailed",
        "LambdaFunctionFailed",
        "LambdaFunctionTimedOut",
        "LambdaFunctionStartFailed",
        "LambdaFunctionScheduleFailed",
        "ActivityFailed",
        "ActivityTimedOut",
        "ActivityScheduleFailed",
        "MapStateFailed",
        "ParallelStateFailed",
        "MapRunFailed",
        "EvaluationFailed",
        "FailStateEntered",
    }
)
_ATTEMPTS = ("Scheduled", "TaskStarted", "MapStateStarted", "ParallelStateStarted")
_CONTAINER_EVENTS = ("MapState", "ParallelState", "MapIteration", "MapRun")


@dataclass
class StateRun:
    """One state's part in an execution, over all its entries."""

    entries: int = 0
    seconds: float = 0.0
    retries: int = 0
    caught: bool = False
    failed: bool = False
    error: str | None = None
    iterations: dict[str, int] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)  # input and output per entry (html)
    running: bool = False  # entered and not left, in an execution still running


@dataclass
class Overlay:
    """The execution over the graph: states run, transitions taken, how it ended."""

    status: str
    states: dict[str, StateRun]
    taken: set[tuple[str, str, bool]]  # (source, target, by a Catch)
    first: str | None = None  # the state the execution entered first
    last: str | None = None  # the top-level state it ended in (SUCCEEDED / FAILED)
    error: str | None = None


@dataclass
class Entry:
    """One entry into a state (a state *instance*): its name and type (``TaskStateEntered`` →
    ``Task``), the instance it runs in, and the times it was entered and exited (None: not left)."""

    name: str
    type: str
    parent: int | None
    entered: Any
    failed: bool = False
    last: Any = None  # the time of its latest event
    exited: Any = None


def read_history(
    graph: Graph, events: Iterable[Mapping[str, Any]], map_runs: Mapping[str, Any] | None = None
) -> Overlay:
    """The overlay of an execution's ``events`` on ``graph`` (see the module docstring)."""
    walk = _walked(events)
    for instance in walk.instances.values():
        run = walk.state(instance.name)
        run.failed = run.failed or instance.failed
        if instance.exited is None:  # failed, a Fail state, or still running: until its latest event
            run.seconds += (instance.last - instance.entered).total_seconds()
            run.running = run.running or (walk.status == "RUNNING" and not instance.failed)
    for started in walk.map_runs_started:
        _map_run_counts(walk, started, map_runs or {})
    top = {n.name for n in graph.nodes}
    last = next((walk.instances[i].name for i in reversed(walk.order) if walk.instances[i].name in top), None)
    return Overlay(walk.status, walk.states, walk.taken, walk.first, last, walk.error)


def entries(events: Iterable[Mapping[str, Any]]) -> list[Entry]:
    """Every entry into a state, in the order they were entered; each exit closes the entry its
    event's thread (``previousEventId``) is in (the console's states table)."""
    walk = _walked(events)
    return [walk.instances[i] for i in walk.order]


def _walked(events: Iterable[Mapping[str, Any]]) -> _Walk:
    walk = _Walk()
    for e in events:
        walk.add(e)
    return walk


class _Walk:
    """The running state of :func:`read_history`: one event at a time, in id order."""

    def __init__(self) -> None:
        self.instances: dict[int, Entry] = {}
        self.order: list[int] = []
        self.cont: dict[int, int | None] = {0: None}  # event id → instance a following event is in
        self.states: dict[str, StateRun] = {}
        self.taken: set[tuple[str, str, bool]] = set()
        self.map_runs_started: list[tuple[str, str]] = []
        self.exited: dict[int, tuple[str, bool]] = {}  # StateExited event id → (state, by a Catch)
        self.status = "RUNNING"
        self.error: str | None = None
        self.first: str | None = None

    def state(self, name: str) -> StateRun:
        return self.states.setdefault(name, StateRun())

    def add(self, e: Mapping[str, Any]) -> None:
        kind, eid, prev = e["type"], e["id"], e.get("previousEventId", 0)
        details: Mapping[str, Any] = (
            next((v for k, v in e.items() if k.endswith("EventDetails") and v), {}) or {}
        )
        inst = self._instance_of(kind, prev, details)
        if kind.endswith("StateEntered"):
            inst = self._enter(e, prev, details, inst)
        if kind in _FAILURES and inst is not None:
            self.instances[inst].failed = True
            self.state(self.instances[inst].name).error = details.get("error")
        elif kind.endswith(_ATTEMPTS) and inst is not None and self.instances[inst].failed:
            self.instances[inst].failed = False
            self.state(self.instances[inst].name).retries += 1
        if kind.startswith("MapIteration") and details.get("name"):
            counts = self.state(details["name"]).iterations
            key = kind.removeprefix("MapIteration").lower()
            counts[key] = counts.get(key, 0) + 1
        if kind == "MapRunStarted" and inst is not None:
            self.map_runs_started.append((self.instances[inst].name, details.get("mapRunArn", "")))
        self.cont[eid] = inst
        if inst is not None:
            self.instances[inst].last = e["timestamp"]
        if kind.endswith("StateExited") and inst is not None:
            self._exit(e, inst, details)
        if kind.startswith("Execution") and kind != "ExecutionStarted":
            self._close(kind, details, inst)

    def _instance_of(self, kind: str, prev: int, details: Mapping[str, Any]) -> int | None:
        inst = self.cont.get(prev)
        if kind.startswith(_CONTAINER_EVENTS):
            wanted = details.get("name") if kind.startswith("MapIteration") else None
            while inst is not None:
                instance = self.instances[inst]
                if instance.name == wanted or (wanted is None and instance.type in ("Map", "Parallel")):
                    break
                inst = instance.parent
        return inst

    def _enter(self, e: Mapping[str, Any], prev: int, details: Mapping[str, Any], parent: int | None) -> int:
        name = details.get("name", "?")
        if prev in self.exited:
            source, by_catch = self.exited[prev]
            self.taken.add((source, name, by_catch))
        if self.first is None:
            self.first = name
        kind = e["type"].removesuffix("StateEntered")
        self.instances[e["id"]] = Entry(name, kind, parent, e["timestamp"], last=e["timestamp"])
        self.order.append(e["id"])
        run = self.state(name)
        run.entries += 1
        run.runs.append({"input": _json(details.get("input"))})
        return e["id"]

    def _exit(self, e: Mapping[str, Any], inst: int, details: Mapping[str, Any]) -> None:
        instance = self.instances[inst]
        run = self.state(instance.name)
        run.seconds += (e["timestamp"] - instance.entered).total_seconds()
        instance.exited = e["timestamp"]
        if run.runs:
            run.runs[-1]["output"] = _json(details.get("output"))
        self.exited[e["id"]] = (instance.name, instance.failed)
        if instance.failed:  # it failed, yet it exits: a Catch took it on
            instance.failed = False
            run.caught = True
        self.cont[e["id"]] = instance.parent

    def _close(self, kind: str, details: Mapping[str, Any], inst: int | None) -> None:
        if kind in ("ExecutionFailed", "ExecutionTimedOut") and inst is not None:
            self.instances[inst].failed = True  # the state the execution ended in
            run = self.state(self.instances[inst].name)
            run.error = run.error or details.get("error")
        self.status = {
            "ExecutionSucceeded": "SUCCEEDED",
            "ExecutionFailed": "FAILED",
            "ExecutionTimedOut": "TIMED_OUT",
            "ExecutionAborted": "ABORTED",
        }.get(kind, self.status)
        self.error = details.get("error", self.error)


def _map_run_counts(walk: _Walk, started: tuple[str, str], map_runs: Mapping[str, Any]) -> None:
    name, arn = started
    answer = map_runs.get(arn) or {}
    items = answer.get("itemCounts") or {}
    counts = walk.state(name).iterations
    for key in ("succeeded", "failed", "aborted", "timedOut", "running", "pending"):
        if items.get(key):
            counts[key.lower()] = counts.get(key.lower(), 0) + items[key]
    counts["started"] = counts.get("started", 0) + int(items.get("total", 0))


def _json(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text
