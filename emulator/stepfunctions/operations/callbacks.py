"""SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat (API-19, RES-09)."""

from __future__ import annotations

import json
from typing import Any

from ..errors import ERRORS
from ..service import operation
from .requests import required

InvalidToken = ERRORS["InvalidToken"]
InvalidOutput = ERRORS["InvalidOutput"]
CLOSED_TASK = "Task Timed Out: 'Provided task does not exist anymore'"


def _callback(service: Any, token: Any) -> Any:
    cb = service.tokens.get(token) if isinstance(token, str) else None
    if cb is None:
        if isinstance(token, str) and token in service.timed_out_tokens:
            # The task is closed (timed out, or its execution stopped or ended). AWS's words, as
            # botocore printed them: "TaskTimedOut ... Task Timed Out: 'Provided task does not
            # exist anymore'" (aws-samples/amazon-mwaa-examples#61).
            raise ERRORS["TaskTimedOut"](CLOSED_TASK)
        raise InvalidToken(f"Invalid Token: '{token}'")
    return cb


@operation("SendTaskSuccess")
def send_task_success(service: Any, request: dict) -> dict:
    cb = _callback(service, required(request, "taskToken"))
    output = required(request, "output")
    try:
        value = json.loads(output)
    except (TypeError, ValueError):
        raise InvalidOutput(f"Invalid Output: '{output}'") from None
    cb.resolve(("success", value))
    service.drive()
    return {}


@operation("SendTaskFailure")
def send_task_failure(service: Any, request: dict) -> dict:
    cb = _callback(service, required(request, "taskToken"))
    cb.resolve(("failure", request.get("error"), request.get("cause")))
    service.drive()
    return {}


@operation("SendTaskHeartbeat")
def send_task_heartbeat(service: Any, request: dict) -> dict:
    cb = _callback(service, required(request, "taskToken"))
    cb.beat()
    return {}
