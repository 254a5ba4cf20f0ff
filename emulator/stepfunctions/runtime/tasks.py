"""Task resources: a registry from resource ARN to what runs it (reference §10).

Kinds, tried in this order by :func:`invoke`:

* any ARN registered with ``sfn.task(arn)`` (other than a Lambda function's) → that callable,
  result as returned (a registered service-integration ARN keeps that integration's events);
* an activity ARN (RES-10) → queued for a worker's GetActivityTask, answered with SendTask*;
* Lambda function ARN (``arn:aws:lambda:<r>:<a>:function:<name>[:<qualifier>]``, RES-01) → the
  Python callable registered for that function; result = its return value; history uses the
  ``LambdaFunction*`` events.
* ``arn:aws:states:::lambda:invoke[.waitForTaskToken]`` (RES-02) → the callable registered for
  ``Parameters.FunctionName``; ``Payload`` in, AWS's result wrapper out; ``Task*`` events.
* ``arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`` (§10.2) and
  ``arn:aws:states:::aws-sdk:dynamodb:<action>`` → the in-process DynamoDB of the same Emulator;
  its errors become ``DynamoDB.<Code>`` / ``DynamoDb.<Code>`` task failures.

A callable gets ``(event, context)`` (:class:`TaskContext`): the task token, execution and state
names, ``now()``, ``heartbeat()`` and ``sleep(seconds)``. ``sleep`` spends *simulated* time: the
task completes at start + slept time on the scheduler, and TimeoutSeconds / HeartbeatSeconds are
judged against that simulated timeline (a timeout fires at start + TimeoutSeconds, exactly).
``now()`` is the world's time inside the call (start + slept time). With
``Emulator(patch_time=True)`` or ``task(arn, patch_time=True)`` the callable runs inside
``timetravel.frozen_at(context.now())``, so ``time.time()``/``datetime.now()`` read the same
time and ``sleep`` moves them on.
An exception fails the task with the class name as the error and Lambda's error JSON as the cause
(RES-03/RES-04).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
import re
import traceback
import uuid
from collections.abc import Callable, Generator
from typing import Any

from ...jsonvalues import attribute_value_from_json, json_tree
from ...timetravel import frozen_at
from ..failures import RUNTIME, StatesFailure
from .execution import PARK, SLEEP, Execution, Thread
from .history import dumps, over_payload_limit

_ACTIVITY_ARN = re.compile(r"^arn:[\w-]+:states:[\w-]+:\d+:activity:[^:]+$")
_LAMBDA_ARN = re.compile(r"^arn:[\w-]+:lambda:([\w-]*):(\d*):function:([^:]+)(?::([^:]+))?$")
_SERVICE_ARN = re.compile(r"^arn:[\w-]+:states:::([\w-]+(?::[\w-]+)?):([\w.:]+?)(\.waitForTaskToken|\.sync(?::2)?)?$")
_DDB_OPTIMIZED = {"getItem": "GetItem", "putItem": "PutItem", "updateItem": "UpdateItem",
                  "deleteItem": "DeleteItem"}


class TaskContext:
    """What a task callable receives as ``context`` (Lambda-context-like)."""

    def __init__(self, ex: Execution, state_name: str, token: str | None, function_name: str,
                 request_id: str, invoked_arn: str) -> None:
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
            raise ValueError("register the Lambda function's ARN (or name), not lambda:invoke: "
                             "arn:aws:states:::lambda:invoke calls the function named by FunctionName")
        m = _LAMBDA_ARN.match(arn)
        if m:
            self.functions[m.group(3)] = fn
            if m.group(4):
                self.functions[f"{m.group(3)}:{m.group(4)}"] = fn
        elif not arn.startswith("arn:") and ":" not in arn:
            self.functions[arn] = fn  # a bare function name
        else:
            self.resources[arn] = fn

    def function(self, name_or_arn: str) -> Callable[..., Any] | None:
        m = _LAMBDA_ARN.match(name_or_arn)
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


# --- invoking ----------------------------------------------------------------------------------
def invoke(ex: Execution, thread: Thread, state: Any, args: Any, ctx: dict, *,
           timeout: float | None, heartbeat: float | None,
           token: str | None, credentials: Any = None) -> Generator[Any, Any, Any]:
    """Run one attempt of a Task state; returns the result or raises StatesFailure."""
    resource: str = state.resource
    thread.credentials = credentials.get("RoleArn") if isinstance(credentials, dict) else None
    registry: TaskRegistry = ex.service.task_registry
    custom = registry.resources.get(resource)
    if custom is not None:
        sm = _SERVICE_ARN.match(resource)
        service, action, suffix = (sm.group(1), sm.group(2), sm.group(3) or "") if sm else \
            ("custom", resource, "")
        return (yield from _service_task(ex, thread, state, service, action, suffix, args, timeout,
                                         heartbeat, token, registry, custom=custom))
    if _ACTIVITY_ARN.match(resource):
        return (yield from _activity(ex, thread, state, resource, args, timeout, heartbeat))
    m = _LAMBDA_ARN.match(resource)
    if m:
        return (yield from _legacy_lambda(ex, thread, state, resource, m, args, timeout, heartbeat,
                                          registry))
    sm = _SERVICE_ARN.match(resource)
    if sm:
        service, action, suffix = sm.group(1), sm.group(2), sm.group(3) or ""
        return (yield from _service_task(ex, thread, state, service, action, suffix, args, timeout,
                                         heartbeat, token, registry))
    raise StatesFailure(RUNTIME,
                        f"The resource '{resource}' is not emulated. Register a Python callable for it "
                        f"with @aws.stepfunctions.task('{resource}').")


def _activity(ex: Execution, thread: Thread, state: Any, resource: str, args: Any,
              timeout: float | None, heartbeat: float | None) -> Generator[Any, Any, Any]:
    """An activity task (RES-10): queued until a worker's GetActivityTask, then answered with
    SendTask*; TimeoutSeconds/HeartbeatSeconds count from ActivityStarted."""
    activity = ex.service.activities.get(resource)
    if activity is None:
        raise StatesFailure(RUNTIME, f"The activity {resource} does not exist.")
    input_text = dumps(args)
    details: dict[str, Any] = {"resource": resource, "input": input_text}
    if timeout is not None:
        details["timeoutInSeconds"] = int(timeout)
    if heartbeat is not None:
        details["heartbeatInSeconds"] = int(heartbeat)
    ex.emit(thread, "ActivityScheduled", details)
    token = ex.service.new_task_token()
    callback = ex.service.register_token(token, ex, thread, {})
    callback.activity = (activity, input_text, timeout, heartbeat)
    activity.queue.append(callback)
    with ex.service.activity_ready:  # wake long-polling GetActivityTask callers (API-18)
        ex.service.activity_ready.notify_all()
    outcome = yield (PARK, callback)
    kind = outcome[0]
    if kind == "success":
        text = dumps(outcome[1])
        ex.emit(thread, "ActivitySucceeded", {"output": text})
        return outcome[1]
    if kind == "failure":
        ex.emit(thread, "ActivityFailed", _err(outcome[1], outcome[2]))
        raise StatesFailure(outcome[1], outcome[2])
    ex.emit(thread, "ActivityTimedOut", {"error": "States.Timeout"})
    raise timeout_failure(bool(outcome[1:] and outcome[1]))


def _request_id(ex: Execution) -> str:
    return str(uuid.UUID(int=ex.rng.getrandbits(128), version=4))


def _call(ex: Execution, fn: Callable[..., Any], event: Any, tctx: TaskContext) -> tuple[bool, Any]:
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
        cause = json.dumps({"errorMessage": f"Unable to marshal response: {exc}",
                            "errorType": "Runtime.MarshalError", "requestId": tctx.aws_request_id,
                            "stackTrace": []})
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
    return json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__,
                       "requestId": request_id, "stackTrace": traceback.format_list(frames)})


def _timing(tctx: TaskContext, timeout: float | None,
            heartbeat: float | None) -> tuple[float, bool] | None:
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
    failure = StatesFailure("States.Timeout", None)
    failure.heartbeat = heartbeat  # type: ignore[attr-defined]
    return failure


def _legacy_lambda(ex: Execution, thread: Thread, state: Any, resource: str, m: re.Match,
                   args: Any, timeout: float | None, heartbeat: float | None,
                   registry: TaskRegistry) -> Generator[Any, Any, Any]:
    details: dict[str, Any] = {"resource": resource, "input": dumps(args)}
    if timeout is not None:
        details["timeoutInSeconds"] = int(timeout)
    if thread.credentials:
        details["taskCredentials"] = {"roleArn": thread.credentials}
    ex.emit(thread, "LambdaFunctionScheduled", details)
    rid = _request_id(ex)
    fn = registry.function(resource)
    if fn is None:
        ex.emit(thread, "LambdaFunctionStarted")
        error, cause = "Lambda.ResourceNotFoundException", _not_found(ex, m.group(3), rid, resource)
        ex.emit(thread, "LambdaFunctionFailed", {"error": error, "cause": cause})
        raise StatesFailure(error, cause)
    ex.emit(thread, "LambdaFunctionStarted")
    start = ex.clock.now()
    tctx = TaskContext(ex, state.name, None, m.group(3), rid, resource)
    ok, value = _call(ex, fn, args, tctx)
    late = _timing(tctx, timeout, heartbeat)
    if late is not None:
        yield (SLEEP, start + late[0])
        ex.emit(thread, "LambdaFunctionTimedOut", {"error": "States.Timeout"})
        raise timeout_failure(late[1])
    if tctx.elapsed > 0:
        yield (SLEEP, start + tctx.elapsed)
    if not ok:
        error, cause = value
        ex.emit(thread, "LambdaFunctionFailed", _err(error, cause))
        raise StatesFailure(error, cause)
    text = dumps(value)
    if over_payload_limit(text):
        return _data_limit(ex, thread, "LambdaFunctionFailed", resource)
    ex.emit(thread, "LambdaFunctionSucceeded", {"output": text})
    return value


def _data_limit(ex: Execution, thread: Thread, event: str, name: str, extra: dict | None = None) -> Any:
    error = "States.DataLimitExceeded"
    cause = (f"The state/task '{name}' returned a result with a size exceeding the maximum number of "
             "bytes service limit.")
    ex.emit(thread, event, {**(extra or {}), "error": error, "cause": cause})
    raise StatesFailure(error, cause)


def _err(error: str | None, cause: str | None, base: dict | None = None) -> dict:
    d = dict(base or {})
    if error is not None:
        d["error"] = error
    if cause is not None:
        d["cause"] = cause
    return d


def _function_arn(ex: Execution, name: str) -> str:
    """The Lambda function ARN of a bare (possibly qualified) function name, in the execution's
    region and account."""
    return ex.service.arn("lambda", f"function:{name}")


def _not_found(ex: Execution, name: str, rid: str, arn: str | None = None) -> str:
    if arn is None or not _LAMBDA_ARN.match(arn):
        arn = _function_arn(ex, name)
    if _LAMBDA_ARN.match(arn).group(4) is None:  # type: ignore[union-attr]
        arn += ":$LATEST"
    return (f"Function not found: {arn} (Service: AWSLambda; Status Code: 404; Error Code: "
            f"ResourceNotFoundException; Request ID: {rid}; Proxy: null). To emulate it, register a "
            f"Python callable: @aws.stepfunctions.task('{arn.rsplit(':$LATEST', 1)[0]}')")


def _sdk_metadata(ex: Execution, rid: str, body_len: int, extra_headers: dict | None = None,
                  status: int = 200) -> dict:
    date = _dt.datetime.fromtimestamp(ex.clock.now(), _dt.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    headers = {"Connection": "keep-alive", "Content-Length": str(body_len),
               "Content-Type": "application/json", "Date": date, "x-amzn-RequestId": rid}
    headers.update(extra_headers or {})
    return {"SdkHttpMetadata": {"AllHttpHeaders": {k: [v] for k, v in headers.items()},
                                "HttpHeaders": headers, "HttpStatusCode": status},
            "SdkResponseMetadata": {"RequestId": rid}}


def _service_task(ex: Execution, thread: Thread, state: Any, service: str, action: str, suffix: str,
                  args: Any, timeout: float | None, heartbeat: float | None, token: str | None,
                  registry: TaskRegistry, custom: Callable[..., Any] | None = None
                  ) -> Generator[Any, Any, Any]:
    resource_type = service
    resource = action + suffix
    base = {"resourceType": resource_type, "resource": resource}
    sched: dict[str, Any] = {**base, "region": ex.service.region, "parameters": dumps(args)}
    if timeout is not None:
        sched["timeoutInSeconds"] = int(timeout)
    if heartbeat is not None:
        sched["heartbeatInSeconds"] = int(heartbeat)
    if thread.credentials:
        sched["taskCredentials"] = {"roleArn": thread.credentials}
    ex.emit(thread, "TaskScheduled", sched)
    ex.emit(thread, "TaskStarted", base)
    start = ex.clock.now()
    rid = _request_id(ex)
    callback = None
    if token is not None:
        callback = ex.service.register_token(token, ex, thread, base)
    tctx = TaskContext(ex, state.name, token, "", rid, "")
    if custom is not None:
        ok, value = _call(ex, custom, args, tctx)
    elif service == "lambda" and action == "invoke":
        ok, value = _lambda_invoke(ex, args, tctx, registry, rid)
    elif service == "dynamodb" and action in _DDB_OPTIMIZED and not suffix:
        ok, value = _dynamodb(ex, _DDB_OPTIMIZED[action], args, rid, sdk=False)
    elif service == "aws-sdk:dynamodb":
        ok, value = _dynamodb(ex, action[:1].upper() + action[1:], args, rid, sdk=True)
    elif service == "states" and action == "startExecution":
        ok, value = _start_child(ex, args, rid)
        if ok and suffix.startswith(".sync"):
            return (yield from _wait_child(ex, thread, value, suffix == ".sync:2", base))
    else:
        arn = f"arn:aws:states:::{service}:{action}{suffix}"
        ok, value = False, (RUNTIME,
                            f"The resource '{arn}' is not emulated. Register a Python callable for it "
                            f"with @aws.stepfunctions.task('{arn}').")
        if callback is not None:
            callback.cancel()
        ex.emit(thread, "TaskFailed", _err(value[0], value[1], base))
        raise StatesFailure(*value)
    # ASL-TASK-04 (DG, connect-lambda): for a callback task the heartbeat clock starts when the
    # invoked call returns (armed by Callback.arm); only TimeoutSeconds judges the call itself.
    late = _timing(tctx, timeout, None if callback is not None else heartbeat)
    if late is not None:
        if callback is not None:
            callback.cancel()
        yield (SLEEP, start + late[0])
        ex.emit(thread, "TaskTimedOut", {**base, "error": "States.Timeout"})
        raise timeout_failure(late[1])
    if tctx.elapsed > 0:
        yield (SLEEP, start + tctx.elapsed)
    if not ok:
        if callback is not None:
            callback.cancel()
        error, cause = value
        ex.emit(thread, "TaskFailed", _err(error, cause, base))
        raise StatesFailure(error, cause)
    if callback is not None:
        ex.emit(thread, "TaskSubmitted", {**base, "output": dumps(value)})
        callback.arm(start, timeout, heartbeat)
        if callback.outcome is None:
            outcome = yield (PARK, callback)
        else:
            outcome = callback.outcome
        kind = outcome[0]
        if kind == "success":
            value = outcome[1]
        elif kind == "failure":
            ex.emit(thread, "TaskFailed", _err(outcome[1], outcome[2], base))
            raise StatesFailure(outcome[1], outcome[2])
        else:
            ex.emit(thread, "TaskTimedOut", {**base, "error": "States.Timeout"})
            raise timeout_failure(bool(outcome[1:] and outcome[1]))
    text = dumps(value)
    if over_payload_limit(text):
        return _data_limit(ex, thread, "TaskFailed", resource_type, base)
    ex.emit(thread, "TaskSucceeded", {**base, "output": text})
    return value


def _lambda_invoke(ex: Execution, args: Any, tctx: TaskContext, registry: TaskRegistry,
                   rid: str) -> tuple[bool, Any]:
    if not isinstance(args, dict) or "FunctionName" not in args:
        return False, (RUNTIME, "The Parameters '" + dumps(args) + "' could not be used to "
                       "start the Task: [The field \"FunctionName\" is required]")
    name = str(args["FunctionName"])
    if args.get("Qualifier"):
        name = f"{name}:{args['Qualifier']}"
    fn = registry.function(name)
    if fn is None:
        return False, ("Lambda.ResourceNotFoundException", _not_found(ex, name.split(":function:")[-1], rid,
                                                                      name if name.startswith("arn:") else None))
    tctx.function_name = name.split(":function:")[-1].split(":")[0]
    if name.startswith("arn:"):
        tctx.invoked_function_arn = name
    elif ":function:" in name:  # a partial ARN, "123456789012:function:name[:qualifier]"
        tctx.invoked_function_arn = f"arn:aws:lambda:{ex.service.region}:{name}"
    else:
        tctx.invoked_function_arn = _function_arn(ex, name)
    # Lambda Invoke API: InvocationType RequestResponse (default) answers 200 with the function's
    # result; Event (asynchronous) answers 202 — the function runs, its result or error is
    # discarded; DryRun answers 204 without running it. The empty Payload of 202/204 is INF.
    invocation = args.get("InvocationType", "RequestResponse")
    status = {"Event": 202, "DryRun": 204}.get(invocation, 200)
    if invocation != "DryRun":
        ok, value = _call(ex, fn, args.get("Payload"), tctx)
        if not ok and status == 200:
            return ok, value
    if status == 200:
        body = dumps(value)
    else:
        # The invoke returns at once: the function's own (simulated) run time is not the task's,
        # so a callback's heartbeat clock starts immediately (ASL-TASK-04).
        tctx.elapsed = 0.0
        tctx.heartbeats.clear()
        value = body = ""
    wrapper: dict[str, Any] = {"ExecutedVersion": "$LATEST", "Payload": value}
    wrapper.update(_sdk_metadata(ex, rid, len(body.encode("utf-8", "surrogatepass")), {
        "X-Amz-Executed-Version": "$LATEST", "x-amzn-Remapped-Content-Length": "0",
        "X-Amzn-Trace-Id": "root=1-" + rid.replace("-", "")[:8] + "-" + rid.replace("-", "")[8:32] + ";sampled=0"},
        status=status))
    wrapper["StatusCode"] = status
    return True, wrapper


# --- nested executions (arn:aws:states:::states:startExecution[.sync[:2]|.waitForTaskToken]) ------
def _start_child(ex: Execution, args: Any, rid: str) -> tuple[bool, Any]:
    """StartExecution of another state machine of the same Emulator; errors are named
    ``StepFunctions.<Code>`` as AWS's optimized integration names them."""
    from ...errors import AWSError
    from ..operations.executions import _start

    if not isinstance(args, dict):
        args = {}
    child_input = args.get("Input", {})
    request = {"stateMachineArn": args.get("StateMachineArn"), "name": args.get("Name"),
               "input": child_input if isinstance(child_input, str) else dumps(child_input)}
    try:
        child = _start(ex.service, request, sync=False)
    except AWSError as err:
        code = err.code if err.code.endswith("Exception") else err.code + "Exception"
        return False, (f"StepFunctions.{code}",
                       f"{err.message} (Service: AWSStepFunctions; Status Code: {err.status}; Error Code: "
                       f"{code}; Request ID: {rid}; Proxy: null)")
    body = {"ExecutionArn": child.arn, "StartDate": int(child.start_date * 1000)}
    out = dict(body)
    out.update(_sdk_metadata(ex, rid, len(dumps(body))))
    return True, out


