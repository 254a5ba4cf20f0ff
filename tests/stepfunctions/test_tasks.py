"""Task resources (reference §10): Python callables for Lambda ARNs and lambda:invoke, the
in-process DynamoDB integrations, callbacks (.waitForTaskToken), unregistered resources."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import (
    FN,
    ROLE,
    advance_to,
    desc,
    elapsed,
    events_of,
    history,
    run_definition,
    start,
    task,
)


# --- Lambda callables ----------------------------------------------------------------------------
def test_decorator_and_call_forms(aws):
    sfn = aws.stepfunctions

    @sfn.task(FN + "a")
    def a(event, context):
        return {"a": event["x"], "state": context.state_name, "exec": context.execution_name}

    def b(event, context):
        return "b"

    assert sfn.task(FN + "b")(b) is b
    ex = start(aws, task(FN + "a"), {"x": 1})
    assert json.loads(desc(aws, ex)["output"]) == {"a": 1, "state": "T", "exec": desc(aws, ex)["name"]}
    assert desc(aws, start(aws, task(FN + "b"), name="sm2"))["output"] == '"b"'


def test_legacy_lambda_history(aws):
    aws.stepfunctions.task(FN + "f")(lambda e, c: {"ok": 1})
    ex = start(aws, task(FN + "f", TimeoutSeconds=30), {"in": 1})
    evs = history(aws, ex)
    assert [e["type"] for e in evs] == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["previousEventId"] for e in evs] == [0, 0, 2, 3, 4, 5, 6]
    assert evs[2]["lambdaFunctionScheduledEventDetails"] == {
        "resource": FN + "f",
        "input": '{"in":1}',
        "inputDetails": {"truncated": False},
        "timeoutInSeconds": 30,
    }
    assert "lambdaFunctionStartedEventDetails" not in evs[3]
    assert evs[4]["lambdaFunctionSucceededEventDetails"] == {
        "output": '{"ok":1}',
        "outputDetails": {"truncated": False},
    }


def test_lambda_invoke_wraps_result(aws):
    aws.stepfunctions.task(FN + "f")(lambda e, c: {"got": e})
    ex = start(
        aws,
        task(
            "arn:aws:states:::lambda:invoke", Parameters={"FunctionName": FN + "f", "Payload": {"x.$": "$.x"}}
        ),
        {"x": 5},
    )
    out = json.loads(desc(aws, ex)["output"])
    assert out["Payload"] == {"got": {"x": 5}}
    assert out["ExecutedVersion"] == "$LATEST" and out["StatusCode"] == 200
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert (
        out["SdkResponseMetadata"]["RequestId"] == out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
    )
    assert list(out) == ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]
    evs = history(aws, ex)
    sched = [e for e in evs if e["type"] == "TaskScheduled"][0]["taskScheduledEventDetails"]
    assert sched == {
        "resourceType": "lambda",
        "resource": "invoke",
        "region": "us-east-1",
        "parameters": json.dumps({"FunctionName": FN + "f", "Payload": {"x": 5}}, separators=(",", ":")),
    }


def test_lambda_invoke_by_name(aws):
    aws.stepfunctions.task(FN + "named")(lambda e, c: 1)
    ex = start(aws, task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "named"}))
    assert json.loads(desc(aws, ex)["output"])["Payload"] == 1


def test_exception_becomes_error_and_lambda_cause(aws):
    class CustomError(Exception):
        pass

    def f(event, context):
        raise CustomError("it broke")

    aws.stepfunctions.task(FN + "f")(f)
    for resource, params in ((FN + "f", None), ("arn:aws:states:::lambda:invoke", {"FunctionName": "f"})):
        fields = {"Parameters": params} if params else {}
        ex = start(aws, task(resource, **fields), name="sm" + str(bool(params)))
        d = desc(aws, ex)
        assert d["error"] == "CustomError"
        cause = json.loads(d["cause"])
        assert list(cause) == ["errorMessage", "errorType", "requestId", "stackTrace"]
        assert cause["errorMessage"] == "it broke" and cause["errorType"] == "CustomError"
        assert any("raise CustomError" in line for line in cause["stackTrace"])


def test_unregistered_function(aws):
    ex = start(aws, task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "ghost"}))
    d = desc(aws, ex)
    assert d["error"] == "Lambda.ResourceNotFoundException"
    assert d["cause"].startswith(
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:$LATEST "
        "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
    )
    assert "@aws.stepfunctions.task('arn:aws:lambda:us-east-1:123456789012:function:ghost')" in d["cause"]


def test_unregistered_service_resource(aws):
    ex = start(aws, task("arn:aws:states:::sns:publish", Parameters={"TopicArn": "t", "Message": "m"}))
    d = desc(aws, ex)
    assert d["error"] == "States.Runtime"
    assert "@aws.stepfunctions.task('arn:aws:states:::sns:publish')" in d["cause"]


def test_non_json_result_is_marshal_error(aws):
    aws.stepfunctions.task(FN + "f")(lambda e, c: {1, 2})
    d = desc(aws, start(aws, task(FN + "f")))
    assert d["error"] == "Runtime.MarshalError"


def test_registering_lambda_invoke_is_refused(aws):
    with pytest.raises(ValueError):
        aws.stepfunctions.task("arn:aws:states:::lambda:invoke")(lambda e, c: 1)


def test_callable_gets_a_copy(aws):
    def mutate(event, context):
        event["x"] = "changed"
        return "ok"

    aws.stepfunctions.task(FN + "m")(mutate)
    ex = start(aws, task(FN + "m", ResultPath="$.r"), {"x": "orig"})
    assert json.loads(desc(aws, ex)["output"]) == {"x": "orig", "r": "ok"}


# --- DynamoDB ------------------------------------------------------------------------------------
@pytest.fixture
def table(aws):
    aws.dynamodb.create_table(
        TableName="Items",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return "Items"


def test_dynamodb_optimized_put_get(aws, table):
    d = {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "ResultPath": "$.put",
                "Parameters": {"TableName": table, "Item": {"id": {"S.$": "$.id"}, "n": {"N": "1"}}},
                "Next": "Get",
            },
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}},
                "End": True,
            },
        },
    }
    out = json.loads(desc(aws, start(aws, d, {"id": "k"}))["output"])
    assert out["Item"] == {"id": {"S": "k"}, "n": {"N": "1"}}
    assert set(out) == {"Item", "SdkHttpMetadata", "SdkResponseMetadata"}
    assert aws.dynamodb.get_item(TableName=table, Key={"id": {"S": "k"}})["Item"]["n"] == {"N": "1"}


def test_dynamodb_put_without_return_values_has_only_metadata(aws, table):
    ex = start(
        aws,
        task(
            "arn:aws:states:::dynamodb:putItem", Parameters={"TableName": table, "Item": {"id": {"S": "a"}}}
        ),
    )
    assert set(json.loads(desc(aws, ex)["output"])) == {"SdkHttpMetadata", "SdkResponseMetadata"}


def test_dynamodb_errors_are_named_like_aws(aws, table):
    aws.dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}})
    ex = start(
        aws,
        task(
            "arn:aws:states:::dynamodb:putItem",
            Parameters={
                "TableName": table,
                "Item": {"id": {"S": "a"}},
                "ConditionExpression": "attribute_not_exists(id)",
            },
        ),
    )
    d = desc(aws, ex)
    assert d["error"] == "DynamoDB.ConditionalCheckFailedException"
    assert d["cause"].startswith(
        "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; "
        "Error Code: ConditionalCheckFailedException; Request ID: "
    )
    ex = start(
        aws,
        task(
            "arn:aws:states:::dynamodb:getItem",
            Parameters={"TableName": "Missing", "Key": {"id": {"S": "a"}}},
        ),
        name="sm2",
    )
    d = desc(aws, ex)
    assert d["error"] == "DynamoDB.ResourceNotFoundException"
    assert d["cause"].startswith(
        "Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; "
        "Error Code: ResourceNotFoundException; Request ID: "
    )


def test_aws_sdk_dynamodb(aws, table):
    d = {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem",
                "ResultPath": "$.put",
                "Parameters": {"TableName": table, "Item": {"id": {"S": "z"}}},
                "Next": "Scan",
            },
            "Scan": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                "Parameters": {"TableName": table, "Key": {"id": {"S": "z"}}},
                "ResultSelector": {"n.$": "$.Item.id.S"},
                "ResultPath": "$.scan",
                "Next": "Miss",
            },
            "Miss": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                "Parameters": {"TableName": "Missing", "Key": {"id": {"S": "z"}}},
                "Catch": [
                    {
                        "ErrorEquals": ["DynamoDb.ResourceNotFoundException"],
                        "ResultPath": "$.err",
                        "Next": "Done",
                    }
                ],
                "End": True,
            },
            "Done": {"Type": "Pass", "End": True},
        },
    }
    out = json.loads(desc(aws, start(aws, d))["output"])
    assert out["put"] == {} and out["scan"] == {"n": "z"}
    assert out["err"]["Error"] == "DynamoDb.ResourceNotFoundException"
    assert out["err"]["Cause"].startswith(
        "Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: "
    )
    types = [e["type"] for e in history(aws, start(aws, d, name="sm2"))]
    assert "TaskFailed" in types


# --- callbacks (RES-09, API-19) ------------------------------------------------------------------
CB = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"


def _callback_machine(aws, **extra):
    tokens = []
    aws.stepfunctions.task(CB)(lambda e, c: tokens.append(e["token"]) or {"MessageId": "1"})
    ex = start(aws, task(CB, Parameters={"token.$": "$$.Task.Token"}, **extra))
    return ex, tokens


def test_send_task_success(aws):
    ex, tokens = _callback_machine(aws)
    assert desc(aws, ex)["status"] == "RUNNING"
    aws.stepfunctions.send_task_success(taskToken=tokens[0], output='{"done": true}')
    assert desc(aws, ex)["output"] == '{"done":true}'
    types = [e["type"] for e in history(aws, ex)]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    # API-19: the task is closed once answered; a second answer (any of the three) is TaskTimedOut.
    closed = ("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_success(taskToken=tokens[0], output="{}")
    assert error_of(exc) == closed
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_failure(taskToken=tokens[0], error="E")
    assert error_of(exc) == closed
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_heartbeat(taskToken=tokens[0])
    assert error_of(exc) == closed


def test_send_task_failure(aws):
    ex, tokens = _callback_machine(aws)
    aws.stepfunctions.send_task_failure(taskToken=tokens[0], error="MyErr", cause="why")
    d = desc(aws, ex)
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "MyErr", "why")


def test_heartbeat_keeps_callback_alive(aws):
    ex, tokens = _callback_machine(aws, HeartbeatSeconds=10, TimeoutSeconds=100)
    for _ in range(5):
        aws.clock.advance(8)
        aws.stepfunctions.send_task_heartbeat(taskToken=tokens[0])
    assert desc(aws, ex)["status"] == "RUNNING"
    aws.clock.advance(10)
    d = desc(aws, ex)
    assert (d["status"], d["error"]) == ("FAILED", "States.Timeout")
    assert history(aws, ex)[-2]["type"] == "TaskTimedOut"


def test_invalid_output_and_token(aws):
    ex, tokens = _callback_machine(aws)
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_success(taskToken=tokens[0], output="nope")
    assert error_of(exc)[0] == "InvalidOutput"
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_heartbeat(taskToken="bogus")
    assert error_of(exc) == ("InvalidToken", "Invalid token")


# --- activities (RES-10, API-18) -----------------------------------------------------------------
def test_activity_worker_round_trip(aws):
    sfn = aws.stepfunctions
    act = sfn.create_activity(name="work")["activityArn"]
    assert act == "arn:aws:states:us-east-1:123456789012:activity:work"
    assert sfn.create_activity(name="work")["activityArn"] == act  # idempotent
    assert sfn.describe_activity(activityArn=act)["name"] == "work"
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["work"]
    ex = start(aws, task(act, TimeoutSeconds=30), {"job": 1})
    assert desc(aws, ex)["status"] == "RUNNING"
    polled = sfn.get_activity_task(activityArn=act, workerName="w1")
    assert polled["input"] == '{"job":1}'
    assert sfn.get_activity_task(activityArn=act) == {}
    sfn.send_task_success(taskToken=polled["taskToken"], output='{"done":1}')
    assert desc(aws, ex)["output"] == '{"done":1}'
    types = [e["type"] for e in history(aws, ex)]
    assert types[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]
    started = history(aws, ex)[3]
    assert started["activityStartedEventDetails"] == {"workerName": "w1"}


def test_activity_timeout_counts_from_start(aws):
    sfn = aws.stepfunctions
    act = sfn.create_activity(name="slow")["activityArn"]
    ex = start(aws, task(act, TimeoutSeconds=30))
    aws.clock.advance(100)  # queued, not started: no task timeout yet
    assert desc(aws, ex)["status"] == "RUNNING"
    sfn.get_activity_task(activityArn=act)
    aws.clock.advance(30)
    d = desc(aws, ex)
    assert (d["status"], d["error"]) == ("FAILED", "States.Timeout")
    assert history(aws, ex)[-2]["type"] == "ActivityTimedOut"


def test_missing_activity_is_runtime_error(aws):
    arn = "arn:aws:states:us-east-1:123456789012:activity:gone"
    d = desc(aws, start(aws, task(arn)))
    assert d["error"] == "States.Runtime"
    assert d["cause"] == (
        "An error occurred while executing the state 'T' (entered at the event id #2). "
        f"The activity {arn} does not exist."
    )


def test_describe_missing_activity(aws):
    arn = "arn:aws:states:us-east-1:123456789012:activity:none"
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.describe_activity(activityArn=arn)
    assert error_of(exc) == ("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")


# --- nested executions (RES-08) ------------------------------------------------------------------
def _child(aws, definition, name="child"):
    return aws.stepfunctions.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]


def test_start_execution_sync2_waits_for_the_child(aws):
    child = _child(
        aws,
        {
            "StartAt": "W",
            "States": {
                "W": {"Type": "Wait", "Seconds": 600, "Next": "P"},
                "P": {"Type": "Pass", "Result": {"r": 1}, "End": True},
            },
        },
    )
    ex = start(
        aws,
        task(
            "arn:aws:states:::states:startExecution.sync:2",
            Parameters={"StateMachineArn": child, "Input": {"k.$": "$.k"}},
        ),
        {"k": 3},
    )
    out = json.loads(desc(aws, ex)["output"])
    assert out["Output"] == {"r": 1} and out["Input"] == {"k": 3} and out["Status"] == "SUCCEEDED"
    types = [e["type"] for e in history(aws, ex)]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    evs = history(aws, ex)
    assert (evs[5]["timestamp"] - evs[4]["timestamp"]).total_seconds() == 600


def test_start_execution_sync_child_failure(aws):
    child = _child(aws, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "c"}}})
    ex = start(
        aws, task("arn:aws:states:::states:startExecution.sync", Parameters={"StateMachineArn": child})
    )
    d = desc(aws, ex)
    assert d["error"] == "States.TaskFailed"
    cause = json.loads(d["cause"])
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "Boom", "c")


def test_start_execution_request_response_and_missing_machine(aws):
    child = _child(aws, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    ex = start(aws, task("arn:aws:states:::states:startExecution", Parameters={"StateMachineArn": child}))
    out = json.loads(desc(aws, ex)["output"])
    assert out["ExecutionArn"].startswith("arn:aws:states:us-east-1:123456789012:execution:child:")
    assert "SdkHttpMetadata" in out
    missing = "arn:aws:states:us-east-1:123456789012:stateMachine:nope"
    d = desc(
        aws,
        start(
            aws,
            task("arn:aws:states:::states:startExecution", Parameters={"StateMachineArn": missing}),
            name="sm2",
        ),
    )
    assert d["error"] == "StepFunctions.StateMachineDoesNotExistException"


def test_answer_after_timeout_is_task_timed_out(aws):
    ex, tokens = _callback_machine(aws, TimeoutSeconds=5)
    aws.clock.advance(5)
    assert desc(aws, ex)["error"] == "States.Timeout"
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_success(taskToken=tokens[0], output="{}")
    assert error_of(exc)[0] == "TaskTimedOut"


# --- callbacks: the heartbeat clock starts when the invoked call returns (ASL-TASK-04) --------------


def test_callback_heartbeat_counts_from_when_the_lambda_returned(aws):
    """DG (connect-lambda): "If you invoke the Lambda function with a callback task, the heartbeat
    timeout doesn't start counting until after the Lambda function has completed executing and
    returned a result." A function that runs 10 s with HeartbeatSeconds 5 is not a missed
    heartbeat; the heartbeat expires 5 s after the function returned (TaskSubmitted)."""
    sfn = aws.stepfunctions

    @sfn.task(FN + "slow")
    def slow(event, context):
        context.sleep(10)
        return {}

    ex = start(
        aws,
        task(
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            HeartbeatSeconds=5,
            TimeoutSeconds=100,
            Parameters={"FunctionName": "slow", "Payload": {"t.$": "$$.Task.Token"}},
        ),
    )
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 14.9)
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 15)
    assert desc(aws, ex)["status"] == "FAILED"
    evs = history(aws, ex)
    assert [e["type"] for e in evs][-4:] == [
        "TaskStarted",
        "TaskSubmitted",
        "TaskTimedOut",
        "ExecutionFailed",
    ]
    assert elapsed(evs, "TaskSubmitted") == 10.0
    assert elapsed(evs, "TaskTimedOut") == 15.0


def test_callback_timeout_still_counts_from_the_task_start(aws):
    """ASL-TASK-04: TimeoutSeconds counts from the task's start, also across the invoked call."""
    sfn = aws.stepfunctions
    sfn.task(FN + "slow")(lambda event, context: context.sleep(10) or {})
    ex = start(
        aws,
        task(
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            TimeoutSeconds=25,
            Parameters={"FunctionName": "slow", "Payload": {"t.$": "$$.Task.Token"}},
        ),
    )
    advance_to(aws, ex, 24.9)
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 25)
    evs = history(aws, ex)
    assert desc(aws, ex)["status"] == "FAILED"
    assert elapsed(evs, "TaskTimedOut") == 25.0


