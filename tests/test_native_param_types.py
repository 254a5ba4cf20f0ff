"""Native requests of the wrong Python type answer the service's error, never InternalServerError
(emulator/param_types.py; issue 9, item 8).

Before, a list given for ``PutRequest``, ``1.5`` for ``DeleteRequest`` or a string for
``loggingConfiguration`` reached a handler and came out as a 500. The native door now answers
what the wire door answers for the same request (SerializationException with AWS's Jackson text);
a value no JSON can carry gets botocore's ParamValidationError.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ParamValidationError

from emulator.errors import AWSError
from emulator.wire.awsjson import handle
from tests.conftest import world_with_table

ROLE = "arn:aws:iam::123456789012:role/r"
DEFINITION = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'


@pytest.fixture
def world():
    w = world_with_table(seed=5)
    yield w
    w.close()


CASES = [
    (
        "dynamodb",
        "BatchWriteItem",
        {"RequestItems": {"tbl": [{"PutRequest": [1]}]}},
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.PutRequest",
    ),
    (
        "dynamodb",
        "BatchWriteItem",
        {"RequestItems": {"tbl": [{"DeleteRequest": 1.5}]}},
        "Unexpected field type",
    ),
    ("dynamodb", "BatchWriteItem", {"RequestItems": {"tbl": "x"}}, None),
    ("dynamodb", "BatchGetItem", {"RequestItems": {"tbl": {"Keys": "x"}}}, None),
    ("dynamodb", "TransactWriteItems", {"TransactItems": [{"Put": "x"}]}, None),
    ("dynamodb", "TransactGetItems", {"TransactItems": [["x"]]}, None),
    ("dynamodb", "UpdateTable", {"TableName": "tbl", "StreamSpecification": "x"}, None),
    ("dynamodb", "UpdateTimeToLive", {"TableName": "tbl", "TimeToLiveSpecification": [1]}, None),
    (
        "dynamodb",
        "TagResource",
        {"ResourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/tbl", "Tags": {"k": "v"}},
        None,
    ),
    (
        "stepfunctions",
        "CreateStateMachine",
        {"name": "m", "definition": DEFINITION, "roleArn": ROLE, "loggingConfiguration": "x"},
        "Unexpected field type",
    ),
    (
        "stepfunctions",
        "CreateStateMachine",
        {"name": "m", "definition": DEFINITION, "roleArn": ROLE, "tags": {"k": "v"}},
        None,
    ),
    (
        "stepfunctions",
        "CreateStateMachine",
        {"name": "m", "definition": DEFINITION, "roleArn": ROLE, "tracingConfiguration": [True]},
        None,
    ),
    ("stepfunctions", "ListExecutions", {"stateMachineArn": 5}, None),
    ("stepfunctions", "StartExecution", {"stateMachineArn": ["x"]}, None),
    ("stepfunctions", "TagResource", {"resourceArn": "arn", "tags": [{"key": 1}]}, None),
    (
        "stepfunctions",
        "UpdateStateMachine",
        {"stateMachineArn": "arn", "loggingConfiguration": {"level": 5}},
        None,
    ),
    ("dynamodbstreams", "GetRecords", {"ShardIterator": {"a": 1}}, None),
    ("dynamodbstreams", "DescribeStream", {"StreamArn": "a" * 40, "Limit": "x"}, None),
]
TARGETS = {
    "dynamodb": "DynamoDB_20120810.",
    "stepfunctions": "AWSStepFunctions.",
    "dynamodbstreams": "DynamoDBStreams_20120810.",
}


@pytest.mark.parametrize("service,op,request_,message", CASES)
def test_a_mistyped_native_request_answers_like_the_wire(world, service, op, request_, message):
    with pytest.raises(AWSError) as info:
        world.service(service).native_call(op, request_)
    err = info.value
    assert err.code == "SerializationException", err
    if message is not None:
        assert err.message == message
    wire = handle(world, TARGETS[service] + op, json.dumps(request_).encode())
    assert wire.status == 400
    body = json.loads(wire.body)
    assert body["__type"].endswith("#SerializationException")
    if op not in world.service(service).checked_after_crash:  # (item operations word it themselves)
        assert body.get("Message", "") == err.message


def test_the_native_client_methods_check_types(world):
    with pytest.raises(AWSError) as info:
        world.dynamodb.batch_write_item(RequestItems={"tbl": [{"PutRequest": [1]}]})
    assert info.value.code == "SerializationException"
    with pytest.raises(AWSError) as info:
        world.stepfunctions.create_state_machine(
            name="m", definition=DEFINITION, roleArn=ROLE, loggingConfiguration="x"
        )
    assert info.value.code == "SerializationException"


def test_a_value_json_cannot_carry_is_botocores_param_validation_error(world):
    with pytest.raises(ParamValidationError) as info:
        world.stepfunctions.list_state_machines(maxResults=object())
    assert "Invalid type for parameter maxResults" in str(info.value)


def test_well_typed_requests_are_untouched(world):
    world.dynamodb.put_item(
        TableName="tbl", Item={"id": {"S": "a"}, "b": {"B": b"\x00"}, "s": {"BS": [b"1"]}}
    )
    assert world.dynamodb.get_item(TableName="tbl", Key={"id": {"S": "a"}})["Item"]["b"] == {"B": b"\x00"}
    arn = world.stepfunctions.create_state_machine(
        name="m",
        definition=DEFINITION,
        roleArn=ROLE,
        tags=[{"key": "k", "value": "v"}],
        loggingConfiguration={"level": "OFF", "includeExecutionData": False},
    )["stateMachineArn"]
    world.stepfunctions.start_execution(stateMachineArn=arn, input="{}")
