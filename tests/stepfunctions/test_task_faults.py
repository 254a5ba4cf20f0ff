"""Injected Task failures (emulator/faults/, stepfunctions/runtime/task_faults.py): Lambda's service
errors, States.TaskFailed from an integration, a heartbeat that never comes (ERRN-18, ERR-11)."""

from __future__ import annotations

import json

import pytest

import emulator
from tests.stepfunctions.workflow_helpers import FN, ROLE, advance_to, desc, elapsed, history, start, task

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"


def register(aws, name="Charge"):
    calls: list = []

    @aws.stepfunctions.task(FN + name)
    def fn(event, context):
        calls.append(event)
        return {"charged": True}

    return calls


def invoke(function="Charge", **fields):
    return task(LAMBDA_INVOKE, Parameters={"FunctionName": function, "Payload.$": "$"}, **fields)


def failures(aws, ex, kind="TaskFailed"):
    key = kind[0].lower() + kind[1:] + "EventDetails"
    return [e[key] for e in history(aws, ex) if e["type"] == kind]


@pytest.mark.parametrize(
    "error, status, code, message",
    [
        ("Lambda.ServiceException", 500, "ServiceException", "Internal error"),
        ("Lambda.AWSLambdaException", 500, "AWSLambdaException", "Internal error"),
        ("Lambda.TooManyRequestsException", 429, "TooManyRequestsException", "Rate Exceeded."),
    ],
)
def test_lambda_service_errors_fail_the_task_with_the_sdk_cause(aws, error, status, code, message):
    calls = register(aws)
    aws.faults.inject(service="stepfunctions", task="Charge", error=error)
    ex = start(aws, invoke())
    assert desc(aws, ex)["status"] == "FAILED" and calls == []
    (failed,) = failures(aws, ex)
    assert failed["error"] == error
    assert failed["cause"].startswith(
        f"{message} (Service: AWSLambda; Status Code: {status}; Error Code: {code}; Request ID: "
    )
    assert failed["cause"].endswith("; Proxy: null)")


def test_retry_recovers_from_injected_service_errors(aws):
    calls = register(aws)
    fault = aws.faults.inject(
        service="stepfunctions", task="Charge", error="Lambda.ServiceException", times=2
    )
    retry = [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 3}]
    ex = start(aws, invoke(Retry=retry))
    assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert len(calls) == 1 and fault.fired == 2
    types = [e["type"] for e in history(aws, ex)]
    assert types.count("TaskFailed") == 2 and types.count("TaskSucceeded") == 1


def test_legacy_lambda_resource_and_sdk_client_exception(aws):
    register(aws)
    aws.faults.inject(service="stepfunctions", task=FN + "Charge", error="Lambda.SdkClientException")
    ex = start(aws, task(FN + "Charge"))
    (failed,) = failures(aws, ex, "LambdaFunctionFailed")
    assert failed == {
        "error": "Lambda.SdkClientException",
        "cause": "Unable to execute HTTP request: Read timed out",
    }


def test_task_may_be_named_by_state_and_the_cause_given(aws):
    register(aws)
    aws.faults.inject(task="T", error="Payment.Declined", cause="card expired")  # task=: Step Functions
    ex = start(aws, invoke())
    assert failures(aws, ex) == [
        {"resourceType": "lambda", "resource": "invoke", "error": "Payment.Declined", "cause": "card expired"}
    ]


def test_states_task_failed_from_a_dynamodb_integration(aws):
    aws.dynamodb.create_table(
        TableName="Orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    put = task(
        "arn:aws:states:::dynamodb:putItem",
        Parameters={"TableName": "Orders", "Item": {"id": {"S": "o1"}}},
        Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}],
    )
    put["States"]["Caught"] = {"Type": "Pass", "End": True}
    aws.faults.inject(
        service="stepfunctions", task="arn:aws:states:::dynamodb:putItem", error="States.TaskFailed"
    )
    ex = start(aws, put)
    assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert json.loads(desc(aws, ex)["output"])["Error"] == "States.TaskFailed"
    assert "Item" not in aws.dynamodb.get_item(TableName="Orders", Key={"id": {"S": "o1"}})


