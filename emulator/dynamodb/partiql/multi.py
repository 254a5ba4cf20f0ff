"""PartiQL for DynamoDB: BatchExecuteStatement and ExecuteTransaction.

A batch (AWS "Running batch operations with PartiQL") is all reads or all writes; each statement
runs on its own and answers its own result or ``Error`` (BatchStatementError), never failing its
neighbours. A read must name one item by its full key (BatchGetItem's rule). Writes run through
the same path as ExecuteStatement's (``executor.write``), so a clash is ``DuplicateItem``.

A transaction (AWS "Performing transactions with PartiQL") becomes the native transaction:
SELECTs a TransactGetItems, INSERT/UPDATE/DELETE/EXISTS a TransactWriteItems (Put, Update,
Delete, ConditionCheck), run by those operations' handlers, so atomicity, the one-item rule,
idempotency tokens, cancellation reasons and capacity are theirs. The reasons of INSERTs that
met an existing item are renamed ``DuplicateItem``.
"""

from __future__ import annotations

from typing import Any

from ...errors import AWSError
from .. import messages as M
from ..errors import TransactionCanceledException, ValidationException
from . import ast as A
from .executor import batch_error, get, parsed, resolve, write
from .planner import plan_exists, plan_select, plan_write


def _is_read(tree: Any) -> bool:
    return isinstance(tree, A.Select)


def _add_capacity(totals: dict[str, float], consumed: Any) -> None:
    if consumed:
        totals[consumed["TableName"]] = totals.get(consumed["TableName"], 0.0) + consumed["CapacityUnits"]


