"""Injected faults on the wire: botocore's own retry logic meets them as it meets AWS's errors
(``ResponseMetadata.RetryAttempts``, legacy/standard/adaptive modes), through the boto3 hook and
the HTTP door; and the control path ``/_emulator/faults`` sets them over HTTP."""

from __future__ import annotations

import http.client
import json
import types

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config

from emulator import Emulator
from emulator.pytest_plugin import shared_server
from emulator.wire.boto import mock_aws

KEY = [{"AttributeName": "id", "KeyType": "HASH"}]
ATTRS = [{"AttributeName": "id", "AttributeType": "S"}]


@pytest.fixture
def sleeps(monkeypatch):
    """botocore's back-off pauses, recorded instead of slept (the endpoint's ``time.sleep``)."""
    recorded: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=recorded.append))
    return recorded


@pytest.fixture(params=["boto3", "http"])
def wire(request):
    """``make(retries)``: a boto3 DynamoDB client of a fresh Emulator through the hook or HTTP."""
    world = Emulator()
    world.dynamodb.create_table(
        TableName="Orders", KeySchema=KEY, AttributeDefinitions=ATTRS, BillingMode="PAY_PER_REQUEST"
    )
    if request.param == "boto3":
        mock = mock_aws(world)
        mock.start()
        request.addfinalizer(mock.stop)
        endpoint = None
    else:
        server = shared_server()
        previous, server.world = server.world, world

        def detach() -> None:
            server.world = previous

        request.addfinalizer(detach)
        endpoint = server.endpoint_url

    def make(service: str = "dynamodb", **retries):
        return boto3.client(
            service,
            region_name="us-east-1",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries=retries) if retries else None,
        )

    make.world = world  # type: ignore[attr-defined]
    return make


def put(client, key="a"):
    return client.put_item(TableName="Orders", Item={"id": {"S": key}})


@pytest.mark.parametrize(
    "error",
    [
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "InternalServerError",
        "ServiceUnavailable",
    ],
)
def test_botocore_retries_what_it_retries_against_aws(wire, sleeps, error):
    client = wire()  # the legacy mode's DynamoDB rules: up to 10 attempts, 50 ms doubling
    fault = wire.world.faults.inject(operation="PutItem", error=error, times=3)
    response = put(client)
    assert response["ResponseMetadata"]["RetryAttempts"] == 3
    assert fault.fired == 3 and len(sleeps) == 3


def test_retries_give_up_after_max_attempts(wire, sleeps):
    client = wire(mode="standard", total_max_attempts=3)
    wire.world.faults.inject(operation="PutItem", error="ProvisionedThroughputExceededException")
    with pytest.raises(client.exceptions.ProvisionedThroughputExceededException) as excinfo:
        put(client)
    metadata = excinfo.value.response["ResponseMetadata"]
    assert (metadata["RetryAttempts"], metadata["MaxAttemptsReached"]) == (2, True)
    assert len(sleeps) == 2


@pytest.mark.parametrize("mode", ["standard", "adaptive"])
def test_standard_and_adaptive_modes_retry_throttling_and_server_errors(wire, sleeps, mode):
    client = wire(mode=mode, max_attempts=5)
    wire.world.faults.inject(operation="PutItem", error="ThrottlingException", times=1)
    wire.world.faults.inject(operation="PutItem", error="InternalServerError", times=1)
    wire.world.faults.inject(operation="PutItem", error="ServiceUnavailable", times=1)
    assert put(client)["ResponseMetadata"]["RetryAttempts"] == 3
    assert all(0 <= s <= 20 for s in sleeps)  # standard: random up to 2**attempt seconds, at most 20


def test_errors_botocore_does_not_retry_come_back_at_once(wire, sleeps):
    client = wire(mode="standard")
    wire.world.faults.inject(operation="PutItem", error="TransactionConflictException", times=1)
    with pytest.raises(client.exceptions.TransactionConflictException) as excinfo:
        put(client)
    assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == 0 and sleeps == []


