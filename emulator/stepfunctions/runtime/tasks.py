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

This module dispatches (:func:`invoke`) and runs activities, service integrations and DynamoDB;
the registry and the calling of a callable are in ``task_calls.py``, the Lambda family in
``task_lambda.py``, nested executions in ``task_children.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

from ...errors import AWSError
from ...jsonvalues import attribute_value_from_json, json_tree
from .. import messages as M
from ..asl.failures import RUNTIME, StatesFailure
from .callbacks import Callback
from .history import dumps, over_payload_limit
from .tape import replaying, taped
from .task_calls import (
    LAMBDA_ARN,
    TaskContext,
    TaskRegistry,
    call,
    data_limit,
    failure_details,
    reach_out,
    request_id,
    sdk_metadata,
    timeout_failure,
    timing,
)
from .task_children import start_child, wait_child
from .task_faults import injected
from .task_http import invoke_http
from .task_lambda import lambda_invoke, legacy_lambda
from .task_mocked import mocked_registry
from .threads import PARK, SLEEP, Thread

if TYPE_CHECKING:
    from .execution import Execution

_ACTIVITY_ARN = re.compile(r"^arn:[\w-]+:states:[\w-]+:\d+:activity:[^:]+$")
_SERVICE_ARN = re.compile(
    r"^arn:[\w-]+:states:[\w-]*:\d*:([\w-]+(?::[\w-]+)?):([\w.:]+?)(\.waitForTaskToken|\.sync(?::2)?)?$"
)
_DDB_OPTIMIZED = {
    "getItem": "GetItem",
    "putItem": "PutItem",
    "updateItem": "UpdateItem",
    "deleteItem": "DeleteItem",
}


# --- invoking ----------------------------------------------------------------------------------
def invoke(
    ex: Execution,
    thread: Thread,
    state: Any,
    args: Any,
    ctx: dict,
    *,
    timeout: float | None,
    heartbeat: float | None,
    token: str | None,
    credentials: Any = None,
) -> Generator[Any, Any, Any]:
    """Run one attempt of a Task state; returns the result or raises StatesFailure."""
    resource: str = state.resource
    thread.credentials = credentials.get("RoleArn") if isinstance(credentials, dict) else None
    registry: TaskRegistry = ex.service.task_registry
    # The mock configuration's test case answers first (each answer once: on the tape).
    mocked = (
        taped(ex, thread, lambda: mocked_registry(ex, state, resource)) if ex.mock_run is not None else None
    )
    if mocked is not None:
        registry, token = mocked, None
    custom = registry.resources.get(resource)
    sm = _SERVICE_ARN.match(resource)
    if custom is None:  # a registered callable answers any resource first
        if _ACTIVITY_ARN.match(resource):
            return (yield from _activity(ex, thread, state, resource, args, timeout, heartbeat))
        m = LAMBDA_ARN.match(resource)
        if m:
            return (
                yield from legacy_lambda(ex, thread, state, resource, m, args, timeout, heartbeat, registry)
            )
        if not sm:
            raise StatesFailure(RUNTIME, M.not_emulated(resource))
    service, action, suffix = (
        (sm.group(1), sm.group(2), sm.group(3) or "") if sm else ("custom", resource, "")
    )
    call = ServiceCall(
        ex, thread, state, service, action, suffix, args, timeout, heartbeat, token, registry, custom
    )
    return (yield from _service_task(call))


def _activity(
    ex: Execution,
    thread: Thread,
    state: Any,
    resource: str,
    args: Any,
    timeout: float | None,
    heartbeat: float | None,
) -> Generator[Any, Any, Any]:
    """An activity task (RES-10): queued until a worker's GetActivityTask, then answered with
    SendTask*; TimeoutSeconds/HeartbeatSeconds count from ActivityStarted."""
    activity = taped(ex, thread, lambda: ex.service.activities.get(resource))
    if activity is None:
        raise StatesFailure(RUNTIME, M.activity_missing(resource))
    input_text = dumps(args)
    details: dict[str, Any] = {"resource": resource, "input": input_text}
    if timeout is not None:
        details["timeoutInSeconds"] = int(timeout)
    if heartbeat is not None:
        details["heartbeatInSeconds"] = int(heartbeat)
    ex.emit(thread, "ActivityScheduled", details)
    callback = taped(
        ex, thread, lambda: _queue_activity(ex, thread, activity, (input_text, timeout, heartbeat))
    )
    outcome = yield (PARK, callback)
    kind = outcome[0]
    if kind == "success":
        text = dumps(outcome[1])
        ex.emit(thread, "ActivitySucceeded", {"output": text})
        return outcome[1]
    if kind == "failure":
        ex.emit(thread, "ActivityFailed", failure_details(outcome[1], outcome[2]))
        raise StatesFailure(outcome[1], outcome[2])
    ex.emit(thread, "ActivityTimedOut", {"error": M.TIMEOUT})
    raise timeout_failure(bool(outcome[1:] and outcome[1]))


