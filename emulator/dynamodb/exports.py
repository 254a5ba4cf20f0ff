"""Table exports to S3 (ExportTableToPointInTime): what an export writes, and its record.

AWS's layout (Developer Guide, "DynamoDB table export output format"), under ``S3Prefix``::

    AWSDynamoDB/<ExportId>/_started                      (empty: the bucket was writable)
    AWSDynamoDB/<ExportId>/data/<name>.json.gz           (gzip; one ``{"Item": {...}}`` per line)
    AWSDynamoDB/<ExportId>/manifest-files.json           (one JSON line per data file)
    AWSDynamoDB/<ExportId>/manifest-files.checksum
    AWSDynamoDB/<ExportId>/manifest-summary.json         (the export's summary)
    AWSDynamoDB/<ExportId>/manifest-summary.checksum

where ``<ExportId>`` is the last part of the export ARN
(``<table arn>/export/<14-digit epoch ms>-<8 hex>``). A full export is the table as it stood at
``ExportTime`` (default: now), read from the point-in-time history (``engine/history.py``), so the
table needs PITR on. An incremental export holds, per key changed in ``[ExportFromTime,
ExportToTime)``, a line ``{"Metadata": {"WriteTimestampMicros": ...}, "Keys", "NewImage",
"OldImage"}`` (DG, "Incremental export output").

[INF] choices: one data file per export (AWS writes at least one per partition); the checksum
files hold the hex MD5 of their manifest; the data file name is 26 base32 characters; the
prefix is joined with ``/`` (a trailing ``/`` of ``S3Prefix`` is dropped).

Objects go into the world's S3 store (``emulator/s3/store.py``) with ``put_existing``: like
S3 PutObject, never into a missing bucket; then the export is FAILED with ``FailureCode``
``S3NoSuchBucket`` [INF].
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..clock import iso_millis
from ..jsonvalues import json_value
from ..s3.store import S3ObjectStore, S3ReadError
from .backups import epoch_of, when
from .item_json import item_to_ion

Item = dict[str, Any]
SUMMARY_VERSION = "2020-06-30"
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


@dataclass(slots=True)
class Export:
    """One export: the request, its identity and, once done, its outcome."""

    arn: str
    table_arn: str
    table_id: str
    start: float
    export_time: float
    request: dict[str, Any]
    status: str = "IN_PROGRESS"
    end: float | None = None
    item_count: int = 0
    billed_size: int = 0
    failure: tuple[str, str] | None = None
    lines: list[bytes] = field(default_factory=list)  # the data file's lines, until written

    @property
    def export_id(self) -> str:
        return self.arn.rsplit("/", 1)[1]

    @property
    def export_type(self) -> str:
        return str(self.request.get("ExportType") or "FULL_EXPORT")

    @property
    def base(self) -> str:
        prefix = str(self.request.get("S3Prefix") or "").rstrip("/")
        return f"{prefix}/AWSDynamoDB/{self.export_id}" if prefix else f"AWSDynamoDB/{self.export_id}"

    def description(self) -> dict[str, Any]:
        """``ExportDescription`` (ExportTableToPointInTime, DescribeExport)."""
        req = self.request
        out: dict[str, Any] = {
            "ExportArn": self.arn,
            "ExportStatus": self.status,
            "StartTime": when(self.start),
        }
        if self.end is not None:
            out["EndTime"] = when(self.end)
        if self.status == "COMPLETED":
            out["ExportManifest"] = f"{self.base}/manifest-summary.json"
        out.update(TableArn=self.table_arn, TableId=self.table_id, ExportTime=when(self.export_time))
        for member in (
            "ClientToken",
            "S3Bucket",
            "S3BucketOwner",
            "S3Prefix",
            "S3SseAlgorithm",
            "S3SseKmsKeyId",
        ):
            if req.get(member) is not None:
                out[member] = req[member]
        out.setdefault("S3SseAlgorithm", "AES256")
        if self.failure is not None:
            out["FailureCode"], out["FailureMessage"] = self.failure
        out["ExportFormat"] = req.get("ExportFormat") or "DYNAMODB_JSON"
        if self.status == "COMPLETED":
            out["BilledSizeBytes"], out["ItemCount"] = self.billed_size, self.item_count
        out["ExportType"] = self.export_type
        if self.export_type == "INCREMENTAL_EXPORT":
            out["IncrementalExportSpecification"] = incremental_spec(req)
        return out

    def summary(self) -> dict[str, Any]:
        """An ``ExportSummaries`` entry of ListExports."""
        return {"ExportArn": self.arn, "ExportStatus": self.status, "ExportType": self.export_type}


def incremental_spec(request: dict[str, Any]) -> dict[str, Any]:
    spec = dict(request.get("IncrementalExportSpecification") or {})
    spec.setdefault("ExportViewType", "NEW_AND_OLD_IMAGES")
    return spec


def full_lines(items: Iterable[Item], ion: bool = False) -> list[bytes]:
    """The data lines of a full export: ``{"Item": {...}}`` per item."""
    return [_line({"Item": item}, ion) for item in items]


def incremental_lines(records: Iterable[Any], new_only: bool, ion: bool = False) -> list[bytes]:
    """The data lines of an incremental export: per key changed, its image before the period's
    first change (``OldImage``, unless NEW_IMAGE) and after its last (``NewImage``; absent for a
    deleted item), stamped with the last change's time."""
    first: dict[Any, Any] = {}
    last: dict[Any, Any] = {}
    for record in records:
        slot = (record.pk, record.sk)
        first.setdefault(slot, record)
        last[slot] = record
    lines = []
    for slot, record in last.items():
        old = first[slot].old
        line: dict[str, Any] = {
            "Metadata": {"WriteTimestampMicros": {"N": str(int(record.time * 1_000_000))}},
            "Keys": record.key,
        }
        if record.new is not None:
            line["NewImage"] = record.new
        if old is not None and not new_only:
            line["OldImage"] = old
        lines.append(_line(line, ion))
    return lines


