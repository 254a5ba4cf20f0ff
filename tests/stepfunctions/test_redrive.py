"""RedriveExecution (API-15): a FAILED, TIMED_OUT or ABORTED Standard execution runs on from the
state that failed, with that state's original input; the successful work is kept, the history is
appended to (``ExecutionRedriven``), and inside a Map or Parallel only the iterations and
branches that did not succeed run again. Its limits and the redrive fields of DescribeExecution
and ListExecutions. On the virtual clock, through every door (``sfn``) where nothing native-only
is needed."""

from __future__ import annotations

import json
from datetime import timezone

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import FN, ROLE, create, flaky_task, history_of

DAY = 86400.0


def _run(sfn, definition, input_="{}", name="sm"):
    arn = create(sfn, json.dumps(definition), name=name)
    return sfn.start_execution(stateMachineArn=arn, input=input_)["executionArn"]


def _types_after_redrive(events, count=1):
    """Event types after the ``count``-th ExecutionRedriven."""
    marks = [i for i, e in enumerate(events) if e["type"] == "ExecutionRedriven"]
    return [e["type"] for e in events[marks[count - 1] + 1 :]]


def _entered(events):
    return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]


CHAIN = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.a", "Next": "T"},
        "T": {"Type": "Task", "Resource": FN + "flaky", "Next": "B"},
        "B": {"Type": "Pass", "End": True},
    },
}


def test_redrive_runs_on_from_the_failed_state_with_its_input(aws, sfn):
    calls = flaky_task(aws, "flaky")
    ex = _run(sfn, CHAIN, '{"x": 7}')
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    before = history_of(sfn, ex)

    answer = sfn.redrive_execution(executionArn=ex)
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"x": 7, "a": {"n": 1}}
    assert described["redriveCount"] == 1
    assert described["redriveDate"] == answer["redriveDate"]
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    assert described["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"
    assert "error" not in described and "cause" not in described
    assert calls == [{"x": 7, "a": {"n": 1}}] * 2  # the task ran again on the same input

    events = history_of(sfn, ex)
    assert events[: len(before)] == before  # appended to, never rewritten
    redriven = events[len(before)]
    assert redriven["type"] == "ExecutionRedriven"
    assert redriven["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert redriven["id"] == len(before) + 1
    assert _types_after_redrive(events)[0] == "TaskStateEntered"
    assert _entered(events[len(before) :]) == ["T", "B"]  # A is not run again
    reentered = events[len(before) + 1]
    assert reentered["previousEventId"] == redriven["id"]
    assert json.loads(reentered["stateEnteredEventDetails"]["input"]) == {"x": 7, "a": {"n": 1}}
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))


def test_redrive_keeps_the_variables_assigned_before_the_failure(aws, sfn):
    flaky_task(aws, "flaky")
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"kept": "yes"}, "Next": "T"},
            "T": {"Type": "Task", "Resource": FN + "flaky", "Parameters": {"v.$": "$kept"}, "End": True},
        },
    }
    ex = _run(sfn, definition)
    sfn.redrive_execution(executionArn=ex)
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"v": "yes"}


def test_context_object_has_redrive_count_and_time_after_a_redrive(aws, sfn):
    flaky_task(aws, "flaky")
    definition = {
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": FN + "flaky", "Next": "C"},
            "C": {
                "Type": "Pass",
                "Parameters": {"count.$": "$$.Execution.RedriveCount", "time.$": "$$.Execution.RedriveTime"},
                "End": True,
            },
        },
    }
    ex = _run(sfn, definition)
    date = sfn.redrive_execution(executionArn=ex)["redriveDate"]
    out = json.loads(sfn.describe_execution(executionArn=ex)["output"])
    assert out["count"] == 1
    assert out["time"] == date.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_redrive_of_a_succeeded_execution_is_not_redrivable(aws, sfn):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: event)
    done = _run(sfn, {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "ok", "End": True}}})
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=done)
    assert error_of(e) == ("ExecutionNotRedrivable", "Execution is SUCCEEDED and cannot be redriven")


@pytest.mark.emulator(auto_advance=False)
def test_redrive_of_a_running_execution_is_not_redrivable(sfn):
    ex = _run(sfn, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}})
    described = sfn.describe_execution(executionArn=ex)
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    assert described["redriveStatusReason"] == "Execution is RUNNING and cannot be redriven"
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=ex)
    assert error_of(e) == ("ExecutionNotRedrivable", "Execution is RUNNING and cannot be redriven")


