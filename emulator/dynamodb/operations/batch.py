"""BatchGetItem and BatchWriteItem (reference §7, B1-B7).

Both validate the whole request before touching any table: counts, per-table expression and
projection rules, every key and item, table existence and duplicate keys. A BatchWriteItem that
fails validation writes nothing (B2); once valid, each put or delete goes through the engine's
write funnel on its own (B3). Nothing is ever throttled, so ``UnprocessedItems`` is always present
and empty (``{}``), and so is ``UnprocessedKeys`` unless the response reaches BatchGetItem's 16 MB
limit (B5): the items read are added up by their S1 size (the full item, as the 1 MB Query/Scan
page counts them, whatever the projection), an item that would take the sum past 16 MiB is not
read, and it and every key after it come back in ``UnprocessedKeys`` under their table, as a
``KeysAndAttributes`` with the request's other members, ready to be sent again. [INF] AWS does
not say how it counts the 16 MB (its own example, 100 items of 300 KB giving 52, fits no exact
byte count); this rule gives 54 there.
"""

from __future__ import annotations

from typing import Any

from ...errors import AWSError
from .. import messages as M
from .. import request_shapes as shapes
from .. import validation as V
from ..errors import ValidationException
from ..keys import validate_item_keys
from ..values import copy_item, item_size, validate_item
from . import capacity, registry
from . import requests as R
from .items import checked_item, collection_metrics, validated_key

MAX_GET_KEYS = 100
MAX_WRITES = 25
MAX_GET_RESPONSE_BYTES = 16 * 1024 * 1024  # B5: BatchGetItem returns at most 16 MB


def _check_table_names(request_items: dict[str, Any]) -> None:
    """A table name that is not a string (native door only; the wire's are always strings).
    The names' constraints are the request shape's (``table_name_keys``), listed with the rest."""
    for name in request_items:
        if not isinstance(name, str):
            raise ValidationException(M.RESOURCE_NOT_FOUND)


def _charge(mode: str | None, charges: dict[str, float]) -> list[dict[str, Any]]:
    return [capacity.entry(mode, name, units) for name, units in charges.items()]  # type: ignore[misc]


def _unprocessed(spec: dict[str, Any], keys: list[dict[str, Any]]) -> dict[str, Any]:
    """B5: the ``KeysAndAttributes`` left over, with the request's projection and consistency."""
    rest = {k: v for k, v in spec.items() if k != "Keys"}
    rest["Keys"] = [copy_item(k) for k in keys]
    return rest


def _get_keys(meta: Any, spec: dict[str, Any], proj: Any) -> list[dict[str, Any]]:
    """One table's keys checked against its schema, no key twice (B4), and the projection's paths."""
    seen: set[str] = set()
    keys = []
    for raw in spec["Keys"]:
        key = validated_key(meta, raw)
        ident = repr(sorted((n, sorted(av.items())) for n, av in raw.items()))  # B4: by representation
        if ident in seen:
            raise ValidationException(M.BATCH_DUPLICATES)
        seen.add(ident)
        keys.append(key)
    if proj is not None:
        R.check_key_paths(meta, R.nested_heads(proj.paths))
    return keys


THROTTLED = object()


def _admitted(errors: list[AWSError], charge: Any, *args: Any) -> Any:
    """``charge(*args)``'s result, or THROTTLED when the capacity model throttled this item of a
    batch; a throttled item's error is kept: it is the batch's answer if no item gets through."""
    try:
        return charge(*args)
    except AWSError as err:
        errors.append(err)
        return THROTTLED


