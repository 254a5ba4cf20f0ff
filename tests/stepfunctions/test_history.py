"""Execution history rules (reference §12): ids, previousEventId chains, details members."""

from __future__ import annotations

import json

from tests.stepfunctions.workflow_helpers import FN, ROLE, create, history_of


def run(aws, definition, input_=None, name="sm"):
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_ or {}))["executionArn"]
    return sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]


def chain_of(events):
    return [(e["id"], e["previousEventId"], e["type"]) for e in events]


def test_retry_then_catch_chain(aws):
    aws.stepfunctions.task(FN + "f")(lambda e, c: (_ for _ in ()).throw(ValueError("no")))
    evs = run(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "f"},
                    "Retry": [{"ErrorEquals": ["ValueError"], "MaxAttempts": 1}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}],
                    "End": True,
                },
                "C": {"Type": "Pass", "End": True},
            },
        },
    )
    assert chain_of(evs) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "TaskStateEntered"),
        (3, 2, "TaskScheduled"),
        (4, 3, "TaskStarted"),
        (5, 4, "TaskFailed"),
        (6, 5, "TaskScheduled"),
        (7, 6, "TaskStarted"),
        (8, 7, "TaskFailed"),
        (9, 8, "TaskStateExited"),
        (10, 9, "PassStateEntered"),
        (11, 10, "PassStateExited"),
        (12, 11, "ExecutionSucceeded"),
    ]
    assert evs[4]["taskFailedEventDetails"]["error"] == "ValueError"
    assert evs[4]["taskFailedEventDetails"]["resourceType"] == "lambda"
    assert (evs[5]["timestamp"] - evs[4]["timestamp"]).total_seconds() == 1


def test_uncaught_failure_and_fail_state(aws):
    evs = run(aws, {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}})
    assert chain_of(evs) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "FailStateEntered"),
        (3, 2, "ExecutionFailed"),
    ]
    assert evs[2]["executionFailedEventDetails"] == {"error": "E", "cause": "C"}


def test_choice_and_succeed(aws):
    evs = run(
        aws,
        {
            "StartAt": "C",
            "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "S"}]},
                "S": {"Type": "Succeed"},
            },
        },
        {"x": 1},
    )
    assert [e["type"] for e in evs] == [
        "ExecutionStarted",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


def test_no_choice_matched(aws):
    evs = run(
        aws,
        {
            "StartAt": "C",
            "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "S"}]},
                "S": {"Type": "Succeed"},
            },
        },
        {"x": 2},
    )
    assert evs[-1]["type"] == "ExecutionFailed"
    assert evs[-1]["executionFailedEventDetails"]["error"] == "States.NoChoiceMatched"


def test_parallel_chain(aws):
    evs = run(
        aws,
        {
            "StartAt": "P",
            "States": {
                "P": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [
                        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}},
                    ],
                }
            },
        },
    )
    assert chain_of(evs) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "ParallelStateEntered"),
        (3, 2, "ParallelStateStarted"),
        (4, 3, "PassStateEntered"),
        (5, 4, "PassStateExited"),
        (6, 3, "PassStateEntered"),
        (7, 6, "PassStateExited"),
        (8, 7, "ParallelStateSucceeded"),
        (9, 7, "ParallelStateExited"),
        (10, 9, "ExecutionSucceeded"),
    ]


def test_map_sequential_chain(aws):
    evs = run(
        aws,
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "MaxConcurrency": 1,
                    "End": True,
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                }
            },
        },
        [1, 2],
    )
    assert chain_of(evs) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "MapStateEntered"),
        (3, 2, "MapStateStarted"),
        (4, 3, "MapIterationStarted"),
        (5, 4, "PassStateEntered"),
        (6, 5, "PassStateExited"),
        (7, 6, "MapIterationSucceeded"),
        (8, 6, "MapIterationStarted"),
        (9, 8, "PassStateEntered"),
        (10, 9, "PassStateExited"),
        (11, 10, "MapIterationSucceeded"),
        (12, 11, "MapStateSucceeded"),
        (13, 11, "MapStateExited"),
        (14, 13, "ExecutionSucceeded"),
    ]
    assert evs[3]["mapIterationStartedEventDetails"] == {"index": 0, "name": "M"}


def test_timestamps_non_decreasing(aws):
    evs = run(
        aws,
        {
            "StartAt": "W",
            "States": {"W": {"Type": "Wait", "Seconds": 3, "Next": "P"}, "P": {"Type": "Pass", "End": True}},
        },
    )
    times = [e["timestamp"] for e in evs]
    assert times == sorted(times)
    assert times[0].tzinfo is not None


