"""StartExecution, StartSyncExecution, StopExecution, DescribeExecution, ListExecutions,
DescribeStateMachineForExecution (reference API-06..API-12)."""

from __future__ import annotations

import uuid
from typing import Any

from .. import payloads
from ..errors import ERRORS
from ..mock_config import split_test_case, test_case_run
from ..runtime.execution import Execution
from ..runtime.history import over_payload_limit
from ..runtime.map_runs import stop_child
from ..runtime.redrive import not_redrivable
from . import operation
from .map_runs import list_map_run_executions
from .requests import check_name, listing, page, parse_arn, raise_validation, required
from .state_machines import being_deleted, describe_revision, dt, resolve, resolve_alias

ExecutionAlreadyExists = ERRORS["ExecutionAlreadyExists"]
ExecutionDoesNotExist = ERRORS["ExecutionDoesNotExist"]
InvalidExecutionInput = ERRORS["InvalidExecutionInput"]
StateMachineTypeNotSupported = ERRORS["StateMachineTypeNotSupported"]
StateMachineDeleting = ERRORS["StateMachineDeleting"]
ValidationException = ERRORS["ValidationException"]

TYPE_NOT_SUPPORTED = "This operation is not supported by this type of state machine"
"""``StateMachineTypeNotSupported`` of an operation the machine's type (STANDARD/EXPRESS) lacks."""


def _invalid_input(detail: Any) -> str:
    """``InvalidExecutionInput`` of an input that is no JSON text (the detail is Jackson's)."""
    return f"Invalid State Machine Execution Input: '{detail}'"


STATUSES = ["SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"]
REDRIVE_FILTERS = ["REDRIVEN", "NOT_REDRIVEN"]


def _parse_input(text: Any) -> Any:
    if text is None:
        return "{}", {}
    if not isinstance(text, str):
        raise InvalidExecutionInput(_invalid_input(text))
    if over_payload_limit(text):  # LIM-01, 256 KiB of UTF-8
        raise ValidationException(
            "1 validation error detected: Value at 'input' failed to satisfy constraint: "
            "Member must have length less than or equal to 262144"
        )
    try:
        return text, payloads.loads(text)
    except payloads.PayloadProblem as problem:
        raise InvalidExecutionInput(_invalid_input(problem.message)) from None
    except ValueError as exc:
        raise InvalidExecutionInput(_invalid_input(_jackson(exc, text))) from None


def _jackson(exc: ValueError, text: str) -> str:
    """Approximate Jackson's message (AWS parses with Jackson)."""
    tok = text.strip().split()[0] if text.strip() else text
    return (
        f"Unrecognized token '{tok}': was expecting (JSON String, Number, Array, Object or token "
        f"'null', 'true' or 'false')"
    )


def _new_name(service: Any) -> str:
    return str(
        uuid.UUID(
            int=service.rng(f"sfn-exec:{service.started}:{service.clock.now()}").getrandbits(128), version=4
        )
    )


def start(service: Any, request: dict, *, sync: bool) -> Execution:
    """Start an execution (StartExecution/StartSyncExecution, and a workflow's child execution
    through ``StepFunctions.start_execution``); raises the operations' AWSErrors.

    Step Functions Local's ``<state machine arn>#<test case>`` runs a test case of the loaded
    mock configuration (``mock_config.py``)."""
    sm_arn, test_case = split_test_case(request.get("stateMachineArn"))
    if test_case is None:
        return _start(service, request, sync=sync)
    parts = sm_arn.split(":")
    mock_run = test_case_run(service, parts[6] if len(parts) > 6 else "", test_case)
    return _start(service, {**request, "stateMachineArn": sm_arn}, sync=sync, mock_run=mock_run)


