"""Lambda tasks: a Lambda function ARN as the resource (RES-01, ``LambdaFunction*`` events) and
the optimized ``arn:aws:states:::lambda:invoke`` integration (RES-02, AWS's result wrapper).

Both call the Python callable registered for the function (``sfn.task(function_arn)``); a
function nobody registered fails with Lambda's ``ResourceNotFoundException``.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from .. import messages as M
from ..asl.failures import RUNTIME, StatesFailure
from .history import dumps, over_payload_limit
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
from .task_faults import injected
from .threads import SLEEP, Thread

if TYPE_CHECKING:
    from .execution import Execution


def legacy_lambda(
    ex: Execution,
    thread: Thread,
    state: Any,
    resource: str,
    m: re.Match,
    args: Any,
    timeout: float | None,
    heartbeat: float | None,
    registry: TaskRegistry,
) -> Generator[Any, Any, Any]:
    details: dict[str, Any] = {"resource": resource, "input": dumps(args)}
    if timeout is not None:
        details["timeoutInSeconds"] = int(timeout)
    if thread.credentials:
        details["taskCredentials"] = {"roleArn": thread.credentials}
    ex.emit(thread, "LambdaFunctionScheduled", details)
    rid = request_id(ex)
    fn = registry.function(resource)
    if fn is None:
        ex.emit(thread, "LambdaFunctionStarted")
        error, cause = "Lambda.ResourceNotFoundException", not_found(ex, m.group(3), rid, resource)
        ex.emit(thread, "LambdaFunctionFailed", {"error": error, "cause": cause})
        raise StatesFailure(error, cause)
    ex.emit(thread, "LambdaFunctionStarted")
    start = ex.clock.now()
    tctx = TaskContext(ex, state.name, None, m.group(3), rid, resource)
    ok, value = reach_out(
        ex,
        thread,
        tctx,
        lambda: injected(ex, state, args, tctx, timeout, heartbeat) or call(ex, fn, args, tctx),
    )
    late = timing(tctx, timeout, heartbeat)
    if late is not None:
        yield (SLEEP, start + late[0])
        ex.emit(thread, "LambdaFunctionTimedOut", {"error": M.TIMEOUT})
        raise timeout_failure(late[1])
    if tctx.elapsed > 0:
        yield (SLEEP, start + tctx.elapsed)
    if not ok:
        error, cause = value
        ex.emit(thread, "LambdaFunctionFailed", failure_details(error, cause))
        raise StatesFailure(error, cause)
    text = dumps(value)
    if over_payload_limit(text):
        return data_limit(ex, thread, "LambdaFunctionFailed", resource)
    ex.emit(thread, "LambdaFunctionSucceeded", {"output": text})
    return value


def lambda_invoke(
    ex: Execution, args: Any, tctx: TaskContext, registry: TaskRegistry, rid: str
) -> tuple[bool, Any]:
    if not isinstance(args, dict) or "FunctionName" not in args:
        return False, (RUNTIME, M.parameters_unusable(dumps(args), M.FUNCTION_NAME_REQUIRED))
    name = str(args["FunctionName"])
    if args.get("Qualifier"):
        name = f"{name}:{args['Qualifier']}"
    fn = registry.function(name)
    if fn is None:
        return False, (
            "Lambda.ResourceNotFoundException",
            not_found(ex, name.split(":function:")[-1], rid, name if name.startswith("arn:") else None),
        )
    tctx.function_name = name.split(":function:")[-1].split(":")[0]
    if name.startswith("arn:"):
        tctx.invoked_function_arn = name
    elif ":function:" in name:  # a partial ARN, "123456789012:function:name[:qualifier]"
        tctx.invoked_function_arn = f"arn:aws:lambda:{ex.service.region}:{name}"
    else:
        tctx.invoked_function_arn = function_arn(ex, name)
    # Lambda Invoke API: InvocationType RequestResponse (default) answers 200 with the function's
    # result; Event (asynchronous) answers 202 — the function runs, its result or error is
    # discarded; DryRun answers 204 without running it. The empty Payload of 202/204 is INF.
    invocation = args.get("InvocationType", "RequestResponse")
    status = {"Event": 202, "DryRun": 204}.get(invocation, 200)
    if invocation != "DryRun":
        ok, value = call(ex, fn, args.get("Payload"), tctx)
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
    wrapper.update(
        sdk_metadata(
            ex,
            rid,
            len(body.encode("utf-8", "surrogatepass")),
            {
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "X-Amzn-Trace-Id": "root=1-"
                + rid.replace("-", "")[:8]
                + "-"
                + rid.replace("-", "")[8:32]
                + ";sampled=0",
            },
            status=status,
        )
    )
    wrapper["StatusCode"] = status
    return True, wrapper


def function_arn(ex: Execution, name: str) -> str:
    """The Lambda function ARN of a bare (possibly qualified) function name, in the execution's
    region and account."""
    return ex.service.arn("lambda", f"function:{name}")


def not_found(ex: Execution, name: str, rid: str, arn: str | None = None) -> str:
    if arn is None or not LAMBDA_ARN.match(arn):
        arn = function_arn(ex, name)
    if LAMBDA_ARN.match(arn).group(4) is None:  # type: ignore[union-attr]
        arn += ":$LATEST"
    return M.function_not_found(arn, rid, arn.rsplit(":$LATEST", 1)[0])
