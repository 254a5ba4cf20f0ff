"""TransactGetItems and TransactWriteItems (reference §10, T1-T14; RC1 and T12 for capacity).

A transaction runs in three phases, all inside one ``Service.call`` and therefore under the
service's lock, which is what makes it atomic and serializable for other threads (T4, T11):

1. **Request-level checks** (T7, T1-T3, T9): the request shape (``validation.TRANSACT_*``), one
   action per entry, each action's expressions (parsed, placeholders defined and used) and the
   values it writes or names (attribute values, numbers, nesting), all before any table is looked
   up (issue 11 rule 1); the payload size, the tables' existence, empty key values, the
   ClientRequestToken. Any failure is a plain error for the whole request (ValidationException,
   SerializationException, ResourceNotFoundException, IdempotentParameterMismatchException).
2. **Item-level validation** (T6), action by action in request order, against the state before
   the transaction: the item or key values, the key schema, item size, index key types, and for an
   Update the new item itself (an update path invalid for the stored item, the size after the
   update). The first failure stops validation and cancels the transaction with a
   ``ValidationError`` reason on that action and ``None`` on every other (no condition is
   evaluated). Duplicate items (T2) are a request-level ValidationException found among the
   actions validated so far.
3. **Conditions** (T4, T5, T8): every condition is evaluated against the state before the
   transaction (no short circuit); any failure cancels with ``ConditionalCheckFailed`` reasons
   (with ``Item`` for RVOCCF=ALL_OLD). Only when all pass are the writes made, each through the
   table's write funnel ``Table.write(key, mutate)``, so indexes, streams, replicas and the
   item-size facts follow exactly as for PutItem/UpdateItem/DeleteItem. Since no two actions touch
   one item, the new items computed in phase 2 are still right when written.

Design decisions:

* Pieces are reused, not copied: expression parsing and RVOCCF from ``requests``, key and item
  validation from ``keys``/``values``/``items.validated_key``, index checks from ``indexes``,
  capacity arithmetic from ``capacity``.
* ``TransactionConflict`` (T11) cannot arise: every operation is serialised by the service lock,
  so no transaction is ever in flight while another operation runs (T14: conflicts are only a
  fault-injection matter, not offered yet). For the same reason TransactionInProgressException
  never happens.
* ClientRequestToken (T9): the fingerprint of ``TransactItems`` and its expiry (10 minutes after
  completion, on the world's clock) are kept per service in a weak map, so nothing is added to the
  service object. Only successful transactions are remembered [INF]. A repeat reports read
  capacity (one strongly consistent read per item, doubled as for any transactional read) [INF].
* Capacity (T12): every item costs twice (prepare + commit). Write actions charge as the single
  writes do (max(old, new) per KB, index maintenance per RC3); a ConditionCheck charges its
  item's size as a write [INF]. Reads are strongly consistent (transactional reads always are).
* The payload size (T3) is measured on the request's values (strings in UTF-8, numbers as text,
  binaries as bytes, attribute names), an approximation of the JSON body [INF].
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ...errors import AWSError
from .. import messages as M
from .. import request_shapes as shapes
from ..errors import ERRORS, TransactionCanceledException, ValidationException
from ..keys import check_empty_key_values, validate_item_keys
from ..values import copy_item, validate_item
from . import capacity, registry
from . import requests as R
from .items import check_update, checked_item, collection_metrics, updated_item, validated_key

MAX_PAYLOAD_BYTES = 4 * 1024 * 1024  # T3
TOKEN_TTL_SECONDS = 600.0  # T9: idempotent for 10 minutes after the first request completes
TRANSACTION_COST = 2.0  # T12: prepare + commit

IdempotentParameterMismatchException = ERRORS["IdempotentParameterMismatchException"]

# Per action kind: (expression parameters, legacy parameters) for ``requests.expression_context``.
# Transactions accept no legacy parameters (Expected, AttributeUpdates): the shapes have none.
_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ConditionCheck": (("ConditionExpression",), ()),
    "Put": (("ConditionExpression",), ()),
    "Delete": (("ConditionExpression",), ()),
    "Update": (("UpdateExpression", "ConditionExpression"), ()),
    "Get": (("ProjectionExpression",), ()),
}


class _ItemInvalid(Exception):
    """Phase 2 found an item-level ValidationException in action ``index`` (T6)."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


