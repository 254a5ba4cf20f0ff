"""The Task state: its arguments, timeouts and credentials, then the task itself (``tasks.py``),
under Retry and Catch."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ...asl.model import MISSING, TaskState
from .. import tasks
from ..context import with_task_token
from ..tape import taped
from ..threads import Thread
from .catching import with_retry
from .glue import Outcome
from .runner import flow_of, handles

if TYPE_CHECKING:
    from ..execution import Execution


@handles("Task")
def run_task(
    ex: Execution, thread: Thread, state: TaskState, raw: Any, scope: dict, eid: int
) -> Generator[Any, Any, Outcome]:
    entered_at = ex.clock.now()
    flow = flow_of(state)

    def attempt(retry_count: int) -> Generator[Any, Any, Outcome]:
        ctx = ex.state_context(state.name, entered_at, retry_count)
        token = None
        if state.resource.endswith(".waitForTaskToken"):
            token = taped(ex, thread, ex.service.new_task_token)
            ctx = with_task_token(ctx, token)
        io = flow(ex, thread, state, raw, scope, eid, ctx)
        args = io.arguments()
        timeout = io.seconds(state.timeout_seconds, state.timeout_seconds_path, "TimeoutSeconds")
        heartbeat = io.seconds(state.heartbeat_seconds, state.heartbeat_seconds_path, "HeartbeatSeconds")
        credentials = None
        if state.credentials is not MISSING:
            # RES-11: recorded as taskCredentials; the emulator has no IAM to assume the role with.
            credentials = io.template(state.credentials, "Credentials", raw)
        result = yield from tasks.invoke(
            ex,
            thread,
            state,
            args,
            ctx,
            timeout=timeout,
            heartbeat=heartbeat,
            token=token,
            credentials=credentials,
        )
        return io.result(result)

    return (yield from with_retry(ex, thread, state, raw, scope, eid, attempt))
