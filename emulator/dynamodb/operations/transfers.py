"""Exports to and imports from S3: ExportTableToPointInTime, DescribeExport, ListExports,
ImportTable, DescribeImport, ListImports.

What an export writes is ``exports.py``, how an import reads its source ``imports.py``; both use
the world's S3 store (``emulator/s3/store.py``), the one the S3 service serves. Both answer
``IN_PROGRESS`` and finish on the clock after the world's ``table_transition_seconds`` (default
0: the next call already sees ``COMPLETED``; ``lifecycle.py``), through a passive timer, so that
``clock.advance``, a native waiter's delay (``ExportCompleted`` / ``ImportCompleted``) or the
server's real time completes them.

Check order of an export [INF]: the table, the ClientToken, the export type's own rules, PITR on,
the time(s) within the window.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from typing import Any

from ...s3.store import store_of
from .. import exports as X
from .. import lifecycle
from .. import messages as M
from .. import request_shapes as shapes
from ..backups import epoch_of
from ..errors import ERRORS, ValidationException
from ..imports import Import, ImportFailed, csv_items, ion_items, json_items, source_texts
from ..tables import TableMeta
from ..values import type_of, validate_item
from . import registry
from .control import create_table

TableNotFoundException = ERRORS["TableNotFoundException"]
PointInTimeRecoveryUnavailableException = ERRORS["PointInTimeRecoveryUnavailableException"]
InvalidExportTimeException = ERRORS["InvalidExportTimeException"]
ExportNotFoundException = ERRORS["ExportNotFoundException"]
ExportConflictException = ERRORS["ExportConflictException"]
ImportNotFoundException = ERRORS["ImportNotFoundException"]
ImportConflictException = ERRORS["ImportConflictException"]

#: "The time period ... must be at least 15 minutes and at most 24 hours" (DG, incremental export).
INCREMENTAL_MIN, INCREMENTAL_MAX = 15 * 60.0, 24 * 3600.0


def _later(service: Any, finish: Callable[[], None]) -> None:
    """Run ``finish`` after the world's transition time on the clock (now when it is 0)."""
    delay = lifecycle.seconds(service)
    if delay <= 0:
        finish()
        return
    timers = getattr(service, "_transfer_timers", None)
    if timers is None:
        timers = service._transfer_timers = service.world.clock.scheduler.bound(service.lock)
    timers.after(delay, finish, passive=True)


def _stamp(service: Any, purpose: str, now: float) -> str:
    rng = service.rng(purpose)
    return f"{int(now * 1000):014d}-{rng.getrandbits(32):08x}"


def _by_token(ledger: dict[str, Any], request: dict[str, Any], conflict: Any, kind: str) -> Any:
    """The export or import an earlier request with this ``ClientToken`` made (None if none);
    the same token with another request is ``conflict``."""
    token = request.get("ClientToken")
    if token is None:
        return None
    for known in ledger.values():
        if known.request.get("ClientToken") == token:
            if known.request != request:
                raise conflict(M.client_token_conflict(kind))
            return known
    return None


# --- exports ------------------------------------------------------------------------------------


def _export_source(service: Any, request: dict[str, Any]) -> TableMeta:
    catalog = service.catalog
    name = catalog.name_of(request["TableArn"])
    meta = catalog.tables.get(name)
    if meta is None:
        raise TableNotFoundException(M.backup_table_not_found(name))
    return meta


