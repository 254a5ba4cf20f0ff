"""Regions and accounts: one Emulator holds any number of (account, region) partitions.

AWS keeps every table, stream, state machine, execution and activity in one account and region:
a client of another region or account does not see it, the same name may exist in both, and ARNs
name the partition. The door tests run natively (``aws.client(..., region_name=, account_id=)``),
through the boto3 hook (the client's region and access key id) and over HTTP (the SigV4 credential
scope of the ``Authorization`` header; a 12-digit access key id names the account).
"""

from __future__ import annotations

import json

import pytest

import emulator
from emulator.partition import Partition
from emulator.wire.scope import partition_of
from tests.conftest import error_of

KEYS = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
ROLE = "arn:aws:iam::123456789012:role/sfn"
OTHER_ACCOUNT = "111122223333"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


# --- DynamoDB -------------------------------------------------------------------------------------
def test_a_table_in_one_region_is_invisible_from_another(door_client):
    east = door_client("dynamodb")
    west = door_client("dynamodb", region_name="us-west-2")
    east.create_table(TableName="Orders", **KEYS)
    assert east.list_tables()["TableNames"] == ["Orders"]
    assert west.list_tables()["TableNames"] == []
    with pytest.raises(Exception) as excinfo:
        west.describe_table(TableName="Orders")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        "Requested resource not found: Table: Orders not found",
    )
    with pytest.raises(Exception) as excinfo:
        west.get_item(TableName="Orders", Key={"id": {"S": "a"}})
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_the_same_table_name_in_two_regions_holds_two_tables(door_client):
    east = door_client("dynamodb")
    west = door_client("dynamodb", region_name="eu-west-1")
    east_arn = east.create_table(TableName="Orders", **KEYS)["TableDescription"]["TableArn"]
    west_arn = west.create_table(TableName="Orders", **KEYS)["TableDescription"]["TableArn"]
    assert east_arn == "arn:aws:dynamodb:us-east-1:123456789012:table/Orders"
    assert west_arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders"
    east.put_item(TableName="Orders", Item={"id": {"S": "a"}, "where": {"S": "east"}})
    west.put_item(TableName="Orders", Item={"id": {"S": "a"}, "where": {"S": "west"}})
    assert east.get_item(TableName="Orders", Key={"id": {"S": "a"}})["Item"]["where"] == {"S": "east"}
    assert west.get_item(TableName="Orders", Key={"id": {"S": "a"}})["Item"]["where"] == {"S": "west"}
    west.delete_table(TableName="Orders")
    assert east.describe_table(TableName="Orders")["Table"]["TableStatus"] == "ACTIVE"


def test_accounts_are_partitions_too(door_client):
    mine = door_client("dynamodb")
    theirs = door_client("dynamodb", account_id=OTHER_ACCOUNT)
    arn = theirs.create_table(TableName="Orders", **KEYS)["TableDescription"]["TableArn"]
    assert arn == f"arn:aws:dynamodb:us-east-1:{OTHER_ACCOUNT}:table/Orders"
    assert mine.list_tables()["TableNames"] == []
    theirs.put_item(TableName=arn, Item={"id": {"S": "a"}})  # W11: TableName may hold the ARN
    assert theirs.get_item(TableName="Orders", Key={"id": {"S": "a"}})["Item"] == {"id": {"S": "a"}}


