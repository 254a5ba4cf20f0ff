"""Interpreter rules on the virtual clock (reference §4, §7, §8, §9, §12; issue 4 runtime spec).

The native client is used (``aws.stepfunctions``): these tests register Python task callables and
drive the clock."""

from __future__ import annotations

import contextlib
import json
import threading
import time

import pytest

import emulator
from tests.conftest import wait_until
from tests.stepfunctions.workflow_helpers import (
    FN,
    ROLE,
    desc,
    elapsed,
    events_of,
    flaky_task,
    history,
    run_definition,
    start,
)


def run(aws, definition, input_=None, *, name="sm"):
    sfn = aws.stepfunctions
    try:
        arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
    except Exception:
        arn = f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}"
        sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(definition))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({} if input_ is None else input_))
    return ex["executionArn"]


def describe(aws, ex):
    return aws.stepfunctions.describe_execution(executionArn=ex)


def events(aws, ex):
    return aws.stepfunctions.get_execution_history(executionArn=ex, maxResults=1000)["events"]


def output(aws, ex):
    d = describe(aws, ex)
    assert d["status"] == "SUCCEEDED", (d.get("error"), d.get("cause"))
    return json.loads(d["output"])


def chain(*states, **kw):
    names = [f"S{i}" for i in range(len(states))]
    out = {}
    for i, st in enumerate(states):
        st = dict(st)
        if st["Type"] not in ("Succeed", "Fail", "Choice"):
            if i + 1 < len(states):
                st["Next"] = names[i + 1]
            else:
                st["End"] = True
        out[names[i]] = st
    return {"StartAt": names[0], "States": out, **kw}


@contextlib.contextmanager
def forbid_real_waits():
    """Any real sleep or timed wait fails the test: on the virtual clock, time that passes in a
    workflow (a Wait, a retry interval) costs no wall time. (How little: benchmarks/timing_claims.py.)"""

    def refuse(*args, **kwargs):
        raise AssertionError("a real wait while the virtual clock runs a workflow")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(time, "sleep", refuse)
        mp.setattr(threading.Condition, "wait", refuse)
        yield


# --- the clock ----------------------------------------------------------------------------------
def test_one_day_wait_finishes_at_once_with_exact_timestamps(aws):
    run(aws, chain({"Type": "Pass"}), name="warm")  # first use imports the validator
    t0 = aws.clock.now()
    with forbid_real_waits():
        ex = run(aws, chain({"Type": "Wait", "Seconds": 86400}))
    evs = events(aws, ex)
    entered, exited = evs[1], evs[2]
    assert entered["type"] == "WaitStateEntered" and exited["type"] == "WaitStateExited"
    assert (exited["timestamp"] - entered["timestamp"]).total_seconds() == 86400
    assert describe(aws, ex)["status"] == "SUCCEEDED"
    assert aws.clock.now() == pytest.approx(t0 + 86400, abs=0.01)


def test_wait_timestamp_path_and_seconds_path(aws):
    start = aws.clock.now()
    import datetime as dt

    when = dt.datetime.fromtimestamp(start + 3600, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ex = run(
        aws,
        chain({"Type": "Wait", "TimestampPath": "$.t"}, {"Type": "Wait", "SecondsPath": "$.s"}),
        {"t": when, "s": 60},
    )
    evs = events(aws, ex)
    assert evs[-1]["type"] == "ExecutionSucceeded"
    assert (
        int(evs[-1]["timestamp"].timestamp()) == int(start) + 3600 + 60
        or int(evs[-1]["timestamp"].timestamp()) == int(start + 3600) + 60
    )


def test_seconds_path_negative_is_runtime_error(aws):
    ex = run(aws, chain({"Type": "Wait", "SecondsPath": "$.s"}), {"s": -1})
    d = describe(aws, ex)
    assert d["error"] == "States.Runtime"
    assert d["cause"] == (
        "An error occurred while executing the state 'S0' (entered at the event id #2). "
        "The SecondsPath parameter references a negative value: $.s == -1"
    )


def test_retry_ladder_of_hours(aws):
    calls = []

    @aws.stepfunctions.task(FN + "flaky")
    def flaky(event, context):
        calls.append(aws.clock.now())
        if len(calls) < 4:
            raise ValueError("not yet")
        return {"ok": True}

    definition = chain(
        {
            "Type": "Task",
            "Resource": FN + "flaky",
            "Retry": [
                {"ErrorEquals": ["ValueError"], "IntervalSeconds": 3600, "BackoffRate": 1.0, "MaxAttempts": 5}
            ],
        }
    )
    run(aws, definition, name="warm")  # first use imports the validator and the task runner
    calls.clear()
    t0 = aws.clock.now()
    with forbid_real_waits():
        ex = run(aws, definition)
    assert output(aws, ex) == {"ok": True}
    assert [round(c - t0) for c in calls] == [0, 3600, 7200, 10800]
    types = [e["type"] for e in events(aws, ex)]
    assert types.count("LambdaFunctionScheduled") == 4 and types.count("LambdaFunctionFailed") == 3
    assert "TaskStateExited" == types[-2]


def test_retry_backoff_and_max_delay(aws):
    calls = []

    @aws.stepfunctions.task(FN + "f")
    def f(event, context):
        calls.append(aws.clock.now())
        raise RuntimeError("x")

    t0 = aws.clock.now()
    ex = run(
        aws,
        chain(
            {
                "Type": "Task",
                "Resource": FN + "f",
                "Retry": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "IntervalSeconds": 3,
                        "BackoffRate": 2,
                        "MaxAttempts": 3,
                        "MaxDelaySeconds": 8,
                    }
                ],
            }
        ),
    )
    assert [round(c - t0) for c in calls] == [0, 3, 9, 17]
    d = describe(aws, ex)
    assert d["status"] == "FAILED" and d["error"] == "RuntimeError"