def _queue_activity(ex: Execution, thread: Thread, activity: Any, task: tuple) -> Callback:
    """A new task token for the activity task, queued for a worker's GetActivityTask."""
    callback = ex.service.register_token(ex.service.new_task_token(), ex, thread, {})
    callback.activity = (activity, *task)
    activity.queue.append(callback)
    with ex.service.activity_ready:  # wake long-polling GetActivityTask callers (API-18)
        ex.service.activity_ready.notify_all()
    return callback


# --- service integrations (arn:aws:states:::<service>:<action>[.waitForTaskToken|.sync[:2]]) -----
@dataclass(slots=True)
class ServiceCall:
    """One attempt of a service-integration Task (or of a callable registered for any other ARN):
    what the steps of :func:`_service_task` share."""

    ex: Execution
    thread: Thread
    state: Any
    service: str  # the resourceType: "lambda", "dynamodb", "states", "custom", ...
    action: str  # "invoke", "putItem", "startExecution", or the whole custom ARN
    suffix: str  # "", ".waitForTaskToken", ".sync" or ".sync:2"
    args: Any
    timeout: float | None
    heartbeat: float | None
    token: str | None
    registry: TaskRegistry
    custom: Callable[..., Any] | None = None
    base: dict = field(init=False)  # resourceType and resource: in every Task* event's details

    def __post_init__(self) -> None:
        self.base = {"resourceType": self.service, "resource": self.action + self.suffix}

    def emit_failed(self, error: str | None, cause: str | None) -> None:
        self.ex.emit(self.thread, "TaskFailed", failure_details(error, cause, self.base))

    def emit_timed_out(self) -> None:
        self.ex.emit(self.thread, "TaskTimedOut", {**self.base, "error": M.TIMEOUT})


Integration = Callable[[ServiceCall, TaskContext, str], "tuple[bool, Any]"]


def _service_task(task: ServiceCall) -> Generator[Any, Any, Any]:
    """TaskScheduled, TaskStarted, the call, then (for ``.waitForTaskToken``) the wait for the
    token's answer; ends with TaskSucceeded or raises the failure after recording it."""
    ex = task.ex
    _schedule(task)
    start = ex.clock.now()
    rid = request_id(ex)
    token = task.token
    callback = (
        taped(ex, task.thread, lambda: ex.service.register_token(token, ex, task.thread, task.base))
        if token is not None
        else None
    )
    tctx = TaskContext(ex, task.state.name, task.token, "", rid, "")
    integration = _integration(task)
    if integration is None:
        _fail(
            task,
            callback,
            RUNTIME,
            M.not_emulated(f"arn:aws:states:::{task.service}:{task.action}{task.suffix}"),
        )
    ok, value = reach_out(
        ex,
        task.thread,
        tctx,
        lambda: (
            injected(
                ex, task.state, task.args, tctx, task.timeout, task.heartbeat, callback=callback is not None
            )
            or integration(task, tctx, rid)
        ),  # type: ignore[misc]
    )
    if ok and integration is _start_child and task.suffix.startswith(".sync"):
        return (yield from wait_child(ex, task.thread, value, task.suffix == ".sync:2", task.base))
    yield from _judge_run(task, tctx, callback, start)
    if not ok:
        _fail(task, callback, *value)
    if callback is not None:
        value = yield from _await_token(task, callback, start, value)
    text = dumps(value)
    if over_payload_limit(text):
        return data_limit(ex, task.thread, "TaskFailed", task.service, task.base)
    ex.emit(task.thread, "TaskSucceeded", {**task.base, "output": text})
    return value


def _schedule(task: ServiceCall) -> None:
    details: dict[str, Any] = {**task.base, "region": task.ex.service.region, "parameters": dumps(task.args)}
    if task.timeout is not None:
        details["timeoutInSeconds"] = int(task.timeout)
    if task.heartbeat is not None:
        details["heartbeatInSeconds"] = int(task.heartbeat)
    if task.thread.credentials:
        details["taskCredentials"] = {"roleArn": task.thread.credentials}
    task.ex.emit(task.thread, "TaskScheduled", details)
    task.ex.emit(task.thread, "TaskStarted", task.base)


def _integration(task: ServiceCall) -> Integration | None:
    """What answers the call: the registered callable, else a built-in integration, else None."""
    if task.custom is not None:
        return _custom
    if task.service == "dynamodb" and (task.action not in _DDB_OPTIMIZED or task.suffix):
        return None
    return _INTEGRATIONS.get((task.service, task.action)) or _INTEGRATIONS.get((task.service, "*"))


def _custom(task: ServiceCall, tctx: TaskContext, rid: str) -> tuple[bool, Any]:
    return call(task.ex, task.custom, task.args, tctx)  # type: ignore[arg-type]