def _export_lines(meta: TableMeta, request: dict[str, Any], now: float) -> tuple[float, list[bytes]]:
    """(ExportTime, data lines) of the export ``request`` asks for, or the error AWS answers."""
    incremental = request.get("ExportType") == "INCREMENTAL_EXPORT"
    ion = request.get("ExportFormat") == "ION"
    spec = request.get("IncrementalExportSpecification")
    if incremental and spec is None:
        raise ValidationException(M.INCREMENTAL_SPEC_REQUIRED)
    if incremental and request.get("ExportTime") is not None:
        raise ValidationException(M.INCREMENTAL_NO_EXPORT_TIME)
    pitr = meta.pitr
    if pitr is None:
        raise PointInTimeRecoveryUnavailableException(M.pitr_not_enabled(meta.name))
    earliest, _latest = pitr.window(now)
    if not incremental:
        given = request.get("ExportTime")
        if given is None:
            return now, X.full_lines(meta.store.items(), ion)
        at = epoch_of(given)
        if not math.floor(earliest) <= at <= now:  # to the second, as a restore (PR rows)
            raise InvalidExportTimeException(M.EXPORT_TIME_OUTSIDE_WINDOW)
        second = math.floor(at)  # exports, like restores, are to the second
        return second, X.full_lines(pitr.history.items_before(second + 1), ion)
    assert spec is not None
    if spec.get("ExportFromTime") is None:
        raise ValidationException(M.INCREMENTAL_FROM_REQUIRED)
    start = epoch_of(spec["ExportFromTime"])
    end = epoch_of(spec["ExportToTime"]) if spec.get("ExportToTime") is not None else now
    if not INCREMENTAL_MIN <= end - start <= INCREMENTAL_MAX:
        raise ValidationException(M.INCREMENTAL_PERIOD)
    if start < math.floor(earliest) or end > now:
        raise InvalidExportTimeException(M.EXPORT_TIME_OUTSIDE_WINDOW)
    records = pitr.history.records_between(start, end)
    return end, X.incremental_lines(records, spec.get("ExportViewType") == "NEW_IMAGE", ion)


