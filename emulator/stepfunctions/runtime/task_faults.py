"""Injected task failures (emulator/faults/): a Task fails the way AWS's task failures look.

Before a Task runs its resource (a Lambda function, a registered callable, a service
integration), it asks the world's faults whether one fires for it, by the state's name, the
resource ARN or the Lambda function's name. A firing fault replaces the call's outcome: an
error and cause (``Lambda.ServiceException`` with the Java SDK's cause, ``States.TaskFailed``,
...) recorded by the task's own failure event and handled by Retry/Catch as usual.

``States.HeartbeatTimeout`` is a heartbeat that never comes: the task runs without heartbeating
until HeartbeatSeconds (or TimeoutSeconds) cuts it off, which the runtime's own timing records
as the task's TimedOut event with ``States.Timeout``, matched by ``States.HeartbeatTimeout``
(ERR-11). For a ``.waitForTaskToken`` task the token is never handed out, so the wait's own
timers end it. A task with neither limit hangs for AWS's default TimeoutSeconds (99999999 s) on
the clock, so a Standard execution's one-year limit ends it first (``ExecutionTimedOut``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...faults.catalog import HEARTBEAT_NEVER_COMES, task_failure
from .. import messages as M
from .task_calls import LAMBDA_ARN, TaskContext

if TYPE_CHECKING:
    from .execution import Execution

DEFAULT_TASK_TIMEOUT = 99999999.0  # seconds: a Task's TimeoutSeconds when the definition gives none


def injected(
    ex: Execution,
    state: Any,
    args: Any,
    tctx: TaskContext,
    timeout: float | None,
    heartbeat: float | None,
    *,
    callback: bool = False,
) -> tuple[bool, Any] | None:
    """The outcome of an injected fault for this Task attempt, or None (run it as usual)."""
    faults = ex.world._active_faults
    if faults is None:
        return None
    fault = faults.on_task(task_names(state, args))
    if fault is None:
        return None
    if fault.error != HEARTBEAT_NEVER_COMES:
        return False, task_failure(fault, tctx.aws_request_id)
    if callback:  # the token never reaches a worker: the wait's HeartbeatSeconds/TimeoutSeconds end it
        return True, None
    limits = [s for s in (heartbeat, timeout) if s is not None]
    tctx.heartbeats.clear()
    tctx.elapsed = (min(limits) if limits else DEFAULT_TASK_TIMEOUT) + 1.0
    return False, (M.TIMEOUT, None)


def task_names(state: Any, args: Any) -> tuple[str, ...]:
    """What ``task=`` may name: the state, its resource, the Lambda function (name or ARN)."""
    resource = str(state.resource)
    names = [state.name, resource]
    m = LAMBDA_ARN.match(resource)
    if m:
        names.append(m.group(3))
    function = args.get("FunctionName") if isinstance(args, dict) else None
    if isinstance(function, str):
        names += [function, function.split(":function:")[-1].split(":")[0]]
    return tuple(names)
