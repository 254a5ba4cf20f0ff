"""aws.snapshot() / Emulator.restore(snapshot): an equal, independent copy of a whole world."""

from __future__ import annotations

import json

import pytest

from emulator import Emulator
from emulator.snapshot import MAGIC, SnapshotError
from emulator.snapshot_pickler import MissingCallable
from tests.seeded_world import machine_arn, seeded_world, view


def test_restore_builds_an_equal_world():
    aws = seeded_world()
    copy = Emulator.restore(aws.snapshot())
    assert view(copy) == view(aws)


def test_restored_world_is_independent_of_the_original():
    aws = seeded_world()
    copy = Emulator.restore(aws.snapshot())
    copy.dynamodb.put_item(TableName="Things", Item={"id": {"S": "only-in-copy"}})
    aws.dynamodb.delete_item(TableName="Things", Key={"id": {"S": "i0"}})
    copy.clock.advance(hours=2)
    assert "Item" not in aws.dynamodb.get_item(TableName="Things", Key={"id": {"S": "only-in-copy"}})
    assert "Item" in copy.dynamodb.get_item(TableName="Things", Key={"id": {"S": "i0"}})
    assert aws.clock.now() < copy.clock.now()


def test_one_snapshot_restores_many_independent_worlds():
    snap = seeded_world().snapshot()
    first, second = Emulator.restore(snap), Emulator.restore(snap)
    first.dynamodb.delete_item(TableName="Things", Key={"id": {"S": "i1"}})
    assert second.dynamodb.scan(TableName="Things")["Count"] == 20


def test_restored_world_draws_the_same_ids_as_the_original_would():
    aws = seeded_world()
    copy = Emulator.restore(aws.snapshot())
    started = [
        w.stepfunctions.start_execution(stateMachineArn=machine_arn(w))["executionArn"] for w in (aws, copy)
    ]
    assert started[0] == started[1]


def test_stream_iterator_taken_before_the_snapshot_reads_the_same_records_after():
    aws = seeded_world()
    streams = aws.dynamodbstreams
    stream_arn = aws.dynamodb.describe_table(TableName="Things")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    first_page = streams.get_records(ShardIterator=iterator, Limit=5)
    copy = Emulator.restore(aws.snapshot())
    next_iterator = first_page["NextShardIterator"]
    restored = copy.dynamodbstreams.get_records(ShardIterator=next_iterator)
    original = streams.get_records(ShardIterator=next_iterator)
    assert len(restored["Records"]) == 15
    assert restored["Records"] == original["Records"]
    assert restored["NextShardIterator"] == original["NextShardIterator"]


def test_portable_snapshot_is_bytes_that_restore_reads():
    aws = seeded_world()
    data = aws.snapshot(portable=True)
    assert isinstance(data, bytes) and data.startswith(MAGIC)
    assert view(Emulator.restore(data)) == view(aws)


def test_snapshot_bytes_of_another_version_are_refused_not_misread():
    data = seeded_world().snapshot(portable=True)
    header_end = data.index(b"\n", len(MAGIC))
    header = json.loads(data[len(MAGIC) : header_end])
    forged = MAGIC + json.dumps({**header, "version": "0.0.1"}).encode() + data[header_end:]
    with pytest.raises(SnapshotError, match="written by emulator 0.0.1"):
        Emulator.restore(forged)
    with pytest.raises(SnapshotError, match="not an emulator snapshot"):
        Emulator.restore(b"something else")


def test_task_callable_defined_in_a_test_is_carried_by_reference_in_process():
    aws = Emulator(seed=1)
    calls = []

    def record(event, context):
        calls.append(event)
        return event

    aws.stepfunctions.task("arn:aws:lambda:us-east-1:123456789012:function:rec")(record)
    snap = aws.snapshot()
    with pytest.raises(SnapshotError, match="portable=True"):
        bytes(snap)
    registry = Emulator.restore(snap).stepfunctions.service.task_registry
    assert registry.functions["rec"] is record
    stand_in = Emulator.restore(aws.snapshot(portable=True)).stepfunctions.service.task_registry.functions[
        "rec"
    ]
    assert isinstance(stand_in, MissingCallable)
    with pytest.raises(RuntimeError, match="register it again"):
        stand_in({}, None)


def test_snapshot_of_a_world_with_a_running_workflow_restores_it_waiting():
    """A running execution (here waiting on an activity) is restored where it waits
    (tests/test_snapshot_running.py covers every kind of wait)."""
    aws = Emulator(seed=1, auto_advance=False)
    sfn = aws.stepfunctions
    activity = sfn.create_activity(name="work")["activityArn"]
    definition = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": activity, "End": True}}}
    ROLE = "arn:aws:iam::123456789012:role/r"
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    copy = Emulator.restore(aws.snapshot())
    token = copy.stepfunctions.get_activity_task(activityArn=activity)["taskToken"]
    copy.stepfunctions.send_task_success(taskToken=token, output='{"done": 1}')
    assert copy.stepfunctions.describe_execution(executionArn=run)["status"] == "SUCCEEDED"
    assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING"
