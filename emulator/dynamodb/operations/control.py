"""Control plane: CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTable (reference §13).

Validation order follows dynalite's (checked against AWS by its authors): the request shape
(``request_shapes.CREATE_TABLE``), then the key schema, the attribute definitions, secondary indexes,
billing mode and throughput, the stream specification and tags; only then whether the table exists.

Secondary indexes (``indexes.py``): LSIs and GSIs at CreateTable; GSI Create/Update/Delete through
UpdateTable's ``GlobalSecondaryIndexUpdates`` (a created index is backfilled from the table at
once, skipping items whose index key has another type, X7). ``ReplicaUpdates`` (global tables,
version 2019.11.21) is ``replicas.py``; ``MultiRegionConsistency`` answers a ValidationException
naming it as unsupported, never silently ignored. Table and index status: see ``tables.py``
(ACTIVE at once).

Streams (ST1, UT2, DT1): enabling a stream (CreateTable, UpdateTable) asks the catalog's
``StreamHub`` (``streams/stream.py``) for a new stream fed by the table's change log; its label
becomes ``LatestStreamLabel``. Disabling it, or deleting the table, disables the stream, which
stays readable for 24 hours.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .. import messages as M
from .. import request_shapes as shapes
from .. import validation as V
from ..errors import (
    LimitExceededException,
    ResourceNotFoundException,
    ValidationException,
)
from ..global_tables import leave as leave_global_table
from ..indexes import SecondaryIndex
from ..indexes_multi import MultiAttributeIndex
from ..keys import KeySchema
from ..lifecycle import begin, begin_updating, check_changeable, refuse_existing
from ..multikey import MultiKeySchema, check_gsi_key_schema, is_multi_attribute
from ..tables import TableMeta
from . import decreases, registry, replicas
from .policies import attach_policy, check_policy_document

MAX_CAPACITY_UNITS = 1_000_000_000_000  # TH1: "Given value 1000000000001 ... is out of bounds"


def _new_store(service: Any, name: str, schema: KeySchema) -> Any:
    from ..engine import Table

    world = service.world
    return Table(
        schema, clock=world.clock, rng=service.rng(f"dynamodb.table.{name}"), replica_lag=world.replica_lag
    )


def _check_key_schema(key_schema: list[dict[str, Any]]) -> None:
    if key_schema[0]["KeyType"] != "HASH":
        raise ValidationException(M.FIRST_KEY_NOT_HASH)
    if len(key_schema) == 2:
        if key_schema[1]["KeyType"] != "RANGE":
            raise ValidationException(M.SECOND_KEY_NOT_RANGE)
        if key_schema[0]["AttributeName"] == key_schema[1]["AttributeName"]:
            raise ValidationException(M.KEYS_SAME_NAME)


def _check_attribute_definitions(
    definitions: list[dict[str, Any]], key_schema: list[dict[str, Any]], index_keys: list[dict[str, Any]]
) -> None:
    seen: set[str] = set()
    for d in definitions:
        name = d["AttributeName"]
        if name in seen:
            raise ValidationException(M.attribute_duplicated(name))
        seen.add(name)
    keys = [k["AttributeName"] for k in key_schema]
    for k in index_keys:
        if k["AttributeName"] not in keys:
            keys.append(k["AttributeName"])
    if any(k not in seen for k in keys):
        raise ValidationException(M.keys_not_defined(keys, [d["AttributeName"] for d in definitions]))
    if len(seen) != len(keys):
        if not index_keys:
            raise ValidationException(M.ATTRIBUTE_COUNT_MISMATCH)
        raise ValidationException(M.definitions_not_used([d["AttributeName"] for d in definitions], keys))


def _check_indexes(
    key_schema: list[dict[str, Any]], lsis: list[dict[str, Any]] | None, gsis: list[dict[str, Any]] | None
) -> None:
    """CT4, X1-X4: index lists, key schemas, names and projections."""
    for member, specs in (("LocalSecondaryIndexes", lsis), ("GlobalSecondaryIndexes", gsis)):
        if specs is not None and len(specs) == 0:
            raise ValidationException(M.indexes_empty(member))
    names: set[str] = set()
    table_hash = key_schema[0]["AttributeName"]
    if lsis:
        if len(key_schema) < 2:
            raise ValidationException(M.LSI_NEEDS_TABLE_RANGE)
        if len(lsis) > 5:
            raise ValidationException(M.too_many_lsis())
    if gsis and len(gsis) > 20:
        raise ValidationException(M.too_many_gsis())
    for local, specs in ((True, lsis or []), (False, gsis or [])):
        for spec in specs:
            name = spec["IndexName"]
            if name in names:
                raise ValidationException(M.duplicate_index_name(name))
            names.add(name)
            _check_index_spec(spec, local, table_hash)
    projected = sum(
        len(spec["Projection"].get("NonKeyAttributes") or ()) for spec in (lsis or []) + (gsis or [])
    )
    if projected > 100:
        raise ValidationException(M.TOO_MANY_PROJECTED)  # L2/X4: summed across all indexes


def _check_index_spec(spec: dict[str, Any], local: bool, table_hash: str) -> None:
    """X1, X4: one index's key schema and projection."""
    name = spec["IndexName"]
    ks = spec["KeySchema"]
    (_check_key_schema if local else check_gsi_key_schema)(ks)
    if local:
        if ks[0]["AttributeName"] != table_hash:
            raise ValidationException(M.lsi_hash_mismatch(name, ks[0]["AttributeName"], table_hash))
        if len(ks) < 2:
            raise ValidationException(M.lsi_without_range(name))
    projection = spec["Projection"]
    ptype = projection.get("ProjectionType")
    non_key = projection.get("NonKeyAttributes")
    if ptype is None:
        raise ValidationException(M.UNKNOWN_PROJECTION_TYPE)
    if ptype in ("ALL", "KEYS_ONLY") and non_key is not None:
        raise ValidationException(M.projection_non_key_forbidden(ptype))
    if ptype == "INCLUDE" and not non_key:
        raise ValidationException(M.projection_non_key_required())
    if non_key and len(set(non_key)) != len(non_key):  # issue 11 rule 10
        seen: set[str] = set()
        duplicate = next(n for n in non_key if n in seen or seen.add(n))  # type: ignore[func-returns-value]
        raise ValidationException(M.duplicate_projected_attribute(duplicate))


