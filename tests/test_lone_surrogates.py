"""Lone surrogates: text no UTF-8 encoder takes is refused at every door, before anything is stored
(emulator/wellformed.py; issue 9, item 5).

``"\\udfff"`` is a valid JSON escape and a valid Python ``str``, but no UTF-8 encoder takes an
unpaired surrogate. Before, such an attribute was stored, and every GetItem and Scan that met it
answered 500 over the wire until it was deleted; in a table name, a key or a ``B`` given as str it
was an InternalServerError; in Step Functions it failed ``States.Hash``, ``States.Base64Encode``
and ``lambda:invoke`` with an internal error.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from emulator.errors import AWSError
from emulator.wire.awsjson import handle
from tests.conftest import world_with_table

DDB = "DynamoDB_20120810."
SFN = "AWSStepFunctions."
ROLE = "arn:aws:iam::123456789012:role/r"
LONE = "\udfff"


@pytest.fixture
def world():
    w = world_with_table(seed=3)
    yield w
    w.close()


def wire(world, target, body: str):
    return handle(world, target, body.encode("ascii"))


def native_error(fn, **kwargs) -> AWSError:
    with pytest.raises(AWSError) as info:
        fn(**kwargs)
    return info.value


# --- the wire: an escape in the body -------------------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        '{"id":{"S":"a"},"v":{"S":"\\udfff"}}',
        '{"id":{"S":"\\ud800"}}',
        '{"id":{"S":"a"},"\\udfff":{"S":"x"}}',
        '{"id":{"S":"a"},"m":{"M":{"\\udfff":{"S":"x"}}}}',
        '{"id":{"S":"a"},"s":{"SS":["x","\\udc00y"]}}',
    ],
)
def test_put_item_over_the_wire_refuses_a_lone_surrogate(world, item):
    answer = wire(world, DDB + "PutItem", '{"TableName":"tbl","Item":' + item + "}")
    assert answer.status == 400
    assert json.loads(answer.body) == {"__type": "com.amazon.coral.service#SerializationException"}
    assert world.dynamodb.scan(TableName="tbl")["Count"] == 0  # nothing stored


def test_a_surrogate_pair_is_one_character_and_is_accepted(world):
    answer = wire(world, DDB + "PutItem", '{"TableName":"tbl","Item":{"id":{"S":"\\ud83d\\ude00"}}}')
    assert answer.status == 200
    got = wire(world, DDB + "GetItem", '{"TableName":"tbl","Key":{"id":{"S":"\\ud83d\\ude00"}}}')
    assert json.loads(got.body) == {"Item": {"id": {"S": "\U0001f600"}}}


@pytest.mark.parametrize(
    "target,body",
    [
        (DDB + "DescribeTable", '{"TableName":"tb\\udfff"}'),
        (
            DDB + "TransactWriteItems",
            '{"TransactItems":[{"Put":{"TableName":"tbl","Item":{"id":{"S":"\\udfff"}}}}]}',
        ),
        (DDB + "GetItem", '{"TableName":"tbl","Key":{"id":{"S":"\\udfff"}}}'),
        (SFN + "CreateStateMachine", '{"name":"n\\udfff","definition":"{}","roleArn":"' + ROLE + '"}'),
    ],
)
def test_every_operation_over_the_wire_refuses_a_lone_surrogate(world, target, body):
    answer = wire(world, target, body)
    assert answer.status == 400
    assert json.loads(answer.body)["__type"].endswith("#SerializationException")


def test_a_stored_lone_surrogate_never_makes_reads_answer_500(world):
    # Belt and braces: should one reach the store (a Python task's result, say), reads still answer.
    table = world.dynamodb.service.catalog  # noqa: F841 - the store is reached only through the API
    world.dynamodb.put_item(TableName="tbl", Item={"id": {"S": "a"}})
    from emulator.wire import shapes

    assert json.loads(shapes.encode_json({"S": LONE})) == {"S": LONE}


# --- the native door ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        {"id": {"S": "a"}, "v": {"S": LONE}},
        {"id": {"S": LONE}},
        {"id": {"S": "a"}, LONE: {"S": "x"}},
        {"id": {"S": "a"}, "é" + LONE: {"N": "1"}},
        {"id": {"S": "a"}, "m": {"M": {LONE: {"S": "x"}}}},
        {"id": {"S": "a"}, "l": {"L": [{"S": "é" + LONE}]}},
        {"id": {"S": "a"}, "s": {"SS": ["x", LONE]}},
        {"id": {"S": "a"}, "b": {"B": LONE}},
    ],
)
def test_native_put_item_refuses_a_lone_surrogate(world, item):
    err = native_error(world.dynamodb.put_item, TableName="tbl", Item=item)
    assert err.code == "SerializationException"
    assert world.dynamodb.scan(TableName="tbl")["Count"] == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda d: d.describe_table(TableName="tb" + LONE),
        lambda d: d.get_item(TableName="tbl", Key={"id": {"S": LONE}}),
        lambda d: d.transact_write_items(
            TransactItems=[{"Put": {"TableName": "tbl", "Item": {"id": {"S": LONE}}}}]
        ),
        lambda d: d.batch_write_item(RequestItems={"tbl": [{"PutRequest": {"Item": {"id": {"S": LONE}}}}]}),
        lambda d: d.update_item(
            TableName="tbl",
            Key={"id": {"S": "a"}},
            UpdateExpression="SET #n = :v",
            ExpressionAttributeNames={"#n": LONE},
            ExpressionAttributeValues={":v": {"S": "x"}},
        ),
        lambda d: d.update_item(
            TableName="tbl",
            Key={"id": {"S": "a"}},
            AttributeUpdates={LONE: {"Action": "PUT", "Value": {"S": "x"}}},
        ),
        lambda d: d.tag_resource(
            ResourceArn="arn:aws:dynamodb:us-east-1:123456789012:table/tbl",
            Tags=[{"Key": "k", "Value": LONE}],
        ),
    ],
)
def test_native_dynamodb_refuses_a_lone_surrogate_anywhere(world, call):
    with pytest.raises(AWSError) as info:
        call(world.dynamodb)
    assert info.value.code == "SerializationException"
    assert world.dynamodb.scan(TableName="tbl")["Count"] == 0


def test_native_put_item_accepts_non_ascii_text(world):
    world.dynamodb.put_item(TableName="tbl", Item={"id": {"S": "é😀"}, "ñ": {"S": "ü"}})
    assert world.dynamodb.get_item(TableName="tbl", Key={"id": {"S": "é😀"}})["Item"]["ñ"] == {"S": "ü"}


# --- Step Functions -------------------------------------------------------------------------------


def _machine(world, states: dict) -> str:
    definition = json.dumps({"StartAt": next(iter(states)), "States": states})
    return world.stepfunctions.create_state_machine(name="m", definition=definition, roleArn=ROLE)[
        "stateMachineArn"
    ]


def test_start_execution_refuses_input_with_a_lone_surrogate_escape(world):
    arn = _machine(world, {"P": {"Type": "Pass", "End": True}})
    err = native_error(world.stepfunctions.start_execution, stateMachineArn=arn, input='{"v":"\\udfff"}')
    assert err.code == "InvalidExecutionInput"
    assert world.stepfunctions.list_executions(stateMachineArn=arn)["executions"] == []
    err = native_error(world.stepfunctions.start_execution, stateMachineArn=arn, input='{"v":"' + LONE + '"}')
    assert err.code == "SerializationException"


def test_a_definition_with_a_lone_surrogate_escape_is_invalid(world):
    definition = '{"StartAt":"\\udfff","States":{"\\udfff":{"Type":"Pass","End":true}}}'
    err = native_error(
        world.stepfunctions.create_state_machine, name="m", definition=definition, roleArn=ROLE
    )
    assert err.code == "InvalidDefinition"


def test_send_task_success_refuses_output_with_a_lone_surrogate_escape(world):
    err = native_error(world.stepfunctions.send_task_success, taskToken="AQ" + "0" * 64, output='"\\udfff"')
    assert err.code in ("InvalidOutput", "InvalidToken")


def test_intrinsics_and_lambda_invoke_take_a_lone_surrogate_a_task_returned(world):
    sfn = world.stepfunctions
    fn = "arn:aws:lambda:us-east-1:123456789012:function:f"
    sfn.task(fn)(lambda event, context: {"v": "a" + LONE})
    arn = _machine(
        world,
        {
            "T": {"Type": "Task", "Resource": fn, "Next": "H"},
            "H": {
                "Type": "Pass",
                "Parameters": {
                    "h.$": "States.Hash($.v, 'MD5')",
                    "b.$": "States.Base64Encode($.v)",
                    "v.$": "$.v",
                },
                "Next": "L",
            },
            "L": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": fn, "Payload.$": "$"},
                "ResultSelector": {"p.$": "$.Payload"},
                "ResultPath": "$.lambda",
                "End": True,
            },
        },
    )
    run = sfn.start_execution(stateMachineArn=arn, input="{}")
    desc = sfn.describe_execution(executionArn=run["executionArn"])
    assert desc["status"] == "SUCCEEDED", desc.get("cause")
    out = json.loads(desc["output"])
    # [INF] Java's String.getBytes(UTF_8) writes '?' for an unpaired surrogate; so do we.
    assert out["h"] == hashlib.md5(b"a?").hexdigest()
    assert out["b"] == base64.b64encode(b"a?").decode()
    answer = handle(
        world, SFN + "DescribeExecution", json.dumps({"executionArn": run["executionArn"]}).encode()
    )
    assert answer.status == 200
