"""Table imports from S3 (ImportTable): reading the source objects, and the import's record.

ImportTable creates a NEW table (``TableCreationParameters``, through CreateTable's own code) and
fills it from every object under ``S3BucketSource.S3KeyPrefix`` (Developer Guide, "Importing data
from Amazon S3 to DynamoDB"):

* ``DYNAMODB_JSON``: one ``{"Item": {...}}`` per line (what an export writes);
* ``CSV``: the first line is the header unless ``InputFormatOptions.Csv.HeaderList`` is given;
  ``Delimiter`` (default ``,``); key attributes take their ``AttributeDefinitions`` type, every
  other attribute is a string (DG, "Import format quotas and validation"); an empty cell is no
  attribute [INF];
* ``InputCompressionType`` ``GZIP`` (``ZSTD`` when the optional ``zstandard`` package is there).

A line that does not parse, or an item without the table's key (or with a key of another type),
is not imported: it counts in ``ErrorCount`` and is logged (AWS logs it to CloudWatch Logs; here
the ``emulator.dynamodb.imports`` logger, and :attr:`Import.errors`). ``ProcessedItemCount``
counts the lines read, ``ImportedItemCount`` the items written (a later line with the same key
replaces an earlier one) and ``ProcessedSizeBytes`` the source bytes. ION input is read with the
``amazon.ion`` package (the ``ion`` extra; without it the import is FAILED, saying so). A missing bucket fails the import with ``FailureCode``
``S3NoSuchBucket`` [INF].
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..s3.store import S3ObjectStore, S3ReadError
from .backups import when
from .item_json import BadItem, from_ion, item_from_json

Item = dict[str, Any]
LOG = logging.getLogger("emulator.dynamodb.imports")
#: Bad lines kept on the record (AWS logs at most 10,000 errors per import to CloudWatch).
MAX_LOGGED = 10_000


@dataclass(slots=True)
class Import:
    """One import: the request, the table it creates and, once done, its counts."""

    arn: str
    table_arn: str
    table_id: str
    start: float
    request: dict[str, Any]
    status: str = "IN_PROGRESS"
    end: float | None = None
    processed: int = 0
    imported: int = 0
    size: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    failure: tuple[str, str] | None = None

    def description(self) -> dict[str, Any]:
        """``ImportTableDescription`` (ImportTable, DescribeImport)."""
        req = self.request
        out: dict[str, Any] = {
            "ImportArn": self.arn,
            "ImportStatus": self.status,
            "TableArn": self.table_arn,
            "TableId": self.table_id,
        }
        if req.get("ClientToken") is not None:
            out["ClientToken"] = req["ClientToken"]
        out["S3BucketSource"] = dict(req["S3BucketSource"])
        out["ErrorCount"] = self.error_count
        out["InputFormat"] = req["InputFormat"]
        if req.get("InputFormatOptions") is not None:
            out["InputFormatOptions"] = req["InputFormatOptions"]
        out["InputCompressionType"] = req.get("InputCompressionType") or "NONE"
        out["TableCreationParameters"] = req["TableCreationParameters"]
        out["StartTime"] = when(self.start)
        if self.end is not None:
            out["EndTime"] = when(self.end)
        out["ProcessedSizeBytes"] = self.size
        out["ProcessedItemCount"] = self.processed
        out["ImportedItemCount"] = self.imported
        if self.failure is not None:
            out["FailureCode"], out["FailureMessage"] = self.failure
        return out

    def summary(self) -> dict[str, Any]:
        """An ``ImportSummaryList`` entry of ListImports."""
        out: dict[str, Any] = {
            "ImportArn": self.arn,
            "ImportStatus": self.status,
            "TableArn": self.table_arn,
            "S3BucketSource": dict(self.request["S3BucketSource"]),
            "InputFormat": self.request["InputFormat"],
            "StartTime": when(self.start),
        }
        if self.end is not None:
            out["EndTime"] = when(self.end)
        return out

    def bad_line(self, where: str, why: str) -> None:
        self.error_count += 1
        text = f"{where}: {why}"
        LOG.warning("import %s: %s", self.arn, text)
        if len(self.errors) < MAX_LOGGED:
            self.errors.append(text)


class ImportFailed(Exception):
    """The whole import fails: ``code`` and ``message`` become FailureCode / FailureMessage."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def source_texts(store: S3ObjectStore, imp: Import) -> Iterator[tuple[str, str]]:
    """(key, text) of every source object under the prefix, decompressed, in key order."""
    source = imp.request["S3BucketSource"]
    compression = imp.request.get("InputCompressionType") or "NONE"
    try:
        objects = store.list(source["S3Bucket"], source.get("S3KeyPrefix") or "")
    except S3ReadError as error:
        raise ImportFailed("S3NoSuchBucket", error.message) from None
    for obj in objects:
        imp.size += len(obj.body)
        yield obj.key, _decompress(obj.body, compression).decode("utf-8", errors="replace")