def test_unknown_execution_and_bad_client_token(sfn):
    missing = "arn:aws:states:us-east-1:123456789012:execution:sm:nope"
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=missing)
    assert error_of(e) == ("ExecutionDoesNotExist", f"Execution Does Not Exist: '{missing}'")
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=missing, clientToken="x" * 65)
    assert error_of(e)[0] == "ValidationException"
    assert (
        "'clientToken' failed to satisfy constraint: Member must have length less than or equal to 64"
        in (error_of(e)[1])
    )


def test_express_execution_is_not_redrivable(sfn):
    express = "arn:aws:states:us-east-1:123456789012:express:sm:e:0f3e5c3e-0000-4000-8000-000000000000"
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=express)
    assert error_of(e)[0] == "ExecutionNotRedrivable"


def test_redrivable_for_14_days_after_the_execution_closed(aws, sfn):
    flaky_task(aws, "flaky", failures=5)
    ex = _run(sfn, CHAIN)
    aws.clock.advance(seconds=14 * DAY)
    assert sfn.describe_execution(executionArn=ex)["redriveStatus"] == "REDRIVABLE"
    sfn.redrive_execution(executionArn=ex)  # fails again: closed anew, 14 days from now
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    aws.clock.advance(seconds=14 * DAY + 1)
    described = sfn.describe_execution(executionArn=ex)
    assert (described["redriveStatus"], described["redriveStatusReason"]) == (
        "NOT_REDRIVABLE",
        "Execution redrivable period exceeded",
    )
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=ex)
    assert error_of(e) == ("ExecutionNotRedrivable", "Execution redrivable period exceeded")


def test_redrive_limits_count_and_history(aws):
    sfn = aws.stepfunctions
    flaky_task(aws, "flaky", failures=10)
    ex = _run(sfn, CHAIN)
    record = sfn._service.executions[ex]
    record.redrive_count = 1000
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=ex)
    assert error_of(e)[0] == "ExecutionNotRedrivable"
    record.redrive_count = 0
    record.history.events.extend([record.history.events[1]] * (24_999 - len(record.history.events)))
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=ex)
    assert error_of(e) == ("ExecutionNotRedrivable", "Execution history event limit exceeded")


def test_client_token_makes_a_redrive_idempotent(aws, sfn):
    flaky_task(aws, "flaky", failures=2)
    ex = _run(sfn, CHAIN)
    first = sfn.redrive_execution(executionArn=ex, clientToken="once")
    again = sfn.redrive_execution(executionArn=ex, clientToken="once")
    assert again == first
    assert sfn.describe_execution(executionArn=ex)["redriveCount"] == 1
    aws.clock.advance(seconds=15 * 60 + 1)  # the token is remembered 15 minutes
    sfn.redrive_execution(executionArn=ex, clientToken="once")
    described = sfn.describe_execution(executionArn=ex)
    assert (described["status"], described["redriveCount"]) == ("SUCCEEDED", 2)


def test_list_executions_redrive_count_date_and_filter(aws, sfn):
    flaky_task(aws, "flaky")
    ex = _run(sfn, CHAIN)
    sm = sfn.describe_execution(executionArn=ex)["stateMachineArn"]
    other = sfn.start_execution(stateMachineArn=sm, name="other")["executionArn"]
    date = sfn.redrive_execution(executionArn=ex)["redriveDate"]
    redriven = sfn.list_executions(stateMachineArn=sm, redriveFilter="REDRIVEN")["executions"]
    assert [(e["executionArn"], e["redriveCount"], e["redriveDate"]) for e in redriven] == [(ex, 1, date)]
    plain = sfn.list_executions(stateMachineArn=sm, redriveFilter="NOT_REDRIVEN")["executions"]
    assert [(e["executionArn"], e["redriveCount"], "redriveDate" in e) for e in plain] == [(other, 0, False)]


def _fails_once_for(aws, name, bad):
    """Register ``FN + name``: fails the first time it sees ``bad``, else echoes; returns calls."""
    calls = []

    @aws.stepfunctions.task(FN + name)
    def fn(event, context):
        calls.append(event)
        if event == bad and calls.count(bad) == 1:
            raise ValueError("not yet")
        return {"done": event}

    return calls


