"""Closed executions stay visible as long as AWS keeps them, on the world's clock.

AWS keeps a closed Standard execution for 90 days after it closes, then DescribeExecution answers
``ExecutionDoesNotExist`` and ListExecutions no longer lists it; closed Express executions are
exposed through no API. A long-running world therefore does not keep every execution forever.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import ROLE

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
DAY = 86400.0


def _machine(sfn, kind="STANDARD", definition=PASS):
    return sfn.create_state_machine(name=f"m-{kind}", definition=definition, roleArn=ROLE, type=kind)[
        "stateMachineArn"
    ]


def test_a_closed_standard_execution_is_kept_90_days_after_it_closes(aws, sfn):
    arn = _machine(sfn)
    run = sfn.start_execution(stateMachineArn=arn, name="old")["executionArn"]
    aws.clock.advance(days=90)
    assert sfn.describe_execution(executionArn=run)["status"] == "SUCCEEDED"
    aws.clock.advance(seconds=1)
    with pytest.raises(Exception) as excinfo:
        sfn.describe_execution(executionArn=run)
    assert error_of(excinfo) == ("ExecutionDoesNotExist", f"Execution Does Not Exist: '{run}'")
    with pytest.raises(Exception) as excinfo:
        sfn.get_execution_history(executionArn=run)
    assert error_of(excinfo)[0] == "ExecutionDoesNotExist"
    assert sfn.list_executions(stateMachineArn=arn)["executions"] == []
    # the name is free again once the old execution is gone
    assert sfn.start_execution(stateMachineArn=arn, name="old")["executionArn"] == run


def test_a_running_execution_is_never_swept(aws, sfn):
    activity = sfn.create_activity(name="Work")["activityArn"]
    waiting = json.dumps(
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity, "End": True}}}
    )
    arn = _machine(sfn, definition=waiting)
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    aws.clock.advance(days=100)
    assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING"
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]] == [run]


def test_listing_pages_stay_consistent_while_old_executions_go(aws, sfn):
    arn = _machine(sfn)
    old = [sfn.start_execution(stateMachineArn=arn, name=f"old{i}")["executionArn"] for i in range(3)]
    aws.clock.advance(days=60)
    new = [sfn.start_execution(stateMachineArn=arn, name=f"new{i}")["executionArn"] for i in range(3)]
    first = sfn.list_executions(stateMachineArn=arn, maxResults=2)
    assert [e["executionArn"] for e in first["executions"]] == new[::-1][:2]
    aws.clock.advance(days=31)  # the old ones are now past 90 days
    rest = sfn.list_executions(stateMachineArn=arn, maxResults=10, nextToken=first["nextToken"])
    assert [e["executionArn"] for e in rest["executions"]] == [new[0]]
    assert not any(e["executionArn"] in old for e in rest["executions"])


@pytest.mark.native_only
def test_closed_express_executions_are_not_kept(aws):
    sfn = aws.stepfunctions
    arn = _machine(sfn, "EXPRESS")
    for _ in range(50):
        assert sfn.start_sync_execution(stateMachineArn=arn)["status"] == "SUCCEEDED"
        sfn.start_execution(stateMachineArn=arn)
    service = sfn._service
    assert len(service.executions) <= 1
    record = service.state_machines[arn]
    assert len(record.executions) <= 1 and record.started == 100


@pytest.mark.native_only
def test_closed_standard_executions_do_not_accumulate_in_a_long_running_world(aws):
    sfn = aws.stepfunctions
    arn = _machine(sfn)
    for _ in range(20):
        for _ in range(10):
            sfn.start_execution(stateMachineArn=arn)
        aws.clock.advance(days=10)
    # 90 days of executions are kept: the last 9 rounds (those 90 days old go at the next sweep)
    assert len(sfn.list_executions(stateMachineArn=arn, maxResults=1000)["executions"]) == 90
    assert len(sfn._service.executions) == 90
