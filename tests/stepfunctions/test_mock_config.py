"""Step Functions Local's mock configuration files (AWS's documented format, unchanged): test cases
selected by ``<state machine arn>#<test case>``, ``Return``/``Throw`` answers per invocation,
invocation ranges, and a mocked response beating a registered callable."""

from __future__ import annotations

import json
import os

import pytest

from emulator.stepfunctions.mock_config import MockConfigError
from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import FN, ROLE, desc, history

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sfn_local")
CONFIG_FILE = os.path.join(HERE, "MockConfigFile.json")
with open(os.path.join(HERE, "LambdaSQSIntegration.asl.json"), encoding="utf-8") as _f:
    DEFINITION = _f.read()
LAMBDA_RESULT = {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}
SQS_RESULT = {
    "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
    "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
}


def machine(aws, definition=DEFINITION, name="LambdaSQSIntegration"):
    if not isinstance(definition, str):
        definition = json.dumps(definition)
    return aws.stepfunctions.create_state_machine(name=name, definition=definition, roleArn=ROLE)[
        "stateMachineArn"
    ]


def run_case(aws, arn, case, input_="{}", name="run"):
    sfn = aws.stepfunctions
    return sfn.start_execution(stateMachineArn=f"{arn}#{case}", name=name, input=input_)["executionArn"]


def kinds(events):
    return [e["type"] for e in events]


def details(event):
    return next(v for k, v in event.items() if k.endswith("EventDetails"))


# --- AWS's documented example: LambdaSQSIntegration ------------------------------------------------
def test_happy_path_answers_both_tasks_with_their_mocked_responses(aws):
    aws.stepfunctions.load_mock_config(CONFIG_FILE)
    ex = run_case(aws, machine(aws), "HappyPath")
    d = desc(aws, ex)
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == SQS_RESULT
    assert d["stateMachineArn"].endswith(":stateMachine:LambdaSQSIntegration")  # no "#HappyPath"
    events = history(aws, ex)
    assert kinds(events) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    lambda_done, sqs_entered, sqs_scheduled = events[4], events[6], events[7]
    assert details(lambda_done)["resourceType"] == "lambda" and details(lambda_done)["resource"] == "invoke"
    assert json.loads(details(lambda_done)["output"]) == LAMBDA_RESULT
    # the mocked data flows on as a real answer would: LambdaState's output is SQSState's input
    assert json.loads(details(sqs_entered)["input"]) == LAMBDA_RESULT
    assert json.loads(details(sqs_scheduled)["parameters"])["MessageBody"] == LAMBDA_RESULT
    assert details(events[9])["resourceType"] == "sqs" and details(events[9])["resource"] == "sendMessage"


def test_retry_path_throws_by_invocation_range_then_returns(aws):
    aws.stepfunctions.load_mock_config(CONFIG_FILE)
    ex = run_case(aws, machine(aws), "RetryPath")
    d = desc(aws, ex)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == SQS_RESULT
    events = history(aws, ex)
    lambda_events = [e for e in events if e["type"].startswith("Task") and "State" not in e["type"]][:12]
    assert kinds(lambda_events) == ["TaskScheduled", "TaskStarted", "TaskFailed"] * 3 + [
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
    ]
    failures = [details(e) for e in lambda_events if e["type"] == "TaskFailed"]
    assert [(f["error"], f["cause"]) for f in failures] == [
        ("Lambda.ResourceNotReadyException", "Lambda resource is not ready."),  # "0"
        ("Lambda.TimeoutException", "Lambda timed out."),  # "1-2"
        ("Lambda.TimeoutException", "Lambda timed out."),
    ]
    assert json.loads(details(lambda_events[-1])["output"]) == LAMBDA_RESULT  # "3"
    # the Retry policy's waits (IntervalSeconds 2, BackoffRate 2) on the virtual clock
    scheduled = [e["timestamp"] for e in lambda_events if e["type"] == "TaskScheduled"]
    gaps = [(b - a).total_seconds() for a, b in zip(scheduled, scheduled[1:])]
    assert gaps == [2.0, 4.0, 8.0]


