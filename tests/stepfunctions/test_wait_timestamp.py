"""Wait Timestamp / TimestampPath: one timestamp rule for validation and the runtime (ASL-ST-07,
WAIT-03): the ISO-8601 forms AWS accepts wait until that instant, the others fail with AWS's words."""

from __future__ import annotations

import json

import pytest

from tests.stepfunctions.workflow_helpers import create, history_of


def _wait_path_machine(aws, name="w"):
    d = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}}
    return create(aws.stepfunctions, json.dumps(d), name=name)


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
    exited = [e for e in history_of(sfn, ex) if e["type"] == "WaitStateExited"][0]
    frac = float("0" + suffix[:-1]) if suffix.startswith(".") else 0.0
    assert abs(exited["timestamp"].timestamp() - (due + frac)) < 0.002


def test_timestamp_path_numeric_offset_is_an_instant(aws):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    due = int(aws.clock.now()) + 7200
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": _iso(due + 3600) + "+01:00"}))[
        "executionArn"
    ]
    exited = [e for e in history_of(sfn, ex) if e["type"] == "WaitStateExited"][0]
    assert abs(exited["timestamp"].timestamp() - due) < 0.002


@pytest.mark.parametrize(
    "value",
    [
        "2016-12-05T21:29:29",  # no Z / offset (recorded on AWS)
        "2016-12-05T25:29:29Z",  # hour 25 (recorded on AWS)
        "05-12-2016T21:29:29Z",  # not ISO (recorded on AWS)
        "2016-12-05 21:29:29Z",  # space instead of T
        "20161205T212929Z",  # ISO basic format
        "2016-12-05T21:29:29,5Z",  # comma fraction
        "2016-W49-1T21:29:29Z",  # week date
        "2016-12-05t21:29:29z",  # lowercase t / z
        "2016-12-05T21:29:29+0100",  # offset without colon
    ],
)
def test_timestamp_path_rejected_forms_fail_with_aws_words(aws, value):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": value}))["executionArn"]
    d = sfn.describe_execution(executionArn=ex)
    assert (d["status"], d["error"]) == ("FAILED", "States.Runtime")
    assert d["cause"] == (
        "An error occurred while executing the state 'W' (entered at the event id #2). "
        "The TimestampPath parameter does not reference a valid ISO-8601 extended "
        f"offset date-time format string: $.t == {value}"
    )
    assert [e["type"] for e in history_of(sfn, ex)] == [
        "ExecutionStarted",
        "WaitStateEntered",
        "ExecutionFailed",
    ]


@pytest.mark.parametrize("value", ["20161205T212929Z", "2016-12-05T21:29:29,5Z", "2016-12-05T21:29:29"])
def test_jsonata_timestamp_rejected_forms_are_query_evaluation_errors(aws, value):
    sfn = aws.stepfunctions
    d = {
        "QueryLanguage": "JSONata",
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}},
    }
    arn = create(sfn, json.dumps(d))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": value}))["executionArn"]
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["error"]) == ("FAILED", "States.QueryEvaluationError")
    assert out["cause"] == (
        "An error occurred while executing the state 'W' (entered at the event id #2). "
        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
        f"format string: {value}"
    )
    assert [e["type"] for e in history_of(sfn, ex)][-2:] == ["EvaluationFailed", "ExecutionFailed"]


def test_jsonata_timestamp_with_nanoseconds_waits(aws):
    sfn = aws.stepfunctions
    d = {
        "QueryLanguage": "JSONata",
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}},
    }
    arn = create(sfn, json.dumps(d))
    due = int(aws.clock.now()) + 60
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": _iso(due) + ".243167252Z"}))[
        "executionArn"
    ]
    exited = [e for e in history_of(sfn, ex) if e["type"] == "WaitStateExited"][0]
    assert abs(exited["timestamp"].timestamp() - (due + 0.243)) < 0.002


def test_runtime_has_no_timestamp_parser_of_its_own():
    from emulator.stepfunctions.runtime import states

    assert not hasattr(states, "parse_timestamp")


@pytest.mark.parametrize(
    "stamp, ok",
    [
        ("2016-03-14T01:59:00Z", True),
        ("2016-03-14T01:59:00.5+01:00", True),
        ("2016-03-14T01:59:60Z", False),
        ("2016-03-14T01:59:00Z\n", False),
        ("2016-03-14t01:59:00z", False),
    ],
)
def test_wait_timestamp_validation_agrees_with_the_runtime_parser(stamp, ok):
    """What ValidateStateMachineDefinition accepts as a Wait Timestamp is what the runtime can run."""
    from emulator.stepfunctions.asl.choice import parse_timestamp
    from emulator.stepfunctions.asl.validate import validate

    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": stamp, "End": True}}}
    errors = [d for d in validate(definition) if d.severity == "ERROR"]
    assert (not errors) is ok
    assert (parse_timestamp(stamp) is not None) is ok
