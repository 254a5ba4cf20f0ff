"""PartiQL for DynamoDB: running one statement (ExecuteStatement's semantics).

Reads run on the engine the way Query and Scan do, through the same page pipeline
(``operations.reads``: Limit counts items *read*, the 1 MB page, filter after reading, projection,
ConsumedCapacity), so a PartiQL page is exactly the page of the equivalent native request.
``NextToken`` wraps that page's LastEvaluatedKey with a fingerprint of the statement, so a token
only resumes the statement that issued it (AWS: "NextToken does not match request").

Writes are handed, as native requests (``planner.plan_write``), to the PutItem, UpdateItem and
DeleteItem handlers themselves: their validation, the write funnel, indexes, streams and capacity
are the native API's. Only the INSERT clash is renamed: DuplicateItemException.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from ...errors import AWSError
from .. import expressions as X
from .. import messages as M
from ..errors import ERRORS, ConditionalCheckFailedException, ValidationException
from ..operations import capacity
from ..operations import reads as RD
from ..operations import requests as R
from ..operations.items import validated_key
from ..validation import TABLE_NAME_RE
from ..values import copy_item, validate_value, values_equal
from . import ast as A
from .parser import parse
from .planner import ReadPlan, plan_select, plan_write

DuplicateItemException = ERRORS["DuplicateItemException"]


def parsed(statement: str, params: list[Any] | None) -> tuple[A.Statement, list[Any]]:
    """The statement's tree, after checking that it has as many ``?`` as there are parameters."""
    tree, count = parse(statement)
    params = list(params or ())
    if count != len(params):
        raise ValidationException(M.PQL_PARAMETER_COUNT)
    return tree, params


def resolve(service: Any, source: A.Source, *, write: bool = False) -> tuple[Any, Any]:
    """The table (ResourceNotFoundException when absent) and the index a statement names."""
    for name in (source.table, source.index):
        if name is not None and not (3 <= len(name) <= 255 and TABLE_NAME_RE.fullmatch(name)):
            raise ValidationException(M.PQL_INVALID_TABLE_NAME)
    meta = R.table(service, source.table)
    if source.index is None:
        return meta, None
    if write:
        raise ValidationException(M.PQL_INDEX_WRITE)
    index = meta.indexes.get(source.index)
    if index is None:
        raise ValidationException(M.no_such_index(source.index))
    return meta, index