def test_transaction_conflict_is_not_retried_by_botocore_and_the_retry_succeeds(wire, sleeps):
    client = wire()
    wire.world.faults.inject(operation="TransactWriteItems", error="TransactionConflict", times=1)
    items = [{"Put": {"TableName": "Orders", "Item": {"id": {"S": k}}}} for k in ("a", "b")]
    with pytest.raises(client.exceptions.TransactionCanceledException) as excinfo:
        client.transact_write_items(TransactItems=items)
    assert excinfo.value.response["CancellationReasons"] == [
        {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"},
        {"Code": "None"},
    ]
    assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert client.transact_write_items(TransactItems=items)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_step_functions_throttling_is_retried(wire, sleeps):
    client = wire("stepfunctions", mode="standard")
    wire.world.faults.inject(
        service="stepfunctions", operation="ListStateMachines", error="ThrottlingException", times=2
    )
    assert client.list_state_machines()["ResponseMetadata"]["RetryAttempts"] == 2


# --- the control path ----------------------------------------------------------------------------
def control(method: str, path: str, body: object = None):
    server = shared_server()
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else b""
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


@pytest.fixture
def served():
    """A fresh Emulator on the shared server, and a boto3 client of it without retries."""
    world = Emulator(seed=5)
    world.dynamodb.create_table(
        TableName="Orders", KeySchema=KEY, AttributeDefinitions=ATTRS, BillingMode="PAY_PER_REQUEST"
    )
    server = shared_server()
    previous, server.world = server.world, world
    client = boto3.client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=server.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}),
    )
    yield world, client
    server.world = previous


def test_control_path_injects_lists_and_removes_faults(served):
    world, client = served
    status, fault = control(
        "POST",
        "/_emulator/faults",
        {"operation": "PutItem", "error": "InternalServerError", "table": "Orders", "times": 5},
    )
    assert status == 201 and fault["error"] == "InternalServerError" and fault["id"]
    with pytest.raises(client.exceptions.InternalServerError):
        put(client)
    status, listed = control("GET", "/_emulator/faults")
    assert status == 200 and [(f["id"], f["fired"], f["seen"]) for f in listed["faults"]] == [
        (fault["id"], 1, 1)
    ]
    assert control("GET", f"/_emulator/faults/{fault['id']}")[1]["times"] == 5
    assert control("DELETE", f"/_emulator/faults/{fault['id']}") == (200, {"removed": fault["id"]})
    put(client)
    assert control("DELETE", f"/_emulator/faults/{fault['id']}")[0] == 404
    assert control("GET", "/_emulator/faults") == (200, {"faults": []})


def test_control_path_removes_every_fault(served):
    world, client = served
    for op in ("PutItem", "GetItem"):
        control("POST", "/_emulator/faults", {"operation": op, "error": "ServiceUnavailable"})
    assert control("DELETE", "/_emulator/faults") == (200, {"removed": 2})
    put(client)
    assert world._active_faults is None


def test_control_path_task_fault_and_until_as_text(served):
    world, _ = served
    status, fault = control(
        "POST",
        "/_emulator/faults",
        {
            "service": "stepfunctions",
            "task": "Charge",
            "error": "Lambda.ServiceException",
            "until": "2100-01-01T00:00:00Z",
        },
    )
    assert status == 201 and fault["task"] == "Charge" and fault["until"] == 4102444800.0


@pytest.mark.parametrize(
    "body, problem",
    [
        ({"error": "NoSuchError"}, "has no error"),
        ({"error": "InternalServerError", "tables": "Orders"}, "unknown keyword(s) tables"),
        ([1, 2], "JSON object"),
    ],
)
def test_control_path_refuses_with_a_400(served, body, problem):
    status, answer = control("POST", "/_emulator/faults", body)
    assert status == 400 and problem in answer["message"]


def test_control_path_probability_draws_from_the_seed(served):
    world, client = served
    control(
        "POST",
        "/_emulator/faults",
        {"operation": "PutItem", "error": "InternalServerError", "probability": 0.5},
    )
    pattern = ""
    for i in range(20):
        try:
            put(client, str(i))
            pattern += "."
        except client.exceptions.InternalServerError:
            pattern += "X"
    again = Emulator(seed=5)
    again.dynamodb.create_table(
        TableName="Orders", KeySchema=KEY, AttributeDefinitions=ATTRS, BillingMode="PAY_PER_REQUEST"
    )
    again.faults.inject(operation="PutItem", error="InternalServerError", probability=0.5)
    native = ""
    for i in range(20):
        try:
            put(again.dynamodb, str(i))
            native += "."
        except again.dynamodb.exceptions.InternalServerError:
            native += "X"
    assert pattern == native  # the same seed, the same failures, whichever door
