"""What an injected fault answers with: the service's own error class, AWS's text and HTTP status.

An API fault names an error code of the service (its ``client.exceptions`` table), or one of the
front end's codes every service can answer with: ``InternalServerError`` (500) and
``ServiceUnavailable`` (503), both of which botocore retries (``_retry.json``:
``general_server_error``, ``service_unavailable``; standard mode: transient status codes), and
``ThrottlingException`` for Step Functions, which botocore retries as throttling. DynamoDB's
``TransactionConflict`` is not an error code but a cancellation reason: the transaction is
cancelled with ``TransactionCanceledException`` whose ``CancellationReasons`` carry
``TransactionConflict`` for the targeted action (the first on ``table=``, else the first) and
``None`` for the others (T5, T11).

A task fault names a Step Functions task failure (ERRN-18): Lambda's service errors with the
cause the Java SDK writes, ``Lambda.SdkClientException``, ``States.TaskFailed``, or
``States.HeartbeatTimeout`` (the task never heartbeats, see ``stepfunctions/runtime/task_faults.py``);
any other name fails the task with that name and ``cause=``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..dynamodb import messages as DM
from ..errors import AWSError, error_class
from ..stepfunctions import messages as SM

if TYPE_CHECKING:
    from .rules import Fault

CORAL_SERVICE = "com.amazon.coral.service"
TRANSACTION_CONFLICT = "TransactionConflict"  # a cancellation reason, not an error code
TRANSACTIONAL = frozenset({"TransactWriteItems", "TransactGetItems", "ExecuteTransaction"})
HEARTBEAT_NEVER_COMES = "States.HeartbeatTimeout"
SDK_CLIENT = "Lambda.SdkClientException"
CONTROL_PLANE = frozenset({"CreateTable", "UpdateTable", "DeleteTable"})

# service → code → default text (a callable takes the operation name)
TEXTS: dict[str, dict[str, Any]] = {
    "dynamodb": {
        "ProvisionedThroughputExceededException": DM.PROVISIONED_THROUGHPUT_EXCEEDED,
        "ThrottlingException": lambda op: (
            DM.THROTTLED_CONTROL if op in CONTROL_PLANE else DM.THROTTLED_ON_DEMAND
        ),
        "RequestLimitExceeded": DM.ACCOUNT_LIMIT_EXCEEDED,
        "LimitExceededException": DM.TOO_MANY_OPERATIONS,
        "InternalServerError": DM.INTERNAL_SERVER_ERROR,
        "ServiceUnavailable": DM.SERVICE_UNAVAILABLE,
        "TransactionConflictException": DM.TRANSACTION_CONFLICT,
        "TransactionInProgressException": DM.TRANSACTION_IN_PROGRESS,
        "ItemCollectionSizeLimitExceededException": DM.COLLECTION_SIZE_EXCEEDED,
        "ConditionalCheckFailedException": DM.CONDITIONAL_CHECK_FAILED,
        "ResourceNotFoundException": DM.RESOURCE_NOT_FOUND,
    },
    "stepfunctions": {
        "ThrottlingException": SM.THROTTLED,
        "InternalServerError": SM.API_INTERNAL_ERROR,
        "ServiceUnavailable": SM.API_SERVICE_UNAVAILABLE,
    },
}
TEXTS["dynamodbstreams"] = TEXTS["dynamodb"]

# Codes every service answers with although its table may lack them: (status, namespace or None
# for the service's own, sender fault).
FRONT_END_CODES: dict[str, tuple[int, str | None, bool]] = {
    "InternalServerError": (500, None, False),
    "ServiceUnavailable": (503, CORAL_SERVICE, False),
    "ThrottlingException": (400, None, True),
}
_EXTRA_CLASSES: dict[tuple[str, str], type[AWSError]] = {}


def error_codes(service: Any) -> set[str]:
    """Every code an API fault of ``service`` may name."""
    codes = set(service.errors) | set(FRONT_END_CODES)
    if service.name == "dynamodb":
        codes.add(TRANSACTION_CONFLICT)
    return codes


def check_api_error(service: Any, error: str, operation: str | None) -> None:
    """ValueError for a code the service cannot answer with (naming the codes it can)."""
    codes = error_codes(service)
    if error not in codes:
        raise ValueError(f"{service.name} has no error {error!r}; one of: {', '.join(sorted(codes))}")
    if error == TRANSACTION_CONFLICT and operation not in TRANSACTIONAL:
        raise ValueError(
            f"TransactionConflict cancels a transaction: give operation= one of {', '.join(sorted(TRANSACTIONAL))}"
        )


def error_class_of(service: Any, code: str) -> type[AWSError]:
    cls = service.errors.get(code)
    if cls is not None:
        return cls  # type: ignore[no-any-return]
    key = (service.name, code)
    cls = _EXTRA_CLASSES.get(key)
    if cls is None:
        status, namespace, sender = FRONT_END_CODES[code]
        if namespace is None:  # the service's own namespace, as its other errors carry it
            namespace = next(iter(service.errors.values())).namespace
        cls = _EXTRA_CLASSES.setdefault(key, error_class(code, namespace, status=status, sender_fault=sender))
    return cls


def api_error(service: Any, fault: Fault, operation: str, request: dict[str, Any]) -> AWSError:
    """The error an API fault answers ``operation`` with."""
    if fault.error == TRANSACTION_CONFLICT:
        return _conflict(service, fault, request)
    message = fault.message
    if message is None:
        text = TEXTS.get(service.name, {}).get(fault.error, fault.error)
        message = text(operation) if callable(text) else text
    return error_class_of(service, fault.error)(message)


def _conflict(service: Any, fault: Fault, request: dict[str, Any]) -> AWSError:
    """T5/T11: the transaction cancelled by a conflict on one of its actions."""
    from .rules import table_name

    actions = request.get("TransactItems") or request.get("TransactStatements") or []
    target = 0
    if fault.table is not None:
        for i, action in enumerate(actions):
            bodies = [b for b in action.values() if isinstance(b, dict)] if isinstance(action, dict) else []
            if any(table_name(b.get("TableName")) == fault.table for b in bodies):
                target = i
                break
    reasons: list[dict[str, Any]] = [{"Code": "None"} for _ in actions]
    if reasons:
        reasons[target] = {"Code": TRANSACTION_CONFLICT, "Message": fault.message or DM.TRANSACTION_CONFLICT}
    cls = service.errors["TransactionCanceledException"]
    return cls(DM.transaction_cancelled([r["Code"] for r in reasons]), CancellationReasons=reasons)  # type: ignore[no-any-return]


def task_failure(fault: Fault, request_id: str) -> tuple[str, str | None]:
    """(error, cause) of a task fault (``States.HeartbeatTimeout`` is handled by the runtime)."""
    if fault.cause is not None:
        return fault.error, fault.cause
    if fault.error in SM.LAMBDA_SERVICE_ERRORS:
        return fault.error, SM.lambda_service_error(fault.error, request_id)
    if fault.error == SDK_CLIENT:
        return fault.error, SM.LAMBDA_SDK_CLIENT
    if fault.error == SM.TASK_FAILED:
        return fault.error, SM.INJECTED_TASK_FAILED
    return fault.error, None
