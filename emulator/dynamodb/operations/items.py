"""Single-item operations: PutItem, GetItem, UpdateItem, DeleteItem (reference §6, §5, K4-K9, S2).

Each handler: shape validation → ReturnValues rules → expression/legacy parameters (parsed and
checked for unused placeholders before anything runs) → item/key value validation (which copies
the caller's data) → table lookup → key-schema checks → one call to the engine's write funnel
(``Table.write(key, mutate)``), whose ``mutate(old)`` evaluates the condition against the current
item under the service's lock and returns the new item (or None to delete / not create).
A plain PutItem or GetItem (only the table name, the item or key, and ConsistentRead) takes a
fast path that runs only the checks such a request can fail, in the same order; anything else,
or any doubt, falls through to the general handler before the store is touched.

Copies: items come in through ``validate_item`` or, on the plain-put path,
``storage_form.plain_item`` (fresh copies) and go out through
``copy_item`` or a projection (which builds new dicts), so the caller never shares a mutable
container with the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...errors import AWSError
from ...wellformed import is_well_formed
from .. import messages as M
from .. import request_shapes as shapes
from .. import validation as V
from ..errors import ValidationException
from ..expressions.projection import Projection
from ..keys import validate_item_keys, validate_key
from ..sizes import MAX_ITEM_BYTES
from ..values import SIMPLE_INT, copy_item, copy_scalar_item, item_size, validate_item
from . import capacity, registry
from . import requests as R
from .storage_form import plain_item, prepare_item


def validated_key(meta: Any, key: dict[str, Any]) -> dict[str, Any]:
    """A ``Key`` parameter: values validated and copied (V*), then checked against the schema (K4-K6).

    Fast path for the common key (S of moderate length, N already in canonical integer form):
    nothing to report, so build the copy directly; anything else takes the full validation.
    """
    plan = meta.key_plan
    if key.__class__ is dict and len(key) == len(plan):
        out = {}
        for name, key_type, max_chars in plan:
            av = key.get(name)
            if av.__class__ is not dict or len(av) != 1:
                break
            raw = av.get(key_type)
            if raw.__class__ is not str:
                break
            if key_type == "S":
                if not 0 < len(raw) <= max_chars or not raw.isascii() and not is_well_formed(raw):
                    break  # (a lone surrogate: validate_item refuses it, emulator/wellformed.py)
            elif SIMPLE_INT.match(raw) is None:
                break
            out[name] = {key_type: raw}
        else:
            return out
    key = validate_item(key)
    validate_key(meta.schema, key)
    return key


_PLAIN_PUT = frozenset(("TableName", "Item"))


def _plain_put(service: Any, request: dict[str, Any]) -> dict[str, Any] | None:
    """PutItem's fast pre-hook (see ``Service.call``): the plain PutItem (no condition, no
    ReturnValues, no reports) of a plain item; None: any doubt.

    Such a request passes every shape rule (its table name was seen valid), has no expression and
    nothing to return, so this runs only what can matter: one validating, interning copy of the
    item (``plain_item``), the table lookup, the key checks, index checks and the write — in the
    general path's order. Anything unusual returns None *before* touching the store, and the
    general path starts over.
    """
    if not _PLAIN_PUT.issuperset(request):
        return None
    name = request.get("TableName")
    raw = request.get("Item")
    if name.__class__ is not str or name not in V.valid_names or raw.__class__ is not dict:
        return None
    plain = plain_item(raw)
    if plain is None or plain[1] > MAX_ITEM_BYTES:  # (plain[1]: an upper bound of its size)
        return None
    item, ceiling = plain
    meta = service.catalog.get(name)
    for key_name, key_type, max_chars in meta.key_plan:
        raw_key = item.get(key_name)
        value = raw_key.get(key_type) if raw_key is not None else None
        # (an N value here is already a canonical integer of at most 38 digits: plain_item)
        if value is None or (key_type == "S" and not 0 < len(value) <= max_chars):
            validate_item_keys(meta.schema, item)  # raises AWS's message (or finds nothing wrong)
            break
    if meta.indexes:
        for index in meta.indexes.values():
            index.check_write(item)
    meta.store.write(meta.schema.extract_key(item), lambda _old: item, scalar_ceiling=ceiling)
    return {}


def _condition_failed(
    request: dict[str, Any], model: Any, meta: Any, key: dict[str, Any], old: Any
) -> AWSError:
    """The ConditionalCheckFailed of a write whose condition did not hold for ``old`` (with ``Item``
    on request); the failed write still consumes WCU (C15), so the capacity model (when on) is
    charged for it first."""
    if model is not None:
        model.charge_write(meta, key, old, old, indexes=False)
    return R.condition_failed(request, old)


def _replace_if(
    meta: Any,
    key: dict[str, Any],
    new: dict[str, Any] | None,
    cond: Any,
    request: dict[str, Any],
    scalar_ceiling: int = -1,
    model: Any = None,
) -> dict[str, Any] | None:
    """PutItem/DeleteItem through the write funnel: store ``new`` (None deletes) if ``cond`` holds
    for the current item, else ConditionalCheckFailed (with ``Item`` on request). Returns the old item.
    ``scalar_ceiling``: :func:`~.storage_form.prepare_item`'s bound of ``new``, handed to the funnel
    (see ``Table.write``) so it does not size the item a second time; -1 when unknown.
    ``model``: the service's capacity model (None: off), which may throttle the write before it
    is applied."""
    box: list[Any] = [None]

    def mutate(old: dict[str, Any] | None) -> dict[str, Any] | None:
        if cond is not None and not cond.evaluate(old):
            raise _condition_failed(request, model, meta, key, old)
        if model is not None:
            model.charge_write(meta, key, old, new)
        box[0] = old
        return new

    meta.store.write(key, mutate, scalar_ceiling=scalar_ceiling)
    return box[0]


def _all_old(return_values: str | None, old: dict[str, Any] | None) -> dict[str, Any]:
    """The response of PutItem/DeleteItem before metrics: ``Attributes`` for ReturnValues ALL_OLD."""
    if return_values == "ALL_OLD" and old is not None:
        return {"Attributes": copy_item(old)}
    return {}


def checked_item(raw: dict[str, Any]) -> tuple[dict[str, Any], int, int]:
    """The item of a put (PutItem, BatchWriteItem, TransactWriteItems), validated (V rules), in
    storage form (``storage_form.prepare_item``) and within 400 KB (S2). Returns the item, its size
    bound for ``Table.write``'s ``scalar_ceiling`` (-1: unknown) and its exact size when the bound
    did not settle S2 (-1 otherwise, for the caller to compute if it needs it)."""
    item = validate_item(raw)
    bound = prepare_item(item)
    size = -1
    if bound is None or bound > MAX_ITEM_BYTES:
        size = item_size(item)
        if size > MAX_ITEM_BYTES:
            raise ValidationException(M.ITEM_TOO_LARGE)
    return item, -1 if bound is None else bound, size


@registry("PutItem", shape=shapes.PUT_ITEM, fast=_plain_put)
def put_item(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return_values = R.check_put_delete_return_values(request)
    cond = R.checked_condition(request, R.PUT)
    item, ceiling, size = checked_item(request["Item"])
    meta = service.catalog.get(request["TableName"])
    validate_item_keys(meta.schema, item)
    if meta.indexes:
        for index in meta.indexes.values():
            index.check_write(item)
    old = _replace_if(meta, meta.schema.extract_key(item), item, cond, request, ceiling, service.capacity)
    response = _all_old(return_values, old)
    _collection_metrics(request, meta, item, response)
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        if size < 0:
            size = item_size(item)
        response["ConsumedCapacity"] = capacity.write_entry(
            rcc, meta, capacity.write_units(max(size, item_size(old) if old is not None else 0)), old, item
        )
    return response


def _collection_metrics(
    request: dict[str, Any], meta: Any, key_source: dict[str, Any], response: dict[str, Any]
) -> None:
    """I8: ItemCollectionMetrics (ReturnItemCollectionMetrics=SIZE), for tables with an LSI only."""
    if request.get("ReturnItemCollectionMetrics") == "SIZE" and meta.has_local_index:
        response["ItemCollectionMetrics"] = collection_metrics(meta, key_source)


def collection_metrics(meta: Any, key_source: dict[str, Any]) -> dict[str, Any]:
    """One item collection's metrics; the estimate is AWS's coarse range for collections under 1 GB."""
    return {
        "ItemCollectionKey": {meta.hash_name: dict(key_source[meta.hash_name])},
        "SizeEstimateRangeGB": [0.0, 1.0],
    }


_PLAIN_GET = frozenset(("TableName", "Key", "ConsistentRead"))


def _plain_get(service: Any, request: dict[str, Any]) -> dict[str, Any] | None:
    """GetItem's fast pre-hook (see ``Service.call``): the plain GetItem (no projection, no
    expressions, no capacity report) on a table name already seen valid. Nothing in it can fail
    shape validation, so it goes straight to the key check and the lookup. Anything else (or any
    doubt) returns None and takes the validated path."""
    if _PLAIN_GET.issuperset(request):
        name = request.get("TableName")
        key = request.get("Key")
        consistent = request.get("ConsistentRead", False)
        if (
            name.__class__ is str
            and name in V.valid_names
            and key.__class__ is dict
            and consistent.__class__ is bool
        ):
            catalog = service.catalog
            if catalog.deferred:  # replicated writes waiting for this region (global tables)
                catalog.deliver_deferred()
            meta = catalog.tables.get(name)
            if meta is not None and meta.status == "ACTIVE":  # otherwise: the lifecycle's answer
                item = meta.store.get(validated_key(meta, key), consistent=consistent)
                if item is None:
                    return {}
                return {"Item": copy_scalar_item(item) if meta.store.all_scalar else copy_item(item)}
    return None


@registry("GetItem", shape=shapes.GET_ITEM, fast=_plain_get)
def get_item(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    proj = R.checked_projection(request, R.GET)
    meta = R.table(service, request["TableName"], lambda: validate_item(request["Key"]))
    key = validated_key(meta, request["Key"])
    if proj is not None:
        R.check_key_paths(meta, R.nested_heads(proj.paths))
    consistent = bool(request.get("ConsistentRead", False))
    item = meta.store.get(key, consistent=consistent)
    if service.capacity is not None:  # may throttle the read
        service.capacity.charge_read(
            meta, None, key[meta.hash_name], capacity.read_units_of(item, consistent)
        )
    response: dict[str, Any] = {}
    if item is not None:
        response["Item"] = copy_item(item) if proj is None else proj.apply(item)
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        response["ConsumedCapacity"] = capacity.entry(
            rcc, meta.name, capacity.read_units_of(item, consistent)
        )
    return response


def _updated(upd: Any, item: dict[str, Any] | None) -> dict[str, Any]:
    """I6: the touched paths of ``item``, trimmed to the touched nested sub-paths."""
    if item is None or upd is None:
        return {}
    return Projection(upd.paths).apply(item)


def check_update(meta: Any, upd: Any) -> None:
    """The checks of a compiled update against its table, before any item is read (UpdateItem and
    TransactWriteItems' Update): no key attribute updated (K5), no nested path under a key
    attribute, constants against index key types (K7), in that order."""
    for name in meta.key_names:
        if name in upd.top_level_names:
            raise ValidationException(M.cannot_update_key(name))
    R.check_key_paths(meta, R.nested_heads(upd.paths))
    if upd.constant_types:
        for index in meta.indexes.values():
            index.check_constant_types(upd.constant_types)


def updated_item(
    upd: Any, key: dict[str, Any], old: dict[str, Any] | None, indexes: Iterable[Any]
) -> dict[str, Any] | None:
    """The item an update makes of ``old`` (None: absent; ``upd`` None: no update, the item as it
    is or the bare key), checked for size (S2) and index key types (K7/K10); None when a
    remove/delete-only update meets no item (U16). Raises ValidationException."""
    if upd is None:
        new = old if old is not None else dict(key)
        runtime: Any = ()
    else:
        new = upd.apply(old) if old is not None else upd.apply(dict(key), missing=True)
        if old is None and len(new) == len(key):
            return None  # U16: a remove/delete-only update does not create the item
        runtime = upd.runtime_set_names
    if item_size(new) > MAX_ITEM_BYTES:
        raise ValidationException(M.UPDATE_ITEM_TOO_LARGE)
    for index in indexes:
        index.check_write(new, runtime=runtime)
    return new


@registry("UpdateItem", shape=shapes.UPDATE_ITEM)
def update_item(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return_values = request.get("ReturnValues") or "NONE"
    ctx = R.expression_context(request, R.UPDATE)
    upd = R.update(request, ctx)
    cond = R.condition(request, ctx)
    if ctx is not None:
        ctx.check_unused()
    meta = R.table(service, request["TableName"], lambda: validate_item(request["Key"]))
    key = validated_key(meta, request["Key"])
    if upd is not None:
        check_update(meta, upd)
    box: list[Any] = [None, None]
    indexes = tuple(meta.indexes.values())
    model = service.capacity

    def mutate(old: dict[str, Any] | None) -> dict[str, Any] | None:
        if cond is not None and not cond.evaluate(old):
            raise _condition_failed(request, model, meta, key, old)
        box[0] = old
        new = box[1] = updated_item(upd, key, old, indexes)
        if model is not None:  # the capacity model may throttle the write before it is applied
            model.charge_write(meta, key, old, new)
        return new

    meta.store.write(key, mutate)
    old, new = box
    response: dict[str, Any] = {}
    attributes: dict[str, Any] | None = None
    if return_values == "ALL_OLD":
        attributes = copy_item(old) if old is not None else None
    elif return_values == "ALL_NEW":
        attributes = copy_item(new) if new is not None else None
    elif return_values == "UPDATED_OLD":
        attributes = _updated(upd, old)
    elif return_values == "UPDATED_NEW":
        attributes = _updated(upd, new)
    if attributes:
        response["Attributes"] = attributes
    _collection_metrics(request, meta, key, response)
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        response["ConsumedCapacity"] = capacity.write_entry(
            rcc, meta, capacity.write_units_of(old, new), old, new
        )
    return response


@registry("DeleteItem", shape=shapes.DELETE_ITEM)
def delete_item(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return_values = R.check_put_delete_return_values(request)
    cond = R.checked_condition(request, R.DELETE)
    meta = R.table(service, request["TableName"], lambda: validate_item(request["Key"]))
    key = validated_key(meta, request["Key"])
    old = _replace_if(meta, key, None, cond, request, model=service.capacity)
    response = _all_old(return_values, old)
    _collection_metrics(request, meta, key, response)
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        response["ConsumedCapacity"] = capacity.write_entry(
            rcc, meta, capacity.write_units_of(old, None), old, None
        )
    return response