def test_hybrid_path_mocks_one_state_and_runs_the_other_as_usual(aws):
    sfn = aws.stepfunctions
    sfn.load_mock_config(CONFIG_FILE)
    sent = []
    sfn.task("arn:aws:states:::sqs:sendMessage")(
        lambda event, ctx: sent.append(event) or {"MessageId": "real"}
    )
    ex = run_case(aws, machine(aws), "HybridPath")
    assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert json.loads(desc(aws, ex)["output"]) == {"MessageId": "real"}
    assert sent == [
        {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/myQueue", "MessageBody": LAMBDA_RESULT}
    ]


def test_a_mocked_response_beats_a_registered_callable(aws):
    sfn = aws.stepfunctions
    calls = []
    sfn.task(FN + "HelloWorldFunction")(lambda event, ctx: calls.append(event) or {"real": True})
    sfn.task("arn:aws:states:::sqs:sendMessage")(lambda event, ctx: calls.append(event) or {"real": True})
    sfn.load_mock_config(CONFIG_FILE)
    arn = machine(aws)
    ex = run_case(aws, arn, "HappyPath")
    assert json.loads(desc(aws, ex)["output"]) == SQS_RESULT and calls == []
    # without a test case, the same machine calls the registered callables
    plain = sfn.start_execution(stateMachineArn=arn, name="plain")["executionArn"]
    assert json.loads(desc(aws, plain)["output"]) == {"real": True} and len(calls) == 2


def test_each_execution_counts_its_own_invocations(aws):
    aws.stepfunctions.load_mock_config(CONFIG_FILE)
    arn = machine(aws)
    first = run_case(aws, arn, "RetryPath", name="first")
    second = run_case(aws, arn, "RetryPath", name="second")
    assert desc(aws, first)["status"] == desc(aws, second)["status"] == "SUCCEEDED"
    assert kinds(history(aws, first)) == kinds(history(aws, second))


# --- the format's other rules ---------------------------------------------------------------------
def test_an_invocation_without_a_response_fails_the_execution(aws):
    sfn = aws.stepfunctions
    sfn.load_mock_config(
        {
            "StateMachines": {"M": {"TestCases": {"Short": {"T": "Once"}}}},
            "MockedResponses": {"Once": {"0": {"Throw": {"Error": "Boom", "Cause": "first"}}}},
        }
    )
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": FN + "f",
                "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1}],
                "End": True,
            }
        },
    }
    ex = run_case(aws, machine(aws, definition, name="M"), "Short")
    d = desc(aws, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime"
    assert "no mocked response for invocation 1 of state 'T'" in d["cause"]


def test_a_lambda_function_arn_records_lambda_function_events(aws):
    aws.stepfunctions.load_mock_config(
        {
            "StateMachines": {"M": {"TestCases": {"Ok": {"T": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": {"done": 1}}}},
        }
    )
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "nobody", "End": True}}}
    ex = run_case(aws, machine(aws, definition, name="M"), "Ok")
    assert json.loads(desc(aws, ex)["output"]) == {"done": 1}
    assert kinds(history(aws, ex))[2:5] == [
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
    ]


def test_map_iterations_count_invocations_of_their_state(aws):
    aws.stepfunctions.load_mock_config(
        {
            "StateMachines": {"M": {"TestCases": {"Each": {"Inner": "ByIteration"}}}},
            "MockedResponses": {
                "ByIteration": {
                    "0": {"Return": "first"},
                    "1-2": {"Return": "middle"},
                    "3": {"Return": "last"},
                }
            },
        }
    )
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Inner",
                    "States": {"Inner": {"Type": "Task", "Resource": FN + "f", "End": True}},
                },
                "End": True,
            }
        },
    }
    ex = run_case(aws, machine(aws, definition, name="M"), "Each", input_="[1, 2, 3, 4]")
    assert json.loads(desc(aws, ex)["output"]) == ["first", "middle", "middle", "last"]


def test_a_mocked_wait_for_task_token_task_does_not_wait(aws):
    aws.stepfunctions.load_mock_config(
        {
            "StateMachines": {"M": {"TestCases": {"Ok": {"T": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": {"approved": True}}}},
        }
    )
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
    ex = run_case(aws, machine(aws, definition, name="M"), "Ok")
    assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert json.loads(desc(aws, ex)["output"]) == {"approved": True}


def test_a_test_case_the_configuration_does_not_define_is_invalid_arn(aws):
    sfn = aws.stepfunctions
    arn = machine(aws)
    with pytest.raises(Exception) as info:
        run_case(aws, arn, "HappyPath")
    code, message = error_of(info)
    assert code == "InvalidArn" and "no mock configuration is loaded" in message
    sfn.load_mock_config(CONFIG_FILE)
    with pytest.raises(Exception) as info:
        run_case(aws, arn, "SadPath")
    code, message = error_of(info)
    assert code == "InvalidArn" and "'SadPath'" in message and "'LambdaSQSIntegration'" in message
    assert sfn.list_executions(stateMachineArn=arn)["executions"] == []
    sfn.load_mock_config(None)  # unloads
    with pytest.raises(Exception) as info:
        run_case(aws, arn, "HappyPath")
    assert error_of(info)[0] == "InvalidArn"


@pytest.mark.parametrize(
    "document, problem",
    [
        ([], "must be a JSON object"),
        ({"StateMachine": {}}, "unknown top-level field"),
        ({"StateMachines": {"M": {"Cases": {}}}}, "exactly one field, TestCases"),
        (
            {"StateMachines": {"M": {"TestCases": {"C": {"S": "Nope"}}}}},
            "'Nope', which MockedResponses does not define",
        ),
        ({"MockedResponses": {"R": {"first": {"Return": 1}}}}, "an invocation must be a number"),
        ({"MockedResponses": {"R": {"2-1": {"Return": 1}}}}, "ends before it starts"),
        ({"MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}}, "overlaps"),
        (
            {"MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}},
            "a single field named Return or Throw",
        ),
        ({"MockedResponses": {"R": {"0": {"Throw": {"Cause": "c"}}}}}, "must hold an Error"),
        ({"MockedResponses": {"R": {"0": {"Throw": {"Error": 5}}}}}, "Error must be a string"),
    ],
)
def test_a_malformed_configuration_is_refused_when_loaded(aws, document, problem):
    with pytest.raises(MockConfigError, match=problem.replace("(", r"\(")):
        aws.stepfunctions.load_mock_config(document)


def test_a_configuration_file_that_cannot_be_read_names_the_file(aws, tmp_path):
    missing = tmp_path / "none.json"
    with pytest.raises(MockConfigError, match="none.json"):
        aws.stepfunctions.load_mock_config(str(missing))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(MockConfigError, match="broken.json is not JSON"):
        aws.stepfunctions.load_mock_config(broken)
