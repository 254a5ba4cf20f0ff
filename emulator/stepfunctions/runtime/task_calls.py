"""Calling a task's Python callable: the registry, the ``context`` it gets, and its outcome.

The pieces every task family shares (``tasks.py`` dispatches; ``task_lambda.py`` and
``task_children.py`` are two of the families): :class:`TaskRegistry` maps a resource ARN or
Lambda function name to a callable; :func:`call` runs one in isolation (JSON in, JSON out, an
exception becomes Lambda's error payload, RES-03/RES-04); :func:`timing` judges the simulated run
against TimeoutSeconds/HeartbeatSeconds; the rest build the history details of a failure and the
AWS SDK's response metadata.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
import re
import traceback
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...timetravel import frozen_at
from .. import messages as M
from ..asl.failures import StatesFailure
from .history import dumps
from .tape import record, taped
from .threads import Thread

if TYPE_CHECKING:
    from .execution import Execution

LAMBDA_ARN = re.compile(r"^arn:[\w-]+:lambda:([\w-]*):(\d*):function:([^:]+)(?::([^:]+))?$")


class TaskContext:
    """What a task callable receives as ``context`` (Lambda-context-like)."""

    def __init__(
        self,
        ex: Execution,
        state_name: str,
        token: str | None,
        function_name: str,
        request_id: str,
        invoked_arn: str,
    ) -> None:
        self.task_token = token
        self.execution_arn = ex.arn
        self.execution_name = ex.name
        self.state_machine_arn = ex.state_machine_arn
        self.state_name = state_name
        self.function_name = function_name
        self.invoked_function_arn = invoked_arn
        self.aws_request_id = request_id
        self.elapsed = 0.0
        self.heartbeats: list[float] = []
        self._clock = ex.clock
        self._start = ex.clock.now()
        self._traveller: Any = None  # time-machine's, while patch_time holds the stdlib's time

    def sleep(self, seconds: float) -> None:
        """Spend ``seconds`` of simulated time (never real time)."""
        if seconds > 0:
            self.elapsed += float(seconds)
            if self._traveller is not None:
                self._traveller.shift(float(seconds))

    def heartbeat(self) -> None:
        """Record a heartbeat at the current simulated time (resets HeartbeatSeconds)."""
        self.heartbeats.append(self.elapsed)

    def now(self) -> float:
        """The world's time inside the call, in epoch seconds: when the task started plus the
        time spent in ``sleep``."""
        return self._start + self.elapsed

    def now_datetime(self) -> _dt.datetime:
        """:meth:`now` as an aware UTC datetime."""
        return _dt.datetime.fromtimestamp(self.now(), _dt.timezone.utc)

    def get_remaining_time_in_millis(self) -> int:
        return 900_000 - int(self.elapsed * 1000)


class TimePatched:
    """A callable registered with ``task(arn, patch_time=True)``: it runs with the standard
    library's time following the world's clock, whatever the Emulator's ``patch_time``."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self, event: Any, context: Any) -> Any:
        return self.fn(event, context)


class TaskRegistry:
    """Registered Python callables: Lambda functions by name, other resources by exact ARN."""

    def __init__(self) -> None:
        self.functions: dict[str, Callable[..., Any]] = {}
        self.resources: dict[str, Callable[..., Any]] = {}

    def register(self, arn: str, fn: Callable[..., Any]) -> None:
        if re.match(r"^arn:[\w-]+:states:::lambda:invoke", arn):
            raise ValueError(
                "register the Lambda function's ARN (or name), not lambda:invoke: "
                "arn:aws:states:::lambda:invoke calls the function named by FunctionName"
            )
        m = LAMBDA_ARN.match(arn)
        if m:
            self.functions[m.group(3)] = fn
            if m.group(4):
                self.functions[f"{m.group(3)}:{m.group(4)}"] = fn
        elif not arn.startswith("arn:") and ":" not in arn:
            self.functions[arn] = fn  # a bare function name
        else:
            self.resources[arn] = fn

    def function(self, name_or_arn: str) -> Callable[..., Any] | None:
        m = LAMBDA_ARN.match(name_or_arn)
        if m:
            if m.group(4):
                fn = self.functions.get(f"{m.group(3)}:{m.group(4)}")
                if fn is not None:
                    return fn
            return self.functions.get(m.group(3))
        # partial ARN "123456789012:function:name" or a name with a qualifier
        if ":function:" in name_or_arn:
            name_or_arn = name_or_arn.split(":function:", 1)[1]
        return self.functions.get(name_or_arn) or self.functions.get(name_or_arn.split(":")[0])


def request_id(ex: Execution) -> str:
    return str(uuid.UUID(int=ex.rng.getrandbits(128), version=4))


def reach_out(
    ex: Execution, thread: Thread, tctx: TaskContext, fn: Callable[[], tuple[bool, Any]]
) -> tuple[bool, Any]:
    """``fn()``, the task's call (a callable, an integration, an injected fault), on the thread's
    tape with what the call left in ``tctx`` (simulated time slept, heartbeats): a thread rebuilt
    after a snapshot gets the same outcome without calling again (``tape.py``)."""

    if thread.rerun is not None:
        ok, value, kept = taped(ex, thread, fn)  # the recorded outcome; ``fn`` is not called
        tctx.elapsed, tctx.heartbeats, tctx.function_name, tctx.invoked_function_arn = kept
        return ok, value
    rng = ex.rng
    held, rng.current = rng.current, None  # draws inside the call are covered by its outcome
    try:
        ok, value = fn()
    finally:
        rng.current = held
    kept = (tctx.elapsed, tctx.heartbeats, tctx.function_name, tctx.invoked_function_arn)
    record(thread, (ok, value, kept))
    return ok, value


