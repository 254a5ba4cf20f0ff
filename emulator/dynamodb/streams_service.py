"""DynamoDB Streams (``dynamodbstreams``): ListStreams, DescribeStream, GetShardIterator, GetRecords.

Reference §14 (ST1-ST11) and §2.3. The streams themselves (records, the shard, retention,
iterators) live in ``emulator/dynamodb/streams/``; they are fed by each table's change log and owned
by the DynamoDB service's :class:`~emulator.dynamodb.streams.StreamHub` (``catalog.streams``),
because a stream belongs to a table: CreateTable/UpdateTable enable it, UpdateTable and DeleteTable
disable it (``operations/control.py``). This module only validates requests, looks streams up and
shapes responses.

Design decisions:

* Streams handlers run under the DynamoDB service's lock as well as their own, so a GetRecords
  never sees a shard half-way through a write made by another thread.
* One open shard per stream (ST6 allows it), so DescribeStream lists one shard, ``ShardFilter``
  ``CHILD_SHARDS`` finds no children, and ``LastEvaluatedShardId`` appears only when ``Limit`` cut
  the (one-element) list short — it never does.
* ListStreams lists streams oldest first (AWS documents no order [INF]).
* The native client is DynamoDB's (``service.DynamoDBClient``): it adds boto3's ``ResponseMetadata``.
* Messages marked [INF] in ``messages.py`` are our best guess at AWS's wording.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from typing import Any

from ..api_operations import DYNAMODB_STREAMS
from ..clock import UTC
from ..service import OperationRegistry, Service
from . import messages as M
from . import validation as V
from .errors import (
    ERRORS,
    ExpiredIteratorException,
    ResourceNotFoundException,
    TrimmedDataAccessException,
    UnknownOperationException,
    ValidationException,
)
from .service import DynamoDBClient
from .streams.iterators import ShardIterator, decode
from .streams.records import format_sequence_number, parse_sequence_number
from .streams.stream import Stream, StreamHub

STREAMS_ERROR_CODES = (
    "ExpiredIteratorException",
    "InternalServerError",
    "LimitExceededException",
    "ResourceNotFoundException",
    "TrimmedDataAccessException",
    "UnknownOperationException",
    "ValidationException",
    "SerializationException",
)

ITERATOR_TYPES = ("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")
MAX_RECORDS_BYTES = 1024 * 1024  # ST8: at most 1 MB per GetRecords
STREAM_ARN_RE = re.compile(
    r"arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[a-zA-Z0-9_.-]{3,255}/stream/[^/]+"
)


def _arn(key: str, path: str, *, not_null: bool = False) -> V.Field:
    return V.Field(key, path, not_null=not_null, min_len=37, max_len=1024)


def _shard_id(key: str, path: str, *, not_null: bool = False) -> V.Field:
    return V.Field(key, path, not_null=not_null, min_len=28, max_len=65)


LIST_STREAMS = (
    V.table_name(not_null=False),
    V.Field("Limit", "limit", kind="int", min_value=1, max_value=100),
    _arn("ExclusiveStartStreamArn", "exclusiveStartStreamArn"),
)
DESCRIBE_STREAM = (
    _arn("StreamArn", "streamArn", not_null=True),
    V.Field("Limit", "limit", kind="int", min_value=1, max_value=100),
    _shard_id("ExclusiveStartShardId", "exclusiveStartShardId"),
    V.Field(
        "ShardFilter",
        "shardFilter",
        kind="struct",
        items=(V.Field("Type", "type", enum=("CHILD_SHARDS",)), _shard_id("ShardId", "shardId")),
    ),
)
GET_SHARD_ITERATOR = (
    _arn("StreamArn", "streamArn", not_null=True),
    _shard_id("ShardId", "shardId", not_null=True),
    V.Field("ShardIteratorType", "shardIteratorType", not_null=True, enum=ITERATOR_TYPES),
    V.Field("SequenceNumber", "sequenceNumber", min_len=21, max_len=40),
)
GET_RECORDS = (
    V.Field("ShardIterator", "shardIterator", not_null=True, min_len=1, max_len=2048),
    V.Field("Limit", "limit", kind="int", min_value=1, max_value=1000),
)


class DynamoDBStreams(Service):
    """Amazon DynamoDB Streams, in process, over the DynamoDB service of the same world."""

    name = "dynamodbstreams"
    api_operations = DYNAMODB_STREAMS
    registry = OperationRegistry(validate=V.check)
    errors = {code: ERRORS[code] for code in STREAMS_ERROR_CODES}
    unknown_operation = UnknownOperationException
    client_class = DynamoDBClient  # boto3's ResponseMetadata on every native response, as for DynamoDB

    def call(self, op_name: str, request: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.sibling("dynamodb").lock:
            return super().call(op_name, request)

    @property
    def hub(self) -> StreamHub:
        hub: StreamHub = self.sibling("dynamodb").catalog.streams  # type: ignore[attr-defined]
        return hub


operation = DynamoDBStreams.registry


def _stream(service: Any, arn: str) -> Stream:
    if not STREAM_ARN_RE.fullmatch(arn):
        raise ValidationException(M.invalid_stream_arn(arn))
    stream = service.hub.get(arn)
    if stream is None:
        raise ResourceNotFoundException(M.stream_not_found(arn))
    return stream


@operation("ListStreams", shape=LIST_STREAMS)
def list_streams(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """ST10: streams (optionally of one table), paged by ExclusiveStartStreamArn."""
    limit = request.get("Limit") or 100
    table_name = request.get("TableName")
    streams = service.hub.all()
    if table_name is not None:
        streams = [s for s in streams if s.table_name == table_name]
        if not streams and table_name not in service.sibling("dynamodb").catalog.tables:
            raise ResourceNotFoundException(M.table_not_found(table_name))
    start = request.get("ExclusiveStartStreamArn")
    if start is not None:
        arns = [s.arn for s in streams]
        if start in arns:
            streams = streams[arns.index(start) + 1 :]
        else:
            _stream(service, start)  # malformed → Validation; unknown → ResourceNotFound
    page = streams[:limit]
    response: dict[str, Any] = {
        "Streams": [{"StreamArn": s.arn, "TableName": s.table_name, "StreamLabel": s.label} for s in page]
    }
    if len(streams) > limit:
        response["LastEvaluatedStreamArn"] = page[-1].arn
    return response


@operation("DescribeStream", shape=DESCRIBE_STREAM)
def describe_stream(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """ST1, ST6: the stream, its status and its shards."""
    stream = _stream(service, request["StreamArn"])
    limit = request.get("Limit") or 100
    shard = stream.shard
    seq_range: dict[str, str] = {"StartingSequenceNumber": format_sequence_number(shard.start_seq)}
    if shard.end_seq is not None:
        seq_range["EndingSequenceNumber"] = format_sequence_number(shard.end_seq)
    shards = [{"ShardId": shard.shard_id, "SequenceNumberRange": seq_range}]
    shard_filter = request.get("ShardFilter")
    if shard_filter is not None:
        if shard_filter.get("ShardId") is None:
            raise ValidationException(M.SHARD_FILTER_NEEDS_SHARD_ID)
        shards = []  # CHILD_SHARDS: the single shard never has children
    start = request.get("ExclusiveStartShardId")
    if start is not None:
        ids = [s["ShardId"] for s in shards]
        shards = shards[bisect.bisect_right(ids, start) :]  # shard ids sort by creation time
    page = shards[:limit]
    description: dict[str, Any] = {
        "StreamArn": stream.arn,
        "StreamLabel": stream.label,
        "StreamStatus": stream.status,
        "StreamViewType": stream.view_type,
        "CreationRequestDateTime": _dt.datetime.fromtimestamp(stream.created, UTC),
        "TableName": stream.table_name,
        "KeySchema": [dict(k) for k in stream.key_schema],
        "Shards": page,
    }
    if len(shards) > limit:
        description["LastEvaluatedShardId"] = page[-1]["ShardId"]
    return {"StreamDescription": description}


@operation("GetShardIterator", shape=GET_SHARD_ITERATOR)
def get_shard_iterator(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """ST7: an iterator at TRIM_HORIZON, LATEST, AT_ or AFTER_SEQUENCE_NUMBER."""
    stream = _stream(service, request["StreamArn"])
    shard = stream.shard
    shard_id = request["ShardId"]
    if shard_id != shard.shard_id:
        raise ResourceNotFoundException(M.shard_not_found(shard_id, stream.arn))
    kind = request["ShardIteratorType"]
    if kind == "TRIM_HORIZON":
        position = shard.trimmed_through
    elif kind == "LATEST":
        position = shard.last_seq
    else:
        text = request.get("SequenceNumber")
        if text is None:
            raise ValidationException(M.sequence_number_required(kind))
        seq = parse_sequence_number(text)
        if seq is None or seq < shard.start_seq or (shard.end_seq is not None and seq > shard.end_seq):
            raise ValidationException(M.invalid_sequence_number(text, shard_id))
        position = seq - 1 if kind == "AT_SEQUENCE_NUMBER" else seq
        if position < shard.trimmed_through:
            raise TrimmedDataAccessException(M.DATA_TRIMMED)
    now = service.world.clock.now()
    return {"ShardIterator": ShardIterator(stream.arn, shard.shard_id, position, now).encode()}


@operation("GetRecords", shape=GET_RECORDS)
def get_records(service: Any, request: dict[str, Any]) -> dict[str, Any]:
    """ST8: up to Limit records (at most 1 MB) after the iterator's position, and the next iterator."""
    iterator = decode(request["ShardIterator"])
    if iterator is None or not STREAM_ARN_RE.fullmatch(iterator.stream_arn):
        raise ValidationException(M.INVALID_SHARD_ITERATOR)
    stream = service.hub.get(iterator.stream_arn)
    if stream is None:
        raise ResourceNotFoundException(M.stream_not_found(iterator.stream_arn))
    shard = stream.shard
    if iterator.shard_id != shard.shard_id:
        raise ResourceNotFoundException(M.INVALID_SHARD_ID_IN_ITERATOR)
    now = service.world.clock.now()
    if iterator.expired(now):
        raise ExpiredIteratorException(M.ITERATOR_EXPIRED)
    position = iterator.position
    if position < shard.trimmed_through:
        raise TrimmedDataAccessException(M.DATA_TRIMMED)
    limit = request.get("Limit") or 1000
    region = service.region
    records: list[dict[str, Any]] = []
    total = 0
    for record in shard.after(position):
        size = record.size_bytes()
        if records and total + size > MAX_RECORDS_BYTES:
            break
        records.append(record.to_wire(stream.view_type, region, size))
        total += size
        position = record.seq
        if len(records) >= limit:
            break
    response: dict[str, Any] = {"Records": records}
    if shard.is_open or not shard.read_to_end(position):
        response["NextShardIterator"] = ShardIterator(stream.arn, shard.shard_id, position, now).encode()
    return response