def test_a_dynamodb_fault_reaches_a_task_as_that_integrations_error(aws):
    aws.dynamodb.create_table(
        TableName="Orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    aws.faults.inject(operation="PutItem", error="ProvisionedThroughputExceededException", table="Orders")
    ex = start(
        aws,
        task(
            "arn:aws:states:::dynamodb:putItem",
            Parameters={"TableName": "Orders", "Item": {"id": {"S": "o"}}},
        ),
    )
    (failed,) = failures(aws, ex)
    assert failed["error"] == "DynamoDB.ProvisionedThroughputExceededException"
    assert "Status Code: 400; Error Code: ProvisionedThroughputExceededException" in failed["cause"]


# --- a heartbeat that never comes ------------------------------------------------------------------
@pytest.mark.parametrize("resource", [FN + "Charge", LAMBDA_INVOKE])
def test_heartbeat_that_never_comes_times_out_at_heartbeat_seconds(aws, resource):
    calls = register(aws)
    aws.faults.inject(service="stepfunctions", task="Charge", error="States.HeartbeatTimeout", times=1)
    fields = {"HeartbeatSeconds": 30, "TimeoutSeconds": 300}
    if resource == LAMBDA_INVOKE:
        fields["Parameters"] = {"FunctionName": "Charge", "Payload.$": "$"}
    definition = task(resource, **fields)
    definition["States"]["T"]["Catch"] = [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Late"}]
    definition["States"]["Late"] = {"Type": "Pass", "Result": "late", "End": True}
    ex = start(aws, definition)
    assert desc(aws, ex)["status"] == "SUCCEEDED" and desc(aws, ex)["output"] == '"late"'
    evs = history(aws, ex)
    timed_out = "LambdaFunctionTimedOut" if resource.startswith(FN) else "TaskTimedOut"
    assert elapsed(evs, timed_out) == 30.0
    assert calls == []


def test_heartbeat_that_never_comes_to_a_callback_task(aws):
    register(aws)
    aws.faults.inject(service="stepfunctions", task="Charge", error="States.HeartbeatTimeout")
    ex = start(
        aws,
        task(
            LAMBDA_INVOKE + ".waitForTaskToken",
            HeartbeatSeconds=20,
            Parameters={"FunctionName": "Charge", "Payload": {"token.$": "$$.Task.Token"}},
        ),
    )
    assert desc(aws, ex)["status"] == "RUNNING"  # waiting for a token nobody was given
    advance_to(aws, ex, 20)
    assert desc(aws, ex)["status"] == "FAILED"
    assert elapsed(history(aws, ex), "TaskTimedOut") == 20.0


def test_heartbeat_fault_without_limits_hangs_until_the_execution_times_out(aws):
    """A Task with neither HeartbeatSeconds nor TimeoutSeconds that never answers holds the
    execution until a Standard execution's one-year limit ends it."""
    register(aws)
    aws.faults.inject(service="stepfunctions", task="Charge", error="States.HeartbeatTimeout")
    ex = start(aws, invoke())
    assert desc(aws, ex)["status"] == "TIMED_OUT"
    assert [e["type"] for e in history(aws, ex)][-2:] == ["TaskStarted", "ExecutionTimedOut"]


# --- reproducibility and doors -----------------------------------------------------------------------
def outcome_pattern(seed: int) -> str:
    world = emulator.Emulator(seed=seed)
    register(world)
    world.faults.inject(
        service="stepfunctions", task="Charge", error="Lambda.TooManyRequestsException", probability=0.4
    )
    sfn = world.stepfunctions
    arn = sfn.create_state_machine(name="m", definition=json.dumps(invoke()), roleArn=ROLE)["stateMachineArn"]
    runs = [sfn.start_execution(stateMachineArn=arn)["executionArn"] for _ in range(30)]
    return "".join("." if desc(world, ex)["status"] == "SUCCEEDED" else "X" for ex in runs)


def test_the_same_seed_fails_the_same_tasks():
    first = outcome_pattern(11)
    assert first == outcome_pattern(11)
    assert "X" in first and "." in first


def test_task_faults_show_through_every_door(aws, sfn):
    register(aws)
    aws.faults.inject(service="stepfunctions", task="Charge", error="Lambda.ServiceException")
    arn = sfn.create_state_machine(name="m", definition=json.dumps(invoke()), roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    described = sfn.describe_execution(executionArn=ex)
    assert (described["status"], described["error"]) == ("FAILED", "Lambda.ServiceException")