def _decompress(body: bytes, compression: str) -> bytes:
    if compression == "GZIP":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError) as error:
            raise ImportFailed("InvalidInput", f"The GZIP source could not be read: {error}") from None
    if compression == "ZSTD":
        try:
            import zstandard  # type: ignore[import-not-found]
        except ImportError:
            raise ImportFailed("UnsupportedCompression", "ZSTD needs the zstandard package") from None
        return bytes(zstandard.ZstdDecompressor().decompressobj().decompress(body))
    return body


def json_items(imp: Import, key: str, text: str) -> Iterator[Item]:
    """The items of a DYNAMODB_JSON source object; bad lines are counted and logged."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        imp.processed += 1
        try:
            value = json.loads(line)
            if not isinstance(value, dict) or set(value) != {"Item"}:
                raise BadItem('a line must be {"Item": {...}}')
            yield item_from_json(value["Item"])
        except (ValueError, BadItem) as error:
            imp.bad_line(f"{key} line {number}", str(error))


def ion_items(imp: Import, key: str, text: str) -> Iterator[Item]:
    """The items of an ION source object, a value ``{Item: {...}}`` a line after the version
    marker (the DG's "Ion" import format); bad lines are counted and logged. Reading Ion needs
    the ``amazon.ion`` package (the ``ion`` extra): without it the import fails, saying so."""
    try:
        from amazon.ion import simpleion
    except ImportError:
        raise ImportFailed(
            "UnsupportedFormat",
            "Reading ION input needs the amazon.ion package: pip install 'dynamodb-stepfunctions-emulator[ion]'",
        ) from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.strip() == "$ion_1_0":
            continue
        imp.processed += 1
        try:
            values = simpleion.loads(line, single_value=False)
            item = from_ion(values[0]) if len(values) == 1 else None
            if (
                item is None
                or list(item) != ["M"]
                or list(item["M"]) != ["Item"]
                or "M" not in item["M"]["Item"]
            ):
                raise BadItem("a line must be {Item: {...}}")
            yield item["M"]["Item"]["M"]
        except Exception as error:  # noqa: BLE001 - BadItem, or amazon.ion's error for text it cannot read
            imp.bad_line(f"{key} line {number}", str(error) or type(error).__name__)


def csv_items(imp: Import, key: str, text: str, key_types: dict[str, str]) -> Iterator[Item]:
    """The items of a CSV source object: key attributes typed, every other one a string."""
    options = (imp.request.get("InputFormatOptions") or {}).get("Csv") or {}
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=options.get("Delimiter") or ",")
    header = options.get("HeaderList")
    for number, row in enumerate(rows, 1):
        if header is None:
            header = row
            continue
        if not row:
            continue
        imp.processed += 1
        if len(row) > len(header):
            imp.bad_line(f"{key} line {number}", "more values than header columns")
            continue
        yield {
            name: {key_types.get(name, "S"): value}
            for name, value in zip(header, row, strict=False)
            if value != ""
        }
