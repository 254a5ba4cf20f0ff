"""Backups and point-in-time recovery: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
RestoreTableFromBackup, UpdateContinuousBackups, DescribeContinuousBackups, RestoreTableToPointInTime.

What is kept and restored is ``backups.py``; the table's past under PITR is
``engine/history.py``. Check order of a restore [INF]: the request's own rules (source named
once, a restore time or UseLatestRestorableTime), the source (table or backup), PITR on, the
target name free, the restore time within the window, the index overrides; then CreateTable's own
checks run on the table the restore creates.
"""

from __future__ import annotations

import math
from typing import Any

from .. import messages as M
from .. import request_shapes as shapes
from ..backups import (
    DEFAULT_RECOVERY_DAYS,
    Backup,
    ContinuousBackups,
    TableImage,
    describe_continuous_backups,
    epoch_of,
    restore,
    vault_of,
    when,
)
from ..errors import ERRORS, ValidationException
from ..tables import TableMeta
from . import registry
from .control import create_table

TableNotFoundException = ERRORS["TableNotFoundException"]
BackupNotFoundException = ERRORS["BackupNotFoundException"]
TableAlreadyExistsException = ERRORS["TableAlreadyExistsException"]
PointInTimeRecoveryUnavailableException = ERRORS["PointInTimeRecoveryUnavailableException"]
InvalidRestoreTimeException = ERRORS["InvalidRestoreTimeException"]


def _table(service: Any, name_or_arn: str) -> TableMeta:
    """The table a backup or PITR request names, or TableNotFoundException."""
    catalog = service.catalog
    name = catalog.name_of(name_or_arn)
    meta = catalog.tables.get(name)
    if meta is None:
        raise TableNotFoundException(M.backup_table_not_found(name))
    return meta


def _backup(service: Any, arn: str) -> Backup:
    backup = vault_of(service).backups.get(arn)
    if backup is None:
        raise BackupNotFoundException(M.backup_not_found(arn))
    return backup


def _target_free(service: Any, name: str) -> None:
    if name in service.catalog.tables:
        raise TableAlreadyExistsException(M.restore_target_exists(name))


def _check_index_overrides(image: TableImage, request: dict[str, Any]) -> None:
    """An override lists indexes of the source ("The indexes provided should match existing
    secondary indexes. You can choose to exclude some or all of the indexes", API reference)."""
    for member, specs in (
        ("GlobalSecondaryIndexOverride", image.gsis),
        ("LocalSecondaryIndexOverride", image.lsis),
    ):
        known = {s["IndexName"] for s in specs}
        for spec in request.get(member) or ():
            if spec["IndexName"] not in known:
                raise ValidationException(M.index_override_unknown(spec["IndexName"]))


# --- on-demand backups ------------------------------------------------------------------------


