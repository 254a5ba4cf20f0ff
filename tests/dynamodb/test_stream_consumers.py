"""Stream consumers: Python callables fed by a table's stream as a Lambda event source mapping feeds
a function (emulator/dynamodb/stream_consumers.py, streams/consumer.py, event_filter.py).

The rules (docs/dynamodb-conformance.md, "Stream consumers"): Lambda's DynamoDB event shape; batches
in sequence order per shard; a raising consumer retries the same batch, bisects when asked, and a
batch is discarded after the retry or age limit (to ``on_failure``); Lambda's filter syntax; delivery
right after the write with auto_advance, on a clock move without it. Native door only.
"""

from __future__ import annotations

import json

import pytest

import emulator
from emulator.dynamodb.event_filter import FilterPatternError, compile_criteria

STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def make_table(ddb, name="Orders", stream=STREAM):
    spec = {"StreamSpecification": stream} if stream else {}
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        **spec,
    )


def put(ddb, order_id, status="NEW", table="Orders", **extra):
    item = {"id": {"S": order_id}, "status": {"S": status}, **extra}
    ddb.put_item(TableName=table, Item=item)


def ids(event):
    return [r["dynamodb"]["Keys"]["id"]["S"] for r in event["Records"]]


@pytest.fixture
def aws():
    world = emulator.Emulator(seed=7)
    make_table(world.dynamodb)
    return world


@pytest.fixture
def manual():
    """A world whose clock moves only when the test moves it."""
    world = emulator.Emulator(seed=7, auto_advance=False)
    make_table(world.dynamodb)
    return world


# --- the event --------------------------------------------------------------------------------


