"""A runaway Express execution ends as on AWS: TIMED_OUT at its duration limit (LIM-06).

A state transition takes no virtual time here, so a Pass/Choice loop would never reach the
5-minute limit by itself; the event budget (``EXPRESS_EVENT_BUDGET``) stands for what five minutes
of transitions allow, after which the execution stops where it is and times out on the clock.
"""

from __future__ import annotations

import json

import pytest

from emulator.stepfunctions.runtime.execution import EXPRESS_EVENT_BUDGET, MAX_EVENTS
from tests.stepfunctions.workflow_helpers import ROLE

LOOP = {
    "StartAt": "L",
    "States": {
        "L": {"Type": "Pass", "Next": "C"},
        "C": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "L"}],
            "Default": "S",
        },
        "S": {"Type": "Succeed"},
    },
}


def _machine(sfn, definition, kind="EXPRESS"):
    return sfn.create_state_machine(name="loop", definition=json.dumps(definition), roleArn=ROLE, type=kind)[
        "stateMachineArn"
    ]


def test_a_runaway_express_loop_times_out_at_five_minutes(sfn):
    arn = _machine(sfn, LOOP)
    answer = sfn.start_sync_execution(stateMachineArn=arn, input='{"x": 1}')
    assert answer["status"] == "TIMED_OUT"
    assert (answer["stopDate"] - answer["startDate"]).total_seconds() == 300
    assert "error" not in answer and "output" not in answer


@pytest.mark.native_only
def test_a_runaway_express_loop_honours_a_shorter_timeout_seconds(sfn):
    arn = _machine(sfn, {**LOOP, "TimeoutSeconds": 12})
    answer = sfn.start_sync_execution(stateMachineArn=arn, input='{"x": 1}')
    assert answer["status"] == "TIMED_OUT"
    assert (answer["stopDate"] - answer["startDate"]).total_seconds() == 12


def test_start_execution_of_a_runaway_express_loop_returns(aws):
    sfn = aws.stepfunctions
    arn = _machine(sfn, LOOP)
    started = aws.clock.now()
    assert sfn.start_execution(stateMachineArn=arn, input='{"x": 1}')["executionArn"]
    (execution,) = sfn._service.executions.values()
    assert execution.status == "TIMED_OUT" and execution.stop_date == started + 300
    assert len(execution.history.events) <= EXPRESS_EVENT_BUDGET + 2


@pytest.mark.native_only
def test_the_same_loop_as_standard_still_fails_at_the_history_limit(sfn):
    arn = _machine(sfn, LOOP, kind="STANDARD")
    run = sfn.start_execution(stateMachineArn=arn, input='{"x": 1}')["executionArn"]
    described = sfn.describe_execution(executionArn=run)
    assert described["status"] == "FAILED" and described["error"] == "States.Runtime"
    assert described["cause"] == f"The execution reached the maximum number of history events ({MAX_EVENTS})."


@pytest.mark.native_only
def test_a_wide_express_map_costs_its_longest_iteration_not_every_event(sfn):
    """Iterations run side by side: 15,000 of them record 60,000 events in all, more than the
    budget, but the longest path is a few events long, so the execution succeeds."""
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "End": True,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            }
        },
    }
    arn = _machine(sfn, definition)
    items = list(range(15_000))
    assert 4 * len(items) > EXPRESS_EVENT_BUDGET
    answer = sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({"items": items}))
    assert answer["status"] == "SUCCEEDED" and json.loads(answer["output"]) == items


@pytest.mark.native_only
def test_a_map_of_runaway_iterations_times_out_once_one_has_used_the_budget(aws):
    sfn = aws.stepfunctions
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "End": True,
                "ItemSelector": {"x": 1},
                "ItemProcessor": LOOP,
            }
        },
    }
    arn = _machine(sfn, definition)
    answer = sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({"items": list(range(50))}))
    assert answer["status"] == "TIMED_OUT"
    assert (answer["stopDate"] - answer["startDate"]).total_seconds() == 300
