"""UpdateTable's ``ReplicaUpdates``: adding, updating and removing the replicas of a global table
(version 2019.11.21) in the other regions of the same Emulator and account.

The replication itself (change log → other regions, lag, last writer wins) is
``dynamodb/global_tables.py``; this module holds the control-plane rules (docs/dynamodb-conformance.md,
"Global tables"), in AWS's order as far as it is captured:

1. table-free, before the table lookup: ReplicaUpdates must be the only change of the request;
   each element holds exactly one of Create / Update / Delete, and an Update something besides
   ``RegionName``; identical elements count once; at most one Create or Delete per call;
2. per action: not the local region; a region DynamoDB has (botocore's list of its regions);
3. Create: the table is on-demand (a PROVISIONED table needs Application Auto Scaling on its write
   capacity, which the emulator does not have), and the region holds no table of that name;
   Update and Delete: the region is a member; Delete: the replica is not deletion-protected.

A Create makes the replica at once (house rule, ``tables.py``: every status is ACTIVE): the table
in the other region with the same key schema, attribute definitions, secondary indexes, TTL setting
and stream view type, billed on demand, filled with the source's items through that region's write
funnel before its stream is enabled (so the copy is not a stream of INSERTs [INF]). A source without
an enabled stream gets one with NEW_AND_OLD_IMAGES, as AWS does. A Delete deletes the replica's
table (DeleteTable in that region, which also takes it out of the group).
"""

from __future__ import annotations

import functools
from typing import Any

from .. import global_tables as G
from .. import messages as M
from ..errors import ValidationException
from ..tables import TableMeta

Action = tuple[str, dict[str, Any]]

#: UpdateTable members that cannot come with ReplicaUpdates (the only-change rule).
_OTHER_CHANGES = (
    "ProvisionedThroughput",
    "BillingMode",
    "StreamSpecification",
    "GlobalSecondaryIndexUpdates",
    "SSESpecification",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
)
_KINDS = ("Create", "Update", "Delete")


def check_request(request: dict[str, Any]) -> list[Action] | None:
    """The table-free ReplicaUpdates rules (1 above). Returns the distinct actions, or None when
    the request has no ReplicaUpdates."""
    updates = request.get("ReplicaUpdates")
    if updates is None:
        return None
    if any(request.get(m) is not None for m in _OTHER_CHANGES):
        raise ValidationException(M.REPLICA_UPDATE_ONLY)
    actions: list[Action] = []
    for element in updates:
        kinds = [k for k in _KINDS if element.get(k) is not None]
        if len(kinds) > 1:
            raise ValidationException(M.REPLICA_MIXED_ACTIONS)
        if not kinds:
            raise ValidationException(M.REPLICA_NO_ACTION)
        kind, spec = kinds[0], element[kinds[0]]
        if kind == "Update" and all(v is None for k, v in spec.items() if k != "RegionName"):
            raise ValidationException(M.REPLICA_NO_ACTION)
        if (kind, spec) not in actions:
            actions.append((kind, spec))
    if not actions:  # an empty list: boto3 refuses it before sending [INF] server text
        raise ValidationException(M.REPLICA_NO_ACTION)
    if sum(1 for kind, _spec in actions if kind != "Update") > 1:
        raise ValidationException(M.REPLICA_SEVERAL_ACTIONS)
    return actions


@functools.lru_cache(maxsize=1)
def supported_regions() -> tuple[str, ...]:
    """The regions DynamoDB has, from botocore's endpoint data (read once)."""
    import botocore.session

    return tuple(botocore.session.get_session().get_available_regions("dynamodb"))


def check_stream_change(meta: TableMeta, stream_spec: dict[str, Any]) -> None:
    """A global table's stream cannot be disabled while it has replicas."""
    replica = meta.replica
    if replica is not None and len(replica.group.members) > 1 and not stream_spec.get("StreamEnabled"):
        raise ValidationException(M.REPLICA_STREAM_DISABLE)


def update_replicas(service: Any, meta: TableMeta, actions: list[Action]) -> dict[str, Any]:
    """Check every action against the tables (2, 3 above), then apply them in request order."""
    for kind, spec in actions:
        _check_action(service, meta, kind, spec)
    for kind, spec in actions:
        _APPLY[kind](service, meta, spec)
    return {"TableDescription": meta.describe(service.world)}


