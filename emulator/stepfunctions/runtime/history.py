"""Execution history: events with AWS's ids, previousEventIds and detail members.

An event is stored as a small tuple ``(type, previous_id, timestamp, details)`` — ids are the
list position + 1 (HIS-02: ids start at 1 and grow by one in emission order, across branches and
iterations). Rendering to the API shape (``GetExecutionHistory``) happens only when asked:
the per-state cost of recording is one tuple and one list append.

Which detail member an event type carries is a table (:data:`DETAILS_MEMBER`), taken from the
API's ``HistoryEvent`` shape (reference §12.2). Payloads (``input``, ``output``, ``parameters``)
are stored as the JSON *strings* AWS records; ``includeExecutionData=False`` drops them.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

UTC = _dt.timezone.utc

MAX_EVENTS = 25_000  # HIS-06 / LIM-03

_STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Parallel", "Map", "Succeed", "Fail")

DETAILS_MEMBER: dict[str, str | None] = {
    "ExecutionStarted": "executionStartedEventDetails",
    "ExecutionSucceeded": "executionSucceededEventDetails",
    "ExecutionFailed": "executionFailedEventDetails",
    "ExecutionAborted": "executionAbortedEventDetails",
    "ExecutionTimedOut": "executionTimedOutEventDetails",
    "ExecutionRedriven": "executionRedrivenEventDetails",
    "TaskScheduled": "taskScheduledEventDetails",
    "TaskStarted": "taskStartedEventDetails",
    "TaskSubmitted": "taskSubmittedEventDetails",
    "TaskSucceeded": "taskSucceededEventDetails",
    "TaskFailed": "taskFailedEventDetails",
    "TaskStartFailed": "taskStartFailedEventDetails",
    "TaskSubmitFailed": "taskSubmitFailedEventDetails",
    "TaskTimedOut": "taskTimedOutEventDetails",
    "LambdaFunctionScheduled": "lambdaFunctionScheduledEventDetails",
    "LambdaFunctionStarted": None,
    "LambdaFunctionSucceeded": "lambdaFunctionSucceededEventDetails",
    "LambdaFunctionFailed": "lambdaFunctionFailedEventDetails",
    "LambdaFunctionScheduleFailed": "lambdaFunctionScheduleFailedEventDetails",
    "LambdaFunctionStartFailed": "lambdaFunctionStartFailedEventDetails",
    "LambdaFunctionTimedOut": "lambdaFunctionTimedOutEventDetails",
    "ActivityScheduled": "activityScheduledEventDetails",
    "ActivityStarted": "activityStartedEventDetails",
    "ActivitySucceeded": "activitySucceededEventDetails",
    "ActivityFailed": "activityFailedEventDetails",
    "ActivityScheduleFailed": "activityScheduleFailedEventDetails",
    "ActivityTimedOut": "activityTimedOutEventDetails",
    "ParallelStateStarted": None, "ParallelStateSucceeded": None, "ParallelStateFailed": None,
    "ParallelStateAborted": None,
    "MapStateStarted": "mapStateStartedEventDetails",
    "MapStateSucceeded": None, "MapStateFailed": None, "MapStateAborted": None,
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapIterationAborted": "mapIterationAbortedEventDetails",
    "MapRunStarted": "mapRunStartedEventDetails",
    "MapRunSucceeded": None, "MapRunAborted": None,
    "MapRunFailed": "mapRunFailedEventDetails",
    "EvaluationFailed": "evaluationFailedEventDetails",
    "TaskStateAborted": None, "WaitStateAborted": None,
}
for _t in _STATE_TYPES:
    DETAILS_MEMBER[f"{_t}StateEntered"] = "stateEnteredEventDetails"
    if _t != "Fail":
        DETAILS_MEMBER[f"{_t}StateExited"] = "stateExitedEventDetails"

_PAYLOAD_KEYS = ("input", "output", "parameters")
_TRUNC = {"truncated": False}


_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def dumps(value: Any) -> str:
    """Compact JSON, the way AWS prints payloads (``{"a":1}``). One shared encoder: building a
    ``JSONEncoder`` per call (what ``json.dumps`` does for non-default options) doubled the cost."""
    return _encode(value)


class History:
    """The ordered events of one execution."""

    __slots__ = ("events", "clock")

    def __init__(self, clock: Any) -> None:
        self.events: list[tuple[str, int, float, dict | None]] = []
        self.clock = clock

    def add(self, etype: str, previous: int, details: dict | None = None,
            timestamp: float | None = None) -> int:
        """Append an event; returns its id."""
        events = self.events
        events.append((etype, previous, self.clock.now() if timestamp is None else timestamp,
                       details))
        return len(events)

    def __len__(self) -> int:
        return len(self.events)

    def types(self) -> list[str]:
        return [e[0] for e in self.events]

    def render(self, index: int, *, include_data: bool = True) -> dict[str, Any]:
        """The API shape of the event at ``index`` (0-based)."""
        etype, prev, ts, details = self.events[index]
        event: dict[str, Any] = {
            "timestamp": _dt.datetime.fromtimestamp(round(ts, 3), UTC),
            "type": etype, "id": index + 1, "previousEventId": prev,
        }
        member = DETAILS_MEMBER.get(etype)
        if member is not None:
            d = dict(details) if details else {}
            if not include_data:
                for k in _PAYLOAD_KEYS:
                    d.pop(k, None)
            event[member] = d
        return event

    def render_all(self, *, include_data: bool = True, reverse: bool = False) -> list[dict]:
        idx = range(len(self.events))
        if reverse:
            idx = reversed(idx)  # type: ignore[assignment]
        return [self.render(i, include_data=include_data) for i in idx]


def entered(name: str, input_json: str) -> dict:
    return {"name": name, "input": input_json, "inputDetails": _TRUNC}


def exited(name: str, output_json: str, assigned: dict[str, str] | None = None) -> dict:
    d = {"name": name, "output": output_json, "outputDetails": _TRUNC}
    if assigned:
        d["assignedVariables"] = assigned
        d["assignedVariablesDetails"] = _TRUNC
    return d


def error_details(error: str | None, cause: str | None) -> dict:
    d: dict[str, Any] = {}
    if error is not None:
        d["error"] = error
    if cause is not None:
        d["cause"] = cause
    return d
