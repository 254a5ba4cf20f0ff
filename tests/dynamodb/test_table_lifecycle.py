"""The table lifecycle you can observe: ``Emulator(table_transition_seconds=T)`` (rules LC1-LC4,
docs/dynamodb-conformance.md), through the three doors. Time moves only when the test (or a native
waiter's delay) moves the virtual clock."""

from __future__ import annotations

import json

import pytest

import emulator
from tests.dynamodb.door_helpers import create_hash_table, err

pytestmark = pytest.mark.emulator(table_transition_seconds=5)

KEY = {"id": {"S": "a"}}


def status(ddb, name: str = "orders") -> str:
    return ddb.describe_table(TableName=name)["Table"]["TableStatus"]


def test_create_table_is_creating_until_the_transition_time_has_passed(ddb, aws):
    created = ddb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert created["TableDescription"]["TableStatus"] == "CREATING"
    aws.clock.advance(4.999)
    assert status(ddb) == "CREATING"
    assert ddb.list_tables()["TableNames"] == ["orders"]
    aws.clock.advance(0.001)
    assert status(ddb) == "ACTIVE"
    ddb.put_item(TableName="orders", Item=KEY)


def test_data_plane_calls_on_a_creating_table_are_resource_not_found(ddb):
    create_hash_table(ddb, "orders")
    expected = ("ResourceNotFoundException", "Requested resource not found")
    assert err(ddb.put_item, TableName="orders", Item=KEY) == expected
    assert err(ddb.get_item, TableName="orders", Key=KEY) == expected
    assert (
        err(
            ddb.query,
            TableName="orders",
            KeyConditionExpression="id = :a",
            ExpressionAttributeValues={":a": {"S": "a"}},
        )
        == expected
    )
    assert err(ddb.scan, TableName="orders") == expected


def test_changes_to_a_creating_table_are_resource_in_use(ddb):
    create_hash_table(ddb, "orders")
    in_use = (
        "ResourceInUseException",
        "Attempt to change a resource which is still in use: Table is being created: orders",
    )
    assert err(ddb.delete_table, TableName="orders") == in_use
    assert err(ddb.update_table, TableName="orders", DeletionProtectionEnabled=True) == in_use
    assert err(create_hash_table, ddb=ddb, name="orders") == in_use
    arn = ddb.describe_table(TableName="orders")["Table"]["TableArn"]
    assert err(ddb.get_resource_policy, ResourceArn=arn) == (
        "ResourceNotFoundException",
        "Requested resource not found: Table: orders not found",
    )


def test_update_table_is_updating_and_data_keeps_flowing(ddb, aws):
    create_hash_table(ddb, "orders")
    aws.clock.advance(5)
    answer = ddb.update_table(
        TableName="orders",
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    assert answer["TableDescription"]["TableStatus"] == "UPDATING"
    ddb.put_item(TableName="orders", Item=KEY)  # UT1: data operations keep working
    assert ddb.get_item(TableName="orders", Key=KEY)["Item"] == KEY
    in_use = (
        "ResourceInUseException",
        "Attempt to change a resource which is still in use: Table is being updated: orders",
    )
    assert err(ddb.update_table, TableName="orders", DeletionProtectionEnabled=True) == in_use
    assert err(ddb.delete_table, TableName="orders") == in_use
    arn = ddb.describe_table(TableName="orders")["Table"]["TableArn"]
    doc = json.dumps(
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]}
    )
    ddb.put_resource_policy(ResourceArn=arn, Policy=doc)  # admitted while UPDATING
    aws.clock.advance(5)
    assert status(ddb) == "ACTIVE"