def _new_index(
    catalog: Any,
    table: str,
    kind: str,
    spec: dict[str, Any],
    definitions: list[dict[str, Any]],
    schema: KeySchema,
    store: Any,
) -> SecondaryIndex:
    lag = catalog.world.replica_lag
    ks = [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in spec["KeySchema"]]
    projection: dict[str, Any] = {"ProjectionType": spec["Projection"]["ProjectionType"]}
    if spec["Projection"].get("NonKeyAttributes"):
        projection["NonKeyAttributes"] = list(spec["Projection"]["NonKeyAttributes"])
    pt = spec.get("ProvisionedThroughput") or {}
    multi = kind == "GLOBAL" and is_multi_attribute(ks)
    index = (MultiAttributeIndex if multi else SecondaryIndex)(
        name=spec["IndexName"],
        kind=kind,
        schema=(MultiKeySchema if multi else KeySchema).from_definitions(ks, definitions),
        table_schema=schema,
        key_schema=ks,
        projection=projection,
        arn=f"{catalog.arn_for(table)}/index/{spec['IndexName']}",
        read_capacity=pt.get("ReadCapacityUnits", 0),
        write_capacity=pt.get("WriteCapacityUnits", 0),
    )
    for item in store.items():  # backfill (empty at CreateTable)
        try:
            index.check_write(item)
        except ValidationException:
            continue  # X5/X7: wrong-typed, empty or oversized index keys are skipped, not indexed
        index.apply(None, item)
    index.follow(store.change_log, lag)
    return index


def _build_indexes(
    catalog: Any,
    name: str,
    request: dict[str, Any],
    definitions: list[dict[str, Any]],
    schema: KeySchema,
    store: Any,
) -> dict[str, SecondaryIndex]:
    out: dict[str, SecondaryIndex] = {}
    for kind, member in (("LOCAL", "LocalSecondaryIndexes"), ("GLOBAL", "GlobalSecondaryIndexes")):
        for spec in request.get(member) or []:
            index = _new_index(catalog, name, kind, spec, definitions, schema, store)
            out[index.name] = index
    return out


def _check_throughput(billing_mode: str, throughput: dict[str, Any] | None) -> tuple[int, int]:
    if billing_mode == "PAY_PER_REQUEST":
        if throughput is not None:
            raise ValidationException(M.THROUGHPUT_FORBIDDEN)
        return 0, 0
    if throughput is None:
        raise ValidationException(M.THROUGHPUT_REQUIRED)
    return _check_bounds(throughput)


