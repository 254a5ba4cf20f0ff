"""The pytest plugin, as a user's project sees it: a separate pytest run over the README example."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

README_EXAMPLE = """
import json

import boto3


def test_native_clients(dynamodb, stepfunctions, aws):
    dynamodb.create_table(TableName="users", BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    dynamodb.put_item(TableName="users", Item={"id": {"S": "u1"}, "name": {"S": "Ada"}})
    assert dynamodb.get_item(TableName="users", Key={"id": {"S": "u1"}})["Item"]["name"] == {"S": "Ada"}


def test_existing_boto3_code(mocked_aws):
    table = boto3.resource("dynamodb").create_table(
        TableName="users", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    table.put_item(Item={"id": "u1", "visits": 1})
    assert table.get_item(Key={"id": "u1"})["Item"]["visits"] == 1
    assert mocked_aws.dynamodb.list_tables()["TableNames"] == ["users"]   # same Emulator


def test_any_sdk_over_http(emulator_server):
    sfn = boto3.client("stepfunctions", endpoint_url=emulator_server.endpoint_url, region_name="us-east-1",
                       aws_access_key_id="x", aws_secret_access_key="y")
    definition = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "hi", "End": True}}}
    arn = sfn.create_state_machine(name="hello", definition=json.dumps(definition),
                                   roleArn="arn:aws:iam::123456789012:role/any")["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn)
    assert sfn.describe_execution(executionArn=run["executionArn"])["status"] in ("RUNNING", "SUCCEEDED")
"""


# A test that points the shared server at its own Emulator does so for that test only.
SERVER_WORLD_PER_TEST = """
import boto3


def client(server):
    return boto3.client("dynamodb", endpoint_url=server.endpoint_url, region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="y")


def test_1_a_test_serves_its_own_emulator(emulator_server, aws):
    emulator_server.world = aws
    client(emulator_server).create_table(
        TableName="mine", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])


def test_2_the_next_test_gets_the_session_emulator_back(emulator_server, aws):
    assert emulator_server.world is not aws
    assert type(emulator_server.world.clock).__name__ == "SystemClock"
    assert client(emulator_server).list_tables()["TableNames"] == []
"""


# With a region configured for boto3, the fixtures' Emulator is in that region too.
REGION_FROM_ENVIRONMENT = """
import boto3
import pytest


@pytest.fixture(autouse=True)
def configured_region(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")


def test_arns_name_the_clients_region(mocked_aws):
    client = boto3.client("dynamodb")
    arn = client.create_table(
        TableName="users", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])["TableDescription"]["TableArn"]
    assert client.meta.region_name == mocked_aws.region == "eu-west-1"
    assert arn.startswith("arn:aws:dynamodb:eu-west-1:")
"""


# @pytest.mark.emulator(...) passes options to the test's Emulator: a clock only the test moves.
STEERED_CLOCK = """
import json

import pytest

WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def start(stepfunctions):
    arn = stepfunctions.create_state_machine(name="w", definition=json.dumps(WAIT),
                                             roleArn="arn:aws:iam::123456789012:role/any")["stateMachineArn"]
    return stepfunctions.start_execution(stateMachineArn=arn)["executionArn"]


@pytest.mark.emulator(auto_advance=False)
def test_the_test_moves_time(aws, stepfunctions):
    ex = start(stepfunctions)
    assert stepfunctions.describe_execution(executionArn=ex)["status"] == "RUNNING"
    aws.clock.advance(hours=1)
    assert stepfunctions.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"


def test_unmarked_tests_keep_auto_advance(stepfunctions):
    ex = start(stepfunctions)
    assert stepfunctions.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
"""


# @pytest.mark.emulator_faults(...) injects faults into that test's Emulator only.
FAULT_MARKER = """
import pytest

TABLE = dict(TableName="users", BillingMode="PAY_PER_REQUEST",
             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
             AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])


@pytest.mark.emulator_faults(dict(service="dynamodb", operation="PutItem", error="InternalServerError", times=1))
def test_the_marked_test_fails_once(dynamodb):
    dynamodb.create_table(**TABLE)
    with pytest.raises(dynamodb.exceptions.InternalServerError):
        dynamodb.put_item(TableName="users", Item={"id": {"S": "u1"}})
    dynamodb.put_item(TableName="users", Item={"id": {"S": "u1"}})


def test_the_next_test_has_no_fault(dynamodb):
    dynamodb.create_table(**TABLE)
    dynamodb.put_item(TableName="users", Item={"id": {"S": "u1"}})
"""


def test_plugin_fixtures_in_a_users_project(tmp_path):
    (tmp_path / "test_example.py").write_text(textwrap.dedent(README_EXAMPLE))
    (tmp_path / "test_server_world.py").write_text(SERVER_WORLD_PER_TEST)
    (tmp_path / "test_region.py").write_text(REGION_FROM_ENVIRONMENT)
    (tmp_path / "test_steered.py").write_text(STEERED_CLOCK)
    (tmp_path / "test_faults_marker.py").write_text(FAULT_MARKER)
    installed = any(
        ep.value == "emulator.pytest_plugin" for ep in importlib.metadata.entry_points(group="pytest11")
    )
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)]
    if not installed:
        args[3:3] = ["-p", "emulator.pytest_plugin"]
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "10 passed" in done.stdout


# The session server's Emulator is reset before each test that uses it, unless the test opts out.
SERVER_RESET = """
import boto3
import pytest


def client(server):
    return boto3.client("dynamodb", endpoint_url=server.endpoint_url, region_name="us-east-1",
                        aws_access_key_id="x", aws_secret_access_key="y")


def test_1_creates_a_table(emulator_server):
    client(emulator_server).create_table(
        TableName="left-behind", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])


@pytest.mark.emulator_keep_state
def test_2_a_test_that_keeps_state_sees_it(emulator_server):
    assert client(emulator_server).list_tables()["TableNames"] == ["left-behind"]


def test_3_any_other_test_starts_empty(emulator_server):
    assert client(emulator_server).list_tables()["TableNames"] == []
"""


def test_emulator_server_is_reset_between_tests_unless_kept(tmp_path):
    (tmp_path / "test_server_reset.py").write_text(SERVER_RESET)
    installed = any(
        ep.value == "emulator.pytest_plugin" for ep in importlib.metadata.entry_points(group="pytest11")
    )
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers", str(tmp_path)]
    if not installed:
        args[3:3] = ["-p", "emulator.pytest_plugin"]
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
