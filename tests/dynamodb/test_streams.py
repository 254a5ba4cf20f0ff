"""DynamoDB Streams: ListStreams, DescribeStream, GetShardIterator, GetRecords (reference §14).

One test per ST row (request → response, or exact code + message). Tests that take the
``streams`` fixture run through all three doors (native, boto3 in-process, HTTP); the rest use the
native client, which shares the core. Time-dependent rules run on the virtual clock.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import emulator
from emulator.dynamodb import messages as M
from emulator.dynamodb.values import values_equal
from tests.conftest import _door_client, error_of

KEYS = [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}]
DEFS = [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "N"}]


@pytest.fixture
def streams(aws, door, request):
    """DynamoDB Streams through the door of this parametrization."""
    return _door_client("dynamodbstreams", aws, door, request)


def make_table(aws, view: str | None = "NEW_AND_OLD_IMAGES", name: str = "tbl") -> str | None:
    spec = {"StreamEnabled": True, "StreamViewType": view} if view else None
    kwargs = {"StreamSpecification": spec} if spec else {}
    desc = aws.dynamodb.create_table(
        TableName=name, KeySchema=KEYS, AttributeDefinitions=DEFS, BillingMode="PAY_PER_REQUEST", **kwargs
    )["TableDescription"]
    return desc.get("LatestStreamArn")


def item(p: str, s: int, **attrs: dict) -> dict:
    return {"p": {"S": p}, "s": {"N": str(s)}, **attrs}


def shard_of(client, arn: str) -> str:
    return client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]


def iterator(client, arn: str, kind: str = "TRIM_HORIZON", **extra) -> str:
    return client.get_shard_iterator(
        StreamArn=arn, ShardId=shard_of(client, arn), ShardIteratorType=kind, **extra
    )["ShardIterator"]


def read_all(client, arn: str) -> list[dict]:
    return client.get_records(ShardIterator=iterator(client, arn))["Records"]


# --- ST1, ST11: enabling, ARNs, labels, status ------------------------------------------------


def test_st1_stream_arn_is_table_arn_slash_stream_slash_label_iso_ms(aws):
    arn = make_table(aws)
    desc = aws.dynamodb.describe_table(TableName="tbl")["Table"]
    label = desc["LatestStreamLabel"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", label)
    assert arn == f"{desc['TableArn']}/stream/{label}" == desc["LatestStreamArn"]
    assert label == aws.clock.now_datetime().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def test_st1_disable_keeps_stream_readable_and_listed_then_gone_after_24h(aws):
    arn = make_table(aws)
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1))
    aws.dynamodb.update_table(TableName="tbl", StreamSpecification={"StreamEnabled": False})
    s = aws.dynamodbstreams
    desc = s.describe_stream(StreamArn=arn)["StreamDescription"]
    assert desc["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in desc["Shards"][0]["SequenceNumberRange"]
    assert [x["StreamArn"] for x in s.list_streams()["Streams"]] == [arn]
    assert len(read_all(s, arn)) == 1
    aws.dynamodb.put_item(TableName="tbl", Item=item("b", 1))  # not recorded any more
    assert len(read_all(s, arn)) == 1
    aws.clock.advance(hours=24)
    assert s.list_streams()["Streams"] == []
    with pytest.raises(s.exceptions.ResourceNotFoundException) as e:
        s.describe_stream(StreamArn=arn)
    assert error_of(e) == ("ResourceNotFoundException", M.stream_not_found(arn))


def test_st1_reenable_creates_new_stream_and_old_stays_readable(aws):
    old = make_table(aws)
    d, s = aws.dynamodb, aws.dynamodbstreams
    d.put_item(TableName="tbl", Item=item("a", 1))
    d.update_table(TableName="tbl", StreamSpecification={"StreamEnabled": False})
    new = d.update_table(
        TableName="tbl", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )["TableDescription"]["LatestStreamArn"]
    assert new != old  # same virtual millisecond: the label still differs
    d.put_item(TableName="tbl", Item=item("b", 1))
    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in read_all(s, old)] == ["a"]
    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in read_all(s, new)] == ["b"]
    assert [x["StreamArn"] for x in s.list_streams(TableName="tbl")["Streams"]] == [old, new]
    assert s.describe_stream(StreamArn=new)["StreamDescription"]["StreamViewType"] == "KEYS_ONLY"


def test_st1_delete_table_disables_stream_readable_for_24h(aws):
    arn = make_table(aws)
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1))
    aws.dynamodb.delete_table(TableName="tbl")
    s = aws.dynamodbstreams
    assert s.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED"
    assert len(read_all(s, arn)) == 1
    assert "NextShardIterator" not in s.get_records(ShardIterator=iterator(s, arn))
    make_table(aws)  # the same name again: a new stream, the old one still listed
    assert len(s.list_streams(TableName="tbl")["Streams"]) == 2


def test_st11_table_descriptions_report_latest_stream_matching_list_streams(ddb, aws, door):
    created = ddb.create_table(
        TableName="tbl",
        KeySchema=KEYS,
        AttributeDefinitions=DEFS,
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    desc = ddb.describe_table(TableName="tbl")["Table"]
    listed = aws.dynamodbstreams.list_streams(TableName="tbl")["Streams"]
    assert listed == [
        {"StreamArn": desc["LatestStreamArn"], "TableName": "tbl", "StreamLabel": desc["LatestStreamLabel"]}
    ]
    assert created["TableDescription"]["LatestStreamArn"] == desc["LatestStreamArn"]
    assert desc["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    ddb.update_table(TableName="tbl", StreamSpecification={"StreamEnabled": False})
    updated = ddb.update_table(
        TableName="tbl", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )
    latest = aws.dynamodbstreams.list_streams(TableName="tbl")["Streams"][-1]
    assert updated["TableDescription"]["LatestStreamArn"] == latest["StreamArn"]
    assert updated["TableDescription"]["LatestStreamLabel"] == latest["StreamLabel"]


def test_table_without_stream_reports_none_and_lists_nothing(aws):
    assert make_table(aws, view=None) is None
    listed = aws.dynamodbstreams.list_streams()
    assert listed["Streams"] == []
    assert listed["ResponseMetadata"]["HTTPStatusCode"] == 200  # boto3's shape on the native door too
    assert aws.dynamodb.describe_table(TableName="tbl")["Table"].get("LatestStreamArn") is None


# --- ST2: record shape --------------------------------------------------------------------------


def test_st2_record_shape_through_every_door(streams, aws):
    arn = make_table(aws)
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1, v={"B": b"\x00\x01"}))
    aws.clock.advance(0.75)
    [rec] = read_all(streams, arn)
    assert set(rec) == {"eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb"}
    assert re.fullmatch(r"[0-9a-f]{32}", rec["eventID"])
    assert (rec["eventName"], rec["eventVersion"], rec["eventSource"], rec["awsRegion"]) == (
        "INSERT",
        "1.1",
        "aws:dynamodb",
        "us-east-1",
    )
    body = rec["dynamodb"]
    assert body["Keys"] == {"p": {"S": "a"}, "s": {"N": "1"}}
    assert body["NewImage"] == item("a", 1, v={"B": b"\x00\x01"})
    assert "OldImage" not in body
    assert body["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert re.fullmatch(r"\d{21,40}", body["SequenceNumber"])
    assert body["SizeBytes"] >= 1
    created = body["ApproximateCreationDateTime"]
    assert isinstance(created, dt.datetime)
    written = aws.clock.now() - 0.75
    assert created.timestamp() == int(written)  # rounded down to the second


def test_st2_sequence_numbers_increase_and_event_ids_are_seeded(aws):
    def run() -> list[tuple[str, str]]:
        world = emulator.Emulator(seed=42)
        arn = make_table(world)
        for i in range(5):
            world.dynamodb.put_item(TableName="tbl", Item=item("a", i))
        recs = read_all(world.dynamodbstreams, arn)
        return [(r["eventID"], r["dynamodb"]["SequenceNumber"]) for r in recs]

    first = run()
    seqs = [int(s) for _e, s in first]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    assert run() == first


# --- ST3: images per view type ----------------------------------------------------------------


@pytest.mark.parametrize(
    "view, new_for, old_for",
    [
        ("KEYS_ONLY", set(), set()),
        ("NEW_IMAGE", {"INSERT", "MODIFY"}, set()),
        ("OLD_IMAGE", set(), {"MODIFY", "REMOVE"}),
        ("NEW_AND_OLD_IMAGES", {"INSERT", "MODIFY"}, {"MODIFY", "REMOVE"}),
    ],
)
def test_st3_image_presence_per_view_type(aws, view, new_for, old_for):
    arn = make_table(aws, view)
    d = aws.dynamodb
    d.put_item(TableName="tbl", Item=item("a", 1, x={"S": "1"}))
    d.put_item(TableName="tbl", Item=item("a", 1, x={"S": "2"}))
    d.delete_item(TableName="tbl", Key=item("a", 1))
    recs = read_all(aws.dynamodbstreams, arn)
    assert [r["eventName"] for r in recs] == ["INSERT", "MODIFY", "REMOVE"]
    for rec in recs:
        body, name = rec["dynamodb"], rec["eventName"]
        assert ("NewImage" in body) == (name in new_for)
        assert ("OldImage" in body) == (name in old_for)
        assert body["StreamViewType"] == view
        assert body["Keys"] == item("a", 1)
    if view == "NEW_AND_OLD_IMAGES":  # images hold the entire item, key included
        assert recs[1]["dynamodb"]["OldImage"] == item("a", 1, x={"S": "1"})
        assert recs[1]["dynamodb"]["NewImage"] == item("a", 1, x={"S": "2"})


def test_st3_old_image_of_key_only_item_is_just_the_key(aws):
    arn = make_table(aws, "OLD_IMAGE")
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1))
    aws.dynamodb.update_item(
        TableName="tbl",
        Key=item("a", 1),
        UpdateExpression="SET x = :v",
        ExpressionAttributeValues={":v": {"N": "5"}},
    )
    assert read_all(aws.dynamodbstreams, arn)[1]["dynamodb"]["OldImage"] == item("a", 1)


# --- ST4: event generation and the no-op rule ---------------------------------------------------


def test_st4_events_for_put_update_delete(aws):
    arn = make_table(aws)
    d = aws.dynamodb
    d.put_item(TableName="tbl", Item=item("a", 1))  # INSERT
    d.put_item(TableName="tbl", Item=item("a", 1, x={"N": "1"}))  # MODIFY
    d.update_item(
        TableName="tbl",
        Key=item("b", 1),
        UpdateExpression="SET y = :v",
        ExpressionAttributeValues={":v": {"S": "new"}},
    )  # INSERT
    d.update_item(
        TableName="tbl",
        Key=item("b", 1),
        UpdateExpression="SET y = :v",
        ExpressionAttributeValues={":v": {"S": "changed"}},
    )  # MODIFY
    d.delete_item(TableName="tbl", Key=item("a", 1))  # REMOVE
    assert [r["eventName"] for r in read_all(aws.dynamodbstreams, arn)] == [
        "INSERT",
        "MODIFY",
        "INSERT",
        "MODIFY",
        "REMOVE",
    ]


def test_st4_no_record_for_no_op_writes(aws):
    arn = make_table(aws)
    d = aws.dynamodb
    d.put_item(
        TableName="tbl", Item=item("a", 1, m={"M": {"x": {"N": "1"}, "y": {"S": "z"}}}, ns={"NS": ["1", "2"]})
    )
    # identical value, map keys reordered, numbers written differently, set reordered
    d.put_item(
        TableName="tbl",
        Item=item("a", 1, ns={"NS": ["2", "1.0"]}, m={"M": {"y": {"S": "z"}, "x": {"N": "1.00"}}}),
    )
    d.update_item(
        TableName="tbl",
        Key=item("a", 1),
        UpdateExpression="SET m.x = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    d.update_item(TableName="tbl", Key=item("a", 1), UpdateExpression="REMOVE absent_attr")
    d.delete_item(TableName="tbl", Key=item("nobody", 1))
    d.batch_write_item(
        RequestItems={
            "tbl": [
                {
                    "PutRequest": {
                        "Item": item(
                            "a", 1, ns={"NS": ["1", "2"]}, m={"M": {"x": {"N": "1"}, "y": {"S": "z"}}}
                        )
                    }
                }
            ]
        }
    )
    assert [r["eventName"] for r in read_all(aws.dynamodbstreams, arn)] == ["INSERT"]


def test_st4_each_item_of_a_batch_and_transaction_has_its_own_record(aws):
    arn = make_table(aws, "KEYS_ONLY")
    d = aws.dynamodb
    d.batch_write_item(RequestItems={"tbl": [{"PutRequest": {"Item": item("a", i)}} for i in range(3)]})
    d.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": "tbl", "Item": item("t", 1)}},
            {"Delete": {"TableName": "tbl", "Key": item("a", 0)}},
            {
                "Update": {
                    "TableName": "tbl",
                    "Key": item("a", 1),
                    "UpdateExpression": "SET z = :z",
                    "ExpressionAttributeValues": {":z": {"BOOL": True}},
                }
            },
        ]
    )
    recs = read_all(aws.dynamodbstreams, arn)
    assert sorted(
        (r["eventName"], r["dynamodb"]["Keys"]["p"]["S"], r["dynamodb"]["Keys"]["s"]["N"]) for r in recs
    ) == sorted(
        [
            ("INSERT", "a", "0"),
            ("INSERT", "a", "1"),
            ("INSERT", "a", "2"),
            ("INSERT", "t", "1"),
            ("REMOVE", "a", "0"),
            ("MODIFY", "a", "1"),
        ]
    )


def test_st4_failed_condition_makes_no_record(aws):
    arn = make_table(aws)
    d = aws.dynamodb
    d.put_item(TableName="tbl", Item=item("a", 1))
    with pytest.raises(d.exceptions.ConditionalCheckFailedException):
        d.put_item(
            TableName="tbl", Item=item("a", 1, x={"N": "2"}), ConditionExpression="attribute_not_exists(p)"
        )
    assert len(read_all(aws.dynamodbstreams, arn)) == 1


# --- ST5: ordering --------------------------------------------------------------------------------


def test_st5_records_of_one_item_in_modification_order_exactly_once(aws):
    arn = make_table(aws, "NEW_IMAGE")
    for i in range(20):
        aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1, n={"N": str(i)}))
    s = aws.dynamodbstreams
    it, seen = iterator(s, arn), []
    for _ in range(10):
        page = s.get_records(ShardIterator=it, Limit=3)
        seen += [r["dynamodb"]["NewImage"]["n"]["N"] for r in page["Records"]]
        it = page["NextShardIterator"]
    assert seen == [str(i) for i in range(20)]


# --- ST6: DescribeStream ----------------------------------------------------------------------------


def test_st6_describe_stream_through_every_door(streams, aws):
    arn = make_table(aws, "OLD_IMAGE")
    desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert desc["StreamArn"] == arn and desc["TableName"] == "tbl"
    assert desc["StreamLabel"] == arn.rsplit("/", 1)[1]
    assert (desc["StreamStatus"], desc["StreamViewType"]) == ("ENABLED", "OLD_IMAGE")
    assert desc["KeySchema"] == KEYS
    assert isinstance(desc["CreationRequestDateTime"], dt.datetime)
    [shard] = desc["Shards"]
    assert re.fullmatch(r"shardId-\d{20}-[0-9a-f]{8}", shard["ShardId"])
    assert 28 <= len(shard["ShardId"]) <= 65
    assert set(shard["SequenceNumberRange"]) == {"StartingSequenceNumber"}  # open shard
    assert shard["SequenceNumberRange"]["StartingSequenceNumber"].isdecimal()
    assert "LastEvaluatedShardId" not in desc


def test_st6_describe_stream_paging_and_child_shards(aws):
    arn = make_table(aws)
    s = aws.dynamodbstreams
    shard = shard_of(s, arn)
    assert s.describe_stream(StreamArn=arn, Limit=1)["StreamDescription"]["Shards"][0]["ShardId"] == shard
    assert s.describe_stream(StreamArn=arn, ExclusiveStartShardId=shard)["StreamDescription"]["Shards"] == []
    assert (
        s.describe_stream(StreamArn=arn, ExclusiveStartShardId="z" * 40)["StreamDescription"]["Shards"] == []
    )
    children = s.describe_stream(StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": shard})
    assert children["StreamDescription"]["Shards"] == []


def test_st6_describe_stream_errors(streams, aws):
    make_table(aws)
    with pytest.raises(Exception) as e:
        streams.describe_stream(StreamArn="sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf")
    assert error_of(e) == (
        "ValidationException",
        M.invalid_stream_arn("sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf"),
    )
    missing = "arn:aws:dynamodb:us-east-1:123456789012:table/nope/stream/2020-01-01T00:00:00.000"
    with pytest.raises(streams.exceptions.ResourceNotFoundException) as e:
        streams.describe_stream(StreamArn=missing)
    assert error_of(e) == ("ResourceNotFoundException", M.stream_not_found(missing))
    with pytest.raises(Exception) as e:
        streams.describe_stream(StreamArn=missing, Limit=0)
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed "
        "to satisfy constraint: Member must have value greater than or equal to 1",
    )


# --- ST7: GetShardIterator ----------------------------------------------------------------------------


def test_st7_iterator_types(aws):
    arn = make_table(aws, "KEYS_ONLY")
    d, s = aws.dynamodb, aws.dynamodbstreams
    for i in range(3):
        d.put_item(TableName="tbl", Item=item("a", i))
    seqs = [r["dynamodb"]["SequenceNumber"] for r in read_all(s, arn)]
    latest = iterator(s, arn, "LATEST")
    d.put_item(TableName="tbl", Item=item("a", 9))

    def keys(it: str) -> list[str]:
        return [r["dynamodb"]["Keys"]["s"]["N"] for r in s.get_records(ShardIterator=it)["Records"]]

    assert keys(iterator(s, arn, "TRIM_HORIZON")) == ["0", "1", "2", "9"]
    assert keys(latest) == ["9"]
    assert keys(iterator(s, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=seqs[1])) == ["1", "2", "9"]
    assert keys(iterator(s, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=seqs[1])) == ["2", "9"]
    assert iterator(s, arn).startswith(arn + "|1|")


def test_st7_at_sequence_number_at_the_shard_starting_sequence_number_reads_from_the_start(streams, aws):
    """ST7: the shard's advertised StartingSequenceNumber lies inside its SequenceNumberRange, so
    an AT_SEQUENCE_NUMBER iterator there is not trimmed; it reads every record, before and after
    the first record exists."""
    arn = make_table(aws)
    desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    shard = desc["Shards"][0]
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]

    def at_start() -> str:
        return streams.get_shard_iterator(
            StreamArn=arn,
            ShardId=shard["ShardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=start,
        )["ShardIterator"]

    early = at_start()
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1))
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 2))
    for it in (early, at_start()):
        assert [
            r["dynamodb"]["Keys"]["s"]["N"] for r in streams.get_records(ShardIterator=it)["Records"]
        ] == [
            "1",
            "2",
        ]


def test_st7_get_shard_iterator_errors(streams, aws):
    arn = make_table(aws)
    shard = shard_of(aws.dynamodbstreams, arn)
    with pytest.raises(Exception) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER")
    assert error_of(e) == ("ValidationException", M.sequence_number_required("AT_SEQUENCE_NUMBER"))
    with pytest.raises(Exception) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="NEWEST")
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value 'NEWEST' at "
        "'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value "
        "set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
    )
    other = "shardId-00000000000000000000-00000000"
    with pytest.raises(streams.exceptions.ResourceNotFoundException) as e:
        streams.get_shard_iterator(StreamArn=arn, ShardId=other, ShardIteratorType="LATEST")
    assert error_of(e) == ("ResourceNotFoundException", M.shard_not_found(other, arn))
    with pytest.raises(Exception) as e:
        streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber="x" * 21
        )
    assert error_of(e) == ("ValidationException", M.invalid_sequence_number("x" * 21, shard))


def test_st7_iterator_expires_after_15_minutes(streams, aws):
    arn = make_table(aws)
    it = iterator(aws.dynamodbstreams, arn)
    aws.clock.advance(minutes=15)
    assert streams.get_records(ShardIterator=it)["Records"] == []  # exactly 15 min: still valid
    aws.clock.advance(seconds=1)
    with pytest.raises(streams.exceptions.ExpiredIteratorException) as e:
        streams.get_records(ShardIterator=it)
    assert error_of(e) == ("ExpiredIteratorException", M.ITERATOR_EXPIRED)


def test_st7_st9_trimmed_after_24_hours(streams, aws):
    arn = make_table(aws)
    s = aws.dynamodbstreams
    aws.dynamodb.put_item(TableName="tbl", Item=item("old", 1))
    first = read_all(s, arn)[0]["dynamodb"]["SequenceNumber"]
    aws.clock.advance(hours=23, minutes=50)
    horizon = iterator(s, arn)
    aws.dynamodb.put_item(TableName="tbl", Item=item("new", 1))
    aws.clock.advance(minutes=11)  # the first record is now older than 24 h
    with pytest.raises(streams.exceptions.TrimmedDataAccessException) as e:
        streams.get_records(ShardIterator=horizon)
    assert error_of(e) == ("TrimmedDataAccessException", M.DATA_TRIMMED)
    with pytest.raises(streams.exceptions.TrimmedDataAccessException) as e:
        streams.get_shard_iterator(
            StreamArn=arn,
            ShardId=shard_of(s, arn),
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=first,
        )
    assert error_of(e) == ("TrimmedDataAccessException", M.DATA_TRIMMED)
    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in read_all(s, arn)] == ["new"]  # TRIM_HORIZON moved on


# --- ST8: GetRecords ------------------------------------------------------------------------------------


def test_st8_get_records_limit_bounds(streams, aws):
    arn = make_table(aws)
    it = iterator(aws.dynamodbstreams, arn)
    for bad, constraint in [(0, "greater than or equal to 1"), (1001, "less than or equal to 1000")]:
        with pytest.raises(Exception) as e:
            streams.get_records(ShardIterator=it, Limit=bad)
        assert error_of(e) == (
            "ValidationException",
            f"1 validation error detected: Value '{bad}' at 'limit' "
            f"failed to satisfy constraint: Member must have value {constraint}",
        )


def test_st8_empty_open_shard_has_records_list_and_next_iterator(streams, aws):
    arn = make_table(aws)
    page = streams.get_records(ShardIterator=iterator(aws.dynamodbstreams, arn))
    assert page["Records"] == [] and "NextShardIterator" in page
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1))
    page = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert len(page["Records"]) == 1
    again = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert again["Records"] == [] and "NextShardIterator" in again  # no repeats


def test_st8_closed_shard_fully_read_has_no_next_iterator(aws):
    arn = make_table(aws)
    d, s = aws.dynamodb, aws.dynamodbstreams
    for i in range(3):
        d.put_item(TableName="tbl", Item=item("a", i))
    d.update_table(TableName="tbl", StreamSpecification={"StreamEnabled": False})
    page = s.get_records(ShardIterator=iterator(s, arn), Limit=2)
    assert len(page["Records"]) == 2 and "NextShardIterator" in page
    page = s.get_records(ShardIterator=page["NextShardIterator"])
    assert len(page["Records"]) == 1 and "NextShardIterator" not in page


def test_st8_one_megabyte_per_call(aws):
    arn = make_table(aws, "NEW_IMAGE")
    for i in range(5):
        aws.dynamodb.put_item(TableName="tbl", Item=item("a", i, big={"S": "x" * 300_000}))
    page = aws.dynamodbstreams.get_records(ShardIterator=iterator(aws.dynamodbstreams, arn))
    assert len(page["Records"]) == 3
    assert sum(r["dynamodb"]["SizeBytes"] for r in page["Records"]) <= 1024 * 1024
    rest = aws.dynamodbstreams.get_records(ShardIterator=page["NextShardIterator"])["Records"]
    assert len(rest) == 2


def test_st8_invalid_iterator_is_validation_error(streams, aws):
    with pytest.raises(Exception) as e:
        streams.get_records(ShardIterator="not-an-iterator")
    assert error_of(e) == ("ValidationException", M.INVALID_SHARD_ITERATOR)


def test_st8_iterator_of_an_unknown_shard_is_resource_not_found(streams, aws):
    from emulator.dynamodb.streams.iterators import ShardIterator

    arn = make_table(aws)
    forged = ShardIterator(arn, "shardId-00000000000000000000-00000000", 0, aws.clock.now()).encode()
    with pytest.raises(streams.exceptions.ResourceNotFoundException) as e:
        streams.get_records(ShardIterator=forged)
    assert error_of(e) == ("ResourceNotFoundException", M.INVALID_SHARD_ID_IN_ITERATOR)


def test_records_are_copies(aws):
    arn = make_table(aws)
    aws.dynamodb.put_item(TableName="tbl", Item=item("a", 1, m={"M": {"x": {"S": "y"}}}))
    rec = read_all(aws.dynamodbstreams, arn)[0]
    rec["dynamodb"]["NewImage"]["m"]["M"]["x"]["S"] = "changed"
    assert read_all(aws.dynamodbstreams, arn)[0]["dynamodb"]["NewImage"]["m"]["M"]["x"]["S"] == "y"
    assert aws.dynamodb.get_item(TableName="tbl", Key=item("a", 1))["Item"]["m"]["M"]["x"]["S"] == "y"


# --- ST10: ListStreams ------------------------------------------------------------------------------------


def test_st10_list_streams_paging_through_every_door(streams, aws):
    arns = [make_table(aws, name=f"t{i:02d}") for i in range(5)]
    make_table(aws, view=None, name="plain")
    page = streams.list_streams(Limit=2)
    assert [x["StreamArn"] for x in page["Streams"]] == arns[:2]
    assert page["LastEvaluatedStreamArn"] == arns[1]
    page = streams.list_streams(Limit=2, ExclusiveStartStreamArn=page["LastEvaluatedStreamArn"])
    assert [x["StreamArn"] for x in page["Streams"]] == arns[2:4]
    page = streams.list_streams(Limit=2, ExclusiveStartStreamArn=page["LastEvaluatedStreamArn"])
    assert [x["StreamArn"] for x in page["Streams"]] == arns[4:]
    assert "LastEvaluatedStreamArn" not in page
    assert streams.list_streams(TableName="t03")["Streams"] == [
        {"StreamArn": arns[3], "TableName": "t03", "StreamLabel": arns[3].rsplit("/", 1)[1]}
    ]
    assert streams.list_streams(TableName="plain")["Streams"] == []


def test_st10_list_streams_errors(streams, aws):
    with pytest.raises(Exception) as e:
        streams.list_streams(Limit=101)
    assert error_of(e) == (
        "ValidationException",
        "1 validation error detected: Value '101' at 'limit' failed "
        "to satisfy constraint: Member must have value less than or equal to 100",
    )
    with pytest.raises(streams.exceptions.ResourceNotFoundException) as e:
        streams.list_streams(TableName="nope")
    assert error_of(e) == ("ResourceNotFoundException", M.table_not_found("nope"))
    with pytest.raises(Exception) as e:
        streams.list_streams(ExclusiveStartStreamArn="x" * 40)
    assert error_of(e) == ("ValidationException", M.invalid_stream_arn("x" * 40))


# --- zero cost without a stream ----------------------------------------------------------------------


def test_table_without_stream_subscribes_nothing(aws):
    make_table(aws, view=None)
    store = aws.dynamodb.service.catalog.tables["tbl"].store
    assert not store.change_log.active
    aws.dynamodb.update_table(
        TableName="tbl", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )
    assert store.change_log.active
    aws.dynamodb.update_table(TableName="tbl", StreamSpecification={"StreamEnabled": False})
    assert not store.change_log.active


# --- property: replaying NEW_AND_OLD_IMAGES reconstructs the table ---------------------------------------

_keys = st.tuples(st.sampled_from("abc"), st.integers(0, 2))
_values = st.one_of(
    st.integers(-3, 3).map(lambda n: {"N": str(n)}),
    st.sampled_from("xy").map(lambda s: {"S": s}),
    st.just({"SS": ["u", "v"]}),
    st.just({"M": {"k": {"N": "1"}}}),
)
_attrs = st.dictionaries(st.sampled_from(["v", "w"]), _values, max_size=2)
_ops = st.one_of(
    st.tuples(st.just("put"), _keys, _attrs),
    st.tuples(st.just("delete"), _keys, st.none()),
    st.tuples(st.just("update"), _keys, _values),
    st.tuples(st.just("remove"), _keys, st.none()),
    st.tuples(st.just("batch"), st.lists(_keys, min_size=1, max_size=3, unique=True), _attrs),
    st.tuples(st.just("transact"), st.lists(_keys, min_size=1, max_size=3, unique=True), _values),
)


def _apply(d, op) -> None:
    kind, key, arg = op
    if kind == "put":
        d.put_item(TableName="tbl", Item={**item(*key), **arg})
    elif kind == "delete":
        d.delete_item(TableName="tbl", Key=item(*key))
    elif kind == "update":
        d.update_item(
            TableName="tbl",
            Key=item(*key),
            UpdateExpression="SET v = :v",
            ExpressionAttributeValues={":v": arg},
        )
    elif kind == "remove":
        d.update_item(TableName="tbl", Key=item(*key), UpdateExpression="REMOVE v")
    elif kind == "batch":
        d.batch_write_item(RequestItems={"tbl": [{"PutRequest": {"Item": {**item(*k), **arg}}} for k in key]})
    else:
        d.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": "tbl",
                        "Key": item(*k),
                        "UpdateExpression": "SET w = :v",
                        "ExpressionAttributeValues": {":v": arg},
                    }
                }
                if i % 2 == 0
                else {"Delete": {"TableName": "tbl", "Key": item(*k)}}
                for i, k in enumerate(key)
            ]
        )


def _key_of(image: dict) -> tuple[str, str]:
    return image["p"]["S"], image["s"]["N"]


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(values_equal(a[k], b[k]) for k in a)


@settings(max_examples=40, deadline=None)
@given(st.lists(_ops, max_size=25))
def test_property_replay_reconstructs_table(ops):
    aws = emulator.Emulator(seed=7)
    arn = make_table(aws)
    for op in ops:
        _apply(aws.dynamodb, op)
    replica: dict[tuple[str, str], dict] = {}
    s = aws.dynamodbstreams
    it, previous = iterator(s, arn), None
    while True:
        page = s.get_records(ShardIterator=it, Limit=7)
        for rec in page["Records"]:
            body = rec["dynamodb"]
            key = _key_of(body["Keys"])
            seq = int(body["SequenceNumber"])
            assert previous is None or seq > previous
            previous = seq
            if rec["eventName"] == "REMOVE":
                assert _same(replica.pop(key), body["OldImage"])
            else:
                if rec["eventName"] == "MODIFY":
                    assert _same(replica[key], body["OldImage"])
                    assert not _same(body["OldImage"], body["NewImage"])  # ST4: never a no-op record
                else:
                    assert key not in replica
                replica[key] = body["NewImage"]
        if not page["Records"]:
            break
        it = page["NextShardIterator"]
    table = {_key_of(i): i for i in aws.dynamodb.scan(TableName="tbl")["Items"]}
    assert replica.keys() == table.keys()
    assert all(_same(replica[k], table[k]) for k in table)
    aws.dynamodb.service.catalog.streams.live["tbl"].shard._check()


def test_a_shard_warns_once_when_it_holds_many_records_within_retention(monkeypatch):
    """Records are kept for 24 hours whatever their number (as on AWS); a shard that holds
    WARN_RECORDS of them warns once, naming the ways out, instead of growing silently."""
    from emulator.dynamodb.streams import shard as shard_module

    monkeypatch.setattr(shard_module, "WARN_RECORDS", 10)
    aws = emulator.Emulator()
    ddb = aws.dynamodb
    ddb.create_table(
        TableName="Tab",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    for i in range(9):
        ddb.put_item(TableName="Tab", Item={"id": {"S": str(i)}})
    with pytest.warns(shard_module.StreamRetentionWarning, match="advance it"):
        ddb.put_item(TableName="Tab", Item={"id": {"S": "9"}})
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", shard_module.StreamRetentionWarning)
        for i in range(10, 30):
            ddb.put_item(TableName="Tab", Item={"id": {"S": str(i)}})
    aws.clock.advance(hours=25)  # retention trims, as on AWS
    stream = ddb.describe_table(TableName="Tab")["Table"]["LatestStreamArn"]
    shard = aws.dynamodbstreams.describe_stream(StreamArn=stream)["StreamDescription"]["Shards"][0]
    iterator = aws.dynamodbstreams.get_shard_iterator(
        StreamArn=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    assert aws.dynamodbstreams.get_records(ShardIterator=iterator)["Records"] == []