def _start(service: Any, request: dict, *, sync: bool, mock_run: Any = None) -> Execution:
    service.retention.sweep()
    sm_arn = required(request, "stateMachineArn")
    aliased = resolve_alias(service, sm_arn)
    alias = None
    if aliased is not None:
        rec, alias = aliased
        version = _route(service, rec, alias)
    else:
        rec, version = resolve(service, sm_arn)
    if rec.status == "DELETING":
        raise StateMachineDeleting(being_deleted(rec.arn))
    if sync and rec.type != "EXPRESS":
        raise StateMachineTypeNotSupported(TYPE_NOT_SUPPORTED)
    name = request.get("name")
    name = _new_name(service) if name is None else check_name(name)
    input_text, input_value = _parse_input(request.get("input"))
    express = rec.type == "EXPRESS"
    if express:
        suffix = str(
            uuid.UUID(
                int=service.rng(f"sfn-express:{name}:{service.clock.now()}:{service.started}").getrandbits(
                    128
                ),
                version=4,
            )
        )
        arn = service.arn("states", f"express:{rec.name}:{name}:{suffix}")
    else:
        arn = service.arn("states", f"execution:{rec.name}:{name}")
        existing = service.executions.get(arn)
        if existing is not None:
            # API-06: same name + same input while RUNNING is idempotent.
            if existing.status == "RUNNING" and existing.input_text == input_text:
                return existing
            raise ExecutionAlreadyExists(f"Execution Already Exists: '{arn}'")
    rev = rec.current if version is None else version.revision
    ex = Execution(
        service,
        arn=arn,
        name=name,
        machine=rev.model,
        record=rev,
        input_text=input_text,
        input_value=input_value,
        express=express,
        sync=sync,
        version_arn=None if version is None else version.arn,
    )
    ex.alias_arn = None if alias is None else alias.arn
    ex.mock_run = mock_run
    service.executions[arn] = ex
    service.started += 1
    ex.seq = rec.started  # its creation number: ListExecutions' order and page tokens
    rec.started += 1
    rec.executions.append(ex)
    ex.listed_in = rec.executions
    ex.start()
    return ex


@operation("StartExecution")
def start_execution(service: Any, request: dict) -> dict:
    ex = start(service, request, sync=False)
    service.drive()
    return {"executionArn": ex.arn, "startDate": dt(ex.start_date)}