def _check_bounds(throughput: dict[str, Any]) -> tuple[int, int]:
    """TH1: each capacity at most :data:`MAX_CAPACITY_UNITS` (a check that needs no table)."""
    rcu, wcu = throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]
    if rcu > MAX_CAPACITY_UNITS:
        raise ValidationException(M.throughput_out_of_bounds(rcu, "ReadCapacityUnits"))
    if wcu > MAX_CAPACITY_UNITS:
        raise ValidationException(M.throughput_out_of_bounds(wcu, "WriteCapacityUnits"))
    return rcu, wcu


def _check_stream(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    if spec is None:
        return None
    if spec["StreamEnabled"]:
        if not spec.get("StreamViewType"):
            raise ValidationException(M.STREAM_VIEW_TYPE_REQUIRED)
        return {"StreamEnabled": True, "StreamViewType": spec["StreamViewType"]}
    return None


def _tag_text_ok(text: str) -> bool:
    """TG1: letters, separators (spaces), numbers and ``_ . : / = + - @`` only."""
    for ch in text:
        if ch not in _TAG_PUNCTUATION and unicodedata.category(ch)[0] not in "LZN":
            return False
    return True


_TAG_PUNCTUATION = frozenset("_.:/=+-@")


def check_tag_characters(tags: list[dict[str, Any]]) -> None:
    """TG1 [ALT test_tag.py::test_tag_forbidden_chars, test_tag_resource_incorrect]: a tag key or
    value with another character is a ValidationException; every offending member is listed, in
    Coral's constraint form (the pattern text is [INF])."""
    errors = [
        V.violation(
            tag[field],
            f"tags.{i}.member.{field.lower()}",
            f"Member must satisfy regular expression pattern: {M.TAG_PATTERN}",
        )
        for i, tag in enumerate(tags, 1)
        for field in ("Key", "Value")
        if not _tag_text_ok(tag[field])
    ]
    if errors:
        raise ValidationException(V.format_errors(errors))


def check_tags(tags: list[dict[str, Any]]) -> dict[str, str]:
    """Tags as a dict, or the TG1 error for forbidden characters or too many (shape rules ran in
    validation)."""
    check_tag_characters(tags)
    out = {t["Key"]: t["Value"] for t in tags}
    if len(out) > 50:
        raise ValidationException(M.TAGS_TOO_MANY)
    return out


def _stream_label(service: Any) -> str:
    dt = service.world.clock.now_datetime()
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}"


def _enable_stream(service: Any, meta: TableMeta) -> None:
    """ST1: start a new stream (the hub gives it a unique label) fed by the table's change log."""
    spec = meta.stream_specification or {}
    meta.stream_label = service.catalog.streams.enable(
        meta.name, meta.arn, spec["StreamViewType"], meta.key_schema, meta.store.change_log
    )


