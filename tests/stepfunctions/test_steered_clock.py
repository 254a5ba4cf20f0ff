"""Time the test steers: ``Emulator(auto_advance=False)`` (through ``@pytest.mark.emulator``).

The virtual clock then moves only when the test moves it (``aws.clock.advance``) or asks for
everything (``aws.stepfunctions.run_until_idle()``). StartExecution runs until the execution first
waits on time and returns it RUNNING; an advance runs exactly the timers due by then, in time
order, across all executions. Task callables read the world's time from ``context.now()``.
"""

from __future__ import annotations

import json

import pytest

from tests.stepfunctions.workflow_helpers import FN, ROLE, desc, history, start

steered = pytest.mark.emulator(auto_advance=False)


def wait(seconds, then=None):
    state = {"Type": "Wait", "Seconds": seconds}
    state.update({"Next": then} if then else {"End": True})
    return state


def call(name, then=None, **fields):
    state = {"Type": "Task", "Resource": FN + name, **fields}
    state.update({"Next": then} if then else {"End": True})
    return state


def types(aws, ex):
    return [e["type"] for e in history(aws, ex)]


@steered
def test_start_execution_returns_running_at_the_first_wait(aws):
    calls = []
    aws.stepfunctions.task(FN + "before")(lambda event, context: calls.append(context.now()) or event)
    t0 = aws.clock.now()
    ex = start(aws, {"StartAt": "T", "States": {"T": call("before", "W"), "W": wait(3600)}})
    assert desc(aws, ex)["status"] == "RUNNING"
    assert calls == [t0]  # what comes before the Wait ran
    assert types(aws, ex)[-1] == "WaitStateEntered"
    assert aws.clock.now() == t0  # nobody moved time
    aws.clock.advance(minutes=59)
    assert desc(aws, ex)["status"] == "RUNNING"
    aws.clock.advance(minutes=1)
    d = desc(aws, ex)
    assert d["status"] == "SUCCEEDED"
    assert d["stopDate"].timestamp() == pytest.approx(t0 + 3600)
    exited = [e for e in history(aws, ex) if e["type"] == "WaitStateExited"][0]
    assert exited["timestamp"].timestamp() == pytest.approx(t0 + 3600)


@steered
def test_one_hour_in_shows_what_happened_in_that_hour(aws):
    seen = []
    aws.stepfunctions.task(FN + "step")(lambda event, context: seen.append(context.now()) or event)
    t0 = aws.clock.now()
    ex = start(
        aws,
        {
            "StartAt": "W1",
            "States": {
                "W1": wait(3600, "A"),
                "A": call("step", "W2"),
                "W2": wait(3600, "B"),
                "B": call("step"),
            },
        },
    )
    aws.clock.advance(hours=1)
    assert seen == [t0 + 3600] and desc(aws, ex)["status"] == "RUNNING"
    assert types(aws, ex)[-1] == "WaitStateEntered"
    aws.clock.advance(hours=5)  # past the end: the second Task ran at its own time, not at +6 h
    assert seen == [t0 + 3600, t0 + 7200] and desc(aws, ex)["status"] == "SUCCEEDED"


@steered
def test_advance_runs_due_events_in_time_order_across_executions(aws):
    order = []
    aws.stepfunctions.task(FN + "mark")(
        lambda event, context: order.append((event["who"], context.now())) or {}
    )
    t0 = aws.clock.now()
    for who, seconds in (("slow", 1800), ("fast", 600), ("middle", 1200)):
        start(
            aws,
            {"StartAt": "W", "States": {"W": wait(seconds, "T"), "T": call("mark")}},
            {"who": who},
            name=who,
        )
    aws.clock.advance(hours=1)
    assert order == [("fast", t0 + 600), ("middle", t0 + 1200), ("slow", t0 + 1800)]


