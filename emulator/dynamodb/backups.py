"""On-demand backups and point-in-time recovery: what is kept, and how a restore rebuilds a table.

* A :class:`TableImage` is what a restore needs of a source table: its key schema, attribute
  definitions, billing and throughput, secondary indexes and table class, plus the descriptions
  AWS reports about it (``SourceTableDetails``, ``SourceTableFeatureDetails``).
* A :class:`Backup` (CreateBackup) is an image plus a structural copy of the leader store (the
  items themselves are immutable and shared, ``engine/table.py``): O(n) to take.
* :class:`ContinuousBackups` is a table's PITR state; while on, an engine
  :class:`~.engine.history.History` records the table's past (snapshots + change records).
* :func:`restore` creates the target table through CreateTable's own code path and then writes
  every item through the engine's write funnel (``Table.put``), so indexes follow as for any write.

What a restore keeps (AWS API reference, RestoreTableFromBackup and RestoreTableToPointInTime:
"You must manually set up the following on the restored table: auto scaling policies, IAM
policies, CloudWatch metrics and alarms, tags, stream settings, Time to Live (TTL) settings, point
in time recovery settings"): items, key schema, attribute definitions, billing mode and throughput
(unless overridden), local and global secondary indexes (unless overridden), table class. Not kept:
tags, streams, TTL, PITR, deletion protection [INF], resource policy.

Status: backups are ``AVAILABLE`` and restored tables ``ACTIVE`` at once, as every table of the
emulator is (``tables.py``); the restored table's ``RestoreSummary`` says ``RestoreInProgress``
false.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..clock import UTC
from .engine.history import History, snapshot
from .tables import TableMeta

if TYPE_CHECKING:
    from .engine.store import Store

Item = dict[str, Any]

#: The default (and largest) recovery period: PointInTimeRecoverySpecification.RecoveryPeriodInDays.
DEFAULT_RECOVERY_DAYS = 35
#: "LatestRestorableDateTime is typically 5 minutes before the current time" (API reference,
#: PointInTimeRecoveryDescription).
LATEST_RESTORABLE_LAG = 300.0
DAY = 86400.0
#: A system backup (of a table deleted with PITR on) is kept this long (AWS: 35 days).
SYSTEM_BACKUP_DAYS = 35


def when(epoch: float) -> _dt.datetime:
    """An epoch as the aware UTC datetime the native shapes carry."""
    return _dt.datetime.fromtimestamp(epoch, UTC)


def epoch_of(value: Any) -> float:
    """A timestamp member as epoch seconds: an aware or naive (UTC, as botocore takes it)
    datetime, a number, or an ISO 8601 string."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return epoch_of(_dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    return float(value)


def _index_spec(index: Any, provisioned: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "IndexName": index.name,
        "KeySchema": [dict(k) for k in index.key_schema],
        "Projection": dict(index.projection),
    }
    if index.is_global and provisioned:
        spec["ProvisionedThroughput"] = {
            "ReadCapacityUnits": index.read_capacity,
            "WriteCapacityUnits": index.write_capacity,
        }
    return spec


@dataclass(slots=True)
class TableImage:
    """A source table's settings, as a restore recreates them, and its reported details."""

    name: str
    arn: str
    table_id: str
    created: float
    key_schema: list[dict[str, str]]
    attribute_definitions: list[dict[str, str]]
    billing_mode: str
    read_capacity: int
    write_capacity: int
    lsis: list[dict[str, Any]]
    gsis: list[dict[str, Any]]
    table_class: str | None
    features: dict[str, Any]
    item_count: int = 0
    size_bytes: int = 0

    @classmethod
    def of(cls, meta: TableMeta, world: Any) -> TableImage:
        """The image of ``meta`` now. Runtime complexity: O(i) for i indexes (sizes are cached)."""
        provisioned = meta.billing_mode == "PROVISIONED"
        indexes = list(meta.indexes.values())
        described = meta.describe(world)
        features: dict[str, Any] = {}
        for member in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
            if member in described:
                features[member] = [_feature_index(d) for d in described[member]]
        if meta.stream_specification and meta.stream_specification.get("StreamEnabled"):
            features["StreamDescription"] = dict(meta.stream_specification)
        if meta.ttl is not None:
            features["TimeToLiveDescription"] = meta.ttl.describe()
        return cls(
            name=meta.name,
            arn=meta.arn,
            table_id=meta.table_id,
            created=meta.created,
            key_schema=[dict(k) for k in meta.key_schema],
            attribute_definitions=[dict(d) for d in meta.attribute_definitions],
            billing_mode=meta.billing_mode,
            read_capacity=meta.read_capacity,
            write_capacity=meta.write_capacity,
            lsis=[_index_spec(i, provisioned) for i in indexes if not i.is_global],
            gsis=[_index_spec(i, provisioned) for i in indexes if i.is_global],
            table_class=meta.table_class,
            features=features,
            item_count=described["ItemCount"],
            size_bytes=described["TableSizeBytes"],
        )

    def source_details(self) -> dict[str, Any]:
        """``SourceTableDetails`` of a backup description."""
        details: dict[str, Any] = {
            "TableName": self.name,
            "TableId": self.table_id,
            "TableArn": self.arn,
            "TableSizeBytes": self.size_bytes,
            "KeySchema": [dict(k) for k in self.key_schema],
            "TableCreationDateTime": when(self.created),
            "ProvisionedThroughput": {
                "ReadCapacityUnits": self.read_capacity,
                "WriteCapacityUnits": self.write_capacity,
            },
            "ItemCount": self.item_count,
            "BillingMode": self.billing_mode,
        }
        return details