def test_inline_map_redrives_only_the_iterations_that_did_not_succeed(aws, sfn):
    calls = _fails_once_for(aws, "item", 2)
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {
                        "P": {"Type": "Pass", "Next": "T"},
                        "T": {"Type": "Task", "Resource": FN + "item", "End": True},
                    },
                },
                "End": True,
            }
        },
    }
    ex = _run(sfn, definition, "[1, 2, 3]")
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    assert calls == [1, 2]  # one at a time: the third never started
    sfn.redrive_execution(executionArn=ex)
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"done": 1}, {"done": 2}, {"done": 3}]
    assert calls == [1, 2, 2, 3]
    after = history_of(sfn, ex)
    after = after[[e["type"] for e in after].index("ExecutionRedriven") :]
    started = [
        e["mapIterationStartedEventDetails"]["index"] for e in after if e["type"] == "MapIterationStarted"
    ]
    assert started == [1, 2]
    # the failed iteration runs on from its failed state, the new one from the start
    assert _entered(after) == ["M", "T", "P", "T"]


def test_inline_map_redrives_the_failed_and_aborted_iterations_of_a_nested_parallel(aws, sfn):
    calls = _fails_once_for(aws, "deep", {"i": 1, "b": 1})

    def branch(b):
        state = {"Type": "Task", "Resource": FN + "deep", "Parameters": {"i.$": "$", "b": b}, "End": True}
        return {"StartAt": f"B{b}", "States": {f"B{b}": state}}

    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Par",
                    "States": {"Par": {"Type": "Parallel", "Branches": [branch(0), branch(1)], "End": True}},
                },
                "End": True,
            }
        },
    }
    ex = _run(sfn, definition, "[0, 1, 2]")
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    first = list(calls)
    sfn.redrive_execution(executionArn=ex)
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [
        [{"done": {"i": i, "b": 0}}, {"done": {"i": i, "b": 1}}] for i in range(3)
    ]
    # every branch call that had succeeded is not made again; each one that did not, is
    succeeded = [c for c in first if c != {"i": 1, "b": 1}]
    again = calls[len(first) :]
    assert {"i": 1, "b": 1} in again
    assert not [c for c in again if c in succeeded]
    assert sorted(map(json.dumps, succeeded + again)) == sorted(
        json.dumps({"i": i, "b": b}) for i in range(3) for b in range(2)
    )


def test_parallel_redrives_only_the_failed_branch(aws, sfn):
    calls = _fails_once_for(aws, "branch", {"k": "b"})

    def branch(key):
        state = {"Type": "Task", "Resource": FN + "branch", "Parameters": {"k": key}, "End": True}
        return {"StartAt": f"S{key}", "States": {f"S{key}": state}}

    definition = {
        "StartAt": "Par",
        "States": {"Par": {"Type": "Parallel", "Branches": [branch("a"), branch("b")], "End": True}},
    }
    ex = _run(sfn, definition)
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    sfn.redrive_execution(executionArn=ex)
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"done": {"k": "a"}}, {"done": {"k": "b"}}]
    assert calls == [{"k": "a"}, {"k": "b"}, {"k": "b"}]  # branch "a" kept its result
    after = history_of(sfn, ex)
    assert _entered(after[[e["type"] for e in after].index("ExecutionRedriven") :]) == ["Par", "Sb"]


@pytest.mark.emulator(auto_advance=False)
def test_an_aborted_execution_redrives_the_state_it_was_stopped_in(aws, sfn):
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 100, "Next": "B"},
            "B": {"Type": "Pass", "End": True},
        },
    }
    ex = _run(sfn, definition, '{"v": 1}')
    aws.clock.advance(seconds=50)
    sfn.stop_execution(executionArn=ex)
    assert sfn.describe_execution(executionArn=ex)["redriveStatus"] == "REDRIVABLE"
    sfn.redrive_execution(executionArn=ex)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    aws.clock.advance(seconds=99)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"  # the Wait starts over
    aws.clock.advance(seconds=1)
    described = sfn.describe_execution(executionArn=ex)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"v": 1})
    events = history_of(sfn, ex)
    assert _types_after_redrive(events) == [
        "WaitStateEntered",
        "WaitStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_a_timed_out_execution_is_redriven_with_a_fresh_timeout(aws, sfn):
    definition = {
        "TimeoutSeconds": 10,
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "SecondsPath": "$.wait", "End": True}},
    }
    ex = _run(sfn, definition, '{"wait": 8}')
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
    slow = _run(sfn, definition, '{"wait": 30}', name="slow")
    assert sfn.describe_execution(executionArn=slow)["status"] == "TIMED_OUT"
    sfn.redrive_execution(executionArn=slow)
    assert sfn.describe_execution(executionArn=slow)["status"] == "TIMED_OUT"
    types = [e["type"] for e in history_of(sfn, slow)]
    assert types == [
        "ExecutionStarted",
        "WaitStateEntered",
        "ExecutionTimedOut",
        "ExecutionRedriven",
        "WaitStateEntered",
        "ExecutionTimedOut",
    ]
    described = sfn.describe_execution(executionArn=slow)
    assert described["redriveCount"] == 1 and described["redriveStatus"] == "REDRIVABLE"


