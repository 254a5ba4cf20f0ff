"""SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat (API-19, RES-09)."""

from __future__ import annotations

from typing import Any

from .. import payloads
from ..errors import ERRORS
from . import operation
from .requests import raise_validation, required

InvalidToken = ERRORS["InvalidToken"]
InvalidOutput = ERRORS["InvalidOutput"]
CLOSED_TASK = "Task Timed Out: 'Provided task does not exist anymore'"
# A token this service never issued (AWS's tokens are opaque: any other string is malformed):
# AWS's text as an AWS-checked external suite records it (issue 11), without the token echoed.
MALFORMED_TOKEN = "Invalid token"


# Request-shape limits (botocore: TaskToken 1..2048; SensitiveData output ≤ 262144; SensitiveError
# ≤ 256; SensitiveCause ≤ 32768). Sensitive members are named without their value, as AWS does.
_LIMITS = {"output": 262_144, "error": 256, "cause": 32_768}


def _check_lengths(request: dict) -> None:
    problems = []
    token = request.get("taskToken")
    if token == "":
        problems.append(
            "Value '' at 'taskToken' failed to satisfy constraint: Member must have "
            "length greater than or equal to 1"
        )
    if isinstance(token, str) and len(token) > 2048:
        problems.append(
            f"Value '{token}' at 'taskToken' failed to satisfy constraint: Member must have "
            "length less than or equal to 2048"
        )
    for member, limit in _LIMITS.items():
        value = request.get(member)
        if isinstance(value, str) and len(value) > limit:
            problems.append(
                f"Value at '{member}' failed to satisfy constraint: Member must have length "
                f"less than or equal to {limit}"
            )
    raise_validation(problems)


def _callback(service: Any, token: Any) -> Any:
    cb = service.tokens.get(token) if isinstance(token, str) else None
    if cb is None:
        if isinstance(token, str) and token in service.timed_out_tokens:
            # The task is closed (timed out, or its execution stopped or ended). AWS's words, as
            # botocore printed them: "TaskTimedOut ... Task Timed Out: 'Provided task does not
            # exist anymore'" (aws-samples/amazon-mwaa-examples#61).
            raise ERRORS["TaskTimedOut"](CLOSED_TASK)
        raise InvalidToken(MALFORMED_TOKEN)
    if cb.activity is not None and service.activities.get(cb.activity[0].arn) is not cb.activity[0]:
        # botocore documents TaskDoesNotExist as "The activity does not exist.": the token belongs
        # to a task of an activity that has since been deleted. INF: AWS's message is not recorded.
        raise ERRORS["TaskDoesNotExist"](f"Task Does Not Exist: '{token}'")
    return cb


@operation("SendTaskSuccess")
def send_task_success(service: Any, request: dict) -> dict:
    _check_lengths(request)
    cb = _callback(service, required(request, "taskToken"))
    output = required(request, "output")
    try:
        value = payloads.loads(output)
    except (TypeError, ValueError):  # not JSON, too deep, or a lone surrogate (payloads.py)
        raise InvalidOutput(f"Invalid Output: '{output}'") from None
    cb.resolve(("success", value))
    service.drive()
    return {}


@operation("SendTaskFailure")
def send_task_failure(service: Any, request: dict) -> dict:
    _check_lengths(request)
    cb = _callback(service, required(request, "taskToken"))
    cb.resolve(("failure", request.get("error"), request.get("cause")))
    service.drive()
    return {}


@operation("SendTaskHeartbeat")
def send_task_heartbeat(service: Any, request: dict) -> dict:
    _check_lengths(request)
    cb = _callback(service, required(request, "taskToken"))
    cb.beat()
    return {}
