"""Query and Scan (reference §8, KC1, C16, C17, Q1-Q14).

The evaluation pipeline is AWS's (Q2): read items in key order from the engine's lazy iterator →
stop once ``Limit`` items have been *read* or the items read reach 1 MB (S1 sizes, measured
before the filter, Q4) → apply the filter → project (or count). ``LastEvaluatedKey`` is the key of
the last item read whenever the page stopped on Limit or size, even when nothing follows (Q3);
the next page resumes from it with a bisect in the engine, never by re-walking.

Everything that can be rejected is rejected before the first item is read (C17): shape, mixing,
Select/projection rules, expression parsing, unused placeholders, filter-on-key, ExclusiveStartKey
and segment checks.

Secondary indexes are not implemented: every ``IndexName`` answers Q9's "The table does not have
the specified index", which is exactly right for tables that cannot have indexes.
"""

from __future__ import annotations

from typing import Any

from .. import expressions as X
from .. import messages as M
from .. import validation as V
from ..engine.sortrange import contains, sort_range
from ..errors import ValidationException
from ..keys import encode_value
from ..values import copy_item, in_start_key, item_size, validate_value, values_equal
from . import capacity, registry
from . import requests as R

PAGE_BYTES = 1024 * 1024


def _select(request: dict[str, Any]) -> str:
    """Q7: the effective Select, or the error for an inconsistent Select/projection pair."""
    select = request.get("Select")
    member = ("ProjectionExpression" if request.get("ProjectionExpression") is not None
              else "AttributesToGet" if request.get("AttributesToGet") is not None else None)
    if select == "ALL_PROJECTED_ATTRIBUTES" and request.get("IndexName") is None:
        raise ValidationException(M.ALL_PROJECTED_ON_TABLE)
    if member is not None:
        if select is not None and select != "SPECIFIC_ATTRIBUTES":
            raise ValidationException(M.projection_with_select(select, member))
        return "SPECIFIC_ATTRIBUTES"
    if select == "SPECIFIC_ATTRIBUTES":
        raise ValidationException(M.SPECIFIC_WITHOUT_PROJECTION)
    return select or "ALL_ATTRIBUTES"


def _filter(request: dict[str, Any], ctx: Any, legacy_member: str) -> Any:
    text = request.get("FilterExpression")
    if text is not None and ctx is not None:
        return X.compile_condition(text, ctx, kind="FilterExpression")
    conditions = request.get(legacy_member)
    operator = request.get("ConditionalOperator")
    if conditions is not None or operator is not None:
        return X.legacy.filter_to_condition(conditions, operator, member=legacy_member)
    return None


def _start_key(meta: Any, request: dict[str, Any], *, scan: bool) -> dict[str, Any] | None:
    """Q5: a validated copy of ExclusiveStartKey with exactly the table's key attributes."""
    esk = request.get("ExclusiveStartKey")
    if esk is None:
        return None
    key = {name: validate_value(av, where=in_start_key) for name, av in esk.items()}
    names = meta.key_names
    if len(key) != len(names) or any(n not in key for n in names):
        raise ValidationException(M.START_KEY_SCHEMA if scan else M.START_KEY_INVALID)
    for name, key_type in zip(names, (meta.hash_type, meta.range_type)):
        if key_type not in key[name] or len(key[name]) != 1:
            raise ValidationException(M.START_KEY_SCHEMA if scan else M.KEY_SCHEMA_MISMATCH)
    return key


def _page(meta: Any, request: dict[str, Any], rows: Any, filt: Any, proj: Any, select: str,
          consistent: bool) -> dict[str, Any]:
    limit = request.get("Limit")
    out: list[dict[str, Any]] = []
    read: list[dict[str, Any]] = []
    read_bytes = 0  # exact once ``exact``; until then ``bound`` (an upper bound) is below 1 MB
    bound = 0
    exact = False
    stopped = False
    evaluate = filt.evaluate if filt is not None else None
    size_bound = capacity.size_bound
    for item in rows:
        read.append(item)
        if exact:
            read_bytes += item_size(item)
        else:
            bound += size_bound(item)
            if bound >= PAGE_BYTES:
                exact = True
                read_bytes = sum(item_size(i) for i in read)
        if evaluate is None or evaluate(item):
            out.append(item)
        if len(read) == limit or read_bytes >= PAGE_BYTES:
            stopped = True
            break
    response: dict[str, Any] = {}
    if select != "COUNT":
        if proj is not None:
            response["Items"] = [proj.apply(item) for item in out]
        else:
            response["Items"] = [copy_item(item) for item in out]
    response["Count"] = len(out)
    response["ScannedCount"] = len(read)
    if stopped:
        response["LastEvaluatedKey"] = copy_item(meta.schema.extract_key(read[-1]))
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        if not exact:
            read_bytes = sum(item_size(i) for i in read)
        response["ConsumedCapacity"] = capacity.entry(rcc, meta.name, capacity.read_units(read_bytes, consistent))
    return response