def _line(parts: dict[str, Item], ion: bool) -> bytes:
    """One data line: its parts (each a native item) as DynamoDB JSON, or as Ion text."""
    if ion:
        body = ",".join(f"{name}:{item_to_ion(item)}" for name, item in parts.items())
        return ("$ion_1_0 {" + body + "}\n").encode("utf-8")
    return _json_line(parts)


def _json_line(value: dict[str, Any]) -> bytes:
    """One JSON line; blobs (B, BS) as base64 text by the JSON form the wire also writes."""
    return (
        json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_value).encode("utf-8")
        + b"\n"
    )


def data_name(rng: Any) -> str:
    return "".join(_BASE32[rng.getrandbits(5)] for _ in range(26))


def write(store: S3ObjectStore, export: Export, name: str, now: float) -> None:
    """Write the export's objects and complete it, or fail it when the bucket is missing."""
    bucket = str(export.request["S3Bucket"])
    try:
        with store.lock:
            store.bucket(bucket)
            _write_objects(store, bucket, export, name, now)
    except S3ReadError as error:
        export.status, export.end = "FAILED", now
        export.failure = ("S3NoSuchBucket", error.message)
        return
    export.status, export.end = "COMPLETED", now


def _write_objects(store: S3ObjectStore, bucket: str, export: Export, name: str, now: float) -> None:
    base = export.base
    store.put_existing(bucket, f"{base}/_started", b"", now)
    raw = b"".join(export.lines)
    body = gzip.compress(raw, mtime=0)
    ion = export.request.get("ExportFormat") == "ION"
    data_key = f"{base}/data/{name}.{'ion' if ion else 'json'}.gz"
    obj = store.put_existing(bucket, data_key, body, now)
    export.item_count, export.billed_size, export.lines = len(export.lines), len(raw), []
    files = {
        "itemCount": export.item_count,
        "md5Checksum": base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode("ascii"),
        "etag": obj.etag.strip('"'),
        "dataFileS3Key": data_key,
    }
    files_body = _json_line(files)
    _put_with_checksum(store, bucket, f"{base}/manifest-files", files_body, now)
    summary_body = json.dumps(_summary(export, f"{base}/manifest-files.json", now)).encode("utf-8")
    _put_with_checksum(store, bucket, f"{base}/manifest-summary", summary_body, now)


def _put_with_checksum(store: S3ObjectStore, bucket: str, stem: str, body: bytes, now: float) -> None:
    store.put_existing(bucket, f"{stem}.json", body, now)
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest().encode("ascii")
    store.put_existing(bucket, f"{stem}.checksum", digest, now)


def _summary(export: Export, files_key: str, now: float) -> dict[str, Any]:
    """``manifest-summary.json`` (DG, "The summary manifest")."""
    req = export.request
    out: dict[str, Any] = {
        "version": SUMMARY_VERSION,
        "exportArn": export.arn,
        "startTime": iso_millis(export.start),
        "endTime": iso_millis(now),
        "tableArn": export.table_arn,
        "tableId": export.table_id,
        "exportTime": iso_millis(export.export_time),
        "s3Bucket": req["S3Bucket"],
        "s3Prefix": req.get("S3Prefix"),
        "s3SseAlgorithm": req.get("S3SseAlgorithm") or "AES256",
        "s3SseKmsKeyId": req.get("S3SseKmsKeyId"),
        "manifestFilesS3Key": files_key,
        "billedSizeBytes": export.billed_size,
        "itemCount": export.item_count,
        "outputFormat": req.get("ExportFormat") or "DYNAMODB_JSON",
    }
    if export.export_type == "INCREMENTAL_EXPORT":
        spec = req.get("IncrementalExportSpecification") or {}
        out["exportType"] = "INCREMENTAL_EXPORT"
        out["exportFromTime"] = iso_millis(_epoch(spec.get("ExportFromTime")))
        out["exportToTime"] = iso_millis(export.export_time)
    return out


def _epoch(value: Any) -> float:
    return epoch_of(value) if value is not None else 0.0