@steered
def test_retry_interval_waits_for_the_clock(aws):
    attempts = []

    @aws.stepfunctions.task(FN + "flaky")
    def flaky(event, context):
        attempts.append(context.now())
        if len(attempts) == 1:
            raise RuntimeError("first time")
        return {"ok": True}

    t0 = aws.clock.now()
    ex = start(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": call(
                    "flaky", Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 60, "MaxAttempts": 2}]
                )
            },
        },
    )
    assert attempts == [t0] and desc(aws, ex)["status"] == "RUNNING"
    aws.clock.advance(59)
    assert len(attempts) == 1
    aws.clock.advance(1)
    assert attempts == [t0, t0 + 60] and desc(aws, ex)["status"] == "SUCCEEDED"


@steered
def test_stop_execution_in_a_wait_is_aborted_with_aws_history(aws):
    ex = start(aws, {"StartAt": "W", "States": {"W": wait(100)}})
    aws.clock.advance(10)
    aws.stepfunctions.stop_execution(executionArn=ex, error="Stop", cause="by test")
    assert desc(aws, ex)["status"] == "ABORTED"
    events = history(aws, ex)
    assert [(e["type"], e["id"], e["previousEventId"]) for e in events] == [
        ("ExecutionStarted", 1, 0),
        ("WaitStateEntered", 2, 0),
        ("ExecutionAborted", 3, 0),
    ]
    assert events[-1]["executionAbortedEventDetails"] == {"error": "Stop", "cause": "by test"}
    aws.clock.advance(hours=1)  # the cancelled Wait never fires
    assert types(aws, ex)[-1] == "ExecutionAborted"
    assert aws.stepfunctions._service.scheduler.pending() == 0


@steered
def test_run_until_idle_asks_for_everything(aws):
    t0 = aws.clock.now()
    ex = start(aws, {"StartAt": "W", "States": {"W": wait(86400)}})
    assert aws.stepfunctions.run_until_idle() == 1
    assert desc(aws, ex)["status"] == "SUCCEEDED" and aws.clock.now() == t0 + 86400


@steered
def test_start_sync_execution_still_runs_to_completion(aws):
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(
        name="x",
        roleArn=ROLE,
        type="EXPRESS",
        definition=json.dumps({"StartAt": "W", "States": {"W": wait(60)}}),
    )["stateMachineArn"]
    t0 = aws.clock.now()
    out = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert out["status"] == "SUCCEEDED" and aws.clock.now() == t0 + 60


@steered
def test_task_context_now_and_sleep_follow_the_world(aws):
    seen = {}

    @aws.stepfunctions.task(FN + "slow")
    def slow(event, context):
        seen["start"] = context.now()
        context.sleep(30)
        seen["after_sleep"] = context.now()
        seen["datetime"] = context.now_datetime().timestamp()
        return {}

    t0 = aws.clock.now()
    ex = start(aws, {"StartAt": "W", "States": {"W": wait(100, "T"), "T": call("slow")}})
    aws.clock.advance(100)
    assert seen == {"start": t0 + 100, "after_sleep": t0 + 130, "datetime": pytest.approx(t0 + 130)}
    assert desc(aws, ex)["status"] == "RUNNING"  # the task's 30 s are time the test moves too
    aws.clock.advance(30)
    assert desc(aws, ex)["status"] == "SUCCEEDED"


@steered
def test_send_task_success_runs_on_until_the_next_wait(aws):
    queue = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    aws.stepfunctions.task(queue)(lambda event, context: {"MessageId": "m"})
    ex = start(
        aws,
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": queue,
                    "Next": "W",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
                },
                "W": wait(60),
            },
        },
    )
    token = next(iter(aws.stepfunctions._service.tokens))
    aws.stepfunctions.send_task_success(taskToken=token, output="{}")
    assert types(aws, ex)[-1] == "WaitStateEntered" and desc(aws, ex)["status"] == "RUNNING"
    aws.clock.advance(60)
    assert desc(aws, ex)["status"] == "SUCCEEDED"


def test_the_default_world_still_runs_through_waits(aws):
    ex = start(aws, {"StartAt": "W", "States": {"W": wait(86400)}})
    assert desc(aws, ex)["status"] == "SUCCEEDED"