def _check_filter_keys(meta: Any, filt: Any, legacy_filter: bool) -> None:
    if filt is None:
        return
    names = filt.top_level_names
    for key_name in meta.key_names:
        if key_name in names:
            raise ValidationException(M.filter_on_key(key_name, legacy=legacy_filter))


def _shown(key: dict[str, Any]) -> str:
    parts = []
    for name, av in key.items():
        (tag, val), = av.items()
        parts.append(f"{name}=AttributeValue: {{{tag}:{val}}}")
    return "{" + ", ".join(parts) + "}"


@registry("Query")
def query(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    V.check(V.QUERY, request)
    ctx = R.expression_context(request, R.QUERY)
    if request.get("KeyConditions") is None and request.get("KeyConditionExpression") is None:
        raise ValidationException(M.KEY_CONDITION_REQUIRED)
    select = _select(request)
    proj = R.projection(request, ctx)
    filt = _filter(request, ctx, "QueryFilter")
    meta = service.catalog.get(request["TableName"])
    index = request.get("IndexName")
    if index is not None:
        raise ValidationException(M.no_such_index(index))
    text = request.get("KeyConditionExpression")
    if text is not None and ctx is not None:
        keycond = X.compile_key_condition(text, ctx, hash_name=meta.hash_name, range_name=meta.range_name,
                                          hash_type=meta.hash_type, range_type=meta.range_type)
    else:
        keycond = X.legacy.key_conditions_to_key_condition(request["KeyConditions"], hash_name=meta.hash_name,
                                                         range_name=meta.range_name, hash_type=meta.hash_type,
                                                         range_type=meta.range_type)
    if ctx is not None:
        ctx.check_unused()
    _check_filter_keys(meta, filt, request.get("QueryFilter") is not None)
    start = _start_key(meta, request, scan=False)
    if start is not None:
        if meta.range_name is None:
            raise ValidationException(M.start_key_hash_only(_shown(start)))
        if not values_equal(start[meta.hash_name], keycond.hash_value):
            raise ValidationException(M.START_KEY_OUTSIDE)
        if keycond.sort is not None:
            bounds = sort_range(keycond.sort, meta.range_type)
            if not contains(bounds, encode_value(meta.range_type, start[meta.range_name])):
                raise ValidationException(M.START_KEY_RANGE)
    consistent = bool(request.get("ConsistentRead", False))
    rows = meta.store.query(keycond.hash_value, keycond.sort, forward=request.get("ScanIndexForward", True),
                            exclusive_start=start, consistent=consistent)
    return _page(meta, request, rows, filt, proj, select, consistent)


@registry("Scan")
def scan(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    V.check(V.SCAN, request)
    segment, total = request.get("Segment"), request.get("TotalSegments")
    if segment is not None and total is None:
        raise ValidationException(M.SEGMENT_WITHOUT_TOTAL)
    if total is not None and segment is None:
        raise ValidationException(M.TOTAL_WITHOUT_SEGMENT)
    if segment is not None and total is not None and segment >= total:
        raise ValidationException(M.segment_not_less(segment, total))
    ctx = R.expression_context(request, R.SCAN)
    select = _select(request)
    proj = R.projection(request, ctx)
    filt = _filter(request, ctx, "ScanFilter")
    if ctx is not None:
        ctx.check_unused()
    meta = service.catalog.get(request["TableName"])
    index = request.get("IndexName")
    if index is not None:
        raise ValidationException(M.no_such_index(index))
    start = _start_key(meta, request, scan=True)
    if (start is not None and segment is not None and total is not None
            and meta.store.segment_of(start, total) != segment):
        raise ValidationException(M.start_key_wrong_segment(total, segment))
    consistent = bool(request.get("ConsistentRead", False))
    rows = meta.store.scan(segment=segment or 0, total_segments=total or 1, exclusive_start=start,
                           consistent=consistent)
    return _page(meta, request, rows, filt, proj, select, consistent)