@dataclass(slots=True)
class _Action:
    """One TransactWriteItems entry as it moves through the phases."""

    kind: str
    spec: dict[str, Any]
    cond: Any
    upd: Any
    meta: Any = None
    key: dict[str, Any] = field(default_factory=dict)  # set in phase 2
    item: dict[str, Any] | None = None  # Put: the validated item
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None


@dataclass(slots=True)
class _TokenBook:
    """ClientRequestToken → (fingerprint of TransactItems, expiry, (table, key) pairs)."""

    entries: dict[str, tuple[str, float, list[tuple[Any, dict[str, Any]]]]] = field(default_factory=dict)

    def purge(self, now: float) -> None:
        for token in [t for t, (_f, expiry, _k) in self.entries.items() if expiry <= now]:
            del self.entries[token]


_BOOKS: weakref.WeakKeyDictionary[Any, _TokenBook] = weakref.WeakKeyDictionary()


def _book(service: Any) -> _TokenBook:
    book = _BOOKS.get(service)
    if book is None:
        book = _BOOKS[service] = _TokenBook()
    return book


def _fingerprint(value: Any) -> str:
    """A canonical text of a native request value (dict order ignored), for T9's comparison."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_fingerprint(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_fingerprint(v) for v in value) + "]"
    return repr(value)


def _payload_size(value: Any) -> int:
    """T3's measure of a request value: UTF-8 strings, binaries, numbers as text, map keys."""
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(k).encode("utf-8")) + _payload_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(_payload_size(v) for v in value)
    return len(str(value))


def _single_member(entry: dict[str, Any], kinds: tuple[str, ...]) -> str:
    present = [k for k in kinds if entry.get(k) is not None]
    if len(present) != 1:
        raise ValidationException(M.TRANSACT_ONE_ACTION)
    return present[0]


def _cancel(reasons: list[dict[str, Any]]) -> AWSError:
    """T5: the cancellation, its message listing every reason code in order."""
    return TransactionCanceledException(
        M.transaction_cancelled([r["Code"] for r in reasons]), CancellationReasons=reasons
    )


def _capacity_verdict(charges: list[Any]) -> None:
    """The capacity model's word on a transaction (each action charged twice its units, as
    ConsumedCapacity reports them): an action it throttles cancels the transaction with a
    ``ThrottlingError`` reason carrying the throttling error's text (docs/rules/dynamodb.md TH3)."""
    reasons: list[dict[str, Any]] = [{"Code": "None"} for _ in charges]
    throttled = False
    for i, charge in enumerate(charges):
        try:
            charge()
        except AWSError as err:
            reasons[i] = {"Code": "ThrottlingError", "Message": err.message}
            throttled = True
    if throttled:
        raise _cancel(reasons)


def _validation_cancel(count: int, failure: _ItemInvalid) -> AWSError:
    """T6: ``ValidationError`` on the first failing action, ``None`` (no Message) on the others."""
    reasons: list[dict[str, Any]] = [{"Code": "None"} for _ in range(count)]
    reasons[failure.index] = {"Code": "ValidationError", "Message": failure.message}
    return _cancel(reasons)


def _check_duplicates(pairs: list[tuple[Any, dict[str, Any]]]) -> None:
    """T2: no two actions on one item (table + key; numbers compared by value)."""
    seen: set[tuple[str, Any]] = set()
    for meta, key in pairs:
        ident = (meta.name, meta.schema.encode(key))
        if ident in seen:
            raise ValidationException(M.TRANSACT_ONE_ITEM)
        seen.add(ident)