def test_a_new_gsi_is_creating_and_backfilling_while_the_table_is_updating(ddb, aws):
    create_hash_table(ddb, "orders")
    aws.clock.advance(5)
    ddb.put_item(TableName="orders", Item={"id": {"S": "a"}, "day": {"S": "mon"}})
    ddb.update_table(
        TableName="orders",
        AttributeDefinitions=[{"AttributeName": "day", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "byDay",
                    "KeySchema": [{"AttributeName": "day", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            }
        ],
    )
    (gsi,) = ddb.describe_table(TableName="orders")["Table"]["GlobalSecondaryIndexes"]
    assert (gsi["IndexStatus"], gsi["Backfilling"]) == ("CREATING", True)
    aws.clock.advance(5)
    table = ddb.describe_table(TableName="orders")["Table"]
    (gsi,) = table["GlobalSecondaryIndexes"]
    assert (table["TableStatus"], gsi["IndexStatus"], "Backfilling" in gsi) == ("ACTIVE", "ACTIVE", False)


def test_gsis_of_a_creating_table_are_creating(ddb, aws):
    ddb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "day", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "byDay",
                "KeySchema": [{"AttributeName": "day", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    assert (
        ddb.describe_table(TableName="orders")["Table"]["GlobalSecondaryIndexes"][0]["IndexStatus"]
        == "CREATING"
    )
    aws.clock.advance(5)
    assert (
        ddb.describe_table(TableName="orders")["Table"]["GlobalSecondaryIndexes"][0]["IndexStatus"]
        == "ACTIVE"
    )


def test_delete_table_is_deleting_then_gone(ddb, aws):
    create_hash_table(ddb, "orders")
    aws.clock.advance(5)
    assert ddb.delete_table(TableName="orders")["TableDescription"]["TableStatus"] == "DELETING"
    assert status(ddb) == "DELETING"
    assert ddb.list_tables()["TableNames"] == ["orders"]
    assert err(ddb.get_item, TableName="orders", Key=KEY) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )
    in_use = (
        "ResourceInUseException",
        "Attempt to change a resource which is still in use: Table is being deleted: orders",
    )
    assert err(ddb.delete_table, TableName="orders") == in_use
    assert err(ddb.update_table, TableName="orders", DeletionProtectionEnabled=True) == in_use
    assert err(create_hash_table, ddb=ddb, name="orders") == (
        "ResourceInUseException",
        "Table already exists: orders",
    )
    aws.clock.advance(5)
    assert err(ddb.describe_table, TableName="orders") == (
        "ResourceNotFoundException",
        "Requested resource not found: Table: orders not found",
    )
    assert ddb.list_tables()["TableNames"] == []


def test_a_policy_of_a_deleting_table_can_be_read_but_not_changed(ddb, aws):
    create_hash_table(ddb, "orders")
    aws.clock.advance(5)
    arn = ddb.describe_table(TableName="orders")["Table"]["TableArn"]
    doc = json.dumps(
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]}
    )
    revision = ddb.put_resource_policy(ResourceArn=arn, Policy=doc)["RevisionId"]
    ddb.delete_table(TableName="orders")
    assert ddb.get_resource_policy(ResourceArn=arn)["RevisionId"] == revision
    in_use = (
        "ResourceInUseException",
        "Attempt to change a resource which is still in use: Table is being deleted: orders",
    )
    assert err(ddb.put_resource_policy, ResourceArn=arn, Policy=doc.replace("GetItem", "PutItem")) == in_use
    assert err(ddb.delete_resource_policy, ResourceArn=arn) == in_use


def test_a_users_own_backoff_loop_sees_the_table_become_active(ddb, aws):
    """Exponential backoff on the world's clock: 1 + 2 + 4 seconds of polling."""
    create_hash_table(ddb, "orders")
    delay, waited = 1.0, []
    while status(ddb) != "ACTIVE":
        aws.clock.sleep(delay)
        waited.append(delay)
        delay *= 2
    assert waited == [1.0, 2.0, 4.0]


@pytest.mark.native_only
def test_boto3_waiters_wait_on_the_virtual_clock(aws):
    """The native waiter spends its delay on the world's clock, so it sees the transitions."""
    ddb = aws.dynamodb
    start = aws.clock.now()
    create_hash_table(ddb, "orders")
    ddb.get_waiter("table_exists").wait(TableName="orders", WaiterConfig={"Delay": 2, "MaxAttempts": 5})
    assert (status(ddb), aws.clock.now() - start) == ("ACTIVE", 6)
    ddb.delete_table(TableName="orders")
    ddb.get_waiter("table_not_exists").wait(TableName="orders", WaiterConfig={"Delay": 20, "MaxAttempts": 5})
    assert aws.clock.now() - start == 26


@pytest.mark.emulator(table_transition_seconds=0)
def test_by_default_tables_are_active_at_once_and_gone_at_once(ddb):
    answer = create_hash_table(ddb, "orders")
    assert status(ddb, answer) == "ACTIVE"
    ddb.put_item(TableName="orders", Item=KEY)
    assert ddb.delete_table(TableName="orders")["TableDescription"]["TableStatus"] == "DELETING"
    assert ddb.list_tables()["TableNames"] == []


@pytest.mark.parametrize("bad", [-1, float("inf"), float("nan")])
def test_the_transition_time_is_checked(bad):
    with pytest.raises(ValueError, match="table_transition_seconds must be >= 0 and finite"):
        emulator.Emulator(table_transition_seconds=bad)
    with pytest.raises(TypeError, match="table_transition_seconds must be a number of seconds"):
        emulator.Emulator(table_transition_seconds="5")