def test_task_credentials_are_recorded(aws):
    aws.stepfunctions.task(FN + "f")(lambda e, c: 1)
    evs = run(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "f",
                    "Credentials": {"RoleArn.$": "$.role"},
                    "End": True,
                }
            },
        },
        {"role": "arn:aws:iam::123456789012:role/other"},
    )
    sched = [e for e in evs if e["type"] == "LambdaFunctionScheduled"][0]
    assert sched["lambdaFunctionScheduledEventDetails"]["taskCredentials"] == {
        "roleArn": "arn:aws:iam::123456789012:role/other"
    }


def test_parallel_failure_aborts_running_task_branch(aws):
    aws.stepfunctions.task("arn:aws:states:::sqs:sendMessage.waitForTaskToken")(lambda e, c: {})
    evs = run(
        aws,
        {
            "StartAt": "P",
            "States": {
                "P": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [
                        {
                            "StartAt": "T",
                            "States": {
                                "T": {
                                    "Type": "Task",
                                    "End": True,
                                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                    "Parameters": {"t.$": "$$.Task.Token"},
                                }
                            },
                        },
                        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}},
                    ],
                }
            },
        },
    )
    types = [e["type"] for e in evs]
    assert types[-4:] == ["FailStateEntered", "TaskStateAborted", "ParallelStateFailed", "ExecutionFailed"]
    fail_id = types.index("FailStateEntered") + 1
    assert evs[types.index("TaskStateAborted")]["previousEventId"] == fail_id


# --- one serializer: payloads print the way AWS (Java/Jackson) does (EMU-03, JP-16) -----------------

FLOATS = '{"big": 1e20, "half": 1.5, "n": 1, "two": 2.0, "m": 12345678.0, "tiny": 0.0001, "s": "1e20"}'
FLOATS_AWS = '{"big":1.0E20,"half":1.5,"n":1,"two":2.0,"m":1.2345678E7,"tiny":1.0E-4,"s":"1e20"}'


def _floats_run(sfn):
    lam = "arn:aws:lambda:us-east-1:123456789012:function:echo"
    sfn.task(lam)(lambda event, context: event)
    d = (
        '{"StartAt": "P", "States": {'
        '"P": {"Type": "Pass", "Result": ' + FLOATS + ', "Assign": {"v.$": "$.big"}, "Next": "T"},'
        '"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",'
        ' "Parameters": {"FunctionName": "' + lam + '", "Payload.$": "$"}, "End": true}}}'
    )
    arn = create(sfn, d)
    return sfn.start_execution(stateMachineArn=arn, input='{"in": 3e30}')["executionArn"]


def test_history_and_output_print_doubles_like_java(aws):
    sfn = aws.stepfunctions
    ex = _floats_run(sfn)
    out = sfn.describe_execution(executionArn=ex)
    assert out["status"] == "SUCCEEDED"
    assert out["output"] == FLOATS_AWS
    assert out["input"] == '{"in": 3e30}'  # the caller's text, verbatim
    h = {e["type"]: e for e in history_of(sfn, ex)}
    assert h["PassStateEntered"]["stateEnteredEventDetails"]["input"] == '{"in":3.0E30}'
    assert h["PassStateExited"]["stateExitedEventDetails"]["output"] == FLOATS_AWS
    assert h["PassStateExited"]["stateExitedEventDetails"]["assignedVariables"] == {"v": "1.0E20"}
    params = json.loads(h["TaskScheduled"]["taskScheduledEventDetails"]["parameters"])
    assert params["FunctionName"].endswith(":echo")
    assert '"Payload":' + FLOATS_AWS in h["TaskScheduled"]["taskScheduledEventDetails"]["parameters"]
    assert h["TaskStateExited"]["stateExitedEventDetails"]["output"] == FLOATS_AWS
    assert h["ExecutionSucceeded"]["executionSucceededEventDetails"]["output"] == FLOATS_AWS


def test_history_without_floats_is_plain_compact_json(aws):
    sfn = aws.stepfunctions
    arn = create(
        sfn,
        json.dumps(
            {
                "StartAt": "P",
                "States": {
                    "P": {
                        "Type": "Pass",
                        "Result": {"a": [1, "x: 1.5", {"b": None, "c": True}], "é": "ü"},
                        "End": True,
                    }
                },
            }
        ),
    )
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert (
        sfn.describe_execution(executionArn=ex)["output"] == '{"a":[1,"x: 1.5",{"b":null,"c":true}],"é":"ü"}'
    )


def test_runtime_dumps_is_the_jsonpath_compact_json():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from emulator.stepfunctions.asl.jsonpath import compact_json
    from emulator.stepfunctions.runtime.history import dumps

    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=8)
        | st.floats(allow_nan=False, allow_infinity=False)
    )
    values = st.recursive(
        scalars,
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=4),
        max_leaves=12,
    )

    @settings(max_examples=300, deadline=None)
    @given(values)
    def same(v):
        assert dumps(v) == compact_json(v)

    same()