def _feature_index(described: dict[str, Any]) -> dict[str, Any]:
    """An index of ``SourceTableFeatureDetails``: name, key schema, projection (and throughput)."""
    out: dict[str, Any] = {
        k: described[k] for k in ("IndexName", "KeySchema", "Projection") if k in described
    }
    if "ProvisionedThroughput" in described:
        pt = described["ProvisionedThroughput"]
        out["ProvisionedThroughput"] = {
            "ReadCapacityUnits": pt["ReadCapacityUnits"],
            "WriteCapacityUnits": pt["WriteCapacityUnits"],
        }
    return out


@dataclass(slots=True)
class Backup:
    """One backup: its identity, the source image and a copy of the source's items."""

    arn: str
    name: str
    created: float
    image: TableImage
    store: Store
    backup_type: str = "USER"
    expires: float | None = None

    def details(self, status: str = "AVAILABLE") -> dict[str, Any]:
        """``BackupDetails``."""
        out: dict[str, Any] = {
            "BackupArn": self.arn,
            "BackupName": self.name,
            "BackupSizeBytes": self.image.size_bytes,
            "BackupStatus": status,
            "BackupType": self.backup_type,
            "BackupCreationDateTime": when(self.created),
        }
        if self.expires is not None:
            out["BackupExpiryDateTime"] = when(self.expires)
        return out

    def summary(self) -> dict[str, Any]:
        """A ``BackupSummaries`` entry of ListBackups."""
        image = self.image
        out: dict[str, Any] = {
            "TableName": image.name,
            "TableId": image.table_id,
            "TableArn": image.arn,
            "BackupArn": self.arn,
            "BackupName": self.name,
            "BackupCreationDateTime": when(self.created),
        }
        if self.expires is not None:
            out["BackupExpiryDateTime"] = when(self.expires)
        out.update(BackupStatus="AVAILABLE", BackupType=self.backup_type, BackupSizeBytes=image.size_bytes)
        return out

    def description(self, status: str = "AVAILABLE") -> dict[str, Any]:
        """``BackupDescription`` (DescribeBackup, DeleteBackup)."""
        return {
            "BackupDetails": self.details(status),
            "SourceTableDetails": self.image.source_details(),
            "SourceTableFeatureDetails": self.image.features,
        }

    def items(self) -> Iterable[Item]:
        return (item for _pk, _sk, item in self.store.iter_all())


@dataclass
class Vault:
    """The backups of one (account, region): ARN → :class:`Backup`, in creation order."""

    backups: dict[str, Backup] = field(default_factory=dict)

    def add(self, service: Any, meta: TableMeta, name: str, backup_type: str = "USER") -> Backup:
        """Back ``meta`` up now. Runtime complexity: O(n) (a structural copy of the store)."""
        now = service.world.clock.now()
        rng = service.rng(f"dynamodb.backup.{meta.name}.{len(self.backups)}")
        arn = f"{meta.arn}/backup/{int(now * 1000):014d}-{rng.getrandbits(32):08x}"
        expires = now + SYSTEM_BACKUP_DAYS * DAY if backup_type == "SYSTEM" else None
        image = TableImage.of(meta, service.world)
        backup = Backup(arn, name, now, image, snapshot(meta.store), backup_type, expires)
        self.backups[arn] = backup
        return backup

    def expire(self, now: float) -> None:
        """Drop system backups past their expiry. Runtime complexity: O(b) for b backups."""
        for arn in [a for a, b in self.backups.items() if b.expires is not None and b.expires <= now]:
            del self.backups[arn]


def vault_of(service: Any) -> Vault:
    """The partition's backups, created on first use."""
    catalog = service.catalog
    if catalog.backups is None:
        catalog.backups = Vault()
    vault: Vault = catalog.backups
    vault.expire(service.world.clock.now())
    return vault


