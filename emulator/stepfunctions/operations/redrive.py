"""RedriveExecution (reference API-15); the runtime side is ``runtime/redrive.py``, the redrive
fields of DescribeExecution/ListExecutions are in ``executions.py``."""

from __future__ import annotations

import re
from typing import Any

from ..errors import ERRORS
from ..runtime import redrive as runtime
from . import operation
from .executions import get_execution
from .requests import parse_arn, raise_validation, required
from .state_machines import dt

ExecutionNotRedrivable = ERRORS["ExecutionNotRedrivable"]

_TOKEN = re.compile(r"[!-~]+")


def _token_problems(token: Any) -> list[str]:
    """The request shape of ``clientToken``: 1..64 printable ASCII characters (botocore)."""
    if token is None:
        return []
    problems = []
    if not isinstance(token, str) or len(token) > 64:
        problems.append(
            f"Value '{token}' at 'clientToken' failed to satisfy constraint: Member must have length "
            "less than or equal to 64"
        )
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        problems.append(
            f"Value '{token}' at 'clientToken' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [!-~]+"
        )
    return problems


@operation("RedriveExecution")
def redrive_execution(service: Any, request: dict) -> dict:
    token = request.get("clientToken")
    raise_validation(_token_problems(token))
    arn = required(request, "executionArn")
    if parse_arn(arn, "execution", "express")[3] == "express":
        raise ExecutionNotRedrivable(runtime.EXPRESS)  # LIM-13: Standard only [INF text]
    ex = get_execution(service, arn)
    earlier = runtime.remembered(ex, token)
    if earlier is not None:  # the same clientToken within 15 minutes: the same answer
        return {"redriveDate": dt(earlier)}
    reason = runtime.not_redrivable(ex)
    if reason is not None:
        raise ExecutionNotRedrivable(reason)  # [INF] AWS's message: the redriveStatusReason text
    date = runtime.redrive(ex, token)
    service.drive()
    return {"redriveDate": dt(date)}