def _batch_read(
    service: Any, request_items: dict[str, Any], resolved: list[Any]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, dict[str, Any]], dict[str, float]]:
    """The reads of a BatchGetItem: responses, unprocessed keys (B5: past 1 MB; or throttled by
    the capacity model, which answers the batch's error when no key gets through) and charges."""
    responses: dict[str, list[dict[str, Any]]] = {}
    unprocessed: dict[str, dict[str, Any]] = {}
    charges: dict[str, float] = {}
    model = service.capacity
    errors: list[AWSError] = []
    total = 0
    full = False
    for name, meta, keys, proj, consistent in resolved:
        out = responses.setdefault(name, [])
        units = 0.0
        left: list[dict[str, Any]] = []
        for i, key in enumerate(keys):
            item = None if full else meta.store.get(key, consistent=consistent)
            size = item_size(item) if item is not None else 0
            if full or total + size > MAX_GET_RESPONSE_BYTES:
                full = True  # B5: this key and every later one are unprocessed
                left.extend(keys[i:])
                break
            key_units = capacity.read_units(size, consistent)
            if (
                model is not None
                and _admitted(errors, model.charge_read, meta, None, key[meta.hash_name], key_units)
                is THROTTLED
            ):
                left.append(key)
                continue
            total += size
            units += key_units
            if item is not None:
                out.append(proj.apply(item) if proj is not None else copy_item(item))
        if left:
            unprocessed[name] = _unprocessed(request_items[name], left)
        charges[meta.name] = charges.get(meta.name, 0.0) + units
    if errors and len(errors) == sum(len(keys) for _n, _m, keys, _p, _c in resolved):
        raise errors[-1]  # every key throttled: the batch answers the throttling error
    return responses, unprocessed, charges


