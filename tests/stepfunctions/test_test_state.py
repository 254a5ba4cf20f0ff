"""TestState (API-TS rules, docs/stepfunctions-conformance.md): one state run on its own, with
AWS's status, output, next state, error, cause and inspection data, through every door.

Expected values follow AWS's documentation ("Testing states with TestState API") and responses
recorded against AWS (TestState snapshots, November 2025)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of

pytestmark = pytest.mark.doors("native", "boto3", "http")

ROLE = "arn:aws:iam::123456789012:role/test"
FN = "arn:aws:lambda:us-east-1:123456789012:function:"


def _test(sfn, definition: dict, **kwargs):
    if "input" in kwargs and not isinstance(kwargs["input"], str):
        kwargs["input"] = json.dumps(kwargs["input"])
    return sfn.test_state(definition=json.dumps(definition), **kwargs)


def _data(response: dict) -> dict:
    """inspectionData with its JSON texts parsed."""
    return {k: json.loads(v) if isinstance(v, str) else v for k, v in response["inspectionData"].items()}


def test_pass_state_info_answers_output_and_status_only(sfn):
    r = _test(sfn, {"Type": "Pass", "End": True}, input={"Value": "HelloWorld"})
    assert r == {"output": '{"Value":"HelloWorld"}', "status": "SUCCEEDED"}


def test_pass_state_debug_shows_every_jsonpath_step(sfn):
    definition = {
        "Type": "Pass",
        "InputPath": "$.initialData",
        "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
        "ResultPath": "$.modifiedData",
        "Next": "Later",
    }
    given = {"initialData": {"fieldFromInput": "value from input", "otherField": "other"}}
    r = _test(sfn, definition, input=given, inspectionLevel="DEBUG")
    modified = {"staticValue": "some value", "inputValue": "value from input"}
    assert _data(r) == {
        "input": given,
        "afterInputPath": given["initialData"],
        "afterParameters": modified,
        "afterResultSelector": modified,
        "afterResultPath": {**given, "modifiedData": modified},
    }
    assert r["nextState"] == "Later"
    assert r["status"] == "SUCCEEDED"


def test_pass_state_with_result_shows_result_not_input_steps(sfn):
    result = {"resultKey": "result value"}
    r = _test(sfn, {"Type": "Pass", "Result": result, "End": True}, input={"V": 1}, inspectionLevel="TRACE")
    assert _data(r) == {
        "input": {"V": 1},
        "result": result,
        "afterResultSelector": result,
        "afterResultPath": result,
    }


def test_fail_state_answers_failed_with_error_and_cause(sfn):
    definition = {"Type": "Fail", "Error": "SomeFailure", "Cause": "It failed."}
    r = _test(sfn, definition, input={"V": 1}, inspectionLevel="DEBUG")
    assert r["status"] == "FAILED"
    assert (r["error"], r["cause"]) == ("SomeFailure", "It failed.")
    assert "output" not in r and "nextState" not in r
    assert _data(r) == {"input": {"V": 1}, "afterInputPath": {"V": 1}}


def test_choice_state_answers_the_chosen_next_state(sfn):
    definition = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.value", "NumericGreaterThanEquals": 20, "Next": "ValueInTwenties"}],
        "Default": "Other",
    }
    r = _test(sfn, definition, input={"value": 22})
    assert r == {"nextState": "ValueInTwenties", "output": '{"value":22}', "status": "SUCCEEDED"}


def test_succeed_and_wait_states(sfn):
    assert _test(sfn, {"Type": "Succeed"}, input={"a": 1})["status"] == "SUCCEEDED"
    r = _test(sfn, {"Type": "Wait", "Seconds": 3600, "Next": "N"}, input={"a": 1})
    assert (r["status"], r["nextState"], r["output"]) == ("SUCCEEDED", "N", '{"a":1}')


def test_jsonata_state_shows_arguments_result_and_variables(sfn, aws):
    aws.stepfunctions.task(FN + "double")(lambda event, context: event["n"] * 2)
    definition = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": FN + "double",
        "Arguments": {"n": "{% $states.input.n + $base %}"},
        "Assign": {"doubled": "{% $states.result %}"},
        "Output": {"value": "{% $states.result %}"},
        "End": True,
    }
    r = _test(sfn, definition, input={"n": 2}, variables='{"base": 1}', roleArn=ROLE, inspectionLevel="DEBUG")
    assert r["status"] == "SUCCEEDED"
    assert json.loads(r["output"]) == {"value": 6}
    assert _data(r) == {
        "input": {"n": 2},
        "afterArguments": {"n": 3},
        "result": 6,
        "variables": {"base": 1, "doubled": 6},
    }


def test_task_state_calls_the_registered_callable(sfn, aws):
    aws.stepfunctions.task(FN + "echo")(lambda event, context: {"got": event})
    definition = {
        "Type": "Task",
        "Resource": FN + "echo",
        "InputPath": "$.in",
        "ResultSelector": {"g.$": "$.got"},
        "ResultPath": "$.out",
        "Next": "After",
    }
    r = _test(sfn, definition, input={"in": {"x": 1}}, roleArn=ROLE, inspectionLevel="DEBUG")
    assert r["status"] == "SUCCEEDED" and r["nextState"] == "After"
    data = _data(r)
    assert data["result"] == {"got": {"x": 1}}
    assert data["afterResultSelector"] == {"g": {"x": 1}}
    assert json.loads(r["output"]) == {"in": {"x": 1}, "out": {"g": {"x": 1}}}


def test_task_state_without_role_arn_is_a_validation_error(sfn):
    definition = {"Type": "Task", "Resource": FN + "f", "End": True}
    with pytest.raises(Exception) as e:
        _test(sfn, definition, input={})
    assert error_of(e) == ("ValidationException", "RoleArn must be specified when testing a Task state")


def test_mocked_result_stands_in_for_the_task(sfn):
    definition = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "x"},
        "End": True,
    }
    r = _test(sfn, definition, input={}, mock={"result": '{"Payload": 7}'}, inspectionLevel="DEBUG")
    assert r["status"] == "SUCCEEDED"
    assert json.loads(r["output"]) == {"Payload": 7}
    assert _data(r)["result"] == {"Payload": 7}


def test_mocked_error_matching_a_retrier_is_retriable_with_its_backoff(sfn):
    definition = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {},
        "QueryLanguage": "JSONata",
        "Retry": [
            {
                "ErrorEquals": ["Lambda.ServiceException"],
                "IntervalSeconds": 2,
                "MaxAttempts": 3,
                "BackoffRate": 2.0,
            }
        ],
        "End": True,
    }
    mock = {"errorOutput": {"error": "Lambda.ServiceException", "cause": "Service error"}}
    r = _test(
        sfn,
        definition,
        input={},
        mock=mock,
        stateConfiguration={"retrierRetryCount": 1},
        inspectionLevel="DEBUG",
    )
    assert r["status"] == "RETRIABLE"
    assert r["inspectionData"]["errorDetails"] == {"retryIndex": 0, "retryBackoffIntervalSeconds": 4}
    spent = _test(sfn, definition, input={}, mock=mock, stateConfiguration={"retrierRetryCount": 3})
    assert spent["status"] == "FAILED"
    assert (spent["error"], spent["cause"]) == ("Lambda.ServiceException", "Service error")


def test_mocked_error_taken_by_a_catcher_is_caught_error(sfn):
    definition = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "foo"},
        "Catch": [
            {"ErrorEquals": ["Other"], "Next": "Nope"},
            {"ErrorEquals": ["MockException"], "ResultPath": "$.error", "Next": "HandleMockError"},
        ],
        "End": True,
    }
    mock = {"errorOutput": {"error": "MockException", "cause": "Mock the cause of the error."}}
    r = _test(sfn, definition, input={"Value": "HelloWorld"}, mock=mock, inspectionLevel="DEBUG")
    assert r["status"] == "CAUGHT_ERROR"
    assert r["nextState"] == "HandleMockError"
    assert (r["error"], r["cause"]) == ("MockException", "Mock the cause of the error.")
    assert r["inspectionData"]["errorDetails"] == {"catchIndex": 1}
    assert json.loads(r["output"]) == {
        "Value": "HelloWorld",
        "error": {"Error": "MockException", "Cause": "Mock the cause of the error."},
    }


def test_map_state_with_a_mock_shows_its_limits(sfn):
    definition = {
        "Type": "Map",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "ToleratedFailureCount": 1,
        "End": True,
    }
    r = _test(
        sfn, definition, input={"Values": [1, 2, 3]}, mock={"result": "[1,1,1]"}, inspectionLevel="DEBUG"
    )
    assert r["status"] == "SUCCEEDED" and r["output"] == "[1,1,1]"
    assert _data(r) == {"input": {"Values": [1, 2, 3]}, "maxConcurrency": 0, "toleratedFailureCount": 1}


def test_state_name_picks_a_state_of_a_whole_definition(sfn):
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Next": "Second"},
            "Second": {"Type": "Pass", "Output": "{% $states.input.a + 1 %}", "End": True},
        },
    }
    r = _test(sfn, definition, input={"a": 1}, stateName="Second")
    assert r == {"output": "2", "status": "SUCCEEDED"}
    assert _test(sfn, definition, input={"a": 1})["nextState"] == "Second"


def test_a_failing_data_flow_step_fails_the_state(sfn):
    r = _test(sfn, {"Type": "Pass", "InputPath": "$.missing", "End": True}, input={"a": 1})
    assert r["status"] == "FAILED"
    assert r["error"] == "States.Runtime"


def test_no_execution_is_created(sfn):
    _test(sfn, {"Type": "Pass", "End": True}, input={})
    assert sfn.list_state_machines()["stateMachines"] == []


def test_invalid_definition_and_inspection_level(sfn):
    with pytest.raises(Exception) as e:
        sfn.test_state(definition="{nope")
    assert error_of(e)[0] == "InvalidDefinition"
    with pytest.raises(Exception) as e:
        _test(sfn, {"Type": "Pass", "End": True}, inspectionLevel="LOUD")
    assert error_of(e)[0] == "ValidationException"


def test_context_is_laid_over_the_context_object(sfn):
    definition = {
        "Type": "Pass",
        "Parameters": {"name.$": "$$.Execution.Name", "state.$": "$$.State.Name"},
        "End": True,
    }
    context = json.dumps({"Execution": {"Name": "given-name"}})
    r = _test(sfn, definition, input={}, context=context)
    assert json.loads(r["output"]) == {"name": "given-name", "state": "StateName"}


# --- TS-06..TS-09: what TestState refuses about a mock, fieldValidationMode, TRACE ----------------
MAP = {
    "Type": "Map",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "End": True,
}
PARALLEL = {
    "Type": "Parallel",
    "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}],
    "End": True,
}
START = {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution", "End": True}


def _refused(sfn, definition, **kwargs):
    with pytest.raises(Exception) as e:
        _test(sfn, definition, **kwargs)
    return error_of(e)


def test_map_and_parallel_need_a_mock(sfn):
    text = (
        "TestState API does not support Map or Parallel states. Supported state types include: "
        "[Task, Wait, Pass, Succeed, Fail, Choice]"
    )
    assert _refused(sfn, MAP, input=[1]) == ("InvalidDefinition", text)
    assert _refused(sfn, PARALLEL) == ("InvalidDefinition", text)


def test_what_a_mock_may_not_be(sfn):
    passing = {"Type": "Pass", "End": True}
    assert _refused(sfn, passing, mock={"result": "{}"}) == (
        "ValidationException",
        "State type 'Pass' is not supported when a mock is specified",
    )
    both = {"result": "{}", "errorOutput": {"error": "E", "cause": "c"}}
    assert _refused(sfn, START, mock=both) == (
        "ValidationException",
        "A test mock should have only one of the following fields: [result, errorOutput].",
    )
    assert _refused(sfn, START, mock={"result": "{not json"}) == (
        "ValidationException",
        "Mocked result must be valid JSON",
    )
    assert _refused(sfn, MAP, mock={"result": "{}"}) == (
        "ValidationException",
        "Mocked result must be an array.",
    )
    assert _refused(sfn, START, mock={"result": "{}", "fieldValidationMode": "NONE"}, revealSecrets=True) == (
        "ValidationException",
        "TestState does not support RevealSecrets when a mock is specified.",
    )


def test_field_validation_mode_checks_the_mock_against_the_api_output(sfn):
    partial = json.dumps({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:sm:x"})
    assert _refused(sfn, START, mock={"result": partial}) == (
        "ValidationException",
        "Mock result schema validation error: Required field 'startDate' is missing",
    )
    ok = _test(sfn, START, mock={"result": partial, "fieldValidationMode": "PRESENT"})
    assert ok["status"] == "SUCCEEDED"
    wrong = json.dumps({"executionArn": 5})
    assert _refused(sfn, START, mock={"result": wrong, "fieldValidationMode": "PRESENT"}) == (
        "ValidationException",
        "Mock result schema validation error: Field 'executionArn' must be a string",
    )
    anything = _test(sfn, START, mock={"result": wrong, "fieldValidationMode": "NONE"})
    assert json.loads(anything["output"]) == {"executionArn": 5}


def test_trace_shows_the_http_request_and_response(sfn, aws):
    url = "https://api.example.com/orders"
    aws.stepfunctions.http_endpoint(url)(lambda request: {"orders": [1]})
    connection = (
        "arn:aws:events:us-east-1:123456789012:connection/orders/7f3c2b1a-0d4e-4f5a-9b6c-1d2e3f4a5b6c"
    )
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {
            "ApiEndpoint": url,
            "Method": "POST",
            "Authentication": {"ConnectionArn": connection},
            "RequestBody": {"item": "book"},
        },
        "End": True,
    }
    traced = _test(sfn, task, roleArn=ROLE, inspectionLevel="TRACE")["inspectionData"]
    assert (traced["request"]["method"], traced["request"]["url"], traced["request"]["protocol"]) == (
        "POST",
        url,
        "https",
    )
    assert json.loads(traced["request"]["body"]) == {"item": "book"}
    assert (traced["response"]["statusCode"], traced["response"]["statusMessage"]) == ("200", "OK")
    assert json.loads(traced["response"]["body"]) == {"orders": [1]}
    assert "content-type: application/json" in traced["response"]["headers"]
    debug = _test(sfn, task, roleArn=ROLE, inspectionLevel="DEBUG")["inspectionData"]
    assert "request" not in debug and "response" not in debug
