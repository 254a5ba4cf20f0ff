"""moto's ``mock_aws`` and ours in one test: we answer DynamoDB, Streams and Step Functions, moto
answers everything else, in either nesting order, with no configuration.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os

import aiobotocore.session
import boto3
import pytest
from moto import mock_aws as moto_mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.botocore_stubber import BotocoreStubber
from moto.dynamodb.models import dynamodb_backends
from moto.stepfunctions.models import stepfunctions_backends

import emulator
from emulator.wire import moto_coexistence

REGION = "us-east-1"
HASH = {
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
ROLE = "arn:aws:iam::123456789012:role/r"


@pytest.fixture(autouse=True)
def region(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@contextlib.contextmanager
def both(order: str):
    """moto's mock_aws and ours, entered in ``order``; yields our Emulator."""
    if order == "moto_outside":
        with moto_mock_aws(), emulator.mock_aws() as aws:
            yield aws
    else:
        with emulator.mock_aws() as aws, moto_mock_aws():
            yield aws


def moto_tables() -> list[str]:
    return list(dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables)


@pytest.mark.parametrize("order", ["moto_outside", "moto_inside"])
def test_moto_s3_and_our_dynamodb_in_one_test(order):
    with both(order) as aws:
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="my-bucket")
        s3.put_object(Bucket="my-bucket", Key="k", Body=b"from moto")
        ddb = boto3.client("dynamodb")
        ddb.create_table(TableName="orders", **HASH)
        ddb.put_item(TableName="orders", Item={"pk": {"S": "o1"}, "body": {"S": "from the emulator"}})

        assert s3.get_object(Bucket="my-bucket", Key="k")["Body"].read() == b"from moto"
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["my-bucket"]
        assert aws.dynamodb.get_item(TableName="orders", Key={"pk": {"S": "o1"}})["Item"]["body"] == {
            "S": "from the emulator"
        }
        assert moto_tables() == []  # moto never saw the table
        with pytest.raises(ddb.exceptions.ResourceNotFoundException) as missing:
            ddb.describe_table(TableName="nope")
        assert (
            missing.value.response["Error"]["Message"]
            == "Requested resource not found: Table: nope not found"
        )


@pytest.mark.parametrize("order", ["moto_outside", "moto_inside"])
def test_streams_and_step_functions_are_ours_too_under_moto(order):
    with both(order) as aws:
        arn = boto3.client("stepfunctions").create_state_machine(name="m", definition=PASS, roleArn=ROLE)[
            "stateMachineArn"
        ]
        assert aws.stepfunctions.describe_state_machine(stateMachineArn=arn)["name"] == "m"
        assert stepfunctions_backends[DEFAULT_ACCOUNT_ID][REGION].state_machines == []
        boto3.client("dynamodb").create_table(
            TableName="tbl",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
            **HASH,
        )
        streams = boto3.client("dynamodbstreams").list_streams()["Streams"]
        assert [s["TableName"] for s in streams] == ["tbl"]
        # everything else is moto's
        assert boto3.client("sqs").create_queue(QueueName="q")["QueueUrl"].endswith("/q")
        assert boto3.client("sts").get_caller_identity()["Account"] == DEFAULT_ACCOUNT_ID


@pytest.mark.parametrize("order", ["moto_outside", "moto_inside"])
def test_aiobotocore_dynamodb_is_ours_under_moto(order):
    async def run():
        async with aiobotocore.session.get_session().create_client("dynamodb") as ddb:
            await ddb.create_table(TableName="tbl", **HASH)
            return (await ddb.list_tables())["TableNames"]

    with both(order) as aws:
        assert asyncio.run(run()) == ["tbl"]
        assert aws.dynamodb.list_tables()["TableNames"] == ["tbl"] and moto_tables() == []


def test_leaving_ours_inside_moto_hands_dynamodb_back_to_moto():
    stubber_call = BotocoreStubber.__dict__["__call__"]
    with moto_mock_aws():
        ddb = boto3.client("dynamodb")
        with emulator.mock_aws():
            assert BotocoreStubber.__dict__["__call__"] is moto_coexistence._stubber_call
            ddb.create_table(TableName="ours", **HASH)
        assert BotocoreStubber.__dict__["__call__"] is stubber_call
        ddb.create_table(TableName="motos", **HASH)
        assert ddb.list_tables()["TableNames"] == ["motos"]


def test_leaving_moto_inside_ours_keeps_ours_answering():
    env_before = dict(os.environ)
    with emulator.mock_aws() as aws:
        with moto_mock_aws():
            boto3.client("s3").create_bucket(Bucket="my-bucket")
        boto3.client("dynamodb").create_table(TableName="tbl", **HASH)
        assert aws.dynamodb.list_tables()["TableNames"] == ["tbl"]
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"  # ours again after moto's are put back
    assert dict(os.environ) == env_before