class ContinuousBackups:
    """A table's point-in-time recovery while it is on: the window and the table's history."""

    __slots__ = ("enabled_at", "days", "history")

    def __init__(self, store: Any, now: float, days: int) -> None:
        self.enabled_at = now
        self.days = days
        self.history = History(store)

    def window(self, now: float) -> tuple[float, float]:
        """(EarliestRestorableDateTime, LatestRestorableDateTime) as epochs; trims the history
        to the window's start."""
        earliest = max(self.enabled_at, now - self.days * DAY)
        latest = max(earliest, now - LATEST_RESTORABLE_LAG)
        self.history.trim(earliest)
        return earliest, latest

    def close(self) -> None:
        self.history.close()


def describe_continuous_backups(meta: TableMeta, now: float) -> dict[str, Any]:
    """``ContinuousBackupsDescription`` of a table."""
    pitr: ContinuousBackups | None = meta.pitr
    if pitr is None:
        recovery: dict[str, Any] = {"PointInTimeRecoveryStatus": "DISABLED"}
    else:
        earliest, latest = pitr.window(now)
        recovery = {
            "PointInTimeRecoveryStatus": "ENABLED",
            "RecoveryPeriodInDays": pitr.days,
            "EarliestRestorableDateTime": when(earliest),
            "LatestRestorableDateTime": when(latest),
        }
    return {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": recovery}


# --- restore ------------------------------------------------------------------------------------


def _used_definitions(
    definitions: list[dict[str, str]], key_schema: list[dict[str, str]], indexes: list[dict[str, Any]]
) -> list[dict[str, str]]:
    used = {k["AttributeName"] for k in key_schema}
    for spec in indexes:
        used.update(k["AttributeName"] for k in spec["KeySchema"])
    return [dict(d) for d in definitions if d["AttributeName"] in used]


def create_request(image: TableImage, target: str, request: dict[str, Any]) -> dict[str, Any]:
    """The CreateTable request that recreates ``image`` as ``target``, with the restore request's
    overrides (billing mode, throughput, index lists)."""
    billing = request.get("BillingModeOverride") or image.billing_mode
    lsis = request.get("LocalSecondaryIndexOverride")
    gsis = request.get("GlobalSecondaryIndexOverride")
    lsis = [dict(s) for s in (image.lsis if lsis is None else lsis)]
    gsis = [dict(s) for s in (image.gsis if gsis is None else gsis)]
    if billing == "PAY_PER_REQUEST":
        for spec in gsis:
            spec.pop("ProvisionedThroughput", None)
    out: dict[str, Any] = {
        "TableName": target,
        "KeySchema": [dict(k) for k in image.key_schema],
        "AttributeDefinitions": _used_definitions(image.attribute_definitions, image.key_schema, lsis + gsis),
        "BillingMode": billing,
    }
    if billing == "PROVISIONED":
        out["ProvisionedThroughput"] = request.get("ProvisionedThroughputOverride") or {
            "ReadCapacityUnits": max(1, image.read_capacity),
            "WriteCapacityUnits": max(1, image.write_capacity),
        }
        for spec in gsis:
            spec.setdefault("ProvisionedThroughput", dict(out["ProvisionedThroughput"]))
    if lsis:
        out["LocalSecondaryIndexes"] = lsis
    if gsis:
        out["GlobalSecondaryIndexes"] = gsis
    if image.table_class is not None:
        out["TableClass"] = image.table_class
    return out


def restore(
    service: Any,
    image: TableImage,
    request: dict[str, Any],
    items: Iterable[Item],
    summary: dict[str, Any],
    create_table: Callable[[Any, dict[str, Any]], Any],
) -> dict[str, Any]:
    """Create ``request["TargetTableName"]`` from ``image`` through ``create_table`` (CreateTable's
    handler, passed in by the operations layer, which this module does not import) and write
    ``items`` into it through the write funnel; return its ``TableDescription``.

    Runtime complexity: O(n (log n + i)) for n items and i indexes."""
    target = request["TargetTableName"]
    create_table(service, create_request(image, target, request))
    meta: TableMeta = service.catalog.tables[target]
    meta.restore_summary = summary
    store = meta.store
    extract = meta.schema.extract_key
    write = store.write
    for item in items:
        write(extract(item), lambda _old, item=item: item)
    return meta.describe(service.world)


__all__ = [
    "Backup",
    "ContinuousBackups",
    "DEFAULT_RECOVERY_DAYS",
    "TableImage",
    "Vault",
    "describe_continuous_backups",
    "epoch_of",
    "keep_deleted_table",
    "restore",
    "vault_of",
    "when",
]


def keep_deleted_table(service: Any, meta: TableMeta) -> Backup:
    """DeleteTable of a table with PITR on: "DynamoDB automatically creates a backup snapshot called
    a system backup and retains it for 35 days" (Developer Guide, point-in-time recovery), named
    ``<table>$DeletedTableBackup``; the table's history goes."""
    backup = vault_of(service).add(service, meta, f"{meta.name}$DeletedTableBackup", "SYSTEM")
    meta.pitr.close()
    meta.pitr = None
    return backup