def test_task_timeout_with_simulated_sleep(aws):
    @aws.stepfunctions.task(FN + "slow")
    def slow(event, context):
        context.sleep(120)
        return 1

    t0 = aws.clock.now()
    ex = run(aws, chain({"Type": "Task", "Resource": FN + "slow", "TimeoutSeconds": 30}))
    d = describe(aws, ex)
    assert (d["status"], d["error"]) == ("FAILED", "States.Timeout")
    evs = events(aws, ex)
    timed_out = [e for e in evs if e["type"] == "LambdaFunctionTimedOut"][0]
    assert timed_out["lambdaFunctionTimedOutEventDetails"] == {"error": "States.Timeout"}
    assert timed_out["timestamp"].timestamp() == pytest.approx(t0 + 30, abs=0.002)


def test_sleep_within_timeout_completes_later(aws):
    @aws.stepfunctions.task(FN + "slow")
    def slow(event, context):
        context.sleep(20)
        return 1

    t0 = aws.clock.now()
    ex = run(aws, chain({"Type": "Task", "Resource": FN + "slow", "TimeoutSeconds": 30}))
    assert output(aws, ex) == 1
    done = [e for e in events(aws, ex) if e["type"] == "LambdaFunctionSucceeded"][0]
    assert done["timestamp"].timestamp() == pytest.approx(t0 + 20, abs=0.002)


def test_heartbeat_timeout(aws):
    @aws.stepfunctions.task(FN + "beats")
    def beats(event, context):
        for _ in range(3):
            context.sleep(5)
            context.heartbeat()
        context.sleep(15)  # no heartbeat for 15 s > HeartbeatSeconds
        return 1

    ex = run(
        aws,
        chain(
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "beats"},
                "TimeoutSeconds": 100,
                "HeartbeatSeconds": 10,
            }
        ),
    )
    d = describe(aws, ex)
    assert d["error"] == "States.Timeout"
    evs = events(aws, ex)
    t_start = [e for e in evs if e["type"] == "TaskStarted"][0]["timestamp"]
    t_out = [e for e in evs if e["type"] == "TaskTimedOut"][0]["timestamp"]
    assert (t_out - t_start).total_seconds() == pytest.approx(25, abs=0.002)


def test_execution_timeout(aws):
    ex = run(
        aws,
        {"StartAt": "W", "TimeoutSeconds": 5, "States": {"W": {"Type": "Wait", "Seconds": 100, "End": True}}},
    )
    d = describe(aws, ex)
    # ASL-TOP-05 / ERR-12, measured on AWS (floci-io/floci#2733): no error/cause keys at all.
    assert d["status"] == "TIMED_OUT"
    assert [k for k in d if k != "ResponseMetadata"] == [  # AWS's keys, verbatim order (floci#2733)
        "executionArn",
        "stateMachineArn",
        "name",
        "status",
        "startDate",
        "stopDate",
        "input",
        "inputDetails",
        "redriveCount",
        "redriveStatus",
    ]
    assert d["redriveStatus"] == "REDRIVABLE"
    evs = events(aws, ex)
    assert [e["type"] for e in evs] == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    last = evs[-1]
    assert last["previousEventId"] == 0
    assert last["executionTimedOutEventDetails"] == {"error": "States.Timeout"}
    assert (last["timestamp"] - d["startDate"]).total_seconds() == 5
    assert d["stopDate"] == last["timestamp"]