def _charge(mode: str | None, tables: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """T12/RC1: ConsumedCapacity, one entry per table in first-use order."""
    out: list[dict[str, Any]] = []
    for name, parts in tables.items():
        table_units = parts["table"]
        per_index: dict[str, float] = parts.get("indexes", {})
        entry = capacity.entry(mode, name, table_units + sum(per_index.values()))
        if entry is None:
            continue
        if mode == "INDEXES":
            entry["Table"] = {"CapacityUnits": table_units}
            meta = parts["meta"]
            for index_name, units in per_index.items():
                if units:
                    member = (
                        "GlobalSecondaryIndexes"
                        if meta.indexes[index_name].is_global
                        else "LocalSecondaryIndexes"
                    )
                    entry.setdefault(member, {})[index_name] = {"CapacityUnits": units}
        out.append(entry)
    return out


def _add_units(tables: dict[str, dict[str, Any]], meta: Any, units: float) -> dict[str, Any]:
    parts = tables.setdefault(meta.name, {"meta": meta, "table": 0.0})
    parts["table"] += units
    return parts


# --- TransactGetItems ---------------------------------------------------------------------------


@registry("TransactGetItems", shape=shapes.TRANSACT_GET_ITEMS)
def transact_get_items(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    plans = []
    for entry in request["TransactItems"]:
        spec = entry["Get"]
        plans.append((spec, R.checked_projection(spec, _PARAMS["Get"])))
        validate_item(spec["Key"])  # the key's values: a plain error, before any table lookup
    catalog = service.catalog
    metas = [catalog.get(spec["TableName"]) for spec, _proj in plans]
    for spec, _proj in plans:
        check_empty_key_values(None, spec["Key"])
    keys: list[dict[str, Any]] = []
    failure: _ItemInvalid | None = None
    for i, ((spec, proj), meta) in enumerate(zip(plans, metas)):
        try:
            keys.append(validated_key(meta, spec["Key"]))
            if proj is not None:
                R.check_key_paths(meta, R.nested_heads(proj.paths))
        except ValidationException as err:  # T6 applied to reads [INF]
            failure = _ItemInvalid(i, err.message)
            break
    _check_duplicates(list(zip(metas, keys)))
    if failure is not None:
        raise _validation_cancel(len(plans), failure)
    responses: list[dict[str, Any]] = []
    tables: dict[str, dict[str, Any]] = {}
    charges = []
    model = service.capacity
    for (_spec, proj), meta, key in zip(plans, metas, keys):
        item = meta.store.get(key, consistent=True)
        units = TRANSACTION_COST * capacity.read_units_of(item, True)
        _add_units(tables, meta, units)
        if model is not None:
            charges.append(partial(model.charge_read, meta, None, key[meta.hash_name], units))
        if item is None:
            responses.append({})
        else:
            responses.append({"Item": copy_item(item) if proj is None else proj.apply(item)})
    if charges:
        _capacity_verdict(charges)
    response: dict[str, Any] = {"Responses": responses}
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        response["ConsumedCapacity"] = _charge(rcc, tables)
    return response


# --- TransactWriteItems -------------------------------------------------------------------------


def _parse_actions(request: dict[str, Any]) -> list[_Action]:
    """Phase 1 for each entry: exactly one action (T1), its expressions compiled and checked (T7)."""
    actions: list[_Action] = []
    for entry in request["TransactItems"]:
        kind = _single_member(entry, shapes.TRANSACT_WRITE_ACTIONS)
        spec = entry[kind]
        ctx = R.expression_context(spec, _PARAMS[kind])
        upd = R.update(spec, ctx) if kind == "Update" else None
        cond = R.condition(spec, ctx)
        if ctx is not None:
            ctx.check_unused()
        validate_item(spec["Item"] if kind == "Put" else spec["Key"])  # values: a plain error
        actions.append(_Action(kind, spec, cond, upd))
    return actions


def _check_empty_keys(actions: list[Any]) -> None:
    """After the table lookups, before item-level validation: an empty S/B key value anywhere is
    a plain ValidationException for the whole request (issue 11 rule 1, see the module doc)."""
    for action in actions:
        spec = action.spec
        if "Item" in spec:
            check_empty_key_values(action.meta.schema, spec["Item"])
        else:
            check_empty_key_values(None, spec["Key"])


def _validate_action(action: _Action) -> None:
    """Phase 2 for one action: its values, key and item checks, and (Update) the new item."""
    meta = action.meta
    spec = action.spec
    if action.kind == "Put":
        item = checked_item(spec["Item"])[0]
        validate_item_keys(meta.schema, item)
        for index in meta.indexes.values():
            index.check_write(item)
        action.item = item
        action.key = meta.schema.extract_key(item)
        return
    key = validated_key(meta, spec["Key"])
    action.key = key
    upd = action.upd
    if upd is not None:
        check_update(meta, upd)


def _compute_new(action: _Action) -> None:
    """Phase 2, against the state before the transaction: read ``old``, compute ``new``."""
    meta = action.meta
    key = action.key
    old = meta.store.get(key, consistent=True)
    action.old = old
    if action.kind == "Put":
        action.new = action.item
    elif action.kind == "Delete":
        action.new = None
    elif action.kind == "ConditionCheck":
        action.new = old
    else:
        action.new = updated_item(action.upd, key, old, meta.indexes.values())


def _repeat(request: dict[str, Any], pairs: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    """T9: the answer to a repeated token: success, no change, read capacity [INF]."""
    response: dict[str, Any] = {}
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        tables: dict[str, dict[str, Any]] = {}
        for meta, key in pairs:
            item = meta.store.get(key, consistent=True)
            _add_units(tables, meta, TRANSACTION_COST * capacity.read_units_of(item, True))
        response["ConsumedCapacity"] = _charge(rcc, tables)
    return response


def _first_invalid(actions: list[Any], step: Any) -> _ItemInvalid | None:
    """Run ``step`` on each action in request order; the first item-level ValidationException
    becomes that action's ValidationError reason (T6: later actions are not looked at)."""
    for i, action in enumerate(actions):
        try:
            step(action)
        except ValidationException as err:
            return _ItemInvalid(i, err.message)
    return None


@registry("TransactWriteItems", shape=shapes.TRANSACT_WRITE_ITEMS)
def transact_write_items(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    actions = _parse_actions(request)
    if _payload_size(request["TransactItems"]) > MAX_PAYLOAD_BYTES:
        raise ValidationException(M.TRANSACT_PAYLOAD_TOO_LARGE)
    catalog = service.catalog
    for action in actions:
        action.meta = catalog.get(action.spec["TableName"])
    _check_empty_keys(actions)
    token = request.get("ClientRequestToken")
    clock = service.world.clock
    fingerprint = ""
    if token is not None:
        book = _book(service)
        fingerprint = _fingerprint(request["TransactItems"])
        seen = book.entries.get(token)
        if seen is not None and seen[1] > clock.now():
            if seen[0] != fingerprint:
                raise IdempotentParameterMismatchException(M.IDEMPOTENT_MISMATCH)
            return _repeat(request, seen[2])
    failure = _first_invalid(actions, _validate_action)
    validated = failure.index if failure is not None else len(actions)
    _check_duplicates([(a.meta, a.key) for a in actions[:validated]])
    if failure is None:
        failure = _first_invalid(actions, _compute_new)
    if failure is not None:
        raise _validation_cancel(len(actions), failure)
    reasons: list[dict[str, Any]] = []
    failed = False
    for action in actions:
        if action.cond is not None and not action.cond.evaluate(action.old):
            failed = True
            reason: dict[str, Any] = {"Code": "ConditionalCheckFailed", "Message": M.CONDITIONAL_CHECK_FAILED}
            if action.old is not None and action.spec.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
                reason["Item"] = copy_item(action.old)
            reasons.append(reason)
        else:
            reasons.append({"Code": "None"})
    if failed:
        raise _cancel(reasons)
    if service.capacity is not None:
        _capacity_verdict([_write_charge(service.capacity, action) for action in actions])
    for action in actions:
        if action.kind != "ConditionCheck":
            new = action.new
            action.meta.store.write(action.key, lambda _old, new=new: new)
    if token is not None:
        book = _book(service)
        now = clock.now()
        book.purge(now)
        book.entries[token] = (fingerprint, now + TOKEN_TTL_SECONDS, [(a.meta, a.key) for a in actions])
    return _write_response(request, actions)


def _write_charge(model: Any, action: _Action) -> Any:
    """What the capacity model charges for one action: its ConsumedCapacity (twice the units of
    the larger of the old and new item; a ConditionCheck touches no index)."""
    check = action.kind == "ConditionCheck"
    new = action.old if check else action.new
    return partial(model.charge_write, action.meta, action.key, action.old, new, TRANSACTION_COST, not check)


def _write_response(request: dict[str, Any], actions: list[_Action]) -> dict[str, Any]:
    response: dict[str, Any] = {}
    rcc = request.get("ReturnConsumedCapacity")
    if rcc is not None and rcc != "NONE":
        tables: dict[str, dict[str, Any]] = {}
        for action in actions:
            old, new = action.old, action.new
            parts = _add_units(tables, action.meta, TRANSACTION_COST * capacity.write_units_of(old, new))
            if action.kind != "ConditionCheck" and action.meta.indexes:
                per_index = parts.setdefault("indexes", {})
                for name, index in action.meta.indexes.items():
                    per_index[name] = per_index.get(
                        name, 0.0
                    ) + TRANSACTION_COST * capacity.index_write_units(index, old, new)
        response["ConsumedCapacity"] = _charge(rcc, tables)
    if request.get("ReturnItemCollectionMetrics") == "SIZE":
        metrics: dict[str, list[dict[str, Any]]] = {}
        for action in actions:
            if action.kind != "ConditionCheck" and action.meta.has_local_index:
                metrics.setdefault(action.meta.name, []).append(collection_metrics(action.meta, action.key))
        response["ItemCollectionMetrics"] = metrics
    return response
