"""DescribeMapRun, ListMapRuns, UpdateMapRun and ``ListExecutions(mapRunArn=...)`` (MAP-16).

The Map Runs themselves (and their child executions) are the runtime's (``runtime/map_runs.py``);
this module answers for them in AWS's shapes (botocore's ``stepfunctions`` model).
"""

from __future__ import annotations

from typing import Any

from ..errors import ERRORS
from ..runtime.history import api_datetime as dt
from ..runtime.map_runs import MapRun, counts
from . import operation
from .requests import listing, page, parse_arn, raise_validation, required

ResourceNotFound = ERRORS["ResourceNotFound"]
ExecutionDoesNotExist = ERRORS["ExecutionDoesNotExist"]
ValidationException = ERRORS["ValidationException"]

NO_UPDATE = (
    "At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be specified"
)
"""[INF] UpdateMapRun without any setting: AWS answers ValidationException; its text is not captured."""
NOT_RUNNING = "Map Run is not RUNNING and cannot be updated"
"""[INF] UpdateMapRun of a Map Run that has ended: the text is not captured."""


def get_map_run(service: Any, arn: Any) -> MapRun:
    """The Map Run ``arn``: InvalidArn when it is not a Map Run ARN, ResourceNotFound when unknown."""
    parse_arn(arn, "mapRun")
    run = service.map_runs.get(arn)
    if run is None or run.execution_arn not in service.executions:
        raise ResourceNotFound(f"Resource not found: '{arn}'", resourceName=arn)
    return run


@operation("DescribeMapRun")
def describe_map_run(service: Any, request: dict) -> dict:
    service.retention.sweep()
    run = get_map_run(service, required(request, "mapRunArn"))
    items, executions = counts(run)
    out: dict[str, Any] = {
        "mapRunArn": run.arn,
        "executionArn": run.execution_arn,
        "status": run.status,
        "startDate": dt(run.start_date),
    }
    if run.stop_date is not None:
        out["stopDate"] = dt(run.stop_date)
    out.update(
        maxConcurrency=run.max_concurrency,
        toleratedFailurePercentage=run.tolerated_pct,
        toleratedFailureCount=run.tolerated_count,
        itemCounts=items,
        executionCounts=executions,
        redriveCount=run.redrive_count,
    )
    if run.redrive_date is not None:
        out["redriveDate"] = dt(run.redrive_date)
    return out


@operation("ListMapRuns")
def list_map_runs(service: Any, request: dict) -> dict:
    service.retention.sweep()
    arn = required(request, "executionArn")
    parse_arn(arn, "execution")
    if arn not in service.executions:
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{arn}'")
    runs = list(reversed(service.map_runs_of.get(arn, [])))  # [INF] newest first, as ListExecutions
    chunk, nxt = page(runs, request, f"ListMapRuns:{arn}")
    items = []
    for run in chunk:
        item = {
            "executionArn": run.execution_arn,
            "mapRunArn": run.arn,
            "stateMachineArn": run.state_machine_arn,
            "startDate": dt(run.start_date),
        }
        if run.stop_date is not None:
            item["stopDate"] = dt(run.stop_date)
        items.append(item)
    return listing("mapRuns", items, nxt)


@operation("UpdateMapRun")
def update_map_run(service: Any, request: dict) -> dict:
    limit = request.get("maxConcurrency")
    pct = request.get("toleratedFailurePercentage")
    count = request.get("toleratedFailureCount")
    raise_validation(_update_problems(limit, pct, count))
    run = get_map_run(service, required(request, "mapRunArn"))
    if limit is None and pct is None and count is None:
        raise ValidationException(NO_UPDATE)
    if run.status != "RUNNING" or run.group is None:
        raise ValidationException(NOT_RUNNING)
    if limit is not None:
        run.max_concurrency = limit
    if pct is not None:
        run.tolerated_pct = float(pct)
    if count is not None:
        run.tolerated_count = count
    run.group.reconfigure(limit, count, None if pct is None else float(pct))
    service.drive()
    return {}


def _update_problems(limit: Any, pct: Any, count: Any) -> list[str]:
    """UpdateMapRun's member constraints (botocore's model: min 0; percentage at most 100)."""
    problems = []
    for member, value, low in (
        ("maxConcurrency", limit, 0),
        ("toleratedFailurePercentage", pct, 0),
        ("toleratedFailureCount", count, 0),
    ):
        if value is not None and value < low:
            problems.append(
                f"Value '{value}' at '{member}' failed to satisfy constraint: Member must have value "
                f"greater than or equal to {low}"
            )
    if pct is not None and pct > 100:
        problems.append(
            f"Value '{pct}' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must "
            "have value less than or equal to 100"
        )
    return problems


def list_map_run_executions(service: Any, request: dict, status: str | None, redrive: str | None) -> dict:
    """ListExecutions with ``mapRunArn``: the run's child executions, newest first; ``statusFilter``
    (PENDING_REDRIVE: children waiting to be redriven) and ``redriveFilter`` (MAP-17)."""
    arn = request["mapRunArn"]
    run = get_map_run(service, arn)
    children = [
        c
        for c in reversed(run.children)
        if (status is None or c.status == status)
        and (redrive is None or (c.redrive_count > 0) == (redrive == "REDRIVEN"))
    ]
    chunk, nxt = page(
        children,
        request,
        f"ListExecutions:{arn}:{status}:{redrive}",
        key=lambda c: c.seq,
        descending=True,
        token_max=3096,
    )
    items = []
    for c in chunk:
        item: dict[str, Any] = {
            "executionArn": c.arn,
            "stateMachineArn": c.state_machine_arn,
            "name": c.name,
            "status": c.status,
            "startDate": dt(c.start_date),
        }
        if c.stop_date is not None:
            item["stopDate"] = dt(c.stop_date)
        item.update(mapRunArn=run.arn, itemCount=c.item_count, redriveCount=c.redrive_count)
        if c.redrive_date is not None:
            item["redriveDate"] = dt(c.redrive_date)
        items.append(item)
    return listing("executions", items, nxt)