# --- Retry/Catch ---------------------------------------------------------------------------------
def test_catch_with_result_path(aws):
    @aws.stepfunctions.task(FN + "boom")
    def boom(event, context):
        raise KeyError("missing")

    ex = run(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "boom",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Done"}],
                    "End": True,
                },
                "Done": {"Type": "Pass", "End": True},
            },
        },
        {"a": 1},
    )
    out = output(aws, ex)
    assert out["a"] == 1 and out["err"]["Error"] == "KeyError"
    cause = json.loads(out["err"]["Cause"])
    assert cause["errorType"] == "KeyError" and cause["errorMessage"] == "'missing'"
    assert isinstance(cause["stackTrace"], list) and "requestId" in cause
    types = [e["type"] for e in events(aws, ex)]
    assert types[types.index("LambdaFunctionFailed") + 1] == "TaskStateExited"


def test_runtime_error_is_not_caught(aws):
    ex = run(
        aws,
        {
            "StartAt": "P",
            "States": {
                "P": {
                    "Type": "Parallel",
                    "OutputPath": "$.nope",
                    "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
                    "End": True,
                },
                "Done": {"Type": "Pass", "End": True},
            },
        },
    )
    d = describe(aws, ex)
    assert d["error"] == "States.Runtime"


# --- Parallel / Map ------------------------------------------------------------------------------
def test_parallel_results_in_branch_order(aws):
    ex = run(
        aws,
        chain(
            {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "A",
                        "States": {
                            "A": {"Type": "Wait", "Seconds": 10, "Next": "A2"},
                            "A2": {"Type": "Pass", "Result": "a", "End": True},
                        },
                    },
                    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": True}}},
                ],
            }
        ),
    )
    assert output(aws, ex) == ["a", "b"]


def test_map_wait_in_one_iteration_does_not_block_others(aws):
    ex = run(
        aws,
        chain(
            {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Wait", "SecondsPath": "$", "End": True}},
                },
            }
        ),
        {"xs": [30, 0, 10]},
    )
    assert output(aws, ex) == [30, 0, 10]
    succeeded = [e for e in events(aws, ex) if e["type"] == "MapIterationSucceeded"]
    assert [e["mapIterationSucceededEventDetails"]["index"] for e in succeeded] == [1, 2, 0]
    t0 = events(aws, ex)[0]["timestamp"]
    assert [(e["timestamp"] - t0).total_seconds() for e in succeeded] == [0, 10, 30]


def test_map_max_concurrency_one_is_sequential(aws):
    ex = run(
        aws,
        chain(
            {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}},
                },
            }
        ),
        [1, 2, 3],
    )
    evs = events(aws, ex)
    assert (evs[-1]["timestamp"] - evs[0]["timestamp"]).total_seconds() == 30
    assert output(aws, ex) == [1, 2, 3]


def test_map_max_concurrency_two(aws):
    ex = run(
        aws,
        chain(
            {
                "Type": "Map",
                "MaxConcurrency": 2,
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}},
                },
            }
        ),
        [1, 2, 3, 4],
    )
    evs = events(aws, ex)
    assert (evs[-1]["timestamp"] - evs[0]["timestamp"]).total_seconds() == 20


def test_map_item_selector_and_context(aws):
    ex = run(
        aws,
        chain(
            {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            }
        ),
        {"xs": ["a", "b"], "k": 7},
    )
    assert output(aws, ex) == [{"i": 0, "v": "a", "k": 7}, {"i": 1, "v": "b", "k": 7}]


def test_map_failure_aborts_and_fails(aws):
    ex = run(
        aws,
        chain(
            {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "C",
                    "States": {
                        "C": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "F"}],
                            "Default": "W",
                        },
                        "W": {"Type": "Wait", "Seconds": 100, "End": True},
                        "F": {"Type": "Fail", "Error": "Bad", "Cause": "one"},
                    },
                },
            }
        ),
        [0, 2, 1],
    )
    d = describe(aws, ex)
    assert (d["error"], d["cause"]) == ("Bad", "one")
    types = [e["type"] for e in events(aws, ex)]
    assert types.count("MapIterationAborted") == 2 and "MapStateFailed" in types


def test_map_tolerated_failure_count(aws):
    m = {
        "Type": "Map",
        "ToleratedFailureCount": 1,
        "ItemProcessor": {
            "StartAt": "C",
            "States": {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$", "NumericGreaterThan": 0, "Next": "F"}],
                    "Default": "P",
                },
                "P": {"Type": "Pass", "End": True},
                "F": {"Type": "Fail", "Error": "Bad"},
            },
        },
    }
    assert describe(aws, run(aws, chain(m), [0, 1, 0]))["status"] == "SUCCEEDED"
    d = describe(aws, run(aws, chain(m), [1, 1, 0], name="sm2"))
    assert (d["error"], d["cause"]) == (
        "States.ExceedToleratedFailureThreshold",
        "The specified tolerated failure threshold was exceeded",
    )