@operation("StartSyncExecution")
def start_sync_execution(service: Any, request: dict) -> dict:
    ex = start(service, request, sync=True)
    # Runs to completion: drive the scheduler until this one ends — jumping a virtual clock, or in
    # real time on the system clock (this call holds the service lock meanwhile, as a synchronous
    # call to AWS would hold its connection; Express executions are capped at five minutes).
    # On a virtual clock it jumps time even with auto_advance=False: a synchronous call cannot
    # return before its execution ends, so it is itself the test asking for time to pass.
    sched = service.scheduler
    clock = service.clock
    if clock.virtual:
        while ex.status == "RUNNING":
            if not sched.run_until_idle(include_passive=True) and ex.status == "RUNNING":
                break
    else:
        while ex.status == "RUNNING":
            sched.run_until_idle(include_passive=True, until=clock.now())
            due = sched.next_due()
            if ex.status != "RUNNING" or due is None:
                break
            clock.sleep(min(max(due - clock.now(), 0.0), 0.05))
    out: dict[str, Any] = {
        "executionArn": ex.arn,
        "stateMachineArn": ex.state_machine_arn,
        "name": ex.name,
        "startDate": dt(ex.start_date),
        "stopDate": dt(ex.stop_date or service.clock.now()),
        "status": ex.status,
        "input": ex.input_text,
        "inputDetails": {"included": True},
    }
    if ex.status == "SUCCEEDED":
        out["output"] = ex.output_text
        out["outputDetails"] = {"included": True}
    else:
        if ex.error is not None:
            out["error"] = ex.error
        if ex.cause is not None:
            out["cause"] = ex.cause
    if request.get("traceHeader"):
        out["traceHeader"] = request["traceHeader"]
    duration = int(((ex.stop_date or ex.start_date) - ex.start_date) * 1000)
    out["billingDetails"] = {
        "billedMemoryUsedInMB": 64,
        "billedDurationInMilliseconds": max(100, (duration + 99) // 100 * 100),
    }
    return out


def _route(service: Any, rec: Any, alias: Any) -> Any:
    """API-17: an alias picks one of its (at most two) versions at random by weight (seeded)."""
    rng = service.rng(f"sfn-alias:{alias.arn}:{rec.started}")
    pick = rng.uniform(0, 100)
    total = 0.0
    chosen = alias.routing[-1]
    for route in alias.routing:
        total += route["weight"]
        if pick < total:
            chosen = route
            break
    number = int(chosen["stateMachineVersionArn"].rsplit(":", 1)[1])
    return rec.versions[number]


def redrive_fields(ex: Execution, out: dict[str, Any], *, status: bool) -> None:
    """``redriveCount`` (always), ``redriveDate`` once redriven, and for DescribeExecution
    (``status``) ``redriveStatus`` with its reason when NOT_REDRIVABLE (API-09, API-15)."""
    out["redriveCount"] = ex.redrive_count
    if ex.redrive_date is not None:
        out["redriveDate"] = dt(ex.redrive_date)
    if status:
        reason = not_redrivable(ex)
        if reason is None:
            out["redriveStatus"] = "REDRIVABLE"
        else:
            out["redriveStatus"] = "NOT_REDRIVABLE"
            out["redriveStatusReason"] = reason


def get_execution(service: Any, arn: Any) -> Execution:
    parse_arn(arn, "execution")
    service.retention.sweep()
    ex = service.executions.get(arn)
    if ex is None:
        ex = _map_run_child(service, arn)
    if ex is None:
        raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{arn}'")
    return ex


def _map_run_child(service: Any, arn: str) -> Execution | None:
    """A Map Run's child execution (MAP-16), while its parent execution is kept."""
    child = service.map_run_children.get(arn)
    if child is None:
        return None
    if (
        child.map_run_arn not in service.map_runs
        or service.map_runs[child.map_run_arn].execution_arn not in service.executions
    ):
        del service.map_run_children[arn]
        return None
    return child


@operation("StopExecution")
def stop_execution(service: Any, request: dict) -> dict:
    error, cause = request.get("error"), request.get("cause")
    problems = [
        f"Value at '{member}' failed to satisfy constraint: Member must have length less than "
        f"or equal to {limit}"
        for member, value, limit in (("error", error, 256), ("cause", cause, 32768))
        if isinstance(value, str) and len(value) > limit
    ]
    raise_validation(problems)  # the request shape is checked before the execution is looked up
    ex = get_execution(service, required(request, "executionArn"))
    if ex.map_run_arn:  # MAP-19: a Map Run's child stops alone; its run counts it as aborted
        stop_child(ex, service.map_runs[ex.map_run_arn], error, cause)
        service.drive()
        return {"stopDate": dt(ex.stop_date or service.clock.now())}
    ex.stop(error, cause)
    return {"stopDate": dt(ex.stop_date or service.clock.now())}


@operation("DescribeExecution")
def describe_execution(service: Any, request: dict) -> dict:
    ex = get_execution(service, required(request, "executionArn"))
    out: dict[str, Any] = {
        "executionArn": ex.arn,
        "stateMachineArn": ex.state_machine_arn,
        "name": ex.name,
        "status": ex.status,
        "startDate": dt(ex.start_date),
    }
    if ex.stop_date is not None:
        out["stopDate"] = dt(ex.stop_date)
    out["input"] = ex.input_text
    out["inputDetails"] = {"included": True}
    if ex.status == "SUCCEEDED":
        out["output"] = ex.output_text
        out["outputDetails"] = {"included": True}
    if ex.error is not None:
        out["error"] = ex.error
    if ex.cause is not None:
        out["cause"] = ex.cause
    if ex.version_arn:
        out["stateMachineVersionArn"] = ex.version_arn
    if ex.alias_arn:
        out["stateMachineAliasArn"] = ex.alias_arn
    if ex.map_run_arn:
        out["mapRunArn"] = ex.map_run_arn
    redrive_fields(ex, out, status=True)
    return out


@operation("ListExecutions")
def list_executions(service: Any, request: dict) -> dict:
    service.retention.sweep()
    sm_arn, status, redrive = _list_executions_filters(request)
    if sm_arn is None:  # MAP-16: a Map Run's child executions
        return list_map_run_executions(service, request, status, redrive)
    aliased = resolve_alias(service, sm_arn)
    alias_arn = None
    if aliased is not None:
        (rec, alias), version = aliased, None
        alias_arn = alias.arn
    else:
        rec, version = resolve(service, sm_arn)
    if rec.type == "EXPRESS":
        raise StateMachineTypeNotSupported(TYPE_NOT_SUPPORTED)
    exs = [
        e
        for e in reversed(rec.executions)
        if (status is None or e.status == status)
        and (version is None or e.version_arn == version.arn)
        and (alias_arn is None or e.alias_arn == alias_arn)
        and (redrive is None or (e.redrive_count > 0) == (redrive == "REDRIVEN"))
    ]
    chunk, nxt = page(
        exs,
        request,
        f"ListExecutions:{sm_arn}:{status}:{redrive}",
        key=lambda e: e.seq,
        descending=True,
        token_max=3096,
    )
    items = [_execution_list_item(e) for e in chunk]
    return listing("executions", items, nxt)


def _list_executions_filters(request: dict) -> tuple[str | None, str | None, str | None]:
    """ListExecutions' request checks, in AWS's order: the state machine or Map Run ARN, then
    ``statusFilter`` and ``redriveFilter``."""
    sm_arn = request.get("stateMachineArn")
    if sm_arn is None and request.get("mapRunArn") is None:
        raise ValidationException("Must provide a StateMachine ARN or MapRun ARN")
    if sm_arn is not None and request.get("mapRunArn") is not None:
        # INF: AWS's exact text for both ARNs together is not captured (API-10: "xor").
        raise ValidationException("Must provide either a StateMachine ARN or a MapRun ARN, not both")
    status = request.get("statusFilter")
    if status is not None and status not in STATUSES:
        raise ValidationException(
            f"1 validation error detected: Value '{status}' at 'statusFilter' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(STATUSES)}]"
        )
    if status == "PENDING_REDRIVE" and sm_arn is not None:
        # INF: API-10 says PENDING_REDRIVE is only for a mapRunArn listing; the text is not captured.
        raise ValidationException("The PENDING_REDRIVE statusFilter can only be used with a MapRun ARN")
    redrive = request.get("redriveFilter")
    if redrive is not None and redrive not in REDRIVE_FILTERS:
        raise ValidationException(
            f"1 validation error detected: Value '{redrive}' at 'redriveFilter' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(REDRIVE_FILTERS)}]"
        )
    return sm_arn, status, redrive


def _execution_list_item(e: Any) -> dict[str, Any]:
    """One execution as ListExecutions shows it."""
    item: dict[str, Any] = {
        "executionArn": e.arn,
        "stateMachineArn": e.state_machine_arn,
        "name": e.name,
        "status": e.status,
        "startDate": dt(e.start_date),
    }
    if e.stop_date is not None:
        item["stopDate"] = dt(e.stop_date)
    if e.version_arn:
        item["stateMachineVersionArn"] = e.version_arn
    if e.alias_arn:
        item["stateMachineAliasArn"] = e.alias_arn
    redrive_fields(e, item, status=False)
    return item


@operation("DescribeStateMachineForExecution")
def describe_state_machine_for_execution(service: Any, request: dict) -> dict:
    ex = get_execution(service, required(request, "executionArn"))
    rev = ex.record
    rec = service.state_machines.get(rev.arn)
    out = {
        "stateMachineArn": rev.arn,
        "name": rev.name,
        "definition": rev.definition,
        "roleArn": rev.role_arn,
        "updateDate": dt(rev.update_date),
        "loggingConfiguration": dict(rev.logging),
        "tracingConfiguration": dict(rev.tracing),
        "encryptionConfiguration": dict(rev.encryption),
    }
    if rev.revision_id:
        out["revisionId"] = rev.revision_id
    _ = rec, describe_revision
    return out