@registry("ExportTableToPointInTime", shape=shapes.EXPORT_TABLE_TO_POINT_IN_TIME)
def export_table_to_point_in_time(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    meta = _export_source(service, request)
    ledger = service.catalog.exports
    known = _by_token(ledger, request, ExportConflictException, "export")
    if known is not None:
        return {"ExportDescription": known.description()}
    now = service.world.clock.now()
    export_time, lines = _export_lines(meta, request, now)
    arn = f"{meta.arn}/export/{_stamp(service, f'dynamodb.export.{len(ledger)}', now)}"
    export = X.Export(arn, meta.arn, meta.table_id, now, export_time, dict(request), lines=lines)
    ledger[arn] = export
    answer = {"ExportDescription": export.description()}
    name = X.data_name(service.rng(f"dynamodb.export-data.{arn}"))
    store = store_of(service.world)
    _later(service, lambda: X.write(store, export, name, service.world.clock.now()))
    return answer


@registry("DescribeExport", shape=shapes.DESCRIBE_EXPORT)
def describe_export(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    export = service.catalog.exports.get(request["ExportArn"])
    if export is None:
        raise ExportNotFoundException(M.export_not_found(request["ExportArn"]))
    return {"ExportDescription": export.description()}


@registry("ListExports", shape=shapes.LIST_EXPORTS)
def list_exports(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Exports in creation order, of one table if ``TableArn`` is given; ``NextToken`` is the
    last listed export's ARN [INF]."""
    exports = _of_table(service, service.catalog.exports, request)
    page, token = _page(exports, request.get("NextToken"), request.get("MaxResults") or 25)
    out: dict[str, Any] = {"ExportSummaries": [e.summary() for e in page]}
    if token is not None:
        out["NextToken"] = token
    return out


def _of_table(service: Any, ledger: dict[str, Any], request: dict[str, Any]) -> list[Any]:
    """The ledger's records in creation order, of the table ``TableArn`` names if given."""
    table = request.get("TableArn")
    if table is None:
        return list(ledger.values())
    arn = service.catalog.arn_for(service.catalog.name_of(table))
    return [r for r in ledger.values() if r.table_arn == arn]


def _page(records: list[Any], after: str | None, limit: int) -> tuple[list[Any], str | None]:
    if after is not None:
        arns = [r.arn for r in records]
        records = records[arns.index(after) + 1 :] if after in arns else []
    page = records[:limit]
    return page, (page[-1].arn if len(records) > limit else None)


# --- imports ------------------------------------------------------------------------------------

_CREATE_MEMBERS = (
    "TableName",
    "AttributeDefinitions",
    "KeySchema",
    "BillingMode",
    "ProvisionedThroughput",
    "SSESpecification",
    "GlobalSecondaryIndexes",
)


@registry("ImportTable", shape=shapes.IMPORT_TABLE)
def import_table(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    ledger = service.catalog.imports
    known = _by_token(ledger, request, ImportConflictException, "import")
    if known is not None:
        return {"ImportTableDescription": known.description()}
    params = request["TableCreationParameters"]
    create_table(service, {k: params[k] for k in _CREATE_MEMBERS if k in params})
    meta: TableMeta = service.catalog.tables[params["TableName"]]
    now = service.world.clock.now()
    arn = f"{meta.arn}/import/{_stamp(service, f'dynamodb.import.{len(ledger)}', now)}"
    imp = ledger[arn] = Import(arn, meta.arn, meta.table_id, now, dict(request))
    answer = {"ImportTableDescription": imp.description()}
    _later(service, lambda: _run_import(service, meta, imp))
    return answer


def _run_import(service: Any, meta: TableMeta, imp: Import) -> None:
    """Read the source and write its items into the new table through the write funnel."""
    key_types = {
        d["AttributeName"]: d["AttributeType"]
        for d in imp.request["TableCreationParameters"]["AttributeDefinitions"]
    }
    key_names = [k["AttributeName"] for k in imp.request["TableCreationParameters"]["KeySchema"]]
    store = meta.store
    extract, write = meta.schema.extract_key, store.write
    fmt = imp.request["InputFormat"]
    keys_seen: set[Any] = set()
    try:
        for key, text in source_texts(store_of(service.world), imp):
            items = (
                json_items(imp, key, text)
                if fmt == "DYNAMODB_JSON"
                else ion_items(imp, key, text)
                if fmt == "ION"
                else csv_items(imp, key, text, key_types)
            )
            for item in items:
                checked = _checked(imp, key, item, key_names, key_types)
                if checked is not None:
                    write(extract(checked), lambda _old, item=checked: item)
                    keys_seen.add(meta.schema.encode(checked))
    except ImportFailed as failure:
        imp.failure = (failure.code, failure.message)
        imp.status = "FAILED"
    else:
        imp.status = "COMPLETED"
    imp.imported = len(keys_seen)
    imp.end = service.world.clock.now()


def _checked(imp: Import, source: str, item: Any, key_names: list[str], key_types: dict[str, str]) -> Any:
    """The item validated as PutItem would, with the table's key; None (counted, logged) if not."""
    try:
        item = validate_item(_typed_keys(item, key_types, key_names))
    except Exception as error:  # noqa: BLE001 - any refusal is one bad item
        imp.bad_line(source, getattr(error, "message", str(error)))
        return None
    for name in key_names:
        if name not in item or type_of(item[name]) != key_types.get(name):
            imp.bad_line(source, f"the item has no key attribute {name} of type {key_types.get(name)}")
            return None
    return item


def _typed_keys(item: Any, key_types: dict[str, str], key_names: list[str]) -> Any:
    """A CSV item's key cells (read as strings) as their defined types; B cells are base64."""
    out = dict(item)
    for name in key_names:
        value = out.get(name)
        if isinstance(value, dict) and list(value) == [key_types.get(name)] and key_types[name] == "B":
            inner = value["B"]
            if isinstance(inner, str):
                out[name] = {"B": base64.b64decode(inner)}
    return out


@registry("DescribeImport", shape=shapes.DESCRIBE_IMPORT)
def describe_import(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    imp = service.catalog.imports.get(request["ImportArn"])
    if imp is None:
        raise ImportNotFoundException(M.import_not_found(request["ImportArn"]))
    return {"ImportTableDescription": imp.description()}


@registry("ListImports", shape=shapes.LIST_IMPORTS)
def list_imports(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Imports in creation order, of one table if ``TableArn`` is given. ``NextToken`` (hex, at
    least 112 characters, botocore's pattern) encodes the last listed import's ARN [INF]."""
    imports = _of_table(service, service.catalog.imports, request)
    after = request.get("NextToken")
    page, last = _page(imports, _untoken(after) if after else None, request.get("PageSize") or 25)
    out: dict[str, Any] = {"ImportSummaryList": [i.summary() for i in page]}
    if last is not None:
        out["NextToken"] = _token(last)
    return out


def _token(arn: str) -> str:
    text = arn.encode("utf-8").hex()
    text = f"{len(text):08x}{text}"
    width = max(112, -(-len(text) // 16) * 16)
    return text.ljust(width, "0")


def _untoken(token: str) -> str:
    try:
        size = int(token[:8], 16)
        return bytes.fromhex(token[8 : 8 + size]).decode("utf-8")
    except ValueError:
        return ""