def test_map_over_empty_array(aws):
    ex = run(
        aws,
        chain(
            {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}
        ),
        [],
    )
    assert output(aws, ex) == []
    started = [e for e in events(aws, ex) if e["type"] == "MapStateStarted"][0]
    assert started["mapStateStartedEventDetails"] == {"length": 0}


def test_map_items_path_not_array(aws):
    ex = run(
        aws,
        chain(
            {
                "Type": "Map",
                "ItemsPath": "$.x",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            }
        ),
        {"x": 1},
    )
    d = describe(aws, ex)
    assert d["error"] == "States.Runtime"
    assert d["cause"].endswith('Reference path "$.x" must point to array.')


# --- variables (§4) ------------------------------------------------------------------------------
def test_assign_evaluate_then_assign_and_history(aws):
    ex = run(
        aws,
        chain(
            {"Type": "Pass", "Assign": {"x": 1, "y": 2}},
            {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x": "{% $y %}", "y": "{% $x %}"}},
            {"Type": "Pass", "Parameters": {"x.$": "$x", "y.$": "$y"}},
        ),
    )
    assert output(aws, ex) == {"x": 2, "y": 1}
    exited = [e for e in events(aws, ex) if e["type"] == "PassStateExited"][0]
    assert exited["stateExitedEventDetails"]["assignedVariables"] == {"x": "1", "y": "2"}
    assert exited["stateExitedEventDetails"]["assignedVariablesDetails"] == {"truncated": False}


def test_inner_scope_reads_outer_but_does_not_leak(aws):
    ex = run(
        aws,
        chain(
            {"Type": "Pass", "Assign": {"outer": "o"}},
            {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "I",
                    "States": {
                        "I": {"Type": "Pass", "Assign": {"inner.$": "$"}, "Next": "J"},
                        "J": {"Type": "Pass", "Parameters": {"o.$": "$outer", "i.$": "$inner"}, "End": True},
                    },
                },
                "ItemsPath": "$.xs",
            },
            {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $exists($inner) %}"},
        ),
        {"xs": [1, 2]},
    )
    assert output(aws, ex) is False
    mapped = [e for e in events(aws, ex) if e["type"] == "MapStateExited"][0]
    assert json.loads(mapped["stateExitedEventDetails"]["output"]) == [{"o": "o", "i": 1}, {"o": "o", "i": 2}]


# --- JSONata mode --------------------------------------------------------------------------------
def test_jsonata_task_arguments_output_and_states_result(aws):
    @aws.stepfunctions.task(FN + "double")
    def double(event, context):
        return {"v": event["n"] * 2}

    ex = run(
        aws,
        {
            "QueryLanguage": "JSONata",
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "double",
                    "Arguments": {"n": "{% $states.input.n + 1 %}"},
                    "Output": {"got": "{% $states.result.v %}", "was": "{% $states.input.n %}"},
                    "End": True,
                }
            },
        },
        {"n": 4},
    )
    assert output(aws, ex) == {"got": 10, "was": 4}


def test_jsonata_choice_and_evaluation_failure(aws):
    d = {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {"Condition": "{% $states.input.n > 1 %}", "Next": "Big", "Output": {"big": True}}
                ],
                "Default": "Small",
            },
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Pass", "Output": "{% $states.input.nope %}", "End": True},
        },
    }
    assert output(aws, run(aws, d, {"n": 5})) == {"big": True}
    ex = run(aws, d, {"n": 0}, name="sm2")
    desc = describe(aws, ex)
    assert desc["error"] == "States.QueryEvaluationError"
    assert desc["cause"].startswith(
        "An error occurred while executing the state 'Small' (entered at the event id #"
    )
    types = [e["type"] for e in events(aws, ex)]
    assert types[-2:] == ["EvaluationFailed", "ExecutionFailed"]


# --- context object (§9) -------------------------------------------------------------------------
def test_context_object_fields(aws):
    ex = run(
        aws,
        {"StartAt": "T", "States": {"T": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}}},
        {"a": 1},
        name="ctx",
    )
    c = output(aws, ex)["c"]
    assert list(c) == ["Execution", "StateMachine", "State"]
    assert c["Execution"]["Id"] == ex and c["Execution"]["Input"] == {"a": 1}
    assert c["Execution"]["RoleArn"] == ROLE and c["Execution"]["RedriveCount"] == 0
    assert c["Execution"]["StartTime"].endswith("Z") and len(c["Execution"]["StartTime"]) == 24
    assert c["StateMachine"] == {
        "Id": "arn:aws:states:us-east-1:123456789012:stateMachine:ctx",
        "Name": "ctx",
    }
    assert c["State"]["Name"] == "T" and "RetryCount" not in c["State"]