def test_streams_live_in_their_tables_partition(door_client):
    west = door_client("dynamodb", region_name="us-west-2")
    desc = west.create_table(
        TableName="Orders", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}, **KEYS
    )["TableDescription"]
    assert desc["LatestStreamArn"].startswith("arn:aws:dynamodb:us-west-2:123456789012:table/Orders/stream/")
    west.put_item(TableName="Orders", Item={"id": {"S": "a"}})
    west_streams = door_client("dynamodbstreams", region_name="us-west-2")
    east_streams = door_client("dynamodbstreams")
    assert east_streams.list_streams()["Streams"] == []
    (stream,) = west_streams.list_streams()["Streams"]
    assert stream["StreamArn"] == desc["LatestStreamArn"]
    shard = west_streams.describe_stream(StreamArn=stream["StreamArn"])["StreamDescription"]["Shards"][0]
    it = west_streams.get_shard_iterator(
        StreamArn=stream["StreamArn"], ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    (record,) = west_streams.get_records(ShardIterator=it)["Records"]
    assert record["awsRegion"] == "us-west-2"


def test_each_partition_draws_its_own_seeded_ids():
    aws = emulator.Emulator(seed=7)
    ids = set()
    for region in ("us-east-1", "us-west-2"):
        ddb = aws.client("dynamodb", region_name=region)
        ids.add(ddb.create_table(TableName="Orders", **KEYS)["TableDescription"]["TableId"])
    assert len(ids) == 2
    again = emulator.Emulator(seed=7).client("dynamodb", region_name="us-west-2")
    assert again.create_table(TableName="Orders", **KEYS)["TableDescription"]["TableId"] in ids


# --- Step Functions -------------------------------------------------------------------------------
def test_state_machines_executions_and_activities_carry_their_partition(door_client):
    east = door_client("stepfunctions")
    west = door_client("stepfunctions", region_name="eu-central-1", account_id=OTHER_ACCOUNT)
    sm = west.create_state_machine(name="Flow", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    assert sm == f"arn:aws:states:eu-central-1:{OTHER_ACCOUNT}:stateMachine:Flow"
    run = west.start_execution(stateMachineArn=sm, name="run1")["executionArn"]
    assert run == f"arn:aws:states:eu-central-1:{OTHER_ACCOUNT}:execution:Flow:run1"
    activity = west.create_activity(name="Work")["activityArn"]
    assert activity == f"arn:aws:states:eu-central-1:{OTHER_ACCOUNT}:activity:Work"
    assert east.list_state_machines()["stateMachines"] == []
    assert east.list_activities()["activities"] == []
    with pytest.raises(Exception) as excinfo:
        east.describe_execution(executionArn=run)
    assert error_of(excinfo)[0] == "ExecutionDoesNotExist"
    # the same name in the default partition is another state machine
    mine = east.create_state_machine(name="Flow", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    assert mine == "arn:aws:states:us-east-1:123456789012:stateMachine:Flow"
    assert [m["stateMachineArn"] for m in west.list_state_machines()["stateMachines"]] == [sm]


def test_a_workflows_dynamodb_tasks_act_in_its_own_partition(door_client):
    west_ddb = door_client("dynamodb", region_name="us-west-2")
    east_ddb = door_client("dynamodb")
    for ddb in (west_ddb, east_ddb):
        ddb.create_table(TableName="Orders", **KEYS)
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "End": True,
                "Parameters": {"TableName": "Orders", "Item": {"id": {"S": "from-workflow"}}},
            }
        },
    }
    west = door_client("stepfunctions", region_name="us-west-2")
    sm = west.create_state_machine(name="Put", definition=json.dumps(definition), roleArn=ROLE)
    run = west.start_execution(stateMachineArn=sm["stateMachineArn"])["executionArn"]
    assert west.describe_execution(executionArn=run)["status"] == "SUCCEEDED"
    assert west_ddb.get_item(TableName="Orders", Key={"id": {"S": "from-workflow"}})["Item"]
    assert "Item" not in east_ddb.get_item(TableName="Orders", Key={"id": {"S": "from-workflow"}})


def test_a_registered_task_answers_every_partition_with_its_own_function_arn(aws, door_client):
    seen = []

    @aws.stepfunctions.task("Echo")
    def echo(event, context):
        seen.append(context.invoked_function_arn)
        return event

    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "OutputPath": "$.Payload",
                "Parameters": {"FunctionName": "Echo", "Payload.$": "$"},
                "End": True,
            }
        },
    }
    for region in ("us-east-1", "ap-south-1"):
        sfn = door_client("stepfunctions", region_name=region)
        sm = sfn.create_state_machine(name="Echo", definition=json.dumps(definition), roleArn=ROLE)
        run = sfn.start_execution(stateMachineArn=sm["stateMachineArn"], input='{"a": 1}')["executionArn"]
        assert sfn.describe_execution(executionArn=run)["output"] == '{"a":1}'
    assert seen == [
        "arn:aws:lambda:us-east-1:123456789012:function:Echo",
        "arn:aws:lambda:ap-south-1:123456789012:function:Echo",
    ]


# --- the native door and the world -----------------------------------------------------------------
def test_native_clients_of_a_partition_are_shaped_like_boto3s_and_reused():
    aws = emulator.Emulator(region="eu-west-1", account_id=OTHER_ACCOUNT)
    assert aws.client("dynamodb") is aws.dynamodb
    assert aws.client("dynamodb", region_name="eu-west-1", account_id=OTHER_ACCOUNT) is aws.dynamodb
    other = aws.client("dynamodb", region_name="us-east-2")
    assert other is aws.client("dynamodb", region_name="us-east-2") and other is not aws.dynamodb
    assert (
        other.create_table(TableName="Orders", **KEYS)["TableDescription"]["TableArn"]
        == f"arn:aws:dynamodb:us-east-2:{OTHER_ACCOUNT}:table/Orders"
    )
    assert aws.dynamodb.list_tables()["TableNames"] == []