def _target(service: Any, region: str) -> Any:
    """The DynamoDB service of ``region`` in the caller's account."""
    return service.world.service("dynamodb", account_id=service.account_id, region=region)


def _check_action(service: Any, meta: TableMeta, kind: str, spec: dict[str, Any]) -> None:
    region = spec.get("RegionName")
    if region == service.region:
        raise ValidationException(M.REPLICA_LOCAL_REGION)
    supported = supported_regions()
    if region not in supported:
        raise ValidationException(M.replica_region_unsupported(str(region), list(supported)))
    group = G.group_of(meta)
    members = group.members if group is not None else {}
    if kind == "Create":
        if meta.billing_mode != "PAY_PER_REQUEST":
            raise ValidationException(M.REPLICA_WRITE_CAPACITY)
        if region in members or meta.name in _target(service, region).catalog.tables:
            raise ValidationException(M.replica_exists(meta.name))
        return
    if region not in members or len(members) < 2:
        raise ValidationException(M.replica_not_member([region]))
    if kind == "Delete" and members[region].meta.deletion_protection:
        raise ValidationException(M.replica_deletion_protected(meta.name, region))
    if kind == "Update" and spec.get("ProvisionedThroughputOverride") is not None:
        raise ValidationException(M.THROUGHPUT_FORBIDDEN)  # every member is on demand


def _create(service: Any, meta: TableMeta, spec: dict[str, Any]) -> None:
    """A new replica in ``spec["RegionName"]``, filled from ``meta`` and joined to its group."""
    if not (meta.stream_specification or {}).get("StreamEnabled"):
        view = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        service.call("UpdateTable", {"TableName": meta.name, "StreamSpecification": view})
    target = _target(service, spec["RegionName"])
    target.call("CreateTable", _create_request(meta, spec))
    with target.lock:
        replica = target.catalog.tables[meta.name]
        extract, store = meta.schema.extract_key, replica.store
        for item in meta.store.items():
            store.write(extract(item), lambda _old, item=item: item)
        stream = {
            "StreamEnabled": True,
            "StreamViewType": (meta.stream_specification or {})["StreamViewType"],
        }
        target.call("UpdateTable", {"TableName": meta.name, "StreamSpecification": stream})
        if meta.ttl is not None and meta.ttl.enabled:
            ttl = {"Enabled": True, "AttributeName": meta.ttl.attribute}
            target.call("UpdateTimeToLive", {"TableName": meta.name, "TimeToLiveSpecification": ttl})
        G.join(service, meta, target, replica)


def _create_request(meta: TableMeta, spec: dict[str, Any]) -> dict[str, Any]:
    """The CreateTable request of a replica of ``meta`` (without its stream: enabled after the copy)."""
    request: dict[str, Any] = {
        "TableName": meta.name,
        "KeySchema": [dict(k) for k in meta.key_schema],
        "AttributeDefinitions": [dict(d) for d in meta.attribute_definitions],
        "BillingMode": "PAY_PER_REQUEST",
    }
    for member, is_global in (("GlobalSecondaryIndexes", True), ("LocalSecondaryIndexes", False)):
        specs = [
            {k: v for k, v in index.describe().items() if k in ("IndexName", "KeySchema", "Projection")}
            for index in meta.indexes.values()
            if index.is_global == is_global
        ]
        if specs:
            request[member] = specs
    table_class = spec.get("TableClassOverride") or meta.table_class
    if table_class is not None:
        request["TableClass"] = table_class
    return request


def _update(service: Any, meta: TableMeta, spec: dict[str, Any]) -> None:
    """The per-replica settings the emulator keeps: the table class."""
    if spec.get("TableClassOverride") is not None:
        _target(service, spec["RegionName"]).catalog.tables[meta.name].table_class = spec[
            "TableClassOverride"
        ]


def _delete(service: Any, meta: TableMeta, spec: dict[str, Any]) -> None:
    """Delete the replica's table in its region (which takes it out of the group)."""
    _target(service, spec["RegionName"]).call("DeleteTable", {"TableName": meta.name})


_APPLY = {"Create": _create, "Update": _update, "Delete": _delete}