@registry("BatchGetItem", shape=shapes.BATCH_GET_ITEM)
def batch_get_item(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    request_items: dict[str, Any] = request["RequestItems"]
    _check_table_names(request_items)  # (names, Keys and the other members: the request shape)
    if sum(len(spec["Keys"]) for spec in request_items.values()) > MAX_GET_KEYS:
        raise ValidationException(M.BATCH_GET_TOO_MANY)
    plans = []
    for name, spec in request_items.items():
        plans.append((name, spec, R.checked_projection(spec, R.GET)))
    resolved = []

    def every_key() -> None:  # the table-free key checks, before any missing table (issue 11 rule 1)
        for spec in request_items.values():
            for raw in spec["Keys"]:
                validate_item(raw)

    try:
        for name, spec, proj in plans:
            meta = R.table(service, name, every_key)
            resolved.append((name, meta, _get_keys(meta, spec, proj), proj, bool(spec.get("ConsistentRead"))))
    except AWSError:
        every_key()  # a table-free error outranks the table-dependent one (issue 11 rule 1)
        raise
    responses, unprocessed, charges = _batch_read(service, request_items, resolved)
    response: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        response["ConsumedCapacity"] = _charge(rcc, charges)
    return response


def _check_write_counts(request_items: dict[str, Any]) -> None:
    """B1: each table's writes a list of 1..25 structures, at most 25 in all."""
    for writes in request_items.values():
        if not isinstance(writes, list):
            raise V.type_error(V.Field("", "", kind="list"), writes)
        for entry in writes:
            if not isinstance(entry, dict):
                raise V.type_error(V.Field("", "", kind="struct"), entry)
        if not 1 <= len(writes) <= MAX_WRITES:
            raise ValidationException(
                V.format_errors(
                    [
                        V.violation(
                            request_items,
                            "requestItems",
                            "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member "
                            "must have length greater than or equal to 1]",
                        )
                    ]
                )
            )
    if sum(len(w) for w in request_items.values()) > MAX_WRITES:
        raise ValidationException(M.BATCH_WRITE_TOO_MANY)


def _parsed_writes(request_items: dict[str, Any]) -> list[tuple[str, Any, Any, int]]:
    """Each write as (table, checked item or None, raw key or None, the item's size bound), before
    any table is looked up (B1: one PutRequest or DeleteRequest per entry)."""
    parsed: list[tuple[str, Any, Any, int]] = []
    for name, writes in request_items.items():
        for entry in writes:
            put, delete = entry.get("PutRequest"), entry.get("DeleteRequest")
            if (put is None) == (delete is None):
                raise ValidationException(M.AV_MULTIPLE)  # sic: AWS's text for an empty entry (B1)
            if put is not None:
                if put.get("Item") is None:
                    raise ValidationException(
                        V.format_errors(
                            [
                                V.violation(
                                    None,
                                    "requestItems." + name + ".member.putRequest.item",
                                    "Member must not be null",
                                )
                            ]
                        )
                    )
                item, ceiling, _size = checked_item(put["Item"])
                parsed.append((name, item, None, ceiling))
            else:
                if delete.get("Key") is None:
                    raise ValidationException(
                        V.format_errors(
                            [
                                V.violation(
                                    None,
                                    "requestItems." + name + ".member.deleteRequest.key",
                                    "Member must not be null",
                                )
                            ]
                        )
                    )
                parsed.append((name, None, delete["Key"], -1))
    return parsed


def _write_plan(service: Any, parsed: list[tuple[str, Any, Any, int]]) -> list[tuple[Any, Any, Any, int]]:
    """(table, key, item or None, size bound) per write, every key checked against its table and
    no key twice (B4), before anything is written (B2)."""
    plan = []
    seen: set[tuple[str, tuple[Any, ...]]] = set()

    def every_key() -> None:  # the delete keys' values, before any missing table (issue 11 rule 1)
        for _name, _item, raw, _ceiling in parsed:
            if raw is not None:
                validate_item(raw)

    try:
        for name, item, raw_key, ceiling in parsed:
            meta = R.table(service, name, every_key)
            if item is not None:
                validate_item_keys(meta.schema, item)
                for index in meta.indexes.values():
                    index.check_write(item)
                key = meta.schema.extract_key(item)
            else:
                key = validated_key(meta, raw_key)
            ident = (meta.name, meta.schema.encode(key))
            if ident in seen:
                raise ValidationException(M.BATCH_DUPLICATES)
            seen.add(ident)
            plan.append((meta, key, item, ceiling))
    except AWSError:
        every_key()  # a table-free error outranks the table-dependent one (issue 11 rule 1)
        raise
    return plan


def _charged_write(model: Any, meta: Any, key: dict[str, Any], item: Any, ceiling: int) -> Any:
    """One write of a batch through the capacity model, charged before it is applied; returns
    the item it replaced."""

    def mutate(old: dict[str, Any] | None) -> dict[str, Any] | None:
        model.charge_write(meta, key, old, item)
        return item  # type: ignore[no-any-return]

    return meta.store.write(key, mutate, scalar_ceiling=ceiling)[0]


def _unprocessed_write(key: dict[str, Any], item: Any) -> dict[str, Any]:
    """A write the capacity model throttled, as ``UnprocessedItems`` gives it back."""
    if item is not None:
        return {"PutRequest": {"Item": copy_item(item)}}
    return {"DeleteRequest": {"Key": copy_item(key)}}


@registry("BatchWriteItem", shape=shapes.BATCH_WRITE_ITEM)
def batch_write_item(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    request_items: dict[str, Any] = request["RequestItems"]
    _check_table_names(request_items)
    _check_write_counts(request_items)
    plan = _write_plan(service, _parsed_writes(request_items))
    charges: dict[str, float] = {}
    rcc = request.get("ReturnConsumedCapacity")
    charging = rcc is not None and rcc != "NONE"
    model = service.capacity
    errors: list[AWSError] = []
    unprocessed: dict[str, list[dict[str, Any]]] = {}
    for meta, key, item, ceiling in plan:
        if model is None:
            old, _new = meta.store.write(key, (lambda _old, item=item: item), scalar_ceiling=ceiling)
        else:
            old = _admitted(errors, _charged_write, model, meta, key, item, ceiling)
            if old is THROTTLED:
                unprocessed.setdefault(meta.name, []).append(_unprocessed_write(key, item))
                continue
        if charging:
            charges[meta.name] = charges.get(meta.name, 0.0) + capacity.write_units_of(old, item)
    if errors and len(errors) == len(plan):
        raise errors[-1]  # every write throttled: the batch answers the throttling error
    response: dict[str, Any] = {"UnprocessedItems": unprocessed}
    if request.get("ReturnItemCollectionMetrics") == "SIZE":
        metrics: dict[str, list[dict[str, Any]]] = {}
        for meta, key, _item, _ceiling in plan:
            if meta.has_local_index:
                metrics.setdefault(meta.name, []).append(collection_metrics(meta, key))
        response["ItemCollectionMetrics"] = metrics
    if charging:
        response["ConsumedCapacity"] = _charge(rcc, charges)
    return response
