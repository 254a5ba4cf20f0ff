"""Replica lag through the DynamoDB API: ``Emulator(replica_lag=...)`` makes eventually consistent
GetItem/Query/Scan/BatchGetItem stale within the lag, never strongly consistent ones."""

from __future__ import annotations

import pytest

import emulator


@pytest.fixture
def lagged():
    world = emulator.Emulator(replica_lag=2.0, seed=7)
    ddb = world.dynamodb
    ddb.create_table(
        TableName="Lagged",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
    )
    yield world, ddb
    world.close()


KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}


def test_eventually_consistent_reads_lag_and_strong_reads_do_not(lagged):
    world, ddb = lagged
    ddb.put_item(TableName="Lagged", Item={**KEY, "v": {"S": "new"}})
    # the write is 0 s old on a frozen virtual clock: every replica is behind it
    assert "Item" not in ddb.get_item(TableName="Lagged", Key=KEY)
    assert ddb.get_item(TableName="Lagged", Key=KEY, ConsistentRead=True)["Item"]["v"] == {"S": "new"}
    q = ddb.query(
        TableName="Lagged", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}}
    )
    assert q["Items"] == []
    q = ddb.query(
        TableName="Lagged",
        KeyConditionExpression="pk = :p",
        ConsistentRead=True,
        ExpressionAttributeValues={":p": {"S": "a"}},
    )
    assert q["Count"] == 1
    assert ddb.scan(TableName="Lagged")["Count"] == 0
    assert ddb.scan(TableName="Lagged", ConsistentRead=True)["Count"] == 1
    got = ddb.batch_get_item(RequestItems={"Lagged": {"Keys": [KEY]}})["Responses"]["Lagged"]
    assert got == []


def test_after_advancing_the_lag_every_read_is_current(lagged):
    world, ddb = lagged
    ddb.put_item(TableName="Lagged", Item={**KEY, "v": {"S": "one"}})
    world.clock.advance(2.0)
    for _ in range(4):
        assert ddb.get_item(TableName="Lagged", Key=KEY)["Item"]["v"] == {"S": "one"}
    ddb.put_item(TableName="Lagged", Item={**KEY, "v": {"S": "two"}})
    seen = {ddb.get_item(TableName="Lagged", Key=KEY)["Item"]["v"]["S"] for _ in range(10)}
    assert seen == {"one"}  # both replicas still show the previous state
    world.clock.advance(2.0)
    assert {ddb.get_item(TableName="Lagged", Key=KEY)["Item"]["v"]["S"] for _ in range(6)} == {"two"}


def test_default_world_reads_its_writes(ddb):
    ddb.create_table(
        TableName="Default",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    ddb.put_item(TableName="Default", Item={"id": {"S": "x"}})
    assert ddb.get_item(TableName="Default", Key={"id": {"S": "x"}})["Item"] == {"id": {"S": "x"}}
    assert ddb.scan(TableName="Default")["Count"] == 1