def test_task_context_has_retry_count(aws):
    seen = []

    @aws.stepfunctions.task(FN + "f")
    def f(event, context):
        seen.append(event["rc"])
        if len(seen) < 3:
            raise ValueError("again")
        return event

    ex = run(
        aws,
        chain(
            {
                "Type": "Task",
                "Resource": FN + "f",
                "Parameters": {"rc.$": "$$.State.RetryCount"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}],
            }
        ),
    )
    assert seen == [0, 1, 2] and output(aws, ex) == {"rc": 2}


# --- scheduler ----------------------------------------------------------------------------------
def test_clock_advance_fires_due_events(aws):
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(
        name="cb",
        roleArn=ROLE,
        definition=json.dumps(
            {
                "StartAt": "T",
                "States": {
                    "T": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                        "TimeoutSeconds": 60,
                        "Parameters": {"t.$": "$$.Task.Token"},
                        "End": True,
                    }
                },
            }
        ),
    )["stateMachineArn"]
    sfn.task("arn:aws:states:::sqs:sendMessage.waitForTaskToken")(lambda e, c: {})
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert describe(aws, ex)["status"] == "RUNNING"
    assert sfn.run_until_idle() == 0  # waiting on a token: nothing active
    aws.clock.advance(59)
    assert describe(aws, ex)["status"] == "RUNNING"
    aws.clock.advance(1)
    d = describe(aws, ex)
    assert (d["status"], d["error"]) == ("FAILED", "States.Timeout")


def test_system_clock_runs_in_real_time():
    with emulator.Emulator(clock="system") as world:
        sfn = world.stepfunctions
        arn = sfn.create_state_machine(
            name="s",
            roleArn=ROLE,
            definition=json.dumps(
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
            ),
        )["stateMachineArn"]
        ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
        assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
        wait_until(
            lambda: sfn.describe_execution(executionArn=ex)["status"] != "RUNNING", what="the execution's end"
        )  # the scheduler's thread ends the Wait, in real time
        assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
        evs = sfn.get_execution_history(executionArn=ex)["events"]
        assert (evs[2]["timestamp"] - evs[1]["timestamp"]).total_seconds() >= 0.999  # not before it was due


def test_history_limit_fails_execution(aws):
    ex = run(
        aws,
        chain(
            {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}
        ),
        list(range(7000)),
    )
    d = describe(aws, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime"


def test_heartbeat_timeout_matches_heartbeat_catcher(aws):
    @aws.stepfunctions.task(FN + "quiet")
    def quiet(event, context):
        context.sleep(50)
        return 1

    ex = run(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "quiet",
                    "HeartbeatSeconds": 10,
                    "TimeoutSeconds": 100,
                    "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Caught"}],
                    "End": True,
                },
                "Caught": {"Type": "Pass", "End": True},
            },
        },
    )
    assert output(aws, ex) == {"Error": "States.Timeout", "Cause": None}


def test_oversize_state_output_fails_execution(aws):
    ex = run(
        aws, chain({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $pad('', 300000, 'x') %}"})
    )
    d = describe(aws, ex)
    assert d["error"] == "States.DataLimitExceeded"
    assert d["cause"] == (
        "The state/task 'S0' returned a result with a size exceeding the maximum number of "
        "bytes service limit."
    )


def test_start_sync_on_system_clock_waits_in_real_time():
    with emulator.Emulator(clock="system") as world:
        sfn = world.stepfunctions
        arn = sfn.create_state_machine(
            name="s",
            roleArn=ROLE,
            type="EXPRESS",
            definition=json.dumps(
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
            ),
        )["stateMachineArn"]
        out = sfn.start_sync_execution(stateMachineArn=arn, input='{"a":1}')
        assert out["status"] == "SUCCEEDED" and out["output"] == '{"a":1}'
        # it returned only once the Wait was due on the real clock (how fast: benchmarks/timing_claims.py)
        assert (out["stopDate"] - out["startDate"]).total_seconds() >= 0.999


def test_jsonata_map_over_an_items_object(aws):
    ex = run(
        aws,
        {
            "QueryLanguage": "JSONata",
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "Items": "{% {'a': 1, 'b': 2} %}",
                    "End": True,
                    "ItemSelector": {
                        "k": "{% $states.context.Map.Item.Key %}",
                        "v": "{% $states.context.Map.Item.Value %}",
                    },
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                }
            },
        },
    )
    assert output(aws, ex) == [{"k": "a", "v": 1}, {"k": "b", "v": 2}]


