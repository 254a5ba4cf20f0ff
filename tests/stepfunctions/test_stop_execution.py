"""StopExecution aborts what is in flight and leaves nothing running (API-08, §12.2/§12.3): the
events recorded for a stop in each kind of state, innermost first, and the request limits."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import create, history_of

QUEUE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
CALLBACK_TASK = {
    "Type": "Task",
    "Resource": QUEUE,
    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
    "End": True,
}
CLOSED = ("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")


@pytest.fixture
def held():
    """A world whose clock only the test moves: nothing due later fires by itself, so an execution
    can be stopped inside a Wait or a retry interval."""
    import emulator

    world = emulator.Emulator(auto_advance=False)
    world.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    yield world
    world.close()


def _tokens(aws):
    return list(aws.stepfunctions._service.tokens)


def _run(aws, definition, input="{}"):
    sfn = aws.stepfunctions
    arn = create(sfn, json.dumps(definition))
    ex = sfn.start_execution(stateMachineArn=arn, input=input)["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    return ex


def _events(aws, ex):
    return [(e["type"], e["id"], e["previousEventId"]) for e in history_of(aws.stepfunctions, ex)]


def test_stop_in_a_callback_task_records_task_state_aborted(aws):
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(aws, {"StartAt": "T", "States": {"T": CALLBACK_TASK}})
    token = _tokens(aws)[0]
    aws.stepfunctions.stop_execution(executionArn=ex, error="E", cause="C")
    assert _events(aws, ex)[-3:] == [
        ("TaskSubmitted", 5, 4),
        ("TaskStateAborted", 6, 5),
        ("ExecutionAborted", 7, 0),
    ]
    last = history_of(aws.stepfunctions, ex)[-1]
    assert last["executionAbortedEventDetails"] == {"error": "E", "cause": "C"}
    assert "taskStateAbortedEventDetails" not in history_of(aws.stepfunctions, ex)[-2]
    assert aws.stepfunctions._service.scheduler.pending() == 0
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_success(taskToken=token, output="{}")
    assert error_of(exc) == CLOSED
    assert aws.stepfunctions.describe_execution(executionArn=ex)["status"] == "ABORTED"


def test_stop_in_a_top_level_wait_records_only_execution_aborted(held):
    ex = _run(held, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "End": True}}})
    held.stepfunctions.stop_execution(executionArn=ex)
    assert _events(held, ex) == [
        ("ExecutionStarted", 1, 0),
        ("WaitStateEntered", 2, 0),
        ("ExecutionAborted", 3, 0),
    ]
    assert history_of(held.stepfunctions, ex)[-1]["executionAbortedEventDetails"] == {}
    assert held.stepfunctions._service.scheduler.pending() == 0


def test_stop_during_a_retry_interval_cancels_the_retry(held):
    calls = []
    arn_fn = "arn:aws:lambda:us-east-1:123456789012:function:boom"

    @held.stepfunctions.task(arn_fn)
    def boom(event, context):
        calls.append(1)
        raise ValueError("no")

    ex = _run(
        held,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": arn_fn,
                    "End": True,
                    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 100, "MaxAttempts": 5}],
                }
            },
        },
    )
    held.stepfunctions.stop_execution(executionArn=ex)
    types = [t for t, _, _ in _events(held, ex)]
    assert types[-3:] == ["LambdaFunctionFailed", "TaskStateAborted", "ExecutionAborted"]
    assert held.stepfunctions._service.scheduler.pending() == 0
    assert calls == [1]


def test_stop_in_a_map_aborts_every_running_iteration_then_the_map(aws):
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(
        aws,
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "End": True,
                    "ItemProcessor": {"StartAt": "T", "States": {"T": CALLBACK_TASK}},
                }
            },
        },
        input="[1, 2]",
    )
    tokens = _tokens(aws)
    assert len(tokens) == 2
    aws.stepfunctions.stop_execution(executionArn=ex)
    events = _events(aws, ex)
    tail = [t for t, _, _ in events[-6:]]
    assert tail == [
        "TaskStateAborted",
        "MapIterationAborted",
        "TaskStateAborted",
        "MapIterationAborted",
        "MapStateAborted",
        "ExecutionAborted",
    ]
    h = history_of(aws.stepfunctions, ex)
    aborted = [e for e in h if e["type"] == "MapIterationAborted"]
    assert [e["mapIterationAbortedEventDetails"] for e in aborted] == [
        {"index": 0, "name": "M"},
        {"index": 1, "name": "M"},
    ]
    # each iteration's abort chains on its own last event; the Map's on the last iteration's
    by_id = {e["id"]: e for e in h}
    for e in aborted:
        assert by_id[e["previousEventId"]]["type"] == "TaskStateAborted"
    assert by_id[events[-2][2]]["type"] == "MapIterationAborted"
    assert aws.stepfunctions._service.scheduler.pending() == 0
    for token in tokens:
        with pytest.raises(Exception) as exc:
            aws.stepfunctions.send_task_failure(taskToken=token)
        assert error_of(exc) == CLOSED


def test_stop_in_a_parallel_aborts_tasks_not_waits_then_the_parallel(held):
    ex = _run(
        held,
        {
            "StartAt": "P",
            "States": {
                "P": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [
                        {"StartAt": "T", "States": {"T": CALLBACK_TASK}},
                        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 50, "End": True}}},
                    ],
                }
            },
        },
    )
    held.stepfunctions.stop_execution(executionArn=ex)
    types = [t for t, _, _ in _events(held, ex)]
    assert types[-3:] == ["TaskStateAborted", "ParallelStateAborted", "ExecutionAborted"]
    assert "WaitStateAborted" not in types and "WaitStateExited" not in types
    assert held.stepfunctions._service.scheduler.pending() == 0


def test_nested_map_in_parallel_aborts_innermost_first(held):
    ex = _run(
        held,
        {
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
                                    "ItemsPath": "$.xs",
                                    "End": True,
                                    "ItemProcessor": {
                                        "StartAt": "W",
                                        "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}},
                                    },
                                }
                            },
                        }
                    ],
                }
            },
        },
        input='{"xs": [1]}',
    )
    held.stepfunctions.stop_execution(executionArn=ex)
    types = [t for t, _, _ in _events(held, ex)]
    assert types[-4:] == [
        "MapIterationAborted",
        "MapStateAborted",
        "ParallelStateAborted",
        "ExecutionAborted",
    ]
    assert held.stepfunctions._service.scheduler.pending() == 0


def test_stopping_a_sync_parent_stops_the_child(aws):
    sfn = aws.stepfunctions
    sfn.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    child_arn = create(sfn, json.dumps({"StartAt": "T", "States": {"T": CALLBACK_TASK}}), name="child")
    ex = _run(
        aws,
        {
            "StartAt": "S",
            "States": {
                "S": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync",
                    "Parameters": {"StateMachineArn": child_arn},
                    "End": True,
                }
            },
        },
    )
    children = sfn.list_executions(stateMachineArn=child_arn)["executions"]
    assert [c["status"] for c in children] == ["RUNNING"]
    sfn.stop_execution(executionArn=ex)
    child = sfn.describe_execution(executionArn=children[0]["executionArn"])
    assert child["status"] == "ABORTED"
    assert sfn._service.scheduler.pending() == 0


def test_stop_with_activity_tasks_withdraws_them(aws):
    sfn = aws.stepfunctions
    act = sfn.create_activity(name="a")["activityArn"]
    arn = create(
        sfn,
        json.dumps(
            {
                "StartAt": "T",
                "States": {
                    "T": {
                        "Type": "Task",
                        "Resource": act,
                        "HeartbeatSeconds": 10,
                        "TimeoutSeconds": 100,
                        "End": True,
                    }
                },
            }
        ),
    )
    taken = sfn.start_execution(stateMachineArn=arn, name="taken")["executionArn"]
    queued = sfn.start_execution(stateMachineArn=arn, name="queued")["executionArn"]
    task = sfn.get_activity_task(activityArn=act, workerName="w")
    sfn.stop_execution(executionArn=taken)
    sfn.stop_execution(executionArn=queued)
    assert [t for t, _, _ in _events(aws, taken)][-3:] == [
        "ActivityStarted",
        "TaskStateAborted",
        "ExecutionAborted",
    ]
    assert [t for t, _, _ in _events(aws, queued)][-3:] == [
        "ActivityScheduled",
        "TaskStateAborted",
        "ExecutionAborted",
    ]
    assert sfn._service.scheduler.pending() == 0
    assert "taskToken" not in sfn.get_activity_task(activityArn=act)
    with pytest.raises(Exception) as exc:
        sfn.send_task_heartbeat(taskToken=task["taskToken"])
    assert error_of(exc) == CLOSED


def test_stop_in_a_distributed_map_aborts_the_map_run(aws):
    sfn = aws.stepfunctions
    sfn.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(
        aws,
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "End": True,
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "T",
                        "States": {"T": CALLBACK_TASK},
                    },
                }
            },
        },
        input="[1, 2]",
    )
    sfn.stop_execution(executionArn=ex)
    assert [t for t, _, _ in _events(aws, ex)][-4:] == [
        "MapRunStarted",
        "MapRunAborted",
        "MapStateAborted",
        "ExecutionAborted",
    ]
    assert sfn._service.scheduler.pending() == 0
    assert sfn._service.tokens == {}


def test_stop_at_the_history_limit_still_closes_the_execution(aws, monkeypatch):
    sfn = aws.stepfunctions
    sfn.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(aws, {"StartAt": "T", "States": {"T": CALLBACK_TASK}})
    execution = sfn._service.executions[ex]
    execution.max_events = len(execution.history.events)
    sfn.stop_execution(executionArn=ex)
    assert sfn.describe_execution(executionArn=ex)["status"] == "ABORTED"
    assert [t for t, _, _ in _events(aws, ex)][-2:] == ["TaskSubmitted", "ExecutionAborted"]


def test_api_08_stop_execution_limits_are_checked_before_the_lookup(aws):
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.stop_execution(
            executionArn="arn:aws:states:us-east-1:123456789012:execution:sm:no",
            error="e" * 257,
            cause="c" * 32769,
        )
    assert error_of(exc) == (
        "ValidationException",
        "2 validation errors detected: Value at 'error' failed "
        "to satisfy constraint: Member must have length less than or equal to 256; "
        "Value at 'cause' failed to satisfy constraint: Member must have length less "
        "than or equal to 32768",
    )