def test_event_is_lambdas_dynamodb_event(aws):
    events, contexts = [], []

    @aws.dynamodb.stream_consumer("Orders", starting_position="TRIM_HORIZON")
    def consumer(event, context):
        events.append(event)
        contexts.append(context)

    now = aws.clock.now()
    put(aws.dynamodb, "o1", blob={"B": b"\x00\x01"})
    (event,) = events
    (record,) = event["Records"]
    assert list(record) == [
        "eventID",
        "eventName",
        "eventVersion",
        "eventSource",
        "awsRegion",
        "dynamodb",
        "eventSourceARN",
    ]
    assert record["eventName"] == "INSERT"
    assert record["eventVersion"] == "1.1"
    assert record["eventSource"] == "aws:dynamodb"
    assert record["awsRegion"] == "us-east-1"
    table = aws.dynamodb.describe_table(TableName="Orders")["Table"]
    assert record["eventSourceARN"] == table["LatestStreamArn"]
    body = record["dynamodb"]
    assert body["ApproximateCreationDateTime"] == float(int(now))  # epoch seconds, rounded down
    assert body["Keys"] == {"id": {"S": "o1"}}
    assert body["NewImage"]["blob"] == {"B": "AAE="}  # JSON: blobs in base64
    assert "OldImage" not in body
    assert body["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert body["SequenceNumber"].isdigit() and body["SizeBytes"] > 0
    json.dumps(event)  # plain JSON, as a Lambda function receives it
    assert contexts[0].function_name == "consumer"
    assert contexts[0].invoked_function_arn == "arn:aws:lambda:us-east-1:123456789012:function:consumer"


def test_ttl_delete_carries_lambdas_user_identity():
    aws = emulator.Emulator(seed=1, ttl_sweep_delay=0)
    make_table(aws.dynamodb)
    aws.dynamodb.update_time_to_live(
        TableName="Orders", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    seen = []
    aws.dynamodb.stream_consumer("Orders", starting_position="LATEST")(lambda e, c: seen.extend(e["Records"]))
    put(aws.dynamodb, "o1", exp={"N": str(int(aws.clock.now()) + 10)})
    aws.clock.advance(60)
    assert [r["eventName"] for r in seen] == ["INSERT", "REMOVE"]
    assert seen[1]["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


# --- the projection ---------------------------------------------------------------------------


def test_order_status_projection_maintained_by_a_consumer(aws):
    ddb = aws.dynamodb
    ddb.create_table(
        TableName="OrderStatus",
        KeySchema=[{"AttributeName": "status", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "status", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )

    def bump(status, delta):
        ddb.update_item(
            TableName="OrderStatus",
            Key={"status": {"S": status}},
            UpdateExpression="ADD orders :d",
            ExpressionAttributeValues={":d": {"N": str(delta)}},
        )

    @ddb.stream_consumer("Orders", batch_size=100, starting_position="TRIM_HORIZON")
    def project(event, context):
        for record in event["Records"]:
            body = record["dynamodb"]
            if "OldImage" in body:
                bump(body["OldImage"]["status"]["S"], -1)
            if "NewImage" in body:
                bump(body["NewImage"]["status"]["S"], +1)

    def counts():
        items = ddb.scan(TableName="OrderStatus")["Items"]
        return {i["status"]["S"]: int(i["orders"]["N"]) for i in items if i["orders"]["N"] != "0"}

    put(ddb, "o1")
    put(ddb, "o2")
    put(ddb, "o3")
    assert counts() == {"NEW": 3}  # delivered before each put returned (auto_advance)
    put(ddb, "o1", "SHIPPED")
    ddb.update_item(
        TableName="Orders",
        Key={"id": {"S": "o2"}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "SHIPPED"}},
    )
    ddb.delete_item(TableName="Orders", Key={"id": {"S": "o3"}})
    assert counts() == {"SHIPPED": 2}
    put(ddb, "o1", "SHIPPED")  # an identical put makes no stream record, so no double count
    assert counts() == {"SHIPPED": 2}


# --- timing -----------------------------------------------------------------------------------


def test_without_auto_advance_delivery_waits_for_a_clock_move_in_batches(manual):
    batches = []
    manual.dynamodb.stream_consumer("Orders", batch_size=2, starting_position="TRIM_HORIZON")(
        lambda e, c: batches.append(ids(e))
    )
    for n in range(5):
        put(manual.dynamodb, f"o{n}")
    assert batches == []
    manual.clock.advance(0)
    assert batches == [["o0", "o1"], ["o2", "o3"], ["o4"]]


def test_starting_position_latest_skips_what_the_stream_already_holds(aws):
    put(aws.dynamodb, "before")
    latest, horizon = [], []
    aws.dynamodb.stream_consumer("Orders", starting_position="LATEST")(lambda e, c: latest.extend(ids(e)))
    aws.dynamodb.stream_consumer("Orders", starting_position="TRIM_HORIZON")(
        lambda e, c: horizon.extend(ids(e))
    )
    assert horizon == ["before"]  # delivered at registration
    put(aws.dynamodb, "after")
    assert latest == ["after"]
    assert horizon == ["before", "after"]


def test_writes_through_the_boto3_door_are_delivered_too(aws):
    boto3 = pytest.importorskip("boto3")
    seen = []
    aws.dynamodb.stream_consumer("Orders", starting_position="LATEST")(lambda e, c: seen.extend(ids(e)))
    with emulator.mock_aws(aws):
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.put_item(TableName="Orders", Item={"id": {"S": "via-boto3"}})
        assert seen == ["via-boto3"]


def test_remove_stream_consumer_stops_deliveries(aws):
    seen = []

    def consumer(event, context):
        seen.extend(ids(event))

    aws.dynamodb.stream_consumer("Orders", starting_position="LATEST")(consumer)
    put(aws.dynamodb, "o1")
    assert aws.dynamodb.remove_stream_consumer(consumer) == 1
    put(aws.dynamodb, "o2")
    assert seen == ["o1"]


# --- errors, retries, bisection ---------------------------------------------------------------


def test_raising_consumer_retries_the_same_batch_and_holds_back_later_records(manual):
    calls = []

    @manual.dynamodb.stream_consumer("Orders", starting_position="TRIM_HORIZON")
    def flaky(event, context):
        calls.append((manual.clock.now(), ids(event)))
        if len(calls) <= 2:
            raise RuntimeError("downstream unavailable")

    put(manual.dynamodb, "o1")
    start = manual.clock.now()
    manual.clock.advance(0)
    put(manual.dynamodb, "o2")  # written while o1's batch waits for its retry
    manual.clock.advance(10)
    assert [batch for _, batch in calls] == [["o1"], ["o1"], ["o1"], ["o2"]]
    assert [t - start for t, _ in calls[:3]] == [0, 1, 3]  # retries after 1 s, then 2 s


def test_bisect_isolates_a_poison_record_and_reports_it_to_on_failure(manual):
    calls, failures = [], []

    def consumer(event, context):
        calls.append(ids(event))
        if "bad" in ids(event):
            raise ValueError("cannot parse")

    manual.dynamodb.stream_consumer(
        "Orders",
        starting_position="TRIM_HORIZON",
        bisect_batch_on_function_error=True,
        maximum_retry_attempts=1,
        on_failure=failures.append,
    )(consumer)
    for order_id in ("a", "b", "bad", "d"):
        put(manual.dynamodb, order_id)
    manual.clock.advance(5)
    # splitting takes no retry: [bad] alone is retried once, then discarded
    assert calls == [["a", "b", "bad", "d"], ["a", "b"], ["bad", "d"], ["bad"], ["bad"], ["d"]]
    (failure,) = failures
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["requestContext"]["approximateInvokeCount"] == 2
    assert failure["requestContext"]["functionArn"].endswith(":function:consumer")
    assert failure["responseContext"]["functionError"] == "Unhandled"
    info = failure["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1
    assert info["startSequenceNumber"] == info["endSequenceNumber"]
    assert info["streamArn"].startswith("arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/")
    assert info["approximateArrivalOfFirstRecord"].endswith("Z")


def test_retries_exhausted_discards_the_whole_batch_without_bisect(manual):
    calls, failures = [], []

    def consumer(event, context):
        calls.append(ids(event))
        raise RuntimeError("always")

    manual.dynamodb.stream_consumer(
        "Orders", starting_position="TRIM_HORIZON", maximum_retry_attempts=2, on_failure=failures.append
    )(consumer)
    put(manual.dynamodb, "o1")
    put(manual.dynamodb, "o2")
    manual.clock.advance(60)
    assert calls == [["o1", "o2"]] * 3  # the first try and two retries
    assert [f["DDBStreamBatchInfo"]["batchSize"] for f in failures] == [2]


def test_maximum_record_age_discards_records_that_are_too_old(aws):
    failures, calls = [], []

    def consumer(event, context):
        calls.append(ids(event))
        if "o1" in ids(event):
            raise RuntimeError("always")

    aws.dynamodb.stream_consumer(
        "Orders", starting_position="LATEST", maximum_record_age_in_seconds=60, on_failure=failures.append
    )(consumer)
    start = aws.clock.now()
    put(aws.dynamodb, "o1")  # retried (1, 2, 4, ... s apart: auto_advance jumps the clock) until 60 s old
    assert aws.clock.now() - start == 63
    assert len(calls) == 6  # at 0, 1, 3, 7, 15 and 31 s; at 63 s the record is too old
    assert failures[0]["requestContext"]["condition"] == "RecordAgeExceeded"
    put(aws.dynamodb, "o2")
    assert calls[-1] == ["o2"]


def test_records_older_than_the_maximum_age_are_skipped_at_the_start(manual):
    put(manual.dynamodb, "old")
    manual.clock.advance(120)
    seen, failures = [], []
    manual.dynamodb.stream_consumer(
        "Orders",
        starting_position="TRIM_HORIZON",
        maximum_record_age_in_seconds=60,
        on_failure=failures.append,
    )(lambda e, c: seen.extend(ids(e)))
    put(manual.dynamodb, "new")
    manual.clock.advance(0)
    assert seen == ["new"]
    assert failures[0]["requestContext"]["condition"] == "RecordAgeExceeded"
    assert "responseContext" not in failures[0]  # never invoked


def test_records_go_in_order_per_shard_exactly_once(manual):
    seen = []
    manual.dynamodb.stream_consumer("Orders", batch_size=3, starting_position="TRIM_HORIZON")(
        lambda e, c: seen.extend((r["dynamodb"]["SequenceNumber"], r["eventName"]) for r in e["Records"])
    )
    for n in range(10):
        put(manual.dynamodb, f"o{n % 3}", status=str(n))
        if n % 4 == 0:
            manual.clock.advance(1)
    manual.clock.advance(1)
    numbers = [int(s) for s, _ in seen]
    assert len(numbers) == 10 and numbers == sorted(numbers) and len(set(numbers)) == 10
    assert [name for _, name in seen][:3] == ["INSERT", "INSERT", "INSERT"]


# --- filter criteria --------------------------------------------------------------------------


def pattern(obj):
    return {"Filters": [{"Pattern": json.dumps(obj)}]}


def test_filter_criteria_deliver_only_matching_records(manual):
    shipped = []
    manual.dynamodb.stream_consumer(
        "Orders",
        starting_position="TRIM_HORIZON",
        filter_criteria=pattern(
            {
                "eventName": ["INSERT", "MODIFY"],
                "dynamodb": {"NewImage": {"status": {"S": [{"prefix": "SHIP"}]}}},
            }
        ),
    )(lambda e, c: shipped.extend(ids(e)))
    put(manual.dynamodb, "o1", "NEW")
    put(manual.dynamodb, "o2", "SHIPPED")
    put(manual.dynamodb, "o1", "SHIPPING")
    manual.dynamodb.delete_item(TableName="Orders", Key={"id": {"S": "o2"}})
    manual.clock.advance(0)
    assert shipped == ["o2", "o1"]


@pytest.mark.parametrize(
    "rule, matches",
    [
        ({"dynamodb": {"NewImage": {"status": {"S": ["NEW"]}}}}, ["a"]),
        ({"dynamodb": {"NewImage": {"status": {"S": [{"anything-but": ["NEW", "LOST"]}]}}}}, ["b", "c"]),
        ({"dynamodb": {"NewImage": {"note": {"S": [{"exists": True}]}}}}, ["c"]),
        ({"dynamodb": {"NewImage": {"note": {"S": [{"exists": False}]}}}}, ["a", "b"]),
        ({"dynamodb": {"NewImage": {"note": [{"exists": True}]}}}, []),  # exists only on leaves
        ({"dynamodb": {"SizeBytes": [{"numeric": [">", 30, "<=", 1000]}]}}, ["c"]),
        ({"dynamodb": {"NewImage": {"qty": {"N": [{"numeric": [">", 0]}]}}}}, []),  # N is a string
        ({"dynamodb": {"NewImage": {"qty": {"N": ["5"]}}}}, ["b"]),
        (
            {
                "$or": [
                    {"dynamodb": {"Keys": {"id": {"S": ["a"]}}}},
                    {"dynamodb": {"NewImage": {"qty": {"N": ["5"]}}}},
                ]
            },
            ["a", "b"],
        ),
        ({"dynamodb": {"NewImage": {"status": {"S": [{"equals-ignore-case": "shipped"}]}}}}, ["b"]),
        ({"dynamodb": {"NewImage": {"status": {"S": [{"suffix": "ED"}]}}}}, ["b", "c"]),
    ],
)
def test_filter_rules(manual, rule, matches):
    seen = []
    manual.dynamodb.stream_consumer(
        "Orders", starting_position="TRIM_HORIZON", filter_criteria=pattern(rule)
    )(lambda e, c: seen.extend(ids(e)))
    put(manual.dynamodb, "a", "NEW")
    put(manual.dynamodb, "b", "SHIPPED", qty={"N": "5"})
    put(manual.dynamodb, "c", "CANCELLED", note={"S": "customer asked for a refund, twice"})
    manual.clock.advance(0)
    assert seen == matches


def test_filters_are_ored_and_matched_against_json():
    match = compile_criteria(
        {"Filters": [{"Pattern": '{"a": [1]}'}, {"Pattern": '{"b": {"c": [null, ""]}}'}]}
    )
    assert match({"a": 1.0}) and match({"a": [3, 1]})
    assert match({"b": {"c": None}}) and match({"b": {"c": ""}})
    assert not match({"a": "1"}) and not match({"b": {"c": "x"}}) and not match({"b": 1})
    assert compile_criteria(None) is None and compile_criteria({"Filters": []}) is None


@pytest.mark.parametrize(
    "criteria",
    [
        {"Filters": [{"Pattern": "not json"}]},
        {"Filters": [{"Pattern": "[]"}]},
        {"Filters": [{"Pattern": '{"a": "x"}'}]},
        {"Filters": [{"Pattern": '{"a": [{"numeric": ["!", 1]}]}'}]},
        {"Filters": [{"Pattern": '{"a": [{"wat": 1}]}'}]},
        {"Filters": [{"Pattern": '{"a": [1]}'}] * 6},
        {"Filter": []},
    ],
)
def test_invalid_filter_patterns_are_refused(criteria):
    with pytest.raises(FilterPatternError):
        compile_criteria(criteria)


# --- registration errors (CreateEventSourceMapping's) -----------------------------------------


def test_a_table_without_a_stream_is_refused():
    aws = emulator.Emulator()
    make_table(aws.dynamodb, "Plain", stream=None)
    with pytest.raises(aws.dynamodb.exceptions.ClientError) as err:
        aws.dynamodb.stream_consumer("Plain", starting_position="LATEST")(lambda e, c: None)
    assert err.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "Plain has no enabled stream" in err.value.response["Error"]["Message"]
    with pytest.raises(aws.dynamodb.exceptions.ClientError) as err:
        aws.dynamodb.stream_consumer("Missing", starting_position="LATEST")(lambda e, c: None)
    assert err.value.response["Error"]["Code"] == "InvalidParameterValueException"


@pytest.mark.parametrize(
    "settings, code, text",
    [
        (
            {"batch_size": 0},
            "ValidationException",
            "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1",
        ),
        ({"batch_size": 10_001}, "ValidationException", "less than or equal to 10000"),
        ({"maximum_retry_attempts": -2}, "ValidationException", "'maximumRetryAttempts'"),
        ({"maximum_record_age_in_seconds": 604_801}, "ValidationException", "'maximumRecordAgeInSeconds'"),
        ({"starting_position": "EARLIEST"}, "ValidationException", "[TRIM_HORIZON, LATEST, AT_TIMESTAMP]"),
        ({"starting_position": "AT_TIMESTAMP"}, "InvalidParameterValueException", "AT_TIMESTAMP"),
        (
            {"filter_criteria": {"Filters": [{"Pattern": "{"}]}},
            "InvalidParameterValueException",
            "Invalid filter pattern definition.",
        ),
    ],
)
def test_settings_lambda_refuses(aws, settings, code, text):
    options = {"starting_position": "LATEST", **settings}
    with pytest.raises(aws.dynamodb.exceptions.ClientError) as err:
        aws.dynamodb.stream_consumer("Orders", **options)
    assert err.value.response["Error"]["Code"] == code
    assert text in err.value.response["Error"]["Message"]


def test_a_stream_arn_names_the_stream_to_read(aws):
    arn = aws.dynamodb.describe_table(TableName="Orders")["Table"]["LatestStreamArn"]
    seen = []
    aws.dynamodb.stream_consumer(arn, starting_position="LATEST")(lambda e, c: seen.extend(ids(e)))
    put(aws.dynamodb, "o1")
    assert seen == ["o1"]