def test_jsonata_map_default_input_must_be_array(aws):
    ex = run(
        aws,
        {
            "QueryLanguage": "JSONata",
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "End": True,
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                }
            },
        },
        {"foo": "bar"},
    )
    d = describe(aws, ex)
    assert d["error"] == "States.QueryEvaluationError"
    assert d["cause"].endswith('Map state input must be an array but was: {"foo":"bar"}')


# --- a sibling's failure aborts everything nested in the other branches (MAP-05, PAR-03) -----------


def _nested_failure_machine(fn_arn):
    inner = {
        "Type": "Map",
        "ItemsPath": "$.xs",
        "End": True,
        "ItemProcessor": {
            "StartAt": "C",
            "States": {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$", "NumericEquals": 13, "Next": "F"}],
                    "Default": "W",
                },
                "W": {"Type": "Wait", "Seconds": 2, "Next": "T"},
                "T": {"Type": "Task", "Resource": fn_arn, "End": True},
                "F": {"Type": "Fail", "Error": "Unlucky", "Cause": "13"},
            },
        },
    }
    par = {
        "Type": "Parallel",
        "End": True,
        "Branches": [
            {"StartAt": "IM", "States": {"IM": inner}},
            {
                "StartAt": "W2",
                "States": {
                    "W2": {"Type": "Wait", "Seconds": 10, "Next": "T2"},
                    "T2": {"Type": "Task", "Resource": fn_arn, "End": True},
                },
            },
        ],
    }
    return {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.groups",
                "ItemProcessor": {"StartAt": "Par", "States": {"Par": par}},
                "Catch": [{"ErrorEquals": ["Unlucky"], "ResultPath": "$.err", "Next": "Done"}],
                "Next": "Done",
            },
            "Done": {"Type": "Wait", "Seconds": 30, "End": True},
        },
    }


def test_sibling_failure_aborts_nested_map_and_parallel_work(aws):
    """MAP-05/PAR-03: a failing iteration stops the other iterations — and what they run: the Map
    inside their Parallel, its iterations' Waits and Tasks, the Parallel's other branch. Nothing of
    them runs on after the Map is caught (their Waits fired later and their Tasks ran, recording
    events after ``MapStateExited``). The inner aborts are recorded innermost first, as for
    StopExecution."""
    calls = []
    aws.stepfunctions.task(FN + "work")(lambda event, context: calls.append(event) or "done")
    ex = start(aws, _nested_failure_machine(FN + "work"), {"groups": [{"xs": [1, 2]}, {"xs": [13]}]})
    assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert calls == []
    evs = history(aws, ex)
    types = [e["type"] for e in evs]
    exited = types.index("MapStateExited")
    assert types[exited:] == ["MapStateExited", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]
    assert elapsed(evs, "WaitStateExited") == 30.0
    failed = types.index("MapIterationFailed", types.index("ParallelStateFailed"))
    assert types[failed:exited] == [
        "MapIterationFailed",
        "MapIterationAborted",
        "MapIterationAborted",
        "MapStateAborted",
        "ParallelStateAborted",
        "MapIterationAborted",
        "MapStateFailed",
    ]
    aborted = [e["mapIterationAbortedEventDetails"] for e in evs if e["type"] == "MapIterationAborted"]
    assert aborted == [{"index": 0, "name": "IM"}, {"index": 1, "name": "IM"}, {"index": 0, "name": "M"}]
    assert aws.stepfunctions._service.scheduler.pending() == 0


def test_parallel_branch_failure_aborts_a_map_in_the_other_branch(aws):
    """PAR-03: the other branches are stopped, including the iterations of a Map they run."""
    calls = []
    aws.stepfunctions.task(FN + "work")(lambda event, context: calls.append(event) or "done")
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": "M",
                        "States": {
                            "M": {
                                "Type": "Map",
                                "End": True,
                                "ItemProcessor": {
                                    "StartAt": "W",
                                    "States": {
                                        "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
                                        "T": {"Type": "Task", "Resource": FN + "work", "End": True},
                                    },
                                },
                            }
                        },
                    },
                    {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Stop", "Cause": "now"}}},
                ],
            }
        },
    }
    ex = start(aws, definition, [1, 2, 3])
    aws.stepfunctions.run_until_idle(include_timeouts=True)
    d = desc(aws, ex)
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Stop", "now")
    assert calls == []
    types = [e["type"] for e in history(aws, ex)]
    assert types[-7:] == [
        "FailStateEntered",
        "MapIterationAborted",
        "MapIterationAborted",
        "MapIterationAborted",
        "MapStateAborted",
        "ParallelStateFailed",
        "ExecutionFailed",
    ]