class _ChildWait:
    """A parent thread parked on a ``.sync`` child execution."""

    __slots__ = ("ex", "thread", "cancelled", "child")

    def __init__(self, ex: Execution, thread: Thread, child: Any) -> None:
        self.ex, self.thread, self.cancelled, self.child = ex, thread, False, child

    def done(self, child: Any) -> None:
        if not self.cancelled and self.thread.parked is self:
            self.ex.resume(self.thread, None)

    def cancel(self) -> None:
        """The parent task was aborted: best-effort StopExecution of the child (RES-08)."""
        self.cancelled = True
        self.child.stop(None, None)


def _wait_child(ex: Execution, thread: Thread, response: dict, parsed: bool,
                base: dict) -> Generator[Any, Any, Any]:
    """``.sync`` / ``.sync:2`` (RES-08): TaskSubmitted, then wait for the child to close."""
    ex.emit(thread, "TaskSubmitted", {**base, "output": dumps(response)})
    child = ex.service.executions[response["ExecutionArn"]]
    if child.status == "RUNNING":
        waiter = _ChildWait(ex, thread, child)
        child.on_finish.append(waiter.done)
        yield (PARK, waiter)
    desc: dict[str, Any] = {
        "ExecutionArn": child.arn,
        "Input": json.loads(child.input_text) if parsed else child.input_text,
        "InputDetails": {"Included": True}, "Name": child.name}
    if child.status == "SUCCEEDED":
        desc["Output"] = child.output if parsed else child.output_text
        desc["OutputDetails"] = {"Included": True}
    desc.update({"RedriveCount": 0, "StartDate": int(child.start_date * 1000),
                 "StateMachineArn": child.state_machine_arn, "Status": child.status,
                 "StopDate": int((child.stop_date or ex.clock.now()) * 1000)})
    if child.status != "SUCCEEDED":
        if child.error is not None:
            desc["Error"] = child.error
        if child.cause is not None:
            desc["Cause"] = child.cause
        cause = dumps(desc)
        ex.emit(thread, "TaskFailed", {**base, "error": "States.TaskFailed", "cause": cause})
        raise StatesFailure("States.TaskFailed", cause)
    ex.emit(thread, "TaskSucceeded", {**base, "output": dumps(desc)})
    return desc


