"""Query and Scan (reference §8, KC1, C16, C17, Q1-Q14).

The evaluation pipeline is AWS's (Q2): read items in key order from the engine's lazy iterator →
stop once ``Limit`` items have been *read* or the items read reach 1 MB (S1 sizes, measured
before the filter, Q4) → apply the filter → project (or count). ``LastEvaluatedKey`` is the key of
the last item read whenever the page stopped on Limit or size, even when nothing follows (Q3);
the next page resumes from it with a bisect in the engine, never by re-walking.

Cost per page (see :func:`_page`): O(log n + k) in the engine, then for a page the table's
item-size bound (``Table.max_item_bytes``) proves to be under 1 MB, no per-item size work at all;
ConsumedCapacity, when asked for, sums exact sizes. Items leave as fresh copies: one
``dict.copy`` per attribute when the table has only ever held scalar values
(``Table.all_scalar``), a deep copy otherwise.

Everything that can be rejected is rejected before the first item is read (C17): shape, mixing,
Select/projection rules, expression parsing, unused placeholders, filter-on-key, ExclusiveStartKey
and segment checks.

``IndexName`` reads go to the table's :class:`~emulator.dynamodb.indexes.SecondaryIndex` (Q7-Q9):
the key condition, the filter-on-key rule, ExclusiveStartKey and LastEvaluatedKey then use the
index key plus the table key; Select defaults to ALL_PROJECTED_ATTRIBUTES; an LSI read with
ALL_ATTRIBUTES fetches the table item for a partial projection.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from ...errors import AWSError
from .. import expressions as X
from .. import messages as M
from .. import request_shapes as shapes
from ..engine.sortrange import contains, sort_range
from ..errors import ValidationException
from ..keys import encode_value
from ..values import (
    copy_item,
    copy_scalar_items,
    in_start_key,
    item_size,
    scalar_size_ceiling,
    validate_value,
    values_equal,
)
from . import capacity, registry
from . import requests as R

PAGE_BYTES = 1024 * 1024
Item = dict[str, Any]


class _Target:
    """What a Query or Scan reads: the table itself, or one of its indexes."""

    __slots__ = ("meta", "index", "schema")

    def __init__(self, meta: Any, index: Any) -> None:
        self.meta, self.index = meta, index
        self.schema = index.schema if index is not None else meta.schema  # the key being read

    @property
    def key_names(self) -> tuple[str, ...]:
        """The attributes of a LastEvaluatedKey: the index key plus the table key, or the table key."""
        return self.index.key_names if self.index is not None else self.meta.key_names

    def key_types(self) -> dict[str, str]:
        """Attribute type of every name in :attr:`key_names`."""
        types = self.meta.schema.types()
        types.update(self.schema.types())
        return types

    def last_key(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.index is not None:
            return self.index.last_key(item)
        return copy_item(self.meta.schema.extract_key(item))


def _target(meta: Any, request: dict[str, Any], clock: Any) -> _Target:
    """Q8/Q9: the index named by IndexName (or the table)."""
    name = request.get("IndexName")
    if name is None:
        return _Target(meta, None)
    index = meta.indexes.get(name)
    if index is None:
        raise ValidationException(M.no_such_index(name))
    if index.is_global and request.get("ConsistentRead"):
        raise ValidationException(M.GSI_CONSISTENT_READ)
    index.catch_up(clock.now())
    return _Target(meta, index)


def _select(request: dict[str, Any], *, query: bool) -> str:
    """Q7: the effective Select, or the error for an inconsistent Select/projection pair (Query
    answers these texts in the one-error envelope, Scan bare: ``M.select_message``)."""
    select = request.get("Select")
    member = (
        "ProjectionExpression"
        if request.get("ProjectionExpression") is not None
        else "AttributesToGet"
        if request.get("AttributesToGet") is not None
        else None
    )
    on_index = request.get("IndexName") is not None
    if select == "ALL_PROJECTED_ATTRIBUTES" and not on_index:
        raise ValidationException(M.select_message(M.ALL_PROJECTED_ON_TABLE, query=query))
    if member is not None:
        if select is not None and select != "SPECIFIC_ATTRIBUTES":
            raise ValidationException(M.select_message(M.projection_with_select(select, member), query=query))
        return "SPECIFIC_ATTRIBUTES"
    if select == "SPECIFIC_ATTRIBUTES":
        raise ValidationException(M.select_message(M.SPECIFIC_WITHOUT_PROJECTION, query=query))
    return select or ("ALL_PROJECTED_ATTRIBUTES" if on_index else "ALL_ATTRIBUTES")


def _check_select_on_index(target: _Target, select: str, proj: Any = None) -> bool:
    """Q7 for indexes; True when the table item must be fetched (an LSI with a partial projection,
    read with ALL_ATTRIBUTES or a projection naming attributes it does not project). A GSI cannot
    fetch: both cases are ValidationExceptions there."""
    index = target.index
    if index is None or index.projection_type == "ALL":
        return False
    if select == "ALL_ATTRIBUTES":
        if index.is_global:
            raise ValidationException(M.select_all_on_gsi(index.name))
        return True
    if proj is None:
        return False
    projected = index.kept
    missing = list(dict.fromkeys(str(p[0]) for p in proj.paths if str(p[0]) not in projected))
    if not missing:
        return False
    if index.is_global:
        raise ValidationException(M.gsi_does_not_project(index.name, missing))
    return True


def _filter(request: dict[str, Any], ctx: Any, legacy_member: str) -> Any:
    text = request.get("FilterExpression")
    if text is not None and ctx is not None:
        return X.compile_condition(text, ctx, kind="FilterExpression")
    conditions = request.get(legacy_member)
    operator = request.get("ConditionalOperator")
    if conditions is not None or operator is not None:
        return X.legacy.filter_to_condition(conditions, operator, member=legacy_member)
    return None


def _start_key(target: _Target, request: dict[str, Any], *, scan: bool) -> dict[str, Any] | None:
    """Q5: a validated copy of ExclusiveStartKey with exactly the key attributes of the read."""
    esk = request.get("ExclusiveStartKey")
    if esk is None:
        return None
    key = {name: validate_value(av, where=in_start_key) for name, av in esk.items()}
    names = target.key_names
    if len(key) != len(names) or any(n not in key for n in names):
        raise ValidationException(M.START_KEY_SCHEMA if scan else M.START_KEY_INVALID)
    types = target.key_types()
    for name in names:
        if types[name] not in key[name] or len(key[name]) != 1:
            raise ValidationException(M.START_KEY_SCHEMA if scan else M.KEY_SCHEMA_MISMATCH)
    return key


def _read_on(rows: Iterator[Item], read: list[Item], limit: int | None, bound: int) -> tuple[int, bool]:
    """Continue a page past the items that certainly fit (see :func:`_page`): append items of
    ``rows`` to ``read`` until ``Limit`` items were read or their S1 sizes reach 1 MB (Q4).

    ``bound`` is an upper bound on the size of the items already read. Each item adds its cheap
    ceiling; once the bound reaches 1 MB the exact sizes of all items read are summed and kept
    exact from then on, so the stop falls on exactly the item where the exact sizes first reach
    1 MB. Returns (the exact size of the items read, or -1 when it was never needed; stopped).
    """
    exact = False
    read_bytes = -1
    for item in rows:
        read.append(item)
        if exact:
            read_bytes += item_size(item)
        else:
            size = scalar_size_ceiling(item)
            bound += size if size >= 0 else item_size(item)
            if bound >= PAGE_BYTES:
                exact = True
                read_bytes = sum(item_size(i) for i in read)
        if len(read) == limit or read_bytes >= PAGE_BYTES:
            return read_bytes, True
    return read_bytes, False


def _page(
    target: _Target,
    request: dict[str, Any],
    rows: Iterator[Item],
    filt: Any,
    proj: Any,
    select: str,
    consistent: bool,
    fetch: bool = False,
) -> dict[str, Any]:
    """Read one page from ``rows`` (Q2-Q4), then filter, project or count, and shape the response.

    Which items are read depends only on ``Limit`` and sizes, never on the filter, so the page is
    read first and filtered after. The 1 MB stop needs no per-item work while the page certainly
    stays under it: the table's ``max_item_bytes`` bounds every item it can return (leader,
    replica, index entry; see ``engine/table.py``), so the first
    ``free = (1 MB - 1) // max_item_bytes`` items cannot reach 1 MB together and are taken in one
    ``islice``. Only a page that goes past them pays per-item size work (:func:`_read_on`).
    """
    limit = request.get("Limit")
    table = target.meta.store
    ceiling = table.max_item_bytes
    free = (PAGE_BYTES - 1) // max(ceiling, 1)  # this many items are certainly under 1 MB together
    rows = iter(rows)
    read = list(islice(rows, free if limit is None or limit > free else limit))
    stopped = len(read) == limit
    read_bytes = -1  # the exact size of the items read, once known
    if len(read) == free and not stopped:
        read_bytes, stopped = _read_on(rows, read, limit, free * ceiling)
    out = fetched = read
    if fetch:  # an LSI entry whose projection lacks attributes: read the table item (Q9)
        extract = target.meta.schema.extract_key
        got = (table.get(extract(item), consistent=consistent) for item in read)
        out = fetched = [item for item in got if item is not None]
    if filt is not None:
        evaluate = filt.evaluate
        out = [item for item in out if evaluate(item)]
    response: dict[str, Any] = {}
    if select != "COUNT":
        if proj is not None:
            response["Items"] = [proj.apply(item) for item in out]
        else:
            # fresh dicts either way; the all-scalar copy skips the per-value type test
            response["Items"] = (
                copy_scalar_items(out) if table.all_scalar else [copy_item(item) for item in out]
            )
    response["Count"] = len(out)
    response["ScannedCount"] = len(read)
    if stopped:
        response["LastEvaluatedKey"] = target.last_key(read[-1])
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        fetched_units = capacity.fetch_units(fetched, consistent) if fetch else 0.0
        response["ConsumedCapacity"] = _consumed(target, rcc, read, read_bytes, consistent, fetched_units)
    return response


def _consumed(
    target: _Target, rcc: str, read: list[Item], read_bytes: int, consistent: bool, fetched_units: float
) -> Any:
    """The page's ConsumedCapacity: the read units of the items read (before the filter), plus
    the LSI's table fetches (RC2); ``read_bytes`` -1 when their size is not known yet. Under
    INDEXES an index read reports the index and ``Table`` (0.0 unless the table was fetched, RC1)."""
    if read_bytes < 0:
        read_bytes = sum(item_size(i) for i in read)
    units = capacity.read_units(read_bytes, consistent)
    entry = capacity.entry(rcc, target.meta.name, units + fetched_units)
    if entry is not None and rcc == "INDEXES" and target.index is not None:
        entry["Table"] = {"CapacityUnits": fetched_units}
        member = "GlobalSecondaryIndexes" if target.index.is_global else "LocalSecondaryIndexes"
        entry[member] = {target.index.name: {"CapacityUnits": units}}
    return entry


def _check_filter_keys(target: _Target, filt: Any, legacy_filter: bool) -> None:
    """C16: a Query filter may not name the key attributes of the table or index being read."""
    if filt is None:
        return
    names = filt.top_level_names
    for key_name in target.schema.key_names:
        if key_name in names:
            raise ValidationException(M.filter_on_key(key_name, legacy=legacy_filter))


def _shown(key: dict[str, Any]) -> str:
    parts = []
    for name, av in key.items():
        ((tag, val),) = av.items()
        parts.append(f"{name}=AttributeValue: {{{tag}:{val}}}")
    return "{" + ", ".join(parts) + "}"


def _start_key_values(request: dict[str, Any]) -> None:
    """The ExclusiveStartKey values alone (V17 texts), before the table is known."""
    esk = request.get("ExclusiveStartKey")
    if esk is not None:
        for av in esk.values():
            validate_value(av, where=in_start_key)


def _query_table_free(request: dict[str, Any], ctx: Any) -> None:
    """Query's checks that need no table, in the order the handler runs them (issue 11 rule 1):
    the key condition's shape, unused placeholders, then the ExclusiveStartKey values."""
    text = request.get("KeyConditionExpression")
    if text is not None and ctx is not None:
        X.check_key_condition_shape(text, ctx)
    else:
        X.legacy.check_key_conditions_shape(request["KeyConditions"])
    if ctx is not None:
        ctx.check_unused()
    _start_key_values(request)