def test_event_invocation_starts_the_callback_heartbeat_at_once(aws):
    """ASL-TASK-04: for a callback task "the heartbeat clock starts when the invoked call returns
    (Lambda: after the function returns; async InvocationType: Event: immediately)"."""
    sfn = aws.stepfunctions
    sfn.task(FN + "slow")(lambda event, context: context.sleep(10) or {})
    ex = start(
        aws,
        task(
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            HeartbeatSeconds=5,
            Parameters={
                "FunctionName": "slow",
                "InvocationType": "Event",
                "Payload": {"t.$": "$$.Task.Token"},
            },
        ),
    )
    advance_to(aws, ex, 4.9)
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 5)
    evs = history(aws, ex)
    assert desc(aws, ex)["status"] == "FAILED"
    assert (elapsed(evs, "TaskSubmitted"), elapsed(evs, "TaskTimedOut")) == (0.0, 5.0)


# --- lambda:invoke: FunctionName forms, invocation types and what a Python Lambda returns (RES-01..03)


def test_lambda_invoke_function_name_forms_give_the_invoked_arn(aws):
    """Lambda's Invoke accepts a name, a name with a qualifier, a full ARN and a partial ARN
    (``123456789012:function:name``); the callable's ``context.invoked_function_arn`` is the
    function's ARN in each case."""
    sfn = aws.stepfunctions
    seen = []
    sfn.task(FN + "f")(lambda event, context: seen.append(context.invoked_function_arn) or "ok")
    forms = ["f", "f:prod", FN + "f", "123456789012:function:f", "123456789012:function:f:prod"]
    for i, name in enumerate(forms):
        ex = start(
            aws, task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": name}), name=f"sm{i}"
        )
        assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert seen == [FN + "f", FN + "f:prod", FN + "f", FN + "f", FN + "f:prod"]


