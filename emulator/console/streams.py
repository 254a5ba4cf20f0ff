"""The streams pages: every DynamoDB stream of the partition, and one stream's shards with the
records each still holds (read from ``TRIM_HORIZON`` through GetShardIterator and GetRecords, as a
consumer would; reading moves nothing). Both are live: new records show up while the page is open."""

from __future__ import annotations

from typing import Any

from .items import cell
from .layout import esc, href, link, row, table
from .view import Fragment, View, page

MAX_SHARDS = 20
MAX_RECORDS = 100


@page("streams")
def streams_page(view: View) -> Fragment:
    if view.rest:
        return _stream(view.in_partition_of(view.rest), view.rest)
    return _all_streams(view)


def _all_streams(view: View) -> Fragment:
    client, rows, start = view.client("dynamodbstreams"), [], None
    while True:
        answer = client.list_streams(**({"ExclusiveStartStreamArn": start} if start else {}))
        for s in answer["Streams"]:
            rows.append(
                row(
                    link(href(f"streams/{s['StreamArn']}"), s["StreamLabel"]),
                    link(href(f"tables/{s['TableName']}", view.partition_query()), s["TableName"]),
                )
            )
        start = answer.get("LastEvaluatedStreamArn")
        if not start:
            break
    body = table(["Stream", "Table"], rows) if rows else "<p>No streams.</p>"
    return Fragment("Streams", f"<h1>Streams</h1>{body}", live=True)


def _keys(record: dict[str, Any]) -> str:
    keys = record.get("dynamodb", {}).get("Keys", {})
    return ", ".join(f"{name}={cell(value)}" for name, value in sorted(keys.items()))


def _records(client: Any, arn: str, shard: dict[str, Any]) -> list[str]:
    iterator = client.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = client.get_records(ShardIterator=iterator, Limit=MAX_RECORDS)["Records"]
    return [
        row(
            esc(shard["ShardId"]),
            esc(r["dynamodb"].get("SequenceNumber", "")),
            esc(r["eventName"]),
            f'<span class="value">{esc(_keys(r))}</span>',
            esc(r["dynamodb"].get("ApproximateCreationDateTime", "")),
        )
        for r in records
    ]


def _stream(view: View, arn: str) -> Fragment:
    client = view.client("dynamodbstreams")
    d = client.describe_stream(StreamArn=arn)["StreamDescription"]
    shards = d["Shards"][-MAX_SHARDS:]
    rows = [r for shard in shards for r in _records(client, arn, shard)]
    table_link = link(href(f"tables/{d['TableName']}", view.partition_query()), d["TableName"])
    body = (
        f"<h1>Stream of {table_link}</h1><p>{esc(d['StreamStatus'])} · {esc(d['StreamViewType'])} · "
        f"{esc(len(d['Shards']))} shards · {esc(arn)}</p><h2>Records</h2>"
        + (
            table(["Shard", "Sequence number", "Event", "Keys", "Created"], rows)
            if rows
            else "<p>No records.</p>"
        )
    )
    return Fragment(f"Stream of {d['TableName']}", body, live=True)