@registry("CreateTable", shape=shapes.CREATE_TABLE)
def create_table(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    name: str = request["TableName"]
    key_schema: list[dict[str, Any]] = request["KeySchema"]
    definitions: list[dict[str, Any]] = request["AttributeDefinitions"]
    _check_key_schema(key_schema)
    lsis, gsis = request.get("LocalSecondaryIndexes"), request.get("GlobalSecondaryIndexes")
    _check_indexes(key_schema, lsis, gsis)
    index_keys = [k for spec in (lsis or []) + (gsis or []) for k in spec["KeySchema"]]
    _check_attribute_definitions(definitions, key_schema, index_keys)
    billing_given = "BillingMode" in request
    billing_mode = request.get("BillingMode") or "PROVISIONED"
    rcu, wcu = _check_throughput(billing_mode, request.get("ProvisionedThroughput"))
    for spec in gsis or []:
        if billing_mode == "PAY_PER_REQUEST" and spec.get("ProvisionedThroughput") is not None:
            raise ValidationException(M.index_throughput_forbidden(spec["IndexName"]))
        if billing_mode == "PROVISIONED" and spec.get("ProvisionedThroughput") is None:
            raise ValidationException(M.index_throughput_missing(spec["IndexName"]))
    stream = _check_stream(request.get("StreamSpecification"))
    tags = check_tags(request.get("Tags") or [])
    if request.get("ResourcePolicy") is not None:
        check_policy_document(request["ResourcePolicy"])
    catalog = service.catalog
    refuse_existing(catalog.tables.get(name))
    schema = KeySchema.from_definitions(key_schema, definitions)
    now = service.world.clock.now()
    ordered_keys = [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in key_schema]
    meta = TableMeta(
        name=name,
        arn=catalog.arn_for(name),
        table_id=catalog.new_table_id(),
        created=now,
        key_schema=ordered_keys,
        attribute_definitions=[
            {"AttributeName": d["AttributeName"], "AttributeType": d["AttributeType"]} for d in definitions
        ],
        store=_new_store(service, name, schema),
        schema=schema,
        billing_mode=billing_mode,
        billing_mode_given=billing_given,
        read_capacity=rcu,
        write_capacity=wcu,
        last_update_to_pay_per_request=now if billing_mode == "PAY_PER_REQUEST" else None,
        deletion_protection=bool(request.get("DeletionProtectionEnabled", False)),
        table_class=request.get("TableClass"),
        stream_specification=stream
        or ({"StreamEnabled": False} if request.get("StreamSpecification") is not None else None),
        stream_label=_stream_label(service) if stream else None,
        tags=tags,
    )
    meta.indexes = _build_indexes(catalog, name, request, definitions, schema, meta.store)
    catalog.tables[name] = meta
    if stream:
        _enable_stream(service, meta)
    if request.get("ResourcePolicy") is not None:
        attach_policy(service, meta, meta.arn, request["ResourcePolicy"])
    begin(service, meta, "CREATING")
    return {"TableDescription": meta.describe(service.world)}


@registry("DescribeTable", shape=shapes.DESCRIBE_TABLE)
def describe_table(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = service.catalog.get_for_control(request["TableName"])
    return {"Table": meta.describe(service.world)}


@registry("DeleteTable", shape=shapes.DELETE_TABLE)
def delete_table(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    catalog = service.catalog
    meta = catalog.get_for_control(request["TableName"])
    check_changeable(meta)  # LC2
    if meta.deletion_protection:
        raise ValidationException(M.DELETION_PROTECTED)
    description = meta.describe(service.world, status="DELETING")
    if meta.pitr is not None:  # a system backup of a table deleted with PITR on (backups.py)
        from ..backups import keep_deleted_table

        keep_deleted_table(service, meta)
    leave_global_table(meta)  # a replica's table deleted: the others stop replicating to it
    catalog.streams.disable(meta.name)  # DT1: the stream stays readable for 24 h

    def drop() -> None:
        if catalog.tables.get(meta.name) is meta:
            del catalog.tables[meta.name]
        meta.store.close()

    if not begin(service, meta, "DELETING", drop):  # LC4: DELETING on the clock, or gone at once
        drop()
    return {"TableDescription": description}


@registry("ListTables", shape=shapes.LIST_TABLES)
def list_tables(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    limit = request.get("Limit") or 100
    start = request.get("ExclusiveStartTableName")
    names = sorted(service.catalog.tables)
    if start is not None:
        import bisect

        names = names[bisect.bisect_right(names, start) :]
    page = names[:limit]
    response: dict[str, Any] = {"TableNames": page}
    if len(names) > limit:
        response["LastEvaluatedTableName"] = page[-1]
    return response


_UPDATE_MEMBERS = (
    "ProvisionedThroughput",
    "BillingMode",
    "StreamSpecification",
    "GlobalSecondaryIndexUpdates",
    "SSESpecification",
    "ReplicaUpdates",
    "MultiRegionConsistency",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
)


def _check_update_request(request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
    """The UpdateTable checks that need no table, run before the table lookup (issue 11 rule 1):
    something to update (an empty GlobalSecondaryIndexUpdates counts as absent, rule 10), the
    throughput bounds, then the GSI updates' structure. Returns the GSI actions (None: none)."""
    if not any(
        request.get(m) is not None and (m != "GlobalSecondaryIndexUpdates" or request[m])
        for m in _UPDATE_MEMBERS
    ):
        raise ValidationException(M.UPDATE_TABLE_NOTHING)
    throughput = request.get("ProvisionedThroughput")
    if throughput is not None:
        _check_bounds(throughput)
    return _gsi_actions(request)


@registry("UpdateTable", shape=shapes.UPDATE_TABLE)
def update_table(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Every check first (the table-free ones, then unsupported members, GSI updates against the
    table, throughput, stream), then every change: a refused UpdateTable changes nothing."""
    actions = _check_update_request(request)
    replica_actions = replicas.check_request(request)
    meta: TableMeta = service.catalog.get_for_control(request["TableName"])
    check_changeable(meta)  # LC2
    if request.get("MultiRegionConsistency") is not None:
        raise ValidationException(M.unsupported_by_emulator("MultiRegionConsistency"))
    if replica_actions is not None:
        return replicas.update_replicas(service, meta, replica_actions)
    now = service.world.clock.now()
    billing_mode = request.get("BillingMode") or meta.billing_mode
    gsi_plan = None if actions is None else _plan_gsi_updates(meta, request, billing_mode, actions)
    new_rcu, new_wcu = _updated_throughput(meta, request, billing_mode)
    stream_spec = request.get("StreamSpecification")
    if stream_spec is not None:
        replicas.check_stream_change(meta, stream_spec)
        _check_stream_update(meta, stream_spec)
    # All checks passed: apply.
    _apply_capacity(meta, request, billing_mode, new_rcu, new_wcu, now)
    if stream_spec is not None:
        _apply_stream_update(service, meta, stream_spec)
    if request.get("DeletionProtectionEnabled") is not None:
        meta.deletion_protection = request["DeletionProtectionEnabled"]
    if request.get("TableClass") is not None:
        meta.table_class = request["TableClass"]
    if gsi_plan is not None:
        _apply_gsi_updates(service.catalog, meta, gsi_plan)
    begin_updating(service, meta, gsi_plan)
    return {"TableDescription": meta.describe(service.world)}


def _updated_throughput(meta: TableMeta, request: dict[str, Any], billing_mode: str) -> tuple[int, int]:
    """The table's (read, write) capacity after an UpdateTable, checked (TH rules)."""
    throughput = request.get("ProvisionedThroughput")
    new_rcu, new_wcu = meta.read_capacity, meta.write_capacity
    if billing_mode == "PAY_PER_REQUEST":
        if throughput is not None:
            raise ValidationException(M.THROUGHPUT_FORBIDDEN)
        new_rcu = new_wcu = 0
    elif throughput is not None:
        new_rcu, new_wcu = _check_throughput("PROVISIONED", throughput)
        if (
            meta.billing_mode == "PROVISIONED"
            and new_rcu == meta.read_capacity
            and new_wcu == meta.write_capacity
            and request.get("BillingMode") in (None, "PROVISIONED")
        ):
            raise ValidationException(M.throughput_unchanged(new_rcu, new_wcu))
    elif meta.billing_mode == "PAY_PER_REQUEST":  # switching to PROVISIONED needs throughput
        raise ValidationException(M.THROUGHPUT_REQUIRED)
    return decreases.checked(meta, new_rcu, new_wcu, billing_mode)  # TH2: the day's budget


def _check_stream_update(meta: TableMeta, stream_spec: dict[str, Any]) -> None:
    """A stream can be enabled only when off (with a view type) and disabled only when on."""
    enabled_now = bool(meta.stream_specification and meta.stream_specification.get("StreamEnabled"))
    if stream_spec["StreamEnabled"]:
        if enabled_now:
            raise ValidationException(M.stream_already_enabled(meta.name))
        if not stream_spec.get("StreamViewType"):
            raise ValidationException(M.STREAM_VIEW_TYPE_REQUIRED)
    elif not enabled_now:
        raise ValidationException(M.stream_not_enabled(meta.name))


def _apply_capacity(
    meta: TableMeta, request: dict[str, Any], billing_mode: str, new_rcu: int, new_wcu: int, now: float
) -> None:
    """The billing mode and throughput of an accepted UpdateTable, with the times and counts
    DescribeTable reports (last increase/decrease, decreases today, last switch to on-demand)."""
    if request.get("BillingMode") is not None:
        meta.billing_mode_given = True
        if billing_mode == "PAY_PER_REQUEST" and meta.billing_mode != "PAY_PER_REQUEST":
            meta.last_update_to_pay_per_request = now
    if new_rcu > meta.read_capacity or new_wcu > meta.write_capacity:
        meta.last_increase = now
    if (new_rcu < meta.read_capacity or new_wcu < meta.write_capacity) and billing_mode == "PROVISIONED":
        decreases.record(meta, now)
    meta.billing_mode = billing_mode
    meta.read_capacity, meta.write_capacity = new_rcu, new_wcu
    if billing_mode == "PAY_PER_REQUEST":  # TH1: on-demand indexes describe zero throughput
        for index in meta.indexes.values():
            index.read_capacity = index.write_capacity = 0


def _apply_stream_update(service: Any, meta: TableMeta, stream_spec: dict[str, Any]) -> None:
    """Start a new stream (ST1) or stop the current one (it stays readable for 24 h)."""
    if stream_spec["StreamEnabled"]:
        meta.stream_specification = {"StreamEnabled": True, "StreamViewType": stream_spec["StreamViewType"]}
        _enable_stream(service, meta)
    else:
        meta.stream_specification = {"StreamEnabled": False}
        service.catalog.streams.disable(meta.name)


def _gsi_actions(request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]] | None:
    """X2, X10, the part that needs no table: one action per update, each index once, at most
    one Create or Delete, each Create's key schema and projection, and its AttributeDefinitions."""
    updates = request.get("GlobalSecondaryIndexUpdates")
    if not updates:
        return None
    actions: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for update in updates:
        present = [k for k in ("Create", "Update", "Delete") if update.get(k) is not None]
        if len(present) != 1:
            raise ValidationException(M.GSI_UPDATE_ONE_ACTION)
        action, spec = present[0], update[present[0]]
        name = spec.get("IndexName")
        if name in seen:
            raise ValidationException(M.gsi_update_twice(name))
        seen.add(name)
        actions.append((action, spec))
    if sum(1 for a, _ in actions if a != "Update") > 1:
        raise LimitExceededException(M.ONE_ONLINE_INDEX)
    for action, spec in actions:
        if action == "Create":
            if request.get("AttributeDefinitions") is None:
                raise ValidationException(M.gsi_create_without_definitions(spec["IndexName"]))
            _check_index_spec(spec, False, "")
        if spec.get("ProvisionedThroughput") is not None:
            _check_bounds(spec["ProvisionedThroughput"])
    return actions


def _plan_gsi_updates(
    meta: TableMeta, request: dict[str, Any], billing_mode: str, actions: list[tuple[str, dict[str, Any]]]
) -> tuple[list[tuple[str, dict[str, Any]]], list[dict[str, str]]]:
    """X2, X10 against the table (after :func:`_gsi_actions`); return the actions and the merged
    definitions."""
    definitions = {d["AttributeName"]: d["AttributeType"] for d in meta.attribute_definitions}
    for d in request.get("AttributeDefinitions") or []:
        old = definitions.get(d["AttributeName"])
        if old is not None and old != d["AttributeType"]:
            raise ValidationException(M.attribute_redefined(d["AttributeName"], old, d["AttributeType"]))
        definitions.setdefault(d["AttributeName"], d["AttributeType"])
    for action, spec in actions:
        name = spec["IndexName"]
        index = meta.indexes.get(name)
        if action == "Create":
            if index is not None:
                raise ValidationException(M.INDEX_EXISTS)
            projected = sum(len(i.projection.get("NonKeyAttributes") or ()) for i in meta.indexes.values())
            if projected + len(spec["Projection"].get("NonKeyAttributes") or ()) > 100:
                raise ValidationException(M.TOO_MANY_PROJECTED)  # L2: existing indexes count too
            keys = [k["AttributeName"] for k in spec["KeySchema"]]
            if any(k not in definitions for k in keys):
                raise ValidationException(M.keys_not_defined(keys, list(definitions)))
            if billing_mode == "PAY_PER_REQUEST" and spec.get("ProvisionedThroughput") is not None:
                raise ValidationException(M.index_throughput_forbidden(name))
            if billing_mode == "PROVISIONED" and spec.get("ProvisionedThroughput") is None:
                raise ValidationException(M.index_throughput_must(name))
        elif index is None:
            raise ResourceNotFoundException(M.index_not_found(name))
        elif not index.is_global:
            raise ValidationException(M.not_a_gsi(name))
        elif action == "Update" and spec.get("ProvisionedThroughput") is None:
            raise ValidationException(M.index_throughput_must(name))
    merged = [{"AttributeName": n, "AttributeType": t} for n, t in definitions.items()]
    return actions, merged


def _apply_gsi_updates(
    catalog: Any, meta: TableMeta, plan: tuple[list[tuple[str, dict[str, Any]]], list[dict[str, str]]]
) -> None:
    actions, definitions = plan
    for action, spec in actions:
        name = spec["IndexName"]
        if action == "Create":
            meta.indexes[name] = _new_index(
                catalog, meta.name, "GLOBAL", spec, definitions, meta.schema, meta.store
            )
        elif action == "Delete":
            index = meta.indexes.pop(name)
            if index.detach is not None:
                index.detach()
        else:
            pt = spec["ProvisionedThroughput"]
            index = meta.indexes[name]
            index.read_capacity, index.write_capacity = pt["ReadCapacityUnits"], pt["WriteCapacityUnits"]
    used = set(meta.key_names)
    for index in meta.indexes.values():
        used.update(index.schema.key_names)
    meta.attribute_definitions = [d for d in definitions if d["AttributeName"] in used]