def test_decimal_results_are_numbers_as_in_the_lambda_python_runtime(aws):
    """The Lambda Python runtime encodes ``decimal.Decimal`` (what boto3's DynamoDB resource
    returns) as its number text (awslambdaric ``lambda_runtime_marshaller``); it was a
    ``Runtime.MarshalError`` here. Other non-JSON values still are."""
    from decimal import Decimal

    sfn = aws.stepfunctions
    sfn.task(FN + "item")(
        lambda event, context: {
            "id": Decimal("123"),
            "price": Decimal("9.50"),
            "big": Decimal("12345678901234567890"),
            "sci": Decimal("1E+2"),
            "list": [Decimal("-0.5")],
        }
    )
    ex = start(aws, task(FN + "item"))
    d = desc(aws, ex)
    assert d["status"] == "SUCCEEDED"
    assert d["output"] == '{"id":123,"price":9.5,"big":12345678901234567890,"sci":100.0,"list":[-0.5]}'
    sfn.task(FN + "set")(lambda event, context: {"tags": {"a"}})
    d = desc(aws, start(aws, task(FN + "set"), name="sm2"))
    assert d["error"] == "Runtime.MarshalError"
    assert json.loads(d["cause"])["errorMessage"] == (
        "Unable to marshal response: Object of type set is not JSON serializable"
    )