def call(ex: Execution, fn: Callable[..., Any], event: Any, tctx: TaskContext) -> tuple[bool, Any]:
    """Run a callable in isolation: JSON in, JSON out; an exception becomes Lambda's error."""
    try:
        result = _run_callable(ex, fn, json.loads(dumps(event)), tctx)
    except StatesFailure as f:
        return False, (f.error, f.cause)
    except Exception as exc:  # the user's function failed: that is a task failure, not our bug
        return False, (type(exc).__name__, lambda_error_cause(exc, tctx.aws_request_id, own_frames=2))
    try:
        return True, json.loads(json.dumps(result, default=_lambda_json_default))
    except (TypeError, ValueError) as exc:
        cause = json.dumps(
            {
                "errorMessage": M.unable_to_marshal(exc),
                "errorType": "Runtime.MarshalError",
                "requestId": tctx.aws_request_id,
                "stackTrace": [],
            }
        )
        return False, ("Runtime.MarshalError", cause)


def _run_callable(ex: Execution, fn: Callable[..., Any], event: Any, tctx: TaskContext) -> Any:
    """Call ``fn(event, context)``; with patch_time (the world's or the task's), inside
    ``frozen_at(context.now())`` so the standard library's time reads the world's time."""
    patch = ex.world.patch_time
    if isinstance(fn, TimePatched):
        fn, patch = fn.fn, True
    if not patch:
        return fn(event, tctx)
    with frozen_at(tctx.now()) as traveller:
        tctx._traveller = traveller
        try:
            return fn(event, tctx)
        finally:
            tctx._traveller = None


def _lambda_json_default(value: Any) -> Any:
    """What the Lambda Python runtime's response encoder adds to ``json``: a ``decimal.Decimal``
    (boto3's DynamoDB resource returns them) is written as its number text (awslambdaric's
    ``lambda_runtime_marshaller.Encoder``: ``RawJSON(str(d))``, NaN → NaN); anything else that JSON
    cannot hold is a ``Runtime.MarshalError``. The text is read back as Step Functions' parser
    would: with a fraction or exponent it is a double, else an integer."""
    if isinstance(value, decimal.Decimal):
        if value.is_nan():
            return math.nan
        text = str(value)
        if value.is_infinite() or any(c in text for c in ".eE"):
            return float(value)
        return int(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def lambda_error_cause(exc: BaseException, request_id: str, own_frames: int = 1) -> str:
    """The Lambda (Python runtime) error payload, as the JSON string AWS puts in ``cause``;
    ``own_frames``: how many outermost frames are the emulator's (dropped)."""
    tb = exc.__traceback__
    for _ in range(own_frames):  # drop our own calling frames
        tb = tb.tb_next if tb is not None else None
    # As the runtime formats it (awslambdaric build_fault_result): format_list of plain
    # (file, line, function, text) tuples — so no Python 3.11+ "^^^^" position lines.
    frames = [(f.filename, f.lineno or 0, f.name, f.line) for f in traceback.extract_tb(tb)]
    return json.dumps(
        {
            "errorMessage": str(exc),
            "errorType": type(exc).__name__,
            "requestId": request_id,
            "stackTrace": traceback.format_list(frames),
        }
    )


def timing(tctx: TaskContext, timeout: float | None, heartbeat: float | None) -> tuple[float, bool] | None:
    """If the simulated run breaks TimeoutSeconds/HeartbeatSeconds: when (seconds after start) and
    whether the heartbeat was the cause (then ``States.HeartbeatTimeout`` matches, ERR-11)."""
    limits: list[tuple[float, bool]] = []
    if timeout is not None and tctx.elapsed > timeout:
        limits.append((timeout, False))
    if heartbeat is not None:
        marks = [0.0] + tctx.heartbeats + [tctx.elapsed]
        for a, b in zip(marks, marks[1:]):
            if b - a > heartbeat:
                limits.append((a + heartbeat, True))
                break
    return min(limits) if limits else None


def timeout_failure(heartbeat: bool) -> StatesFailure:
    """``States.Timeout`` (no cause); ``heartbeat`` flags a missed heartbeat for Retry/Catch."""
    return StatesFailure(M.TIMEOUT, None, heartbeat=heartbeat)


def data_limit(ex: Execution, thread: Thread, event: str, name: str, extra: dict | None = None) -> Any:
    error = M.DATA_LIMIT_EXCEEDED
    cause = M.data_limit(name)
    ex.emit(thread, event, {**(extra or {}), "error": error, "cause": cause})
    raise StatesFailure(error, cause)


def failure_details(error: str | None, cause: str | None, base: dict | None = None) -> dict:
    d = dict(base or {})
    if error is not None:
        d["error"] = error
    if cause is not None:
        d["cause"] = cause
    return d


def sdk_metadata(
    ex: Execution, rid: str, body_len: int, extra_headers: dict | None = None, status: int = 200
) -> dict:
    date = _dt.datetime.fromtimestamp(ex.clock.now(), _dt.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    headers = {
        "Connection": "keep-alive",
        "Content-Length": str(body_len),
        "Content-Type": "application/json",
        "Date": date,
        "x-amzn-RequestId": rid,
    }
    headers.update(extra_headers or {})
    return {
        "SdkHttpMetadata": {
            "AllHttpHeaders": {k: [v] for k, v in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": status,
        },
        "SdkResponseMetadata": {"RequestId": rid},
    }