@pytest.mark.emulator(auto_advance=False)
def test_a_stopped_map_redrives_its_aborted_iterations_from_where_they_waited(aws, sfn):
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "W",
                    "States": {
                        "W": {"Type": "Wait", "SecondsPath": "$", "Next": "Done"},
                        "Done": {"Type": "Pass", "Parameters": {"waited.$": "$"}, "End": True},
                    },
                },
                "End": True,
            }
        },
    }
    ex = _run(sfn, definition, "[10, 20, 30]")
    aws.clock.advance(seconds=15)
    sfn.stop_execution(executionArn=ex)
    sfn.redrive_execution(executionArn=ex)
    aws.clock.advance(seconds=20)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"  # the 30 s Wait starts over
    aws.clock.advance(seconds=10)
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"waited": 10}, {"waited": 20}, {"waited": 30}]
    events = history_of(sfn, ex)
    after = events[[e["type"] for e in events].index("ExecutionRedriven") :]
    started = [
        e["mapIterationStartedEventDetails"]["index"] for e in after if e["type"] == "MapIterationStarted"
    ]
    assert started == [1, 2]  # iteration 0 had succeeded before the stop
    assert _entered(after) == ["M", "W", "W", "Done", "Done"]


def test_jsonata_state_redrive_keeps_its_variables(aws, sfn):
    flaky_task(aws, "flaky")
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"base": "{% $states.input.n * 2 %}"}, "Next": "T"},
            "T": {
                "Type": "Task",
                "Resource": FN + "flaky",
                "Arguments": {"doubled": "{% $base %}"},
                "Output": "{% $states.result.doubled + $states.context.Execution.RedriveCount %}",
                "End": True,
            },
        },
    }
    ex = _run(sfn, definition, '{"n": 21}')
    sfn.redrive_execution(executionArn=ex)
    described = sfn.describe_execution(executionArn=ex)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", 43)


def test_distributed_map_redrive_reruns_only_the_failed_children(aws, sfn):
    calls = _fails_once_for(aws, "child", 2)
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": FN + "child", "End": True}},
    }
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": processor, "End": True}}}
    ex = _run(sfn, definition, "[1, 2, 3]")
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    first = len(calls)
    sfn.redrive_execution(executionArn=ex)
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"done": 1}, {"done": 2}, {"done": 3}]
    assert 2 in calls[first:] and 1 not in calls[first:]  # the child that succeeded is kept


def test_an_execution_of_a_deleted_state_machine_is_not_redrivable(aws, sfn):
    flaky_task(aws, "flaky")
    ex = _run(sfn, CHAIN)
    sfn.delete_state_machine(stateMachineArn=sfn.describe_execution(executionArn=ex)["stateMachineArn"])
    described = sfn.describe_execution(executionArn=ex)
    assert described["redriveStatusReason"] == "State machine is in DELETING status"
    with pytest.raises(Exception) as e:
        sfn.redrive_execution(executionArn=ex)
    assert error_of(e) == ("ExecutionNotRedrivable", "State machine is in DELETING status")


def test_a_redrive_of_a_version_runs_that_version(aws, sfn):
    flaky_task(aws, "flaky")
    created = sfn.create_state_machine(name="v", definition=json.dumps(CHAIN), roleArn=ROLE, publish=True)
    version = created["stateMachineVersionArn"]
    ex = sfn.start_execution(stateMachineArn=version)["executionArn"]
    sfn.update_state_machine(stateMachineArn=created["stateMachineArn"], definition=json.dumps(FAILS))
    sfn.redrive_execution(executionArn=ex)  # "the same state machine definition" as the first attempt
    described = sfn.describe_execution(executionArn=ex)
    assert (described["status"], described["stateMachineVersionArn"]) == ("SUCCEEDED", version)


FAILS = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Changed"}}}