def test_lambda_error_stack_trace_is_formatted_as_the_runtime_does(aws):
    """RES-03/ERR-09: the cause is the runtime's error JSON; its ``stackTrace`` lines are
    ``traceback.format_list`` of (file, line, function, text) tuples (awslambdaric), which carry
    no Python 3.11+ ``^^^^`` position markers."""

    class Oops(Exception):
        pass

    def handler(event, context):
        return {"v": 1 + int(event["n"]) if event["n"] else _raise(Oops("bad " + str(event["n"])))}

    def _raise(exc):
        raise exc

    aws.stepfunctions.task(FN + "f")(handler)
    d = desc(aws, start(aws, task(FN + "f"), {"n": 0}))
    cause = json.loads(d["cause"])
    assert (d["error"], cause["errorType"], cause["errorMessage"]) == ("Oops", "Oops", "bad 0")
    assert list(cause) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert len(cause["stackTrace"]) == 2
    for line in cause["stackTrace"]:
        assert line.startswith('  File "') and line.endswith("\n") and "^" not in line
        assert line.count("\n") == 2  # the 'File ...' line and the source line


def test_lambda_invoke_event_and_dry_run_invocation_types(aws):
    """Lambda Invoke API (StatusCode): "For the RequestResponse invocation type, this status code
    is 200. For the Event invocation type, this status code is 202. For the DryRun invocation
    type, the status code is 204." An Event invocation runs the function but discards its
    result — and its error (the task was failed by it); a DryRun does not run it."""
    sfn = aws.stepfunctions
    calls = []

    @sfn.task(FN + "async")
    def handler(event, context):
        calls.append(event)
        raise RuntimeError("async failure is not the task's")

    for i, (kind, status) in enumerate((("Event", 202), ("DryRun", 204))):
        ex = start(
            aws,
            task(
                "arn:aws:states:::lambda:invoke",
                Parameters={"FunctionName": "async", "InvocationType": kind, "Payload": {"i": i}},
            ),
            name=f"sm{i}",
        )
        d = desc(aws, ex)
        assert d["status"] == "SUCCEEDED"
        out = json.loads(d["output"])
        assert (out["StatusCode"], out["SdkHttpMetadata"]["HttpStatusCode"], out["Payload"]) == (
            status,
            status,
            "",
        )
    assert calls == [{"i": 0}]