# --- Retry and Catch of whole states, retry counts, catchable failures (PAR-04, MAP-06, CTX-10, ERR-*)

QUEUE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
RETRY = [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3}]


def test_par_04_parallel_retry_reruns_all_branches_with_a_new_started_event(aws):
    flaky_task(aws, "f")
    ok = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    task = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "f", "End": True}}}
    ex = run_definition(
        aws,
        {
            "StartAt": "Par",
            "States": {"Par": {"Type": "Parallel", "Branches": [ok, task], "Retry": RETRY, "End": True}},
        },
    )
    types = [e["type"] for e in events_of(aws, ex)]
    assert types.count("ParallelStateEntered") == 1
    assert types.count("ParallelStateStarted") == 2 and types.count("PassStateEntered") == 2
    failed = types.index("LambdaFunctionFailed")
    assert types[failed + 1] == "ParallelStateStarted"  # no ParallelStateFailed/Exited in between


def test_map_06_map_retry_reruns_every_iteration(aws):
    calls = flaky_task(aws, "f")
    ex = run_definition(
        aws,
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "Retry": RETRY,
                    "End": True,
                    "ItemProcessor": {
                        "StartAt": "T",
                        "States": {"T": {"Type": "Task", "Resource": FN + "f", "End": True}},
                    },
                }
            },
        },
        "[1, 2]",
    )
    evs = events_of(aws, ex)
    types = [e["type"] for e in evs]
    assert types.count("MapStateEntered") == 1 and types.count("MapStateStarted") == 2
    assert calls[-2:] == [1, 2]  # the retry runs every item again, not only the failed one
    second = types.index("MapStateStarted", types.index("MapIterationFailed"))
    assert evs[second + 1]["mapIterationStartedEventDetails"]["index"] == 0


def test_ctx_10_entered_time_is_kept_across_retries(aws):
    calls = flaky_task(aws, "f", failures=2)
    ex = run_definition(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "f",
                    "Retry": RETRY,
                    "End": True,
                    "Parameters": {"entered.$": "$$.State.EnteredTime", "n.$": "$$.State.RetryCount"},
                }
            },
        },
    )
    assert [c["n"] for c in calls] == [0, 1, 2]
    assert len({c["entered"] for c in calls}) == 1
    entered = events_of(aws, ex)[1]
    assert entered["type"] == "TaskStateEntered"
    assert calls[0]["entered"] == entered["timestamp"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_err_09_failure_without_error_or_cause_gives_null_error_output(aws):
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = run_definition(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": QUEUE,
                    "End": True,
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}],
                },
                "P": {"Type": "Pass", "End": True},
            },
        },
    )
    aws.stepfunctions.send_task_failure(taskToken=next(iter(aws.stepfunctions._service.tokens)))
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    assert (d["status"], d["output"]) == ("SUCCEEDED", '{"Error":null,"Cause":null}')


def test_err_15_oversize_task_result_is_caught_by_states_all(aws):
    aws.stepfunctions.task(FN + "big")(lambda event, context: {"x": "a" * 300_000})
    ex = run_definition(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "big",
                    "End": True,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}],
                },
                "P": {"Type": "Pass", "End": True},
            },
        },
    )
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == {
        "Error": "States.DataLimitExceeded",
        "Cause": f"The state/task '{FN}big' returned a result with a size exceeding the maximum "
        "number of bytes service limit.",
    }
    types = [e["type"] for e in events_of(aws, ex)]
    assert types[4:6] == ["LambdaFunctionFailed", "TaskStateExited"]


def test_err_16_query_evaluation_error_is_caught_after_an_evaluation_failed_event(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    ex = run_definition(
        aws,
        {
            "QueryLanguage": "JSONata",
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "ok",
                    "Output": "{% $states.result.nope %}",
                    "End": True,
                    "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "P"}],
                },
                "P": {"Type": "Pass", "End": True},
            },
        },
    )
    evs = events_of(aws, ex)
    assert [e["type"] for e in evs][4:8] == [
        "LambdaFunctionSucceeded",
        "EvaluationFailed",
        "TaskStateExited",
        "PassStateEntered",
    ]
    cause = (
        "An error occurred while executing the state 'T' (entered at the event id #2). The JSONata "
        "expression '$states.result.nope' specified for the field 'Output' returned nothing "
        "(undefined)."
    )
    assert evs[5]["evaluationFailedEventDetails"] == {
        "error": "States.QueryEvaluationError",
        "cause": cause,
        "location": "Output",
        "state": "T",
    }
    assert json.loads(evs[6]["stateExitedEventDetails"]["output"]) == {
        "Error": "States.QueryEvaluationError",
        "Cause": cause,
    }