def execute(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """ExecuteStatement."""
    tree, params = parsed(request["Statement"], request.get("Parameters"))
    if isinstance(tree, A.Select):
        return select(service, tree, params, request)
    if isinstance(tree, A.Exists):
        raise ValidationException(M.PQL_EXISTS_OUTSIDE_TX)
    op, native = plan_write(tree, resolve(service, tree.source, write=True)[0], params)
    for member in ("ReturnConsumedCapacity", "ReturnValuesOnConditionCheckFailure"):
        if request.get(member) is not None:
            native[member] = request[member]
    result = write(service, op, native)
    response: dict[str, Any] = {"Items": [result["Attributes"]] if "Attributes" in result else []}
    if "ConsumedCapacity" in result:
        response["ConsumedCapacity"] = result["ConsumedCapacity"]
    return response


def write(service: Any, op: str, native: dict[str, Any]) -> dict[str, Any]:
    """Run one planned write through the native handler (INSERT's clash: DuplicateItem)."""
    try:
        return service.registry.handlers[op](service, native)  # type: ignore[no-any-return]
    except ConditionalCheckFailedException:
        if op == "PutItem":
            raise DuplicateItemException(M.PQL_DUPLICATE_ITEM) from None
        raise


def select(service: Any, tree: A.Select, params: list[Any], request: dict[str, Any]) -> dict[str, Any]:
    meta, index = resolve(service, tree.source)
    consistent = bool(request.get("ConsistentRead", False))
    if index is not None and index.is_global and consistent:
        raise ValidationException(M.PQL_GSI_CONSISTENT_READ)
    plan = plan_select(tree, meta, index, params)
    if plan.kind == "get":
        return get(service, plan, consistent, request.get("ReturnConsumedCapacity"))
    return page(service, plan, request, consistent)


def _compiled(plan: ReadPlan, hash_text: str | None = None) -> tuple[Any, Any, Any]:
    """The plan's (key condition, filter, projection), compiled by ``expressions/``."""
    r = plan.renderer
    if not r.names and not r.values:
        return None, None, None
    ctx = X.ExpressionContext(r.names or None, r.values or None)
    keycond = None
    if hash_text is not None:
        schema = plan.index.schema if plan.index is not None else plan.meta.schema
        text = hash_text if plan.sort is None else f"{hash_text} AND {plan.sort}"
        keycond = X.compile_key_condition(
            text,
            ctx,
            hash_name=schema.hash_name,
            range_name=schema.range_name,
            hash_type=schema.hash_type,
            range_type=schema.range_type,
        )
    filt = X.compile_condition(plan.filter, ctx, kind="FilterExpression") if plan.filter else None
    proj = X.compile_projection(plan.projection, ctx) if plan.projection else None
    return keycond, filt, proj


def get(service: Any, plan: ReadPlan, consistent: bool, rcc: str | None) -> dict[str, Any]:
    """A SELECT that fixes the whole key: one lookup, as GetItem does (and charged as it is)."""
    meta = plan.meta
    _keycond, filt, proj = _compiled(plan)
    key = validated_key(meta, plan.key)
    item = meta.store.get(key, consistent=consistent)
    if service.capacity is not None:  # may throttle the read
        service.capacity.charge_read(
            meta, None, key[meta.hash_name], capacity.read_units_of(item, consistent)
        )
    items = []
    if item is not None and (filt is None or filt.evaluate(item)):
        items.append(copy_item(item) if proj is None else proj.apply(item))
    response: dict[str, Any] = {"Items": items}
    if rcc is not None and rcc != "NONE":
        response["ConsumedCapacity"] = capacity.entry(
            rcc, meta.name, capacity.read_units_of(item, consistent)
        )
    return response


def page(service: Any, plan: ReadPlan, request: dict[str, Any], consistent: bool) -> dict[str, Any]:
    """A query or scan page through ``reads``' pipeline, resumed from NextToken."""
    meta, index = plan.meta, plan.index
    target = RD._Target(meta, index)
    hash_text = None
    others: list[Any] = []
    if plan.kind == "query":
        ((name, av),) = plan.key.items()
        hash_text = f"{plan.renderer.name(name)} = {plan.renderer.value(av)}"
        others = [validate_value(other) for other in plan.hashes[1:]]
    keycond, filt, proj = _compiled(plan, hash_text)
    if index is not None:
        index.catch_up(service.world.clock.now())
        select_kind = "SPECIFIC_ATTRIBUTES" if proj is not None else "ALL_PROJECTED_ATTRIBUTES"
    else:
        select_kind = "SPECIFIC_ATTRIBUTES" if proj is not None else "ALL_ATTRIBUTES"
    fetch = RD._check_select_on_index(target, select_kind, proj)
    fingerprint = _fingerprint(request)
    start = _start_key(request.get("NextToken"), fingerprint)
    source = index if index is not None else meta.store
    if keycond is not None:
        kwargs: dict[str, Any] = {"forward": plan.forward}
        if index is None:
            kwargs["consistent"] = consistent
        hashes = [keycond.hash_value, *others]
        rows = _collections(source, target.schema.hash_name, hashes, keycond.sort, start, kwargs)
    else:
        kwargs = {"segment": 0, "total_segments": 1, "exclusive_start": start}
        if index is None:
            kwargs["consistent"] = consistent
        rows = source.scan(**kwargs)
    native = {"Limit": request.get("Limit"), "ReturnConsumedCapacity": request.get("ReturnConsumedCapacity")}
    hash_value = keycond.hash_value if keycond is not None else None
    result = RD._metered(
        service.capacity, target, hash_value, native, rows, filt, proj, select_kind, consistent, fetch
    )
    response: dict[str, Any] = {"Items": result["Items"]}
    if "LastEvaluatedKey" in result:
        response["NextToken"] = _token(result["LastEvaluatedKey"], fingerprint)
        response["LastEvaluatedKey"] = result["LastEvaluatedKey"]
    if "ConsumedCapacity" in result:
        response["ConsumedCapacity"] = result["ConsumedCapacity"]
    return response


def _collections(
    source: Any, hash_name: str, hashes: list[Any], sort: Any, start: Any, kwargs: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The item collections of ``hashes`` read one after another, resumed from ``start`` (whose
    partition key says which collection the previous page stopped in)."""
    first = 0
    if start is not None and len(hashes) > 1:
        at = start.get(hash_name)
        found = [i for i, value in enumerate(hashes) if at is not None and values_equal(value, at)]
        if not found:
            raise ValidationException(M.PQL_NEXT_TOKEN_MISMATCH)
        first = found[0]
    for i in range(first, len(hashes)):
        yield from source.query(hashes[i], sort, exclusive_start=start if i == first else None, **kwargs)


# --- NextToken ------------------------------------------------------------------------------


def _fingerprint(request: dict[str, Any]) -> str:
    text = json.dumps([request["Statement"], _jsonable(request.get("Parameters") or [])], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$b"}:
            return base64.b64decode(value["$b"])
        return {k: _from_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_jsonable(v) for v in value]
    return value


def _token(last_key: dict[str, Any], fingerprint: str) -> str:
    body = json.dumps({"f": fingerprint, "k": _jsonable(last_key)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(body.encode("utf-8")).decode("ascii")


def _start_key(token: str | None, fingerprint: str) -> dict[str, Any] | None:
    if token is None:
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        found, key = body["f"], _from_jsonable(body["k"])
    except (ValueError, KeyError, TypeError, UnicodeError) as err:
        raise ValidationException(M.PQL_INVALID_NEXT_TOKEN) from err
    if found != fingerprint or not isinstance(key, dict):
        raise ValidationException(M.PQL_NEXT_TOKEN_MISMATCH)
    return key


def batch_error(err: AWSError) -> dict[str, Any]:
    """A BatchStatementError for a failed statement (AWS's BatchStatementErrorCodeEnum)."""
    code = err.code[: -len("Exception")] if err.code.endswith("Exception") else err.code
    code = {"Validation": "ValidationError", "Throttling": "ThrottlingError"}.get(code, code)
    out: dict[str, Any] = {"Code": code, "Message": err.message}
    if "Item" in err.extra:
        out["Item"] = err.extra["Item"]
    return out