@registry("CreateBackup", shape=shapes.CREATE_BACKUP)
def create_backup(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = _table(service, request["TableName"])
    backup = vault_of(service).add(service, meta, request["BackupName"])
    return {"BackupDetails": backup.details()}


@registry("DescribeBackup", shape=shapes.DESCRIBE_BACKUP)
def describe_backup(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    return {"BackupDescription": _backup(service, request["BackupArn"]).description()}


@registry("DeleteBackup", shape=shapes.DELETE_BACKUP)
def delete_backup(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    backup = _backup(service, request["BackupArn"])
    del vault_of(service).backups[backup.arn]
    return {"BackupDescription": backup.description(status="DELETED")}


def _listed(service: Any, request: dict[str, Any]) -> list[Backup]:
    """The backups ListBackups filters in, in creation order: the table, the type (USER when
    absent [INF]; ALL = USER and SYSTEM), TimeRangeLowerBound inclusive, TimeRangeUpperBound
    exclusive (API reference, ListBackups)."""
    name = request.get("TableName")
    if name is not None:
        name = service.catalog.name_of(name)
    kind = request.get("BackupType") or "USER"
    kinds = ("USER", "SYSTEM") if kind == "ALL" else (kind,)
    lower = request.get("TimeRangeLowerBound")
    upper = request.get("TimeRangeUpperBound")
    lo = epoch_of(lower) if lower is not None else float("-inf")
    hi = epoch_of(upper) if upper is not None else float("inf")
    return [
        b
        for b in vault_of(service).backups.values()
        if (name is None or b.image.name == name) and b.backup_type in kinds and lo <= b.created < hi
    ]


@registry("ListBackups", shape=shapes.LIST_BACKUPS)
def list_backups(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    backups = _listed(service, request)
    start = request.get("ExclusiveStartBackupArn")
    if start is not None:
        arns = [b.arn for b in backups]
        backups = backups[arns.index(start) + 1 :] if start in arns else []
    limit = request.get("Limit") or 100
    page = backups[:limit]
    response: dict[str, Any] = {"BackupSummaries": [b.summary() for b in page]}
    if len(backups) > limit:
        response["LastEvaluatedBackupArn"] = page[-1].arn
    return response


@registry("RestoreTableFromBackup", shape=shapes.RESTORE_TABLE_FROM_BACKUP)
def restore_table_from_backup(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    backup = _backup(service, request["BackupArn"])
    _target_free(service, request["TargetTableName"])
    _check_index_overrides(backup.image, request)
    summary = {
        "SourceBackupArn": backup.arn,
        "SourceTableArn": backup.image.arn,
        "RestoreDateTime": when(backup.created),
        "RestoreInProgress": False,
    }
    return {
        "TableDescription": restore(service, backup.image, request, backup.items(), summary, create_table)
    }


# --- point-in-time recovery ---------------------------------------------------------------------


@registry("UpdateContinuousBackups", shape=shapes.UPDATE_CONTINUOUS_BACKUPS)
def update_continuous_backups(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Turning PITR on starts the table's history now (a new window); turning it off drops it.
    Enabling while on keeps the history and changes the period."""
    meta = _table(service, request["TableName"])
    spec = request["PointInTimeRecoverySpecification"]
    now = service.world.clock.now()
    days = spec.get("RecoveryPeriodInDays") or DEFAULT_RECOVERY_DAYS
    if spec["PointInTimeRecoveryEnabled"]:
        if meta.pitr is None:
            meta.pitr = ContinuousBackups(meta.store, now, days)
        else:
            meta.pitr.days = days
    elif meta.pitr is not None:
        meta.pitr.close()
        meta.pitr = None
    return {"ContinuousBackupsDescription": describe_continuous_backups(meta, now)}


@registry("DescribeContinuousBackups", shape=shapes.DESCRIBE_CONTINUOUS_BACKUPS)
def describe_continuous_backups_op(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = _table(service, request["TableName"])
    now = service.world.clock.now()
    return {"ContinuousBackupsDescription": describe_continuous_backups(meta, now)}


def _pitr_source(service: Any, request: dict[str, Any]) -> TableMeta:
    arn, name = request.get("SourceTableArn"), request.get("SourceTableName")
    if arn is None and name is None:
        raise ValidationException(M.RESTORE_SOURCE_REQUIRED)
    if arn is not None and name is not None:
        raise ValidationException(M.RESTORE_SOURCE_BOTH)
    return _table(service, str(arn if arn is not None else name))


def _restore_time(request: dict[str, Any]) -> float | None:
    """The requested restore time (None: the latest restorable time)."""
    latest = request.get("UseLatestRestorableTime")
    given = request.get("RestoreDateTime")
    if given is not None and latest:
        raise ValidationException(M.RESTORE_TIME_BOTH)
    if given is None:
        if not latest:
            raise ValidationException(M.RESTORE_TIME_REQUIRED)
        return None
    return epoch_of(given)


@registry("RestoreTableToPointInTime", shape=shapes.RESTORE_TABLE_TO_POINT_IN_TIME)
def restore_table_to_point_in_time(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    source = _pitr_source(service, request)
    at = _restore_time(request)
    pitr: ContinuousBackups | None = source.pitr
    if pitr is None:
        raise PointInTimeRecoveryUnavailableException(M.pitr_not_enabled(source.name))
    _target_free(service, request["TargetTableName"])
    earliest, latest = pitr.window(service.world.clock.now())
    second = math.floor(latest if at is None else at)  # restores are to the second
    if at is not None and not math.floor(earliest) <= second <= latest:
        raise InvalidRestoreTimeException(
            M.invalid_restore_time(str(when(second)), str(when(earliest)), str(when(latest)))
        )
    image = TableImage.of(source, service.world)
    _check_index_overrides(image, request)
    summary = {"SourceTableArn": source.arn, "RestoreDateTime": when(second), "RestoreInProgress": False}
    items = pitr.history.items_before(second + 1)
    return {"TableDescription": restore(service, image, request, items, summary, create_table)}
