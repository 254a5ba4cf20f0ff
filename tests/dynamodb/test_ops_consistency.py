"""Read consistency through the operations (reference §16: EC1, EC2, CM4).

With the world's ``replica_lag`` > 0, reads without ``ConsistentRead=True`` are served by a replica
that applies the change log ``replica_lag`` seconds (virtual clock) after the leader; strongly
consistent reads always see the leader. With the default lag 0, every read is current.
"""

from __future__ import annotations

import pytest

import emulator

KEY = {"id": {"S": "a"}}


@pytest.fixture
def lagged():
    aws = emulator.Emulator(replica_lag=1.0, seed=3)
    ddb = aws.dynamodb
    ddb.create_table(
        TableName="lag",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return aws, ddb


def test_eventually_consistent_reads_lag_until_the_clock_moves(lagged):
    aws, ddb = lagged
    ddb.put_item(TableName="lag", Item={**KEY, "v": {"N": "1"}})
    assert ddb.get_item(TableName="lag", Key=KEY, ConsistentRead=True)["Item"]["v"] == {"N": "1"}
    assert "Item" not in ddb.get_item(TableName="lag", Key=KEY)
    assert ddb.scan(TableName="lag")["Count"] == 0
    assert (
        ddb.query(
            TableName="lag", KeyConditionExpression="id = :a", ExpressionAttributeValues={":a": {"S": "a"}}
        )["Count"]
        == 0
    )
    assert ddb.batch_get_item(RequestItems={"lag": {"Keys": [KEY]}})["Responses"] == {"lag": []}
    assert ddb.scan(TableName="lag", ConsistentRead=True)["Count"] == 1
    aws.clock.advance(1.0)
    assert ddb.get_item(TableName="lag", Key=KEY)["Item"]["v"] == {"N": "1"}
    assert ddb.scan(TableName="lag")["Count"] == 1
    assert ddb.batch_get_item(RequestItems={"lag": {"Keys": [KEY], "ConsistentRead": True}})["Responses"][
        "lag"
    ] == [{**KEY, "v": {"N": "1"}}]


def test_conditional_writes_use_the_leader(lagged):
    aws, ddb = lagged
    ddb.put_item(TableName="lag", Item={**KEY, "v": {"N": "1"}})
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException):
        ddb.put_item(TableName="lag", Item=KEY, ConditionExpression="attribute_not_exists(id)")


def test_default_lag_zero_reads_are_current(ddb):
    ddb.create_table(
        TableName="now",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(TableName="now", Item=KEY)
    assert ddb.get_item(TableName="now", Key=KEY)["Item"] == KEY


def test_gsi_propagates_after_the_lag():
    aws = emulator.Emulator(replica_lag=0.5, seed=4)
    ddb = aws.dynamodb
    ddb.create_table(
        TableName="lagi",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    query = {
        "TableName": "lagi",
        "IndexName": "gsi",
        "KeyConditionExpression": "g = :g",
        "ExpressionAttributeValues": {":g": {"S": "x"}},
    }
    ddb.put_item(TableName="lagi", Item={**KEY, "g": {"S": "x"}})
    assert ddb.query(**query)["Count"] == 0
    aws.clock.advance(0.5)
    assert ddb.query(**query)["Count"] == 1
    ddb.delete_item(TableName="lagi", Key=KEY)
    assert ddb.query(**query)["Count"] == 1  # the stale entry is still visible
    aws.clock.advance(0.5)
    assert ddb.query(**query)["Count"] == 0
    meta = aws.service("dynamodb").catalog.tables["lagi"]
    meta.indexes["gsi"]._check(meta.store.items())