# --- optimized integrations have a fixed action list (DDB-01) ----------------------------------------


def test_optimized_dynamodb_has_only_the_four_item_actions(aws):
    """DDB-01: ``arn:aws:states:::dynamodb:`` offers getItem, putItem, updateItem and deleteItem
    only; other actions exist as AWS SDK integrations (``aws-sdk:dynamodb:query``). Such a
    definition is refused when created (it ran, and failed only at run time, as 'not emulated')."""
    from emulator.stepfunctions.asl import validate_messages as msg

    sfn = aws.stepfunctions
    for resource in (
        "arn:aws:states:::dynamodb:query",
        "arn:aws:states:::dynamodb:scan",
        "arn:aws:states:::lambda:invokeAsync",
        "arn:aws:states:::states:describeExecution",
    ):
        report = sfn.validate_state_machine_definition(definition=json.dumps(task(resource)))
        assert report["result"] == "FAIL"
        assert [(d["code"], d["message"], d["location"]) for d in report["diagnostics"]] == [
            ("SCHEMA_VALIDATION_FAILED", msg.UNKNOWN_RESOURCE.format(arn=resource), "/States/T/Resource")
        ]
    for resource in (
        "arn:aws:states:::dynamodb:getItem",
        "arn:aws:states:::dynamodb:deleteItem",
        "arn:aws:states:::aws-sdk:dynamodb:query",
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::states:startExecution.sync:2",
    ):
        assert sfn.validate_state_machine_definition(definition=json.dumps(task(resource)))["result"] == "OK"


