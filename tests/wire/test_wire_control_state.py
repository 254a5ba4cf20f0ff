"""The control endpoints of the world's state: POST /_emulator/reset, GET and POST
/_emulator/clock, GET /_emulator/info."""

from __future__ import annotations

import http.client
import json

import boto3
import pytest

from emulator import Emulator
from emulator.wire.server import EmulatorServer

ROLE = "arn:aws:iam::123456789012:role/r"
TABLE = {
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})


@pytest.fixture
def world():
    aws = Emulator(auto_advance=False)
    yield aws
    aws.close()


@pytest.fixture
def server(world):
    with EmulatorServer(world, port=0) as srv:
        yield srv


def _call(server, method, path, body=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        data = b"" if body is None else json.dumps(body).encode()
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def _client(server, name):
    return boto3.client(
        name,
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="y",
    )


def test_reset_empties_every_service(server, world):
    world.dynamodb.create_table(TableName="Orders", **TABLE)
    world.stepfunctions.create_state_machine(name="w", definition=WAIT, roleArn=ROLE)
    status, body = _call(server, "POST", "/_emulator/reset")
    assert status == 200
    assert set(body["reset"]) == {"dynamodb", "dynamodbstreams", "stepfunctions", "s3"}
    assert _client(server, "dynamodb").list_tables()["TableNames"] == []
    assert _client(server, "stepfunctions").list_state_machines()["stateMachines"] == []


def test_reset_of_one_service_names_what_it_emptied(server, world):
    world.dynamodb.create_table(TableName="Orders", **TABLE)
    world.stepfunctions.create_state_machine(name="w", definition=WAIT, roleArn=ROLE)
    status, body = _call(server, "POST", "/_emulator/reset", {"service": "stepfunctions"})
    assert (status, body) == (200, {"reset": ["stepfunctions"]})
    assert _client(server, "dynamodb").list_tables()["TableNames"] == ["Orders"]
    status, body = _call(server, "POST", "/_emulator/reset?service=dynamodb")
    assert body == {"reset": ["dynamodb", "dynamodbstreams"]}
    assert _client(server, "dynamodb").list_tables()["TableNames"] == []


def test_reset_of_an_unknown_service_is_400(server):
    status, body = _call(server, "POST", "/_emulator/reset", {"service": "sqs"})
    assert status == 400
    assert "unknown service 'sqs'" in body["message"]


def test_clock_reads_the_worlds_clock(server, world):
    status, body = _call(server, "GET", "/_emulator/clock")
    assert status == 200
    assert body["now"] == world.clock.now()
    assert (body["virtual"], body["autoAdvance"]) == (True, False)
    assert body["time"].startswith(world.clock.now_datetime().isoformat()[:19])


def test_advancing_a_virtual_clock_runs_what_falls_due(server, world):
    sfn = world.stepfunctions
    arn = sfn.create_state_machine(name="w", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    start = world.clock.now()
    status, body = _call(server, "POST", "/_emulator/clock", {"hours": 1, "seconds": 1})
    assert status == 200
    assert body["now"] == pytest.approx(start + 3601)
    assert sfn.describe_execution(executionArn=run)["status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    "body, message",
    [
        ({}, "say how far to advance"),
        ({"seconds": "ten"}, "seconds must be a number"),
        ({"seconds": -1}, "moves forward only"),
        ({"weeks": 1}, "unknown clock field 'weeks'"),
        ([1], "must be a JSON object"),
    ],
)
def test_a_clock_move_that_cannot_be_read_is_400(server, body, message):
    status, answer = _call(server, "POST", "/_emulator/clock", body)
    assert status == 400
    assert message in answer["message"]


def test_the_system_clock_cannot_be_advanced():
    aws = Emulator(clock="system")
    with EmulatorServer(aws, port=0) as srv:
        status, body = _call(srv, "POST", "/_emulator/clock", {"seconds": 5})
    aws.close()
    assert status == 409
    assert body["error"] == "ClockNotVirtual"
    assert "--clock virtual" in body["message"]


def test_info_reports_version_services_regions_and_counts(server, world):
    import emulator

    world.dynamodb.create_table(TableName="Orders", **TABLE)
    world.client("dynamodb", region_name="eu-west-1").create_table(TableName="Orders", **TABLE)
    sfn = world.stepfunctions
    arn = sfn.create_state_machine(name="w", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
    sfn.start_execution(stateMachineArn=arn)
    status, body = _call(server, "GET", "/_emulator/info")
    assert status == 200
    assert body["version"] == emulator.__version__
    assert body["regions"] == ["eu-west-1", "us-east-1"]
    assert (body["tables"], body["stateMachines"], body["executions"]) == (2, 1, 1)
    default = next(p for p in body["partitions"] if p["region"] == "us-east-1")
    assert default["executionsByStatus"] == {"RUNNING": 1}
    assert body["clock"]["virtual"] is True