@pytest.mark.parametrize(
    "options", [{"region": "not a region"}, {"account_id": "12345"}, {"account_id": "abcdefghijkl"}]
)
def test_invalid_default_region_or_account_is_refused(options):
    with pytest.raises(ValueError):
        emulator.Emulator(**options)


@pytest.mark.parametrize("kwargs", [{"region_name": "us east 1"}, {"account_id": "1234"}])
def test_invalid_partition_of_a_native_client_is_refused(kwargs):
    with pytest.raises(ValueError):
        emulator.Emulator().client("dynamodb", **kwargs)


# --- the wire's credential scope -----------------------------------------------------------------
def _auth(key: str, region: str) -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential={key}/20261207/{region}/dynamodb/aws4_request, "
        f"SignedHeaders=host;x-amz-date, Signature=abc"
    )


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        (None, ("123456789012", "us-east-1")),
        ("", ("123456789012", "us-east-1")),
        ("Bearer xyz", ("123456789012", "us-east-1")),
        (_auth("AKIAEXAMPLE", "eu-west-1"), ("123456789012", "eu-west-1")),
        (_auth(OTHER_ACCOUNT, "eu-west-1"), (OTHER_ACCOUNT, "eu-west-1")),
        (_auth(OTHER_ACCOUNT, "not a region"), (OTHER_ACCOUNT, "us-east-1")),
        ("AWS4-HMAC-SHA256 Credential=AKIA/20261207", ("123456789012", "us-east-1")),
        (
            "AWS4-HMAC-SHA256 Credential=111122223333/20261207/ap-south-1/states/aws4_request",
            (OTHER_ACCOUNT, "ap-south-1"),
        ),
    ],
)
def test_the_credential_scope_names_the_partition(authorization, expected):
    world = emulator.Emulator()
    assert partition_of(world, authorization) == Partition(*expected)


def test_the_http_server_answers_in_the_signed_region():
    """Over HTTP, ``aws --region eu-west-1`` (any SDK) gets eu-west-1 ARNs."""
    import boto3

    from emulator.wire.server import EmulatorServer

    aws = emulator.Emulator()
    with EmulatorServer(aws, port=0) as server:
        client = boto3.client(
            "dynamodb",
            region_name="eu-west-1",
            endpoint_url=server.endpoint_url,
            aws_access_key_id="AKIAEXAMPLE",
            aws_secret_access_key="x",
        )
        arn = client.create_table(TableName="Orders", **KEYS)["TableDescription"]["TableArn"]
    assert arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders"
    assert aws.client("dynamodb", region_name="eu-west-1").list_tables()["TableNames"] == ["Orders"]
    assert aws.dynamodb.list_tables()["TableNames"] == []


@pytest.mark.parametrize(("flag", "value"), [("--region", "not a region"), ("--account-id", "42")])
def test_serve_refuses_a_malformed_default_partition_without_a_traceback(flag, value, capsys):
    from emulator.cli import main

    assert main(["serve", "--port", "0", flag, value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("emulator serve: invalid ") and "Traceback" not in err


def test_one_clock_runs_every_partitions_timers_in_time_order():
    """The clock's one event queue serves all partitions: advancing it runs exactly what is due."""
    aws = emulator.Emulator(auto_advance=False)
    runs = {}
    for region, seconds in (("us-east-1", 10), ("eu-west-1", 5)):
        sfn = aws.client("stepfunctions", region_name=region)
        definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}}
        sm = sfn.create_state_machine(name="Wait", definition=json.dumps(definition), roleArn=ROLE)
        runs[region] = (sfn, sfn.start_execution(stateMachineArn=sm["stateMachineArn"])["executionArn"])
    status = {r: sfn.describe_execution(executionArn=arn)["status"] for r, (sfn, arn) in runs.items()}
    assert status == {"us-east-1": "RUNNING", "eu-west-1": "RUNNING"}
    aws.clock.advance(6)
    status = {r: sfn.describe_execution(executionArn=arn)["status"] for r, (sfn, arn) in runs.items()}
    assert status == {"us-east-1": "RUNNING", "eu-west-1": "SUCCEEDED"}
    aws.clock.advance(4)
    sfn, arn = runs["us-east-1"]
    assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