# --- task timeouts: TimeoutSecondsPath and the scheduled event's details (ASL-TASK-02, ASL-TASK-03)


def test_asl_task_02_timeout_seconds_path_resolves_at_run_time(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": FN + "ok", "TimeoutSecondsPath": "$.t", "End": True}},
    }
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="tp", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    prefix = "An error occurred while executing the state 'T' (entered at the event id #2). "
    for input_, cause in [
        ('{"t": 0}', "The TimeoutSecondsPath parameter references an invalid value: $.t == 0"),
        ("{}", "The TimeoutSecondsPath parameter does not reference an input value: $.t"),
    ]:
        ex = sfn.start_execution(stateMachineArn=arn, input=input_)["executionArn"]
        d = sfn.describe_execution(executionArn=ex)
        assert (d["status"], d["error"], d["cause"]) == ("FAILED", "States.Runtime", prefix + cause)
    ex = sfn.start_execution(stateMachineArn=arn, input='{"t": 7}')["executionArn"]
    scheduled = events_of(aws, ex)[2]
    assert scheduled["lambdaFunctionScheduledEventDetails"]["timeoutInSeconds"] == 7


def test_asl_task_03_no_timeouts_in_scheduled_details_unless_configured(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    ex = run_definition(
        aws, {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "ok", "End": True}}}
    )
    assert events_of(aws, ex)[2]["lambdaFunctionScheduledEventDetails"] == {
        "resource": FN + "ok",
        "input": "{}",
        "inputDetails": {"truncated": False},
    }