def test_var_09_catcher_assign_is_recorded_on_the_task_state_exited_after_the_failure(aws):
    @aws.stepfunctions.task(FN + "boom")
    def boom(event, context):
        raise KeyError("k")

    ex = run_definition(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "boom",
                    "End": True,
                    "Assign": {"never": 1},
                    "Catch": [
                        {"ErrorEquals": ["States.ALL"], "Next": "P", "Assign": {"err.$": "$.Error", "n": 0}}
                    ],
                },
                "P": {"Type": "Pass", "End": True},
            },
        },
    )
    exited = [e for e in events_of(aws, ex) if e["type"] == "TaskStateExited"]
    assert exited[0]["stateExitedEventDetails"]["assignedVariables"] == {"err": '"KeyError"', "n": "0"}
    assert exited[0]["stateExitedEventDetails"]["assignedVariablesDetails"] == {"truncated": False}
    passed = [e for e in events_of(aws, ex) if e["type"] == "PassStateExited"][0]
    assert "assignedVariables" not in passed["stateExitedEventDetails"]


# --- the context object of a synchronous Express execution (CTX-07) -------------------------------


def test_ctx_07_sync_express_context_has_no_redrive_count(aws):
    out = run_definition(
        aws,
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}}},
        type_="EXPRESS",
    )
    execution = json.loads(out["output"])["c"]["Execution"]
    assert list(execution) == ["Id", "Input", "StartTime", "Name", "RoleArn"]


# --- JSONata fields of the wrong type at run time (JA-07, JA-08, JA-13) ----------------------------

JSONATA = {"QueryLanguage": "JSONata"}


def test_ja_08_typed_field_causes_quote_the_expression_trimmed(aws):
    ex = run_definition(
        aws,
        {**JSONATA, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": "{% 1.5 %}", "End": True}}},
    )
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    assert (d["error"], d["cause"]) == (
        "States.QueryEvaluationError",
        "An error occurred while executing the state 'W' (entered at the event id #2). The JSONata "
        "expression '1.5' specified for the field 'Seconds' returned an unexpected result type. "
        "Expected 'integer', but was 'number' for value: 1.5",
    )


def test_ja_13_fail_error_must_evaluate_to_a_string(aws):
    ex = run_definition(
        aws,
        {
            **JSONATA,
            "StartAt": "F",
            "States": {
                "F": {"Type": "Fail", "Error": "{% $states.input.code %}", "Cause": "{% $states.input.why %}"}
            },
        },
        '{"code": 7, "why": "w"}',
    )
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    cause = (
        "An error occurred while executing the state 'F' (entered at the event id #2). The JSONata "
        "expression '$states.input.code' specified for the field 'Error' returned an unexpected "
        "result type. Expected 'string', but was 'number' for value: 7"
    )
    assert (d["error"], d["cause"]) == ("States.QueryEvaluationError", cause)
    evs = events_of(aws, ex)
    assert [e["type"] for e in evs][-2:] == ["EvaluationFailed", "ExecutionFailed"]
    assert evs[-2]["evaluationFailedEventDetails"]["location"] == "Error"
    ok = run_definition(
        aws,
        {
            **JSONATA,
            "StartAt": "F",
            "States": {
                "F": {"Type": "Fail", "Error": "{% $states.input.code %}", "Cause": "{% $states.input.why %}"}
            },
        },
        '{"code": "E7", "why": "w"}',
        name="ok",
    )
    d = aws.stepfunctions.describe_execution(executionArn=ok)
    assert (d["error"], d["cause"]) == ("E7", "w")


def test_ja_07_task_timeout_expression_of_the_wrong_type_is_a_catchable_evaluation_failure(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    ex = run_definition(
        aws,
        {
            **JSONATA,
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "ok",
                    "TimeoutSeconds": "{% $states.input.t %}",
                    "End": True,
                    "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "P"}],
                },
                "P": {"Type": "Pass", "End": True},
            },
        },
        '{"t": "soon"}',
    )
    evs = events_of(aws, ex)
    assert [e["type"] for e in evs][1:5] == [
        "TaskStateEntered",
        "EvaluationFailed",
        "TaskStateExited",
        "PassStateEntered",
    ]
    assert evs[2]["evaluationFailedEventDetails"] == {
        "error": "States.QueryEvaluationError",
        "location": "TimeoutSeconds",
        "state": "T",
        "cause": "An error occurred while executing the state 'T' (entered at the event id #2). The "
        "JSONata expression '$states.input.t' specified for the field 'TimeoutSeconds' returned an "
        "unexpected result type. Expected 'integer', but was 'string' for value: \"soon\"",
    }