def batch_execute(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """BatchExecuteStatement."""
    rcc = request.get("ReturnConsumedCapacity")
    parsed_all: list[Any] = []
    for entry in request["Statements"]:
        try:
            parsed_all.append(parsed(entry["Statement"], entry.get("Parameters")))
        except AWSError as err:
            parsed_all.append(err)
    kinds = {_is_read(p[0]) for p in parsed_all if not isinstance(p, AWSError)}
    if len(kinds) > 1:
        raise ValidationException(M.PQL_BATCH_MIXED)
    totals: dict[str, float] = {}
    responses = []
    for entry, outcome in zip(request["Statements"], parsed_all):
        if isinstance(outcome, AWSError):
            responses.append({"Error": batch_error(outcome)})
            continue
        tree, params = outcome
        try:
            responses.append(_batch_one(service, tree, params, entry, rcc, totals))
        except AWSError as err:
            failed: dict[str, Any] = {"Error": batch_error(err)}
            if isinstance(tree, (A.Select, A.Insert, A.Update, A.Delete)):
                failed["TableName"] = tree.source.table
            responses.append(failed)
    response: dict[str, Any] = {"Responses": responses}
    if rcc is not None and rcc != "NONE":
        response["ConsumedCapacity"] = [_capacity_entry(rcc, name, units) for name, units in totals.items()]
    return response


def _capacity_entry(rcc: str, name: str, units: float) -> dict[str, Any]:
    entry: dict[str, Any] = {"TableName": name, "CapacityUnits": units}
    if rcc == "INDEXES":
        entry["Table"] = {"CapacityUnits": units}
    return entry


def _batch_one(
    service: Any,
    tree: Any,
    params: list[Any],
    entry: dict[str, Any],
    rcc: str | None,
    totals: dict[str, float],
) -> dict[str, Any]:
    if isinstance(tree, A.Exists):
        raise ValidationException(M.PQL_EXISTS_OUTSIDE_TX)
    if isinstance(tree, A.Select):
        meta, index = resolve(service, tree.source)
        plan = plan_select(tree, meta, index, params)
        if plan.kind != "get":
            raise ValidationException(M.PQL_BATCH_READ_KEYS)
        result = get(service, plan, bool(entry.get("ConsistentRead", False)), rcc)
        _add_capacity(totals, result.get("ConsumedCapacity"))
        out: dict[str, Any] = {"TableName": meta.name}
        if result["Items"]:
            out["Item"] = result["Items"][0]
        return out
    meta = resolve(service, tree.source, write=True)[0]
    op, native = plan_write(tree, meta, params)
    if rcc is not None:
        native["ReturnConsumedCapacity"] = rcc
    if entry.get("ReturnValuesOnConditionCheckFailure") is not None:
        native["ReturnValuesOnConditionCheckFailure"] = entry["ReturnValuesOnConditionCheckFailure"]
    result = write(service, op, native)
    _add_capacity(totals, result.get("ConsumedCapacity"))
    return {"TableName": meta.name}


# --- ExecuteTransaction -------------------------------------------------------------------------

_WRITE_MEMBER = {"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete"}


def execute_transaction(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """ExecuteTransaction."""
    statements = request["TransactStatements"]
    trees = [parsed(s["Statement"], s.get("Parameters")) for s in statements]
    reads = [_is_read(tree) for tree, _params in trees]
    if any(reads) and not all(reads):
        raise ValidationException(M.PQL_TX_MIXED)
    native: dict[str, Any] = {}
    if request.get("ReturnConsumedCapacity") is not None:
        native["ReturnConsumedCapacity"] = request["ReturnConsumedCapacity"]
    handlers = service.registry.handlers
    if all(reads):
        native["TransactItems"] = [{"Get": _tx_get(service, tree, params)} for tree, params in trees]
        result = handlers["TransactGetItems"](service, native)
        return result  # type: ignore[no-any-return]
    items = []
    for (tree, params), spec in zip(trees, statements):
        member, action = _tx_write(service, tree, params)
        if spec.get("ReturnValuesOnConditionCheckFailure") is not None:
            action["ReturnValuesOnConditionCheckFailure"] = spec["ReturnValuesOnConditionCheckFailure"]
        items.append({member: action})
    native["TransactItems"] = items
    if request.get("ClientRequestToken") is not None:
        native["ClientRequestToken"] = request["ClientRequestToken"]
    try:
        result = handlers["TransactWriteItems"](service, native)
    except TransactionCanceledException as err:
        raise _renamed(err, [isinstance(tree, A.Insert) for tree, _params in trees]) from None
    return {k: v for k, v in result.items() if k == "ConsumedCapacity"}


def _tx_get(service: Any, tree: Any, params: list[Any]) -> dict[str, Any]:
    meta, index = resolve(service, tree.source)
    if index is not None:
        raise ValidationException(M.PQL_TX_INDEX)
    plan = plan_select(tree, meta, index, params)
    if plan.kind != "get" or plan.filter is not None:
        raise ValidationException(M.PQL_TX_READ_KEYS)
    spec: dict[str, Any] = {"TableName": meta.name, "Key": plan.key}
    if plan.projection is not None:
        spec["ProjectionExpression"] = plan.projection
        spec["ExpressionAttributeNames"] = plan.renderer.names
    return spec


def _tx_write(service: Any, tree: Any, params: list[Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(tree, A.Exists):
        if tree.select.source.index is not None:
            raise ValidationException(M.PQL_TX_INDEX)
        meta = resolve(service, tree.select.source)[0]
        return "ConditionCheck", plan_exists(tree, meta, params)
    meta = resolve(service, tree.source, write=True)[0]
    op, action = plan_write(tree, meta, params)
    action.pop("ReturnValues", None)
    return _WRITE_MEMBER[op], action


def _renamed(err: AWSError, inserts: list[bool]) -> AWSError:
    """The cancellation with an INSERT's failed existence check reported as ``DuplicateItem``."""
    reasons = [dict(r) for r in err.extra.get("CancellationReasons", [])]
    for reason, is_insert in zip(reasons, inserts):
        if is_insert and reason.get("Code") == "ConditionalCheckFailed":
            reason.clear()
            reason.update({"Code": "DuplicateItem", "Message": M.PQL_DUPLICATE_ITEM})
    return TransactionCanceledException(
        M.transaction_cancelled([r["Code"] for r in reasons]), CancellationReasons=reasons
    )
