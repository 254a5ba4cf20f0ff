"""Task resources (reference §10): Python callables for Lambda ARNs and lambda:invoke, the
in-process DynamoDB integrations, callbacks (.waitForTaskToken), unregistered resources."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import FN, ROLE, desc, history, start, task


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
        "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
        "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"]
    assert [e["previousEventId"] for e in evs] == [0, 0, 2, 3, 4, 5, 6]
    assert evs[2]["lambdaFunctionScheduledEventDetails"] == {
        "resource": FN + "f", "input": '{"in":1}', "inputDetails": {"truncated": False}, "timeoutInSeconds": 30}
    assert "lambdaFunctionStartedEventDetails" not in evs[3]
    assert evs[4]["lambdaFunctionSucceededEventDetails"] == {"output": '{"ok":1}',
                                                             "outputDetails": {"truncated": False}}


def test_lambda_invoke_wraps_result(aws):
    aws.stepfunctions.task(FN + "f")(lambda e, c: {"got": e})
    ex = start(aws, task("arn:aws:states:::lambda:invoke",
                         Parameters={"FunctionName": FN + "f", "Payload": {"x.$": "$.x"}}), {"x": 5})
    out = json.loads(desc(aws, ex)["output"])
    assert out["Payload"] == {"got": {"x": 5}}
    assert out["ExecutedVersion"] == "$LATEST" and out["StatusCode"] == 200
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert out["SdkResponseMetadata"]["RequestId"] == out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
    assert list(out) == ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]
    evs = history(aws, ex)
    sched = [e for e in evs if e["type"] == "TaskScheduled"][0]["taskScheduledEventDetails"]
    assert sched == {"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
                     "parameters": json.dumps({"FunctionName": FN + "f", "Payload": {"x": 5}},
                                              separators=(",", ":"))}


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
    assert d["cause"].startswith("Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:$LATEST "
                                 "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; ")
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
    aws.dynamodb.create_table(TableName="Items", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST")
    return "Items"


def test_dynamodb_optimized_put_get(aws, table):
    d = {"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "ResultPath": "$.put",
                "Parameters": {"TableName": table, "Item": {"id": {"S.$": "$.id"}, "n": {"N": "1"}}}, "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}}, "End": True}}}
    out = json.loads(desc(aws, start(aws, d, {"id": "k"}))["output"])
    assert out["Item"] == {"id": {"S": "k"}, "n": {"N": "1"}}
    assert set(out) == {"Item", "SdkHttpMetadata", "SdkResponseMetadata"}
    assert aws.dynamodb.get_item(TableName=table, Key={"id": {"S": "k"}})["Item"]["n"] == {"N": "1"}


def test_dynamodb_put_without_return_values_has_only_metadata(aws, table):
    ex = start(aws, task("arn:aws:states:::dynamodb:putItem",
                         Parameters={"TableName": table, "Item": {"id": {"S": "a"}}}))
    assert set(json.loads(desc(aws, ex)["output"])) == {"SdkHttpMetadata", "SdkResponseMetadata"}


def test_dynamodb_errors_are_named_like_aws(aws, table):
    aws.dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}})
    ex = start(aws, task("arn:aws:states:::dynamodb:putItem", Parameters={
        "TableName": table, "Item": {"id": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(id)"}))
    d = desc(aws, ex)
    assert d["error"] == "DynamoDB.ConditionalCheckFailedException"
    assert d["cause"].startswith("The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; "
                                 "Error Code: ConditionalCheckFailedException; Request ID: ")
    ex = start(aws, task("arn:aws:states:::dynamodb:getItem",
                         Parameters={"TableName": "Missing", "Key": {"id": {"S": "a"}}}), name="sm2")
    d = desc(aws, ex)
    assert d["error"] == "DynamoDB.ResourceNotFoundException"
    assert d["cause"].startswith("Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; "
                                 "Error Code: ResourceNotFoundException; Request ID: ")


def test_aws_sdk_dynamodb(aws, table):
    d = {"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem", "ResultPath": "$.put",
                "Parameters": {"TableName": table, "Item": {"id": {"S": "z"}}}, "Next": "Scan"},
        "Scan": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                 "Parameters": {"TableName": table, "Key": {"id": {"S": "z"}}},
                 "ResultSelector": {"n.$": "$.Item.id.S"}, "ResultPath": "$.scan", "Next": "Miss"},
        "Miss": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                 "Parameters": {"TableName": "Missing", "Key": {"id": {"S": "z"}}},
                 "Catch": [{"ErrorEquals": ["DynamoDb.ResourceNotFoundException"], "ResultPath": "$.err",
                            "Next": "Done"}], "End": True},
        "Done": {"Type": "Pass", "End": True}}}
    out = json.loads(desc(aws, start(aws, d))["output"])
    assert out["put"] == {} and out["scan"] == {"n": "z"}
    assert out["err"]["Error"] == "DynamoDb.ResourceNotFoundException"
    assert out["err"]["Cause"].startswith("Requested resource not found (Service: DynamoDb, Status Code: 400, "
                                          "Request ID: ")
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
    assert error_of(exc) == ("InvalidToken", "Invalid Token: 'bogus'")


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
    assert d["cause"] == ("An error occurred while executing the state 'T' (entered at the event id #2). "
                          f"The activity {arn} does not exist.")


def test_describe_missing_activity(aws):
    arn = "arn:aws:states:us-east-1:123456789012:activity:none"
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.describe_activity(activityArn=arn)
    assert error_of(exc) == ("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")


# --- nested executions (RES-08) ------------------------------------------------------------------
def _child(aws, definition, name="child"):
    return aws.stepfunctions.create_state_machine(name=name, definition=json.dumps(definition),
                                                  roleArn=ROLE)["stateMachineArn"]


def test_start_execution_sync2_waits_for_the_child(aws):
    child = _child(aws, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "Next": "P"},
                                                   "P": {"Type": "Pass", "Result": {"r": 1}, "End": True}}})
    ex = start(aws, task("arn:aws:states:::states:startExecution.sync:2",
                         Parameters={"StateMachineArn": child, "Input": {"k.$": "$.k"}}), {"k": 3})
    out = json.loads(desc(aws, ex)["output"])
    assert out["Output"] == {"r": 1} and out["Input"] == {"k": 3} and out["Status"] == "SUCCEEDED"
    types = [e["type"] for e in history(aws, ex)]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    evs = history(aws, ex)
    assert (evs[5]["timestamp"] - evs[4]["timestamp"]).total_seconds() == 600


def test_start_execution_sync_child_failure(aws):
    child = _child(aws, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "c"}}})
    ex = start(aws, task("arn:aws:states:::states:startExecution.sync",
                         Parameters={"StateMachineArn": child}))
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
    d = desc(aws, start(aws, task("arn:aws:states:::states:startExecution",
                                  Parameters={"StateMachineArn": missing}), name="sm2"))
    assert d["error"] == "StepFunctions.StateMachineDoesNotExistException"


def test_answer_after_timeout_is_task_timed_out(aws):
    ex, tokens = _callback_machine(aws, TimeoutSeconds=5)
    aws.clock.advance(5)
    assert desc(aws, ex)["error"] == "States.Timeout"
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_success(taskToken=tokens[0], output="{}")
    assert error_of(exc)[0] == "TaskTimedOut"
