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
import re
from typing import Any

UTC = _dt.timezone.utc


def api_datetime(epoch: float) -> _dt.datetime:
    """A clock reading as the API's timestamps carry it: UTC, whole milliseconds (event
    ``timestamp``, ``creationDate``, ``startDate``, ``EnteredTime`` …)."""
    return _dt.datetime.fromtimestamp(round(epoch, 3), UTC)


MAX_EVENTS = 25_000  # HIS-06 / LIM-03

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Parallel", "Map", "Succeed", "Fail")

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
    "ParallelStateStarted": None,
    "ParallelStateSucceeded": None,
    "ParallelStateFailed": None,
    "ParallelStateAborted": None,
    "MapStateStarted": "mapStateStartedEventDetails",
    "MapStateSucceeded": None,
    "MapStateFailed": None,
    "MapStateAborted": None,
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapIterationAborted": "mapIterationAbortedEventDetails",
    "MapRunStarted": "mapRunStartedEventDetails",
    "MapRunSucceeded": None,
    "MapRunAborted": None,
    "MapRunFailed": "mapRunFailedEventDetails",
    "MapRunRedriven": "mapRunRedrivenEventDetails",
    "EvaluationFailed": "evaluationFailedEventDetails",
    "TaskStateAborted": None,
    "WaitStateAborted": None,
}
for _t in STATE_TYPES:
    DETAILS_MEMBER[f"{_t}StateEntered"] = "stateEnteredEventDetails"
    if _t != "Fail":
        DETAILS_MEMBER[f"{_t}StateExited"] = "stateExitedEventDetails"

_PAYLOAD_KEYS = ("input", "output", "parameters")


_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_encode_str = json.encoder.encode_basestring  # the C implementation when available
_SCALARS: dict[Any, str] = {None: "null", True: "true", False: "false"}
# Where Python's encoder printed a float that Java prints differently: Python's repr goes
# scientific below 1e-4 and from 1e16 (``1e-05``, ``1.5e+16``), Java's below 1e-3 and from 1e7
# (``1.0E-4``, ``1.2345678E7``); in between both print the same shortest digits. So only a number
# with an exponent (``e+``/``e-`` then a digit), 8+ integer digits before the point, or
# ``0.000d`` needs Java's form. The two patterns start with a literal, which ``re`` scans for at C
# speed (a few µs per 50 KB); matches inside strings are false alarms that only cost the slow
# path, never a wrong answer.
_JAVA_POINT = re.compile(r"\.(?:000\d|\d+e|(?<=\d{8}\.))")
_JAVA_EXPONENT = re.compile(r"e[-+]\d")


def dumps(value: Any) -> str:
    """THE serializer of Step Functions payloads: history details (``input``, ``output``,
    ``parameters``, ``assignedVariables``), DescribeExecution/StartSyncExecution ``output``, task
    inputs — everything AWS prints with Jackson.

    Compact JSON (``{"a":1}``) with doubles printed the way Java does (``1.0E20``, ``1.5``,
    ``1.2345678E7``), by :func:`asl.jsonpath.compact_json` — the same function the JSONPath data
    flow and the intrinsics use, so a value prints identically everywhere. Fast paths: strings,
    integers and the constants skip the encoder entirely (Map items often are scalars), and a
    container is first encoded by the shared C encoder (building a ``JSONEncoder`` per call, what
    ``json.dumps`` does for non-default options, doubled the cost); only text that may hold a float
    Java prints differently is re-rendered by ``compact_json``."""
    t = type(value)
    if t is str:
        return _encode_str(value)
    if t is int:
        return int.__repr__(value)
    if value is None or t is bool:
        return _SCALARS[value]
    if t is float:
        from ..asl.jsonpath import java_double  # lazy: jsonpath-ng costs ~35 ms to import

        return java_double(value)
    text = _encode(value)
    if _JAVA_POINT.search(text) is None and _JAVA_EXPONENT.search(text) is None:
        return text
    from ..asl.jsonpath import compact_json  # lazy, as above: import-time cost only (no cycle)

    return compact_json(value)


PAYLOAD_LIMIT = 262_144  # LIM-01: a state's or task's payload, 256 KiB of UTF-8
_SMALL_PAYLOAD = PAYLOAD_LIMIT // 4  # below this many characters the UTF-8 size cannot exceed it


def over_payload_limit(text: str) -> bool:
    """Whether :func:`dumps` text exceeds LIM-01 (encodes only text long enough to possibly)."""
    return len(text) > _SMALL_PAYLOAD and len(text.encode("utf-8", "surrogatepass")) > PAYLOAD_LIMIT


class History:
    """The ordered events of one execution."""

    __slots__ = ("events",)

    def __init__(self) -> None:
        # Appended by ``Execution.emit`` (which also enforces HIS-06's event limit).
        self.events: list[tuple[str, int, float, dict | None]] = []

    def __len__(self) -> int:
        return len(self.events)

    def render(self, index: int, *, include_data: bool = True) -> dict[str, Any]:
        """The API shape of the event at ``index`` (0-based)."""
        etype, prev, ts, details = self.events[index]
        event: dict[str, Any] = {
            "timestamp": api_datetime(ts),
            "type": etype,
            "id": index + 1,
            "previousEventId": prev,
        }
        member = DETAILS_MEMBER.get(etype)
        if member is not None:
            event[member] = _details(details, include_data)
        return event


def _details(stored: dict | None, include_data: bool) -> dict[str, Any]:
    """API form of stored details: the ``…Details: {truncated: false}`` companions of ``input``,
    ``output`` and ``assignedVariables`` are added here, not stored (HIS-01). Stored details then
    hold only strings and numbers, which CPython's garbage collector does not track — a long
    history costs the collector nothing."""
    out: dict[str, Any] = {}
    if not stored:
        return out
    for k, v in stored.items():
        if k in _COMPANION:
            if include_data or k == "assignedVariables":
                out[k] = v
            out[_COMPANION[k]] = {"truncated": False}
        elif include_data or k not in _PAYLOAD_KEYS:
            out[k] = v
    return out


_COMPANION = {
    "input": "inputDetails",
    "output": "outputDetails",
    "assignedVariables": "assignedVariablesDetails",
}


def entered(name: str, input_json: str) -> dict:
    return {"name": name, "input": input_json}


def exited(name: str, output_json: str, assigned: dict[str, str] | None = None) -> dict:
    d: dict[str, Any] = {"name": name, "output": output_json}
    if assigned:
        d["assignedVariables"] = assigned
    return d


def error_details(error: str | None, cause: str | None) -> dict:
    d: dict[str, Any] = {}
    if error is not None:
        d["error"] = error
    if cause is not None:
        d["cause"] = cause
    return d
