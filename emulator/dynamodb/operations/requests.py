"""Request rules shared by the item, batch and read operations.

* Expression vs legacy parameters (reference E3, E6): which may be mixed, and the texts.
  KeyConditions is the one legacy parameter that mixes with FilterExpression and
  ProjectionExpression (:data:`_MIXES_UNLESS`); with KeyConditionExpression it is refused.
* Building the per-request :class:`ExpressionContext` and compiling the condition, projection,
  filter and update of a request, from either the expression or the legacy parameters (the legacy
  converters in ``expressions/legacy.py`` turn those into the same compiled objects).
* ``ReturnValues`` and the RVOCCF ``Item`` of ConditionalCheckFailedException (I5-I7).

Order of checks (E14, dynalite's approximation of DynamoDB's): shape → mixing → EAN/EAV → parse
each expression → unused names/values. Everything here raises before the engine is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...errors import AWSError
from .. import expressions as X
from .. import messages as M
from ..errors import ConditionalCheckFailedException, ResourceNotFoundException, ValidationException
from ..expressions import ExpressionContext
from ..values import copy_item

# Per operation: (expression parameters, legacy parameters), in the order AWS lists them in E3/E6.
PUT = (("ConditionExpression",), ("Expected", "ConditionalOperator"))
DELETE = PUT
UPDATE = (
    ("UpdateExpression", "ConditionExpression"),
    ("AttributeUpdates", "Expected", "ConditionalOperator"),
)
GET = (("ProjectionExpression",), ("AttributesToGet",))
QUERY = (
    ("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
    ("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"),
)
SCAN = (
    ("ProjectionExpression", "FilterExpression"),
    ("AttributesToGet", "ScanFilter", "ConditionalOperator"),
)


#: Legacy parameters that mix with expressions unless their own expression counterpart is given:
#: AWS lets KeyConditions go with FilterExpression/ProjectionExpression (issue 11 rule 5).
_MIXES_UNLESS = {"KeyConditions": "KeyConditionExpression"}

_INVOLVED: dict[int, frozenset[str]] = {}


def expression_context(
    request: Mapping[str, Any], params: tuple[tuple[str, ...], tuple[str, ...]]
) -> ExpressionContext | None:
    """Check E6/E3 for ``request`` and build its ExpressionContext (None when no expression is used)."""
    involved = _INVOLVED.get(id(params))
    if involved is None:
        involved = _INVOLVED[id(params)] = frozenset(
            params[0] + params[1] + ("ExpressionAttributeNames", "ExpressionAttributeValues")
        )
    if involved.isdisjoint(request):
        return None  # the common case: no expression or legacy parameter at all
    expressions, legacy_params = params
    used = [e for e in expressions if request.get(e) is not None]
    names = request.get("ExpressionAttributeNames")
    values = request.get("ExpressionAttributeValues")
    if used:
        mixed = [
            p
            for p in legacy_params
            if request.get(p) is not None
            and (p not in _MIXES_UNLESS or request.get(_MIXES_UNLESS[p]) is not None)
        ]
        if mixed:
            raise ValidationException(M.mixed_parameters(mixed, used))
    if names is not None and not used:
        raise ValidationException(M.EAN_WITHOUT_EXPRESSIONS)
    value_expressions = [e for e in expressions if e != "ProjectionExpression"]
    if (
        values is not None
        and value_expressions
        and not any(request.get(e) is not None for e in value_expressions)
    ):
        raise ValidationException(M.eav_without_expressions(value_expressions))
    if not used:
        return None
    return ExpressionContext(names, values)


def table(service: Any, name: str, *table_free: Callable[[], Any]) -> Any:
    """The table of a data-plane request; when it does not exist, the request's checks that need
    no table (``table_free``: key values, key-condition shape, ExclusiveStartKey values) run first,
    so an invalid request on a missing table answers their ValidationException, as AWS validates
    before it resolves the table (issue 11 rule 1). On an existing table the handler runs the same
    checks itself, and re-runs them when a later check fails (``except AWSError: check(); raise``),
    so a table-free error outranks a table-dependent one there too; the hot paths pay nothing."""
    try:
        return service.catalog.get(name)
    except ResourceNotFoundException:
        for check in table_free:
            check()
        raise


def projection(request: Mapping[str, Any], ctx: ExpressionContext | None) -> Any:
    """The compiled projection of ProjectionExpression or AttributesToGet (None: whole items)."""
    text = request.get("ProjectionExpression")
    if text is not None and ctx is not None:
        return X.compile_projection(text, ctx)
    names = request.get("AttributesToGet")
    if names is not None:
        return X.legacy.attributes_to_get_projection(names)  # also rejects duplicates (P4)
    return None


def condition(request: Mapping[str, Any], ctx: ExpressionContext | None) -> Any:
    """The compiled write condition of ConditionExpression or Expected (+ConditionalOperator)."""
    text = request.get("ConditionExpression")
    if text is not None and ctx is not None:
        return X.compile_condition(text, ctx, kind="ConditionExpression")
    expected = request.get("Expected")
    operator = request.get("ConditionalOperator")
    if expected is not None or operator is not None:
        return X.legacy.expected_to_condition(expected, operator)
    return None


def checked_projection(request: Mapping[str, Any], params: tuple[tuple[str, ...], tuple[str, ...]]) -> Any:
    """The expression side of a read by key (GetItem, BatchGetItem, TransactGetItems), in E14's
    order: the context (:func:`expression_context`), the projection, then unused placeholders (E4)."""
    ctx = expression_context(request, params)
    proj = projection(request, ctx)
    if ctx is not None:
        ctx.check_unused()
    return proj


def checked_condition(request: Mapping[str, Any], params: tuple[tuple[str, ...], tuple[str, ...]]) -> Any:
    """The expression side of PutItem and DeleteItem, in E14's order: the context, the condition,
    then unused placeholders (E4)."""
    ctx = expression_context(request, params)
    cond = condition(request, ctx)
    if ctx is not None:
        ctx.check_unused()
    return cond


def update(request: Mapping[str, Any], ctx: ExpressionContext | None) -> Any:
    text = request.get("UpdateExpression")
    if text is not None and ctx is not None:
        return X.compile_update(text, ctx)
    updates = request.get("AttributeUpdates")
    if updates:  # U16: an empty AttributeUpdates is no update at all (it creates the bare key)
        return X.legacy.attribute_updates_to_update(updates)
    return None


def nested_heads(paths: Any) -> set[str]:
    """The top-level names of the document paths that go deeper than one level (``a.b``, ``a[1]``)."""
    return {str(p[0]) for p in paths if len(p) > 1}


def check_key_paths(meta: Any, nested: set[str] | frozenset[str]) -> None:
    """K8: table and index key attributes are scalars, so no expression may address them as
    nested paths. Table keys are checked before index keys (dynalite's ``validateKeyPaths``)."""
    if not nested:
        return
    for name in meta.key_names:
        if name in nested:
            raise ValidationException(M.key_path_not_scalar("Key", name))
    for index in meta.indexes.values():
        for name in index.schema.key_names:
            if name in nested:
                raise ValidationException(M.key_path_not_scalar("IndexKey", name))


def check_put_delete_return_values(request: Mapping[str, Any]) -> str:
    rv = request.get("ReturnValues") or "NONE"
    if rv not in ("NONE", "ALL_OLD"):
        raise ValidationException(M.RETURN_VALUES_PUT_DELETE)
    return rv


def condition_failed(request: Mapping[str, Any], old: dict[str, Any] | None) -> AWSError:
    """ConditionalCheckFailedException, with ``Item`` when RVOCCF=ALL_OLD and an item existed (I7)."""
    if old is not None and request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
        return ConditionalCheckFailedException(M.CONDITIONAL_CHECK_FAILED, Item=copy_item(old))
    return ConditionalCheckFailedException(M.CONDITIONAL_CHECK_FAILED)