# --- Parameters / ResultSelector that are not objects ---------------------------------------------
# Accepted by AWS (see test_validate_expressions); at run time a non-object template is used as it
# stands: an array's objects are templates, everything else literal. Evidence: Task Parameters
# false reached the Lambda as false (localstack/localstack#6362, on AWS 2022-06-28); ResultSelector
# "$.Payload" gave the literal string (sam-goodwin/functionless#307, on AWS 2022-06-26); Pass
# Parameters [{"foo": "bar"}] gives that array (nibble-4bits/aws-local-stepfunctions#81, 2023-11).
@pytest.mark.parametrize(
    "parameters,received",
    [(False, False), ("$.x", "$.x"), ([1, {"v.$": "$.x"}, "$.x"], [1, {"v": 7}, "$.x"])],
)
def test_non_object_parameters_are_the_task_input_as_they_stand(aws, parameters, received):
    seen = []
    aws.stepfunctions.task(FN + "f")(lambda e, c: seen.append(e) or "done")
    ex = start(aws, task(FN + "f", Parameters=parameters), {"x": 7})
    assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert seen == [received]


def test_non_object_result_selector_is_the_result_as_it_stands(aws):
    aws.stepfunctions.task(FN + "f")(lambda e, c: {"Payload": 1})
    ex = start(aws, task(FN + "f", ResultSelector="$.Payload"))
    assert desc(aws, ex)["output"] == '"$.Payload"'
    ex = start(aws, task(FN + "f", ResultSelector=[{"p.$": "$.Payload"}]), name="sm2")
    assert desc(aws, ex)["output"] == '[{"p":1}]'


def test_pass_parameters_array_is_the_output(aws):
    d = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": [{"foo": "bar"}], "End": True}}}
    assert desc(aws, start(aws, d))["output"] == '[{"foo":"bar"}]'


# Integration ARNs with a region and account run as the region-less form (issue 11; INF on AWS's
# event details: resourceType and resource are the service and the API, as for arn:aws:states:::).
@pytest.mark.parametrize(
    "resource",
    ["arn:aws:states:us-east-1:123456789012:lambda:invoke", "arn:aws:states:us-east-1::lambda:invoke"],
)
def test_lambda_invoke_with_region_and_account_in_the_arn(aws, resource):
    aws.stepfunctions.task(FN + "f")(lambda e, c: {"got": e})
    ex = start(
        aws, task(resource, Parameters={"FunctionName": FN + "f", "Payload": {"x.$": "$.x"}}), {"x": 5}
    )
    assert json.loads(desc(aws, ex)["output"])["Payload"] == {"got": {"x": 5}}
    sched = [e for e in history(aws, ex) if e["type"] == "TaskScheduled"][0]["taskScheduledEventDetails"]
    assert (sched["resourceType"], sched["resource"]) == ("lambda", "invoke")
