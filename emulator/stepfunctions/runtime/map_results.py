"""ResultWriter (MAP-11): a Map Run's results as files in the S3 object store.

Under ``<Prefix>/<map run uuid>/`` AWS writes one file per outcome holding the child executions
with that outcome, ``SUCCEEDED_0.json``, ``FAILED_0.json`` (failed, timed out and aborted
children) and ``PENDING_0.json`` (items whose child never started because the run ended first),
and ``manifest.json`` naming them::

    {"DestinationBucket": "...", "MapRunArn": "...",
     "ResultFiles": {"FAILED": [], "PENDING": [], "SUCCEEDED": [{"Key": "...", "Size": 123}]}}

Each result is the child's execution record (``ExecutionArn``, ``Input``, ``InputDetails``,
``Name``, ``Output``/``OutputDetails`` or ``Error``/``Cause``, ``RedriveCount``,
``RedriveStatus``, ``StartDate``, ``StateMachineArn``, ``Status``, ``StopDate``), the layout of
AWS's Developer Guide ("ResultWriter", "Exporting to Amazon S3"). [INF]: a file is written only
for an outcome that has results; empty outcomes are empty lists in the manifest; the dates are
ISO-8601 with milliseconds; a PENDING entry holds the item's ``Input`` only.

The bucket must exist: AWS writes with S3 PutObject, which does not create buckets, and a missing
bucket fails the Map state with ``States.ResultWriterFailed`` (the Developer Guide: a bucket the
writer cannot use fails the execution with that error). [INF]: the cause is S3's ``NoSuchBucket``
text in the AWS SDK for Java form, as for ItemReader (MAP-09); the Map Run is FAILED, and nothing
is written.

The state's result is ``{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}`` with the
manifest's key (recorded on AWS, tests/conformance ``test_map_state_result_writer``).
"""

from __future__ import annotations

import json
from typing import Any

from ..asl.failures import StatesFailure
from .context import iso_millis
from .history import dumps
from .map_runs import MapRun
from .s3objects import S3ObjectStore, S3ReadError
from .threads import RUNNING, SUCCEEDED

RESULT_WRITER_FAILED = "States.ResultWriterFailed"
OUTCOMES = ("FAILED", "PENDING", "SUCCEEDED")


def manifest_key(prefix: Any, run: MapRun) -> str:
    return f"{prefix}/{run.run_id}/manifest.json"


def write_results(store: S3ObjectStore, run: MapRun, params: dict, inputs: list, now: float) -> dict:
    """Write the result files and the manifest; returns the state's result."""
    bucket, prefix = params.get("Bucket"), params.get("Prefix", "")
    if not isinstance(bucket, str) or not bucket:  # [INF] the cause text
        raise StatesFailure(RESULT_WRITER_FAILED, "The ResultWriter Bucket must be a non-empty string")
    try:
        with store.lock:
            store.bucket(bucket)
            return _write(store, run, bucket, prefix, inputs, now)
    except S3ReadError as error:
        raise StatesFailure(RESULT_WRITER_FAILED, error.cause) from None


def _write(store: S3ObjectStore, run: MapRun, bucket: str, prefix: Any, inputs: list, now: float) -> dict:
    groups: dict[str, list] = {outcome: [] for outcome in OUTCOMES}
    for child in run.children:
        if child.status == RUNNING:
            continue
        groups["SUCCEEDED" if child.status == SUCCEEDED else "FAILED"].append(_record(child))
    for value in inputs[len(run.children) :]:
        groups["PENDING"].append({"Input": dumps(value), "InputDetails": {"Included": True}})
    files: dict[str, list] = {outcome: [] for outcome in OUTCOMES}
    for outcome, records in groups.items():
        if records:
            key = f"{prefix}/{run.run_id}/{outcome}_0.json"
            body = json.dumps(records, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            store.put_existing(bucket, key, body, now)
            files[outcome].append({"Key": key, "Size": len(body)})
    run.results_written = len(groups["SUCCEEDED"]) + len(groups["FAILED"])
    manifest = {"DestinationBucket": bucket, "MapRunArn": run.arn, "ResultFiles": files}
    key = manifest_key(prefix, run)
    text = json.dumps(manifest, separators=(",", ":")).encode("utf-8")
    store.put_existing(bucket, key, text, now)
    return {"MapRunArn": run.arn, "ResultWriterDetails": {"Bucket": bucket, "Key": key}}


def _record(child: Any) -> dict:
    """One child execution as the result files list it."""
    record: dict[str, Any] = {
        "ExecutionArn": child.arn,
        "Input": child.input_text,
        "InputDetails": {"Included": True},
        "Name": child.name,
    }
    if child.status == SUCCEEDED:
        record["Output"] = child.output_text
        record["OutputDetails"] = {"Included": True}
        record["RedriveCount"] = 0
        record["RedriveStatus"] = "NOT_REDRIVABLE"
        record["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
    else:
        if child.error is not None:
            record["Error"] = child.error
        if child.cause is not None:
            record["Cause"] = child.cause
        record["RedriveCount"] = 0
        record["RedriveStatus"] = "REDRIVABLE"
    record["StartDate"] = iso_millis(child.start_date)
    record["StateMachineArn"] = child.state_machine_arn
    record["Status"] = child.status
    record["StopDate"] = iso_millis(child.stop_date)
    return record
