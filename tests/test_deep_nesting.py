"""Deep nesting: no recursion limit is reachable from input (issue 9, item 6).

Before, an execution input nested 400 deep (808 bytes) failed 25 intrinsics, ResultPath and
``lambda:invoke`` with ``Internal emulator error (RecursionError)``; at about 990 deep
StartExecution itself answered 500; and BatchWriteItem with an invalid table name and an item
nested 200-300 deep answered 500 while formatting the value into its message.
"""

from __future__ import annotations

import json

import pytest

import emulator
from emulator.errors import AWSError
from emulator.stepfunctions.payloads import MAX_DEPTH, text_depth
from emulator.wire.awsjson import handle

ROLE = "arn:aws:iam::123456789012:role/r"
FN = "arn:aws:lambda:us-east-1:123456789012:function:f"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def world():
    w = emulator.Emulator(seed=9)
    yield w
    w.close()


def machine(world, states: dict, name: str = "m") -> str:
    definition = json.dumps({"StartAt": next(iter(states)), "States": states})
    return world.stepfunctions.create_state_machine(name=name, definition=definition, roleArn=ROLE)[
        "stateMachineArn"
    ]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 400, 990, 5000, 100_000])
@pytest.mark.parametrize("via", ["native", "wire"])
def test_start_execution_refuses_input_nested_past_the_limit(world, depth, via):
    arn = machine(world, {"P": {"Type": "Pass", "End": True}})
    text = '{"v":' + nested(depth) + "}"
    if via == "native":
        with pytest.raises(AWSError) as info:
            world.stepfunctions.start_execution(stateMachineArn=arn, input=text)
        code, message = info.value.code, info.value.message
    else:
        answer = handle(
            world,
            "AWSStepFunctions.StartExecution",
            json.dumps({"stateMachineArn": arn, "input": text}).encode(),
        )
        assert answer.status == 400
        body = json.loads(answer.body)
        code, message = body["__type"].split("#")[1], body["message"]
    assert code == "InvalidExecutionInput"
    assert f"exceeds the maximum allowed nesting depth ({MAX_DEPTH})" in message


INTRINSICS = [
    "States.JsonToString($.v)",
    "States.Array($.v)",
    "States.ArrayContains($.a, $.v)",
    "States.ArrayUnique($.a)",
    "States.Hash(States.JsonToString($.v), 'MD5')",
    "States.JsonMerge($.o, $.o, false)",
    "States.ArrayPartition($.a, 1)",
    "States.Format('{}', $.v)",
    "States.ArrayGetItem($.a, 0)",
    "States.StringToJson(States.JsonToString($.v))",
    "States.ArrayLength($.a)",
]


def test_input_at_the_limit_runs_through_intrinsics_result_path_and_lambda(world):
    sfn = world.stepfunctions
    sfn.task(FN)(lambda event, context: event)
    states = {
        f"S{i}": {"Type": "Pass", "Parameters": {"x.$": e}, "ResultPath": "$.r", "Next": f"S{i + 1}"}
        for i, e in enumerate(INTRINSICS)
    }
    states[f"S{len(INTRINSICS)}"] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": FN, "Payload.$": "$"},
        "ResultPath": "$.lambda",
        "End": True,
    }
    arn = machine(world, states)
    v = nested(MAX_DEPTH - 2)
    run = sfn.start_execution(
        stateMachineArn=arn, input='{"v":' + v + ',"a":[' + v + '],"o":{"k":' + v + "}}"
    )
    desc = sfn.describe_execution(executionArn=run["executionArn"])
    assert desc["status"] == "SUCCEEDED", desc.get("cause")


def test_a_value_that_grows_deeper_in_a_loop_fails_the_execution_not_the_emulator(world):
    sfn = world.stepfunctions
    arn = machine(
        world,
        {
            "Wrap": {"Type": "Pass", "Parameters": {"w.$": "$"}, "Next": "Again"},
            "Again": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.w", "IsPresent": True, "Next": "Wrap"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    )
    run = sfn.start_execution(stateMachineArn=arn, input="{}")
    desc = sfn.describe_execution(executionArn=run["executionArn"])
    assert desc["status"] == "FAILED"
    assert desc["error"] == "States.Runtime"
    assert "Internal emulator error" not in desc["cause"]
    assert "nesting depth" in desc["cause"]
    events = sfn.get_execution_history(executionArn=run["executionArn"], maxResults=5, reverseOrder=True)
    assert events["events"][0]["type"] == "ExecutionFailed"


def test_send_task_success_refuses_output_nested_past_the_limit(world):
    with pytest.raises(AWSError) as info:
        world.stepfunctions.send_task_success(taskToken="AQ" + "0" * 64, output=nested(2000))
    assert info.value.code in ("InvalidOutput", "InvalidToken")


@pytest.mark.parametrize("depth", [250, 300, 2000])
def test_batch_write_item_with_a_bad_table_name_echoes_a_deep_item(world, depth):
    item = {"S": "x"}
    for _ in range(depth):
        item = {"L": [item]}
    with pytest.raises(AWSError) as info:
        world.dynamodb.batch_write_item(RequestItems={"!!": [{"PutRequest": {"Item": {"id": item}}}]})
    assert info.value.code == "ValidationException"
    assert info.value.message.count("{L=[") == depth


def test_batch_write_item_over_the_wire_with_a_deep_item(world):
    body = (
        '{"RequestItems":{"!!":[{"PutRequest":{"Item":{"id":'
        + '{"L":[' * 250
        + '{"S":"x"}'
        + "]}" * 250
        + "}}}]}}"
    )
    answer = handle(world, "DynamoDB_20120810.BatchWriteItem", body.encode())
    assert answer.status == 400
    assert json.loads(answer.body)["__type"].endswith("#ValidationException")


@pytest.mark.parametrize("op", ["PutItem", "GetItem", "Query", "Scan", "BatchWriteItem"])
def test_dynamodb_bodies_of_any_depth_answer_a_client_error(world, op):
    deep = "[" * 100_000 + "]" * 100_000
    answer = handle(world, "DynamoDB_20120810." + op, ('{"TableName":"tbl","Item":' + deep + "}").encode())
    assert answer.status == 400


def test_text_depth_ignores_brackets_inside_strings():
    assert text_depth('{"a":"[[[[","b":[[1]]}', 100) == 3
    assert text_depth('"\\"[["', 100) == 0
