"""Every clock move reaches DynamoDB's timed work, the scheduler's moves included.

A Step Functions Wait, retry interval or timeout moves the virtual clock to its due time before the
state after it runs, and that move is a clock move like ``aws.clock.advance``: the TTL sweep runs
(a subscriber), and what DynamoDB evaluates lazily against ``now()`` — stream iterator expiry,
stream record trimming, replica catch-up, the ClientRequestToken idempotency window — sees the new
time. Tested with both ``auto_advance`` settings: the world jumps by itself, or the test advances
once across the whole interval.
"""

from __future__ import annotations

import json

import pytest

import emulator
from emulator.dynamodb.ttl import DEFAULT_SWEEP_DELAY
from tests.stepfunctions.workflow_helpers import FN, ROLE, desc

TWO_HOURS = 7200
QUEUE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"


def make_table(aws, *, ttl: bool = False, stream: bool = False) -> None:
    extra = (
        {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}
        if stream
        else {}
    )
    aws.dynamodb.create_table(
        TableName="tbl",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        **extra,
    )
    if ttl:
        aws.dynamodb.update_time_to_live(
            TableName="tbl", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
        )


def run(aws, definition: dict, input_: dict | None = None) -> str:
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="sm", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    return sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_ or {}))["executionArn"]


def finish(aws, ex: str, interval: float) -> None:
    """Let the interval pass: by itself (auto_advance) — firing timeouts too — or by one advance."""
    if aws.clock.auto_advance:
        aws.stepfunctions.run_until_idle(include_timeouts=True)
    else:
        assert desc(aws, ex)["status"] == "RUNNING"
        aws.clock.advance(interval + 3600)
    assert desc(aws, ex)["status"] == "SUCCEEDED"


def read_task(aws, seen: list, *, fail_first: bool = False):
    @aws.stepfunctions.task(FN + "read")
    def read(event, context):
        item = aws.dynamodb.get_item(TableName="tbl", Key={"id": {"S": "k"}}).get("Item")
        seen.append((context.now(), item is not None))
        if fail_first and len(seen) == 1:
            raise RuntimeError("again")
        return {}


READ = {"Type": "Task", "Resource": FN + "read", "End": True}
INTERVALS = {
    "wait": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": TWO_HOURS, "Next": "R"}, "R": READ}},
    "retry": {
        "StartAt": "R",
        "States": {
            "R": {
                **READ,
                "Retry": [
                    {"ErrorEquals": ["States.ALL"], "IntervalSeconds": int(TWO_HOURS), "MaxAttempts": 1}
                ],
            }
        },
    },
    "timeout": {
        "StartAt": "Q",
        "States": {
            "Q": {
                "Type": "Task",
                "Resource": QUEUE,
                "TimeoutSeconds": int(TWO_HOURS),
                "Next": "R",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "R"}],
            },
            "R": READ,
        },
    },
}


@pytest.mark.parametrize("auto_advance", [True, False], ids=["auto_advance", "steered"])
@pytest.mark.parametrize("interval", sorted(INTERVALS))
def test_ttl_item_expiring_during_a_two_hour_interval_is_gone_after_it(interval, auto_advance):
    with emulator.Emulator(auto_advance=auto_advance) as aws:
        make_table(aws, ttl=True, stream=True)
        t0 = aws.clock.now()
        aws.dynamodb.put_item(TableName="tbl", Item={"id": {"S": "k"}, "exp": {"N": str(t0 + 1800)}})
        aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m"})
        seen: list = []
        read_task(aws, seen, fail_first=interval == "retry")
        ex = run(aws, INTERVALS[interval])
        finish(aws, ex, TWO_HOURS)
        assert seen[-1] == (t0 + TWO_HOURS, False)  # the Task after the interval: swept already
        arn = aws.dynamodb.describe_table(TableName="tbl")["Table"]["LatestStreamArn"]
        shard = aws.dynamodbstreams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0][
            "ShardId"
        ]
        it = aws.dynamodbstreams.get_shard_iterator(
            StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = aws.dynamodbstreams.get_records(ShardIterator=it)["Records"]
        assert [r["eventName"] for r in records] == ["INSERT", "REMOVE"]
        removed = records[1]
        assert removed["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
        swept_at = removed["dynamodb"]["ApproximateCreationDateTime"].timestamp()
        assert t0 + 1800 + DEFAULT_SWEEP_DELAY <= swept_at <= t0 + TWO_HOURS


@pytest.mark.parametrize("auto_advance", [True, False], ids=["auto_advance", "steered"])
def test_stream_iterator_expiry_and_trimming_follow_a_wait(auto_advance):
    with emulator.Emulator(auto_advance=auto_advance) as aws:
        make_table(aws, stream=True)
        aws.dynamodb.put_item(TableName="tbl", Item={"id": {"S": "k"}})
        streams = aws.dynamodbstreams
        arn = aws.dynamodb.describe_table(TableName="tbl")["Table"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
            "ShardIterator"
        ]
        day = 25 * 3600
        ex = run(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": day, "End": True}}})
        finish(aws, ex, day)
        with pytest.raises(Exception) as exc:  # 15-minute iterators
            streams.get_records(ShardIterator=it)
        assert exc.value.response["Error"]["Code"] == "ExpiredIteratorException"
        fresh = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
            "ShardIterator"
        ]
        assert streams.get_records(ShardIterator=fresh)["Records"] == []  # 24-hour retention


@pytest.mark.parametrize("auto_advance", [True, False], ids=["auto_advance", "steered"])
def test_replicas_catch_up_during_a_wait(auto_advance):
    with emulator.Emulator(auto_advance=auto_advance, replica_lag=5, seed=3) as aws:
        make_table(aws)
        aws.dynamodb.put_item(TableName="tbl", Item={"id": {"S": "k"}})
        seen: list = []

        @aws.stepfunctions.task(FN + "read")
        def read(event, context):
            for _ in range(10):  # every replica, whichever the seeded RNG picks
                seen.append("Item" in aws.dynamodb.get_item(TableName="tbl", Key={"id": {"S": "k"}}))
            return {}

        ex = run(
            aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "R"}, "R": READ}}
        )
        finish(aws, ex, 5)
        assert seen == [True] * 10


@pytest.mark.parametrize("auto_advance", [True, False], ids=["auto_advance", "steered"])
def test_client_request_token_window_follows_waits(auto_advance):
    with emulator.Emulator(auto_advance=auto_advance) as aws:
        make_table(aws)

        def write(value: str) -> str:
            try:
                aws.dynamodb.transact_write_items(
                    ClientRequestToken="token-0123456789abcdef",
                    TransactItems=[
                        {"Put": {"TableName": "tbl", "Item": {"id": {"S": "k"}, "v": {"S": value}}}}
                    ],
                )
            except Exception as exc:
                return exc.response["Error"]["Code"]
            return "ok"

        outcomes = [write("first")]
        aws.stepfunctions.task(FN + "write")(lambda event, context: outcomes.append(write("second")) or {})
        step = {"Type": "Task", "Resource": FN + "write"}
        ex = run(
            aws,
            {
                "StartAt": "W1",
                "States": {
                    "W1": {"Type": "Wait", "Seconds": 300, "Next": "A"},
                    "A": {**step, "Next": "W2"},
                    "W2": {"Type": "Wait", "Seconds": 360, "Next": "B"},
                    "B": {**step, "End": True},
                },
            },
        )
        finish(aws, ex, 660)
        # 5 min in: the same token with another request is refused; 11 min in: the window closed
        assert outcomes == ["ok", "IdempotentParameterMismatchException", "ok"]
