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

``WriterConfig`` (MAP-18, the Developer Guide's "Contents of the ResultWriter field"):
``Transformation`` ``NONE`` (the records above; the default when exporting), ``COMPACT`` (each
child's output alone; the default without a ResultWriter) or ``FLATTEN`` (outputs, an array output
spread into its elements), a failed child's record staying as NONE gives it; ``OutputType``
``JSON`` (one array per file) or ``JSONL`` (one JSON value per line). ``WriterConfig`` without
``Resource`` exports nothing: the Map's own output is the transformed results. [INF]: the file
names stay ``<OUTCOME>_0.json`` for JSONL; JSON Lines end with a newline; NONE without export
lists the records of every child in start order.

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


class WriterSpec:
    """What a ``ResultWriter`` asks for: export or not, and the ``WriterConfig`` (defaults as AWS
    documents them)."""

    __slots__ = ("exports", "params", "transformation", "output_type")

    def __init__(self, writer: dict, params: dict) -> None:
        self.exports = "Resource" in writer
        self.params = params
        config = writer.get("WriterConfig")
        if not isinstance(config, dict):
            config = {}
        self.transformation = config.get("Transformation") or ("NONE" if self.exports else "COMPACT")
        self.output_type = config.get("OutputType") or "JSON"


def manifest_key(prefix: Any, run: MapRun) -> str:
    return f"{prefix}/{run.run_id}/manifest.json"


def transformed(run: MapRun, results: list, transformation: str) -> list:
    """The Map's output under a ``WriterConfig`` without export: the results, flattened (FLATTEN),
    or the children's records (NONE)."""
    if transformation == "NONE":
        return [_record(child) for child in run.children]
    if transformation == "FLATTEN":
        return _flatten(results)
    return list(results)


def _flatten(values: list) -> list:
    out: list = []
    for value in values:
        if isinstance(value, list):
            out.extend(value)
        else:
            out.append(value)
    return out


def write_results(store: S3ObjectStore, run: MapRun, spec: WriterSpec, inputs: list, now: float) -> dict:
    """Write the result files and the manifest; returns the state's result."""
    params = spec.params
    bucket, prefix = params.get("Bucket"), params.get("Prefix", "")
    if not isinstance(bucket, str) or not bucket:  # [INF] the cause text
        raise StatesFailure(RESULT_WRITER_FAILED, "The ResultWriter Bucket must be a non-empty string")
    try:
        with store.lock:
            _check_place(store.bucket(bucket), run)
            return _write(store, run, bucket, prefix, inputs, now, spec)
    except S3ReadError as error:
        raise StatesFailure(RESULT_WRITER_FAILED, error.cause) from None


#: [INF] the causes: S3's answers to a request for a bucket of another region (301) or account (403),
#: in the AWS SDK for Java form the other S3 causes take.
OTHER_REGION = (
    "The bucket you are attempting to access must be addressed using the specified endpoint. Please send "
    "all future requests to this endpoint. (Service: S3, Status Code: 301, Request ID: null)"
)
OTHER_ACCOUNT = "Access Denied (Service: S3, Status Code: 403, Request ID: null)"


def _check_place(bucket: Any, run: MapRun) -> None:
    """ "Make sure that the Amazon S3 bucket you use to export the results of a Map Run is under the
    same AWS account and AWS Region as your state machine. Otherwise, your state machine execution
    will fail with the States.ResultWriterFailed error" (DG, ResultWriter)."""
    region, account = run.arn.split(":")[3:5]
    if bucket.owner_account != account:
        raise StatesFailure(RESULT_WRITER_FAILED, OTHER_ACCOUNT)
    if bucket.region != region:
        raise StatesFailure(RESULT_WRITER_FAILED, OTHER_REGION)


def _groups(run: MapRun, inputs: list, transformation: str) -> dict[str, list]:
    """The entries of each outcome's file."""
    groups: dict[str, list] = {outcome: [] for outcome in OUTCOMES}
    outputs: list = []
    for child in run.children:
        if child.status == RUNNING:
            continue
        if child.status != SUCCEEDED:
            groups["FAILED"].append(_record(child))
        elif transformation == "NONE":
            groups["SUCCEEDED"].append(_record(child))
        else:
            outputs.append(child.output)
    if transformation != "NONE":
        groups["SUCCEEDED"] = _flatten(outputs) if transformation == "FLATTEN" else outputs
    for value in inputs[len(run.children) :]:
        groups["PENDING"].append({"Input": dumps(value), "InputDetails": {"Included": True}})
    return groups


def _body(entries: list, output_type: str) -> bytes:
    if output_type == "JSONL":
        text = "".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n" for e in entries)
    else:
        text = json.dumps(entries, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def _write(
    store: S3ObjectStore, run: MapRun, bucket: str, prefix: Any, inputs: list, now: float, spec: WriterSpec
) -> dict:
    groups = _groups(run, inputs, spec.transformation)
    files: dict[str, list] = {outcome: [] for outcome in OUTCOMES}
    for outcome, records in groups.items():
        if records:
            key = f"{prefix}/{run.run_id}/{outcome}_0.json"
            body = _body(records, spec.output_type)
            store.put_existing(bucket, key, body, now)
            files[outcome].append({"Key": key, "Size": len(body)})
    run.results_written = sum(1 for c in run.children if c.status != RUNNING)
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
        record["RedriveCount"] = child.redrive_count
        record["RedriveStatus"] = "NOT_REDRIVABLE"
        record["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
    else:
        if child.error is not None:
            record["Error"] = child.error
        if child.cause is not None:
            record["Cause"] = child.cause
        record["RedriveCount"] = child.redrive_count
        record["RedriveStatus"] = "REDRIVABLE"
    record["StartDate"] = iso_millis(child.start_date)
    record["StateMachineArn"] = child.state_machine_arn
    record["Status"] = child.status
    record["StopDate"] = iso_millis(child.stop_date)
    return record