def _lambda(task: ServiceCall, tctx: TaskContext, rid: str) -> tuple[bool, Any]:
    return lambda_invoke(task.ex, task.args, tctx, task.registry, rid)


def _ddb_optimized(task: ServiceCall, tctx: TaskContext, rid: str) -> tuple[bool, Any]:
    return _dynamodb(task.ex, _DDB_OPTIMIZED[task.action], task.args, rid, sdk=False)


def _ddb_sdk(task: ServiceCall, tctx: TaskContext, rid: str) -> tuple[bool, Any]:
    return _dynamodb(task.ex, task.action[:1].upper() + task.action[1:], task.args, rid, sdk=True)


def _start_child(task: ServiceCall, tctx: TaskContext, rid: str) -> tuple[bool, Any]:
    return start_child(task.ex, task.args, rid)


def _http(task: ServiceCall, tctx: TaskContext, rid: str) -> tuple[bool, Any]:
    return invoke_http(task.ex, task.args, tctx)


#: (service, action) → the built-in integration; action "*" answers every action of the service.
_INTEGRATIONS: dict[tuple[str, str], Integration] = {
    ("lambda", "invoke"): _lambda,
    **{("dynamodb", action): _ddb_optimized for action in _DDB_OPTIMIZED},
    ("aws-sdk:dynamodb", "*"): _ddb_sdk,
    ("states", "startExecution"): _start_child,
    ("http", "invoke"): _http,
}


def _fail(task: ServiceCall, callback: Callback | None, error: str, cause: str | None) -> NoReturn:
    if callback is not None:
        callback.cancel()
    task.emit_failed(error, cause)
    raise StatesFailure(error, cause)


def _judge_run(
    task: ServiceCall, tctx: TaskContext, callback: Callback | None, start: float
) -> Generator[Any, Any, None]:
    """Spend the call's simulated time; TaskTimedOut if it broke TimeoutSeconds (or
    HeartbeatSeconds: ASL-TASK-04 (DG, connect-lambda), for a callback task the heartbeat clock
    starts when the invoked call returns, armed by Callback.arm, so only TimeoutSeconds judges
    the call itself)."""
    late = timing(tctx, task.timeout, None if callback is not None else task.heartbeat)
    if late is not None:
        if callback is not None:
            callback.cancel()
        yield (SLEEP, start + late[0])
        task.emit_timed_out()
        raise timeout_failure(late[1])
    if tctx.elapsed > 0:
        yield (SLEEP, start + tctx.elapsed)


def _await_token(task: ServiceCall, callback: Callback, start: float, value: Any) -> Generator[Any, Any, Any]:
    """``.waitForTaskToken``: TaskSubmitted, then park until SendTask* answers or a timer fires."""
    ex, thread = task.ex, task.thread
    ex.emit(thread, "TaskSubmitted", {**task.base, "output": dumps(value)})
    if not replaying(thread):
        callback.arm(start, task.timeout, task.heartbeat)
    answered = taped(ex, thread, lambda: callback.outcome)  # SendTask* inside the call itself
    outcome = (yield (PARK, callback)) if answered is None else answered
    kind = outcome[0]
    if kind == "success":
        return outcome[1]
    if kind == "failure":
        task.emit_failed(outcome[1], outcome[2])
        raise StatesFailure(outcome[1], outcome[2])
    task.emit_timed_out()
    raise timeout_failure(bool(outcome[1:] and outcome[1]))


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
    "ConditionalCheckFailedException",
    "ResourceNotFoundException",
    "ProvisionedThroughputExceededException",
    "TransactionConflictException",
    "ItemCollectionSizeLimitExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "TransactionCanceledException",
    "TransactionInProgressException",
    "IdempotentParameterMismatchException",
    "ResourceInUseException",
    "LimitExceededException",
}


def _dynamodb(ex: Execution, op: str, args: Any, rid: str, *, sdk: bool) -> tuple[bool, Any]:
    if not isinstance(args, dict):
        args = {}
    try:
        ddb = ex.service.sibling("dynamodb")
        response = ddb.call(op, _request_in(args))
    except AWSError as err:
        code = err.code
        if sdk:
            name = (
                f"DynamoDb.{code}"
                if code in _DDB_MODELED or code.endswith("Exception") and code != "ValidationException"
                else "DynamoDb.DynamoDbException"
            )
            cause = M.dynamodb_sdk_error(err.message, err.status, rid)
        else:
            name = f"DynamoDB.{code}" if code in _DDB_MODELED else "DynamoDB.AmazonDynamoDBException"
            cause = M.dynamodb_optimized_error(err.message, err.status, code, rid)
        return False, (name, cause)
    except (ImportError, KeyError) as exc:
        return False, (RUNTIME, M.dynamodb_unavailable(exc))
    body = _json_out(response)
    if sdk:
        return True, body
    out = dict(body)
    out.update(sdk_metadata(ex, rid, len(dumps(body))))
    return True, out
