"""``GET /_emulator/usage``: the usage reports of a running server, as JSON.

The same reports as ``aws.dynamodb.usage()`` and ``aws.stepfunctions.usage()`` (``emulator/usage.py``),
one per service and (account, region) the server's world has used; ``emulator report`` reads this
route and prints them. ``?service=dynamodb`` (or ``stepfunctions``) keeps one service's reports.
"""

from __future__ import annotations

from typing import Any

from ...dynamodb.capacity.usage import dynamodb_usage
from ...stepfunctions.usage import stepfunctions_usage
from ...usage import UsageReport
from ..control import ControlAnswer, ControlRequest, json_answer, route

MAKERS = {"dynamodb": dynamodb_usage, "stepfunctions": stepfunctions_usage}


def world_usage(world: Any, wanted: str | None = None) -> list[UsageReport]:
    """The reports of every DynamoDB and Step Functions service the world has built (each
    (account, region) partition apart), DynamoDB first; ``wanted``: only that service's."""
    reports = []
    for name, make in MAKERS.items():
        if wanted not in (None, name):
            continue
        for service in world.services():
            if getattr(service, "name", None) == name:
                reports.append(make(service))
    return reports


@route("GET", "/_emulator/usage")
def usage(request: ControlRequest) -> ControlAnswer:
    reports = [r.to_dict() for r in world_usage(request.world, request.query.get("service"))]
    return json_answer({"reports": reports})
