"""Follow-up fixes of the Step Functions service, one section per fix; each test states the AWS
rule it checks (reference: shared/reference/stepfunctions.md)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of

ROLE = "arn:aws:iam::123456789012:role/sfn"


def create(sfn, definition, name="sm", **kw):
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, **kw)["stateMachineArn"]


# --- 1. Create/UpdateStateMachine validate the text the caller sent (ASL-VAL-01, ASL-VAL-08) -----
NOT_JSON = "not a definition"
NOT_JSON_MESSAGE = (
    "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Unrecognized token 'not': was "
    "expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: "
    "(String)\"not a definition\"; line: 1, column: 4] at [Source: (String)\"not a definition\"; "
    "line: 1, column: 4]'")
DUPLICATE = ('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, '
             '"B": {"Type": "Pass", "End": true}, "A": {"Type": "Pass", "Next": "B"}}}')
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_create_with_text_that_is_not_json_gets_jacksons_words(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, NOT_JSON)
    assert error_of(exc) == ("InvalidDefinition", NOT_JSON_MESSAGE)


def test_update_with_text_that_is_not_json_gets_jacksons_words(sfn):
    arn = create(sfn, PASS)
    with pytest.raises(Exception) as exc:
        sfn.update_state_machine(stateMachineArn=arn, definition=NOT_JSON)
    assert error_of(exc) == ("InvalidDefinition", NOT_JSON_MESSAGE)


def test_create_and_validate_agree_on_text_that_is_not_json(sfn):
    diag = sfn.validate_state_machine_definition(definition=NOT_JSON)["diagnostics"][0]
    with pytest.raises(Exception) as exc:
        create(sfn, NOT_JSON)
    assert error_of(exc)[1] == (f"Invalid State Machine Definition: '{diag['code']}: {diag['message']} "
                                f"at {diag['location']}'")


def test_state_name_written_twice_in_one_states_object_is_a_duplicate(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, DUPLICATE)
    assert error_of(exc) == ("InvalidDefinition", "Invalid State Machine Definition: "
                             "'DUPLICATE_STATE_NAME: Duplicate State name: A at /States/A'")


def test_update_with_duplicate_state_name_is_refused(sfn):
    arn = create(sfn, PASS)
    with pytest.raises(Exception) as exc:
        sfn.update_state_machine(stateMachineArn=arn, definition=DUPLICATE)
    assert error_of(exc)[0] == "InvalidDefinition"
    assert "DUPLICATE_STATE_NAME: Duplicate State name: A" in error_of(exc)[1]


def test_blank_definition_is_missing_description(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, "   ")
    code, message = error_of(exc)
    assert code == "InvalidDefinition" and message.startswith(
        "Invalid State Machine Definition: 'MISSING_DESCRIPTION: ")


def test_load_validates_once(monkeypatch):
    from emulator.stepfunctions.asl import model, validate

    calls = []
    real = validate.validate
    monkeypatch.setattr(validate, "validate", lambda d, **kw: calls.append(d) or real(d, **kw))
    model.load(PASS)
    assert len(calls) == 1


# --- 2. Wait Timestamp / TimestampPath: one timestamp rule (ASL-ST-07, WAIT-03) ----------------------
def _wait_path_machine(aws, name="w"):
    d = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}}
    return create(aws.stepfunctions, json.dumps(d), name=name)


def _history(sfn, ex):
    return sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]


def _iso(epoch: float) -> str:
    import datetime as dt
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.mark.parametrize("suffix", ["Z", ".000000Z", ".5Z", ".243167252Z", "+00:00", "-00:00"])
def test_timestamp_path_accepted_forms_wait_until_that_instant(aws, suffix):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    due = int(aws.clock.now()) + 3600
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": _iso(due) + suffix}))["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
    exited = [e for e in _history(sfn, ex) if e["type"] == "WaitStateExited"][0]
    frac = float("0" + suffix[:-1]) if suffix.startswith(".") else 0.0
    assert abs(exited["timestamp"].timestamp() - (due + frac)) < 0.002


def test_timestamp_path_numeric_offset_is_an_instant(aws):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    due = int(aws.clock.now()) + 7200
    ex = sfn.start_execution(stateMachineArn=arn,
                             input=json.dumps({"t": _iso(due + 3600) + "+01:00"}))["executionArn"]
    exited = [e for e in _history(sfn, ex) if e["type"] == "WaitStateExited"][0]
    assert abs(exited["timestamp"].timestamp() - due) < 0.002


@pytest.mark.parametrize("value", [
    "2016-12-05T21:29:29",          # no Z / offset (recorded on AWS)
    "2016-12-05T25:29:29Z",         # hour 25 (recorded on AWS)
    "05-12-2016T21:29:29Z",         # not ISO (recorded on AWS)
    "2016-12-05 21:29:29Z",         # space instead of T
    "20161205T212929Z",             # ISO basic format
    "2016-12-05T21:29:29,5Z",       # comma fraction
    "2016-W49-1T21:29:29Z",         # week date
    "2016-12-05t21:29:29z",         # lowercase t / z
    "2016-12-05T21:29:29+0100",     # offset without colon
])
def test_timestamp_path_rejected_forms_fail_with_aws_words(aws, value):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": value}))["executionArn"]
    d = sfn.describe_execution(executionArn=ex)
    assert (d["status"], d["error"]) == ("FAILED", "States.Runtime")
    assert d["cause"] == ("An error occurred while executing the state 'W' (entered at the event id #2). "
                          "The TimestampPath parameter does not reference a valid ISO-8601 extended "
                          f"offset date-time format string: $.t == {value}")
    assert [e["type"] for e in _history(sfn, ex)] == ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]


@pytest.mark.parametrize("value", ["20161205T212929Z", "2016-12-05T21:29:29,5Z", "2016-12-05T21:29:29"])
def test_jsonata_timestamp_rejected_forms_are_query_evaluation_errors(aws, value):
    sfn = aws.stepfunctions
    d = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {
        "Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}}}
    arn = create(sfn, json.dumps(d))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": value}))["executionArn"]
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["error"]) == ("FAILED", "States.QueryEvaluationError")
    assert out["cause"] == ("An error occurred while executing the state 'W' (entered at the event id #2). "
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                            f"format string: {value}")
    assert [e["type"] for e in _history(sfn, ex)][-2:] == ["EvaluationFailed", "ExecutionFailed"]


def test_jsonata_timestamp_with_nanoseconds_waits(aws):
    sfn = aws.stepfunctions
    d = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {
        "Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}}}
    arn = create(sfn, json.dumps(d))
    due = int(aws.clock.now()) + 60
    ex = sfn.start_execution(stateMachineArn=arn,
                             input=json.dumps({"t": _iso(due) + ".243167252Z"}))["executionArn"]
    exited = [e for e in _history(sfn, ex) if e["type"] == "WaitStateExited"][0]
    assert abs(exited["timestamp"].timestamp() - (due + 0.243)) < 0.002


def test_runtime_has_no_timestamp_parser_of_its_own():
    from emulator.stepfunctions.runtime import states
    assert not hasattr(states, "parse_timestamp")