def _key_condition(target: _Target, request: dict[str, Any], ctx: Any) -> Any:
    """The compiled key condition (KeyConditionExpression or legacy KeyConditions) for the key read:
    a ``KeyCondition``, or a ``multikey.MultiKeyCondition`` on a multi-attribute GSI."""
    text = request.get("KeyConditionExpression")
    schema = target.schema
    if schema.multi:
        if text is not None and ctx is not None:
            return X.compile_multi_key_condition(text, ctx, schema)
        return X.legacy.key_conditions_to_multi(request["KeyConditions"], schema)
    names = {
        "hash_name": schema.hash_name,
        "range_name": schema.range_name,
        "hash_type": schema.hash_type,
        "range_type": schema.range_type,
    }
    if text is not None and ctx is not None:
        return X.compile_key_condition(text, ctx, **names)
    return X.legacy.key_conditions_to_key_condition(request["KeyConditions"], **names)


def _check_start_in_condition(target: _Target, keycond: Any, start: dict[str, Any]) -> None:
    """Q5: an ExclusiveStartKey of a Query must lie inside the key condition."""
    schema = target.schema
    if schema.multi:
        target.index.check_start(keycond, start)
        return
    if target.index is None and target.meta.range_name is None:
        raise ValidationException(M.start_key_hash_only(_shown(start)))
    if not values_equal(start[schema.hash_name], keycond.hash_value):
        raise ValidationException(M.START_KEY_OUTSIDE)
    if keycond.sort is not None and schema.range_name is not None:
        bounds = sort_range(keycond.sort, schema.range_type)
        if not contains(bounds, encode_value(schema.range_type, start[schema.range_name])):
            raise ValidationException(M.START_KEY_RANGE)


