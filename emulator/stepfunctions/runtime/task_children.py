"""Nested executions: ``arn:aws:states:::states:startExecution[.sync[:2]|.waitForTaskToken]``
(RES-08) starts another state machine of the same Emulator, through the service object."""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ...errors import AWSError
from .. import messages as M
from ..asl.failures import StatesFailure
from .history import dumps
from .tape import taped
from .task_calls import sdk_metadata
from .threads import PARK, Thread

if TYPE_CHECKING:
    from .execution import Execution


def start_child(ex: Execution, args: Any, rid: str) -> tuple[bool, Any]:
    """StartExecution of another state machine of the same Emulator; errors are named
    ``StepFunctions.<Code>`` as AWS's optimized integration names them."""
    if not isinstance(args, dict):
        args = {}
    child_input = args.get("Input", {})
    request = {
        "stateMachineArn": args.get("StateMachineArn"),
        "name": args.get("Name"),
        "input": child_input if isinstance(child_input, str) else dumps(child_input),
    }
    try:
        child = ex.service.start_execution(request)
    except AWSError as err:
        code = err.code if err.code.endswith("Exception") else err.code + "Exception"
        return False, (f"StepFunctions.{code}", M.step_functions_error(err.message, err.status, code, rid))
    body = {"ExecutionArn": child.arn, "StartDate": int(child.start_date * 1000)}
    out = dict(body)
    out.update(sdk_metadata(ex, rid, len(dumps(body))))
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


def _wait_for(ex: Execution, thread: Thread, arn: str) -> tuple[Any, _ChildWait | None]:
    """The child execution, and a waiter on its end (None when it has already ended). Taped: an
    Express child is forgotten at the first sweep after it closes (``../retention.py``), so a
    thread rebuilt after a snapshot (retrying the task) could not look it up again."""
    child = ex.service.executions[arn]
    if child.status != "RUNNING":
        return child, None
    waiter = _ChildWait(ex, thread, child)
    child.on_finish.append(waiter.done)
    return child, waiter


def wait_child(
    ex: Execution, thread: Thread, response: dict, parsed: bool, base: dict
) -> Generator[Any, Any, Any]:
    """``.sync`` / ``.sync:2`` (RES-08): TaskSubmitted, then wait for the child to close."""
    ex.emit(thread, "TaskSubmitted", {**base, "output": dumps(response)})
    arn = response["ExecutionArn"]
    child, waiter = taped(ex, thread, lambda: _wait_for(ex, thread, arn))
    if waiter is not None:
        yield (PARK, waiter)
    desc: dict[str, Any] = {
        "ExecutionArn": child.arn,
        "Input": json.loads(child.input_text) if parsed else child.input_text,
        "InputDetails": {"Included": True},
        "Name": child.name,
    }
    if child.status == "SUCCEEDED":
        desc["Output"] = child.output if parsed else child.output_text
        desc["OutputDetails"] = {"Included": True}
    desc.update(
        {
            "RedriveCount": 0,
            "StartDate": int(child.start_date * 1000),
            "StateMachineArn": child.state_machine_arn,
            "Status": child.status,
            "StopDate": int((child.stop_date or ex.clock.now()) * 1000),
        }
    )
    if child.status != "SUCCEEDED":
        if child.error is not None:
            desc["Error"] = child.error
        if child.cause is not None:
            desc["Cause"] = child.cause
        cause = dumps(desc)
        ex.emit(thread, "TaskFailed", {**base, "error": M.TASK_FAILED, "cause": cause})
        raise StatesFailure(M.TASK_FAILED, cause)
    ex.emit(thread, "TaskSucceeded", {**base, "output": dumps(desc)})
    return desc