# --- DynamoDB ----------------------------------------------------------------------------------
_AV_CONTAINERS = ("Key", "Item", "ExpressionAttributeValues", "ExclusiveStartKey")


def _av_in(av: Any) -> Any:
    return attribute_value_from_json(av)


def _request_in(args: dict) -> dict:
    req = dict(args)
    for key in _AV_CONTAINERS:
        if isinstance(req.get(key), dict):
            req[key] = {k: _av_in(v) for k, v in req[key].items()}
    return req


def _json_out(value: Any) -> Any:
    return json_tree(value)


_DDB_MODELED = {
    "ConditionalCheckFailedException", "ResourceNotFoundException", "ProvisionedThroughputExceededException",
    "TransactionConflictException", "ItemCollectionSizeLimitExceededException", "RequestLimitExceeded",
    "InternalServerError", "TransactionCanceledException", "TransactionInProgressException",
    "IdempotentParameterMismatchException", "ResourceInUseException", "LimitExceededException",
}


def _dynamodb(ex: Execution, op: str, args: Any, rid: str, *, sdk: bool) -> tuple[bool, Any]:
    from ...errors import AWSError

    if not isinstance(args, dict):
        args = {}
    try:
        ddb = ex.service.sibling("dynamodb")
        response = ddb.call(op, _request_in(args))
    except AWSError as err:
        code = err.code
        if sdk:
            name = f"DynamoDb.{code}" if code in _DDB_MODELED or code.endswith("Exception") and \
                code != "ValidationException" else "DynamoDb.DynamoDbException"
            cause = f"{err.message} (Service: DynamoDb, Status Code: {err.status}, Request ID: {rid})"
        else:
            name = f"DynamoDB.{code}" if code in _DDB_MODELED else "DynamoDB.AmazonDynamoDBException"
            cause = (f"{err.message} (Service: AmazonDynamoDBv2; Status Code: {err.status}; Error Code: "
                     f"{code}; Request ID: {rid}; Proxy: null)")
        return False, (name, cause)
    except (ImportError, KeyError) as exc:
        return False, (RUNTIME, f"The in-process DynamoDB is not available: {exc}")
    body = _json_out(response)
    if sdk:
        return True, body
    out = dict(body)
    out.update(_sdk_metadata(ex, rid, len(dumps(body))))
    return True, out