@registry("Query", shape=shapes.QUERY)
def query(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    ctx = R.expression_context(request, R.QUERY)
    if request.get("KeyConditions") is None and request.get("KeyConditionExpression") is None:
        raise ValidationException(M.KEY_CONDITION_REQUIRED)
    select = _select(request, query=True)
    proj = R.projection(request, ctx)
    filt = _filter(request, ctx, "QueryFilter")
    meta = R.table(service, request["TableName"], lambda: _query_table_free(request, ctx))
    try:
        return _query_on(service, meta, request, ctx, select, proj, filt)
    except AWSError:
        if not _on_multi_attribute_index(meta, request):  # there the key-condition shape is the index's
            _query_table_free(request, ctx)  # a table-free error outranks this one (issue 11 rule 1)
        raise


def _on_multi_attribute_index(meta: Any, request: dict[str, Any]) -> bool:
    """Whether the Query reads a GSI with a multi-attribute key, whose key condition may hold more
    than the two conditions the table-free shape check allows."""
    name = request.get("IndexName")
    index = None if name is None else meta.indexes.get(name)
    return index is not None and bool(index.schema.multi)


def _query_on(
    service: Any, meta: Any, request: dict[str, Any], ctx: Any, select: str, proj: Any, filt: Any
) -> dict[str, Any]:
    """Query's checks against the table and its index, then the read (rule 1's step 5)."""
    target = _target(meta, request, service.world.clock)
    fetch = _check_select_on_index(target, select, proj)
    if proj is not None:
        R.check_key_paths(meta, R.nested_heads(proj.paths))
    keycond = _key_condition(target, request, ctx)
    if ctx is not None:
        ctx.check_unused()
    _check_filter_keys(target, filt, request.get("QueryFilter") is not None)
    if filt is not None:
        R.check_key_paths(meta, getattr(filt, "nested_names", frozenset()))
    start = _start_key(target, request, scan=False)
    if start is not None:
        _check_start_in_condition(target, keycond, start)
    consistent = bool(request.get("ConsistentRead", False))
    forward = request.get("ScanIndexForward", True)
    if target.index is not None:
        rows = target.index.query(keycond.hash_value, keycond.sort, forward=forward, exclusive_start=start)
    else:
        rows = meta.store.query(
            keycond.hash_value, keycond.sort, forward=forward, exclusive_start=start, consistent=consistent
        )
    return _metered(
        service.capacity, target, keycond.hash_value, request, rows, filt, proj, select, consistent, fetch
    )


def _metered(
    model: Any, target: _Target, hash_value: Any, request: dict[str, Any], *page: Any
) -> dict[str, Any]:
    """``_page(target, request, *page)``, charged to the capacity ``model`` when it is on (not
    None): the page's own ConsumedCapacity (asked for if the caller did not, and then left out of
    the response) is what the model charges, so the two never disagree. The model may throttle
    the read."""
    if model is None:
        return _page(target, request, *page)
    asked = request.get("ReturnConsumedCapacity") in ("TOTAL", "INDEXES")
    response = _page(target, request if asked else {**request, "ReturnConsumedCapacity": "TOTAL"}, *page)
    units = response["ConsumedCapacity"]["CapacityUnits"]
    if not asked:
        del response["ConsumedCapacity"]
    model.charge_read(target.meta, target.index, hash_value, units)
    return response


@registry("Scan", shape=shapes.SCAN)
def scan(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    segment, total = request.get("Segment"), request.get("TotalSegments")
    if segment is not None and total is None:
        raise ValidationException(M.SEGMENT_WITHOUT_TOTAL)
    if total is not None and segment is None:
        raise ValidationException(M.TOTAL_WITHOUT_SEGMENT)
    if segment is not None and total is not None and segment >= total:
        raise ValidationException(M.segment_not_less(segment, total))
    ctx = R.expression_context(request, R.SCAN)
    select = _select(request, query=False)
    proj = R.projection(request, ctx)
    filt = _filter(request, ctx, "ScanFilter")
    if ctx is not None:
        ctx.check_unused()
    meta = R.table(service, request["TableName"], lambda: _start_key_values(request))
    try:
        return _scan_on(service, meta, request, select, proj, filt, segment, total)
    except AWSError:
        _start_key_values(request)  # a table-free error outranks this one (issue 11 rule 1)
        raise


def _scan_on(
    service: Any,
    meta: Any,
    request: dict[str, Any],
    select: str,
    proj: Any,
    filt: Any,
    segment: int | None,
    total: int | None,
) -> dict[str, Any]:
    """Scan's checks against the table and its index, then the read (rule 1's step 5)."""
    target = _target(meta, request, service.world.clock)
    fetch = _check_select_on_index(target, select, proj)
    if proj is not None:
        R.check_key_paths(meta, R.nested_heads(proj.paths))
    if filt is not None:
        R.check_key_paths(meta, getattr(filt, "nested_names", frozenset()))
    start = _start_key(target, request, scan=True)
    source = target.index if target.index is not None else meta.store
    if (
        start is not None
        and segment is not None
        and total is not None
        and source.segment_of(start, total) != segment
    ):
        raise ValidationException(M.start_key_wrong_segment(total, segment))
    consistent = bool(request.get("ConsistentRead", False))
    if target.index is not None:
        rows = target.index.scan(segment=segment or 0, total_segments=total or 1, exclusive_start=start)
    else:
        rows = meta.store.scan(
            segment=segment or 0, total_segments=total or 1, exclusive_start=start, consistent=consistent
        )
    return _metered(service.capacity, target, None, request, rows, filt, proj, select, consistent, fetch)
