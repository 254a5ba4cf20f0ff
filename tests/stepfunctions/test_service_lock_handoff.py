"""One execution never stalls the service: a workflow that computes hands the Step Functions lock
to waiting callers between its steps and evaluates JSONata without it, so calls on other resources
answer while it runs, on any clock (emulator/handoff.py)."""

from __future__ import annotations

import json
import threading

import emulator
from emulator.handoff import HandoffLock
from tests.stepfunctions.workflow_helpers import ROLE

FN = "arn:aws:lambda:us-east-1:123456789012:function:Begin"
BUSY = {
    "StartAt": "Begin",
    "States": {
        "Begin": {"Type": "Task", "Resource": FN, "ResultPath": None, "Next": "Crunch"},
        "Crunch": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "End": True,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        },
    },
}
OTHER = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}}


def _busy_world(clock: str, definition: dict) -> tuple:
    """A world with a workflow whose first Task signals ``begun`` (from then on it computes
    without waiting on anything), that workflow's machine, and another machine (a 10 s Wait)."""
    aws = emulator.Emulator(clock=clock)
    sfn = aws.stepfunctions
    begun = threading.Event()

    @sfn.task(FN)
    def begin(event, context):
        begun.set()
        return {}

    busy = sfn.create_state_machine(name="busy", definition=json.dumps(definition), roleArn=ROLE)
    other = sfn.create_state_machine(name="other", definition=json.dumps(OTHER), roleArn=ROLE)
    return aws, sfn, begun, busy["stateMachineArn"], other["stateMachineArn"]


def test_describe_state_machine_answers_while_a_workflow_computes():
    aws, sfn, begun, busy, other = _busy_world("system", BUSY)
    try:
        run: dict = {}

        def start() -> None:
            run.update(
                sfn.start_execution(stateMachineArn=busy, input=json.dumps({"items": list(range(5_000))}))
            )

        worker = threading.Thread(target=start)
        worker.start()
        assert begun.wait(30)
        # Without the hand-over this waits for the whole Map and then sees it SUCCEEDED.
        assert sfn.describe_state_machine(stateMachineArn=other)["name"] == "other"
        executions = sfn.list_executions(stateMachineArn=busy)["executions"]
        assert [e["status"] for e in executions] == ["RUNNING"]
        worker.join(60)
        assert sfn.describe_execution(executionArn=run["executionArn"])["status"] in ("RUNNING", "SUCCEEDED")
    finally:
        aws.close()


def test_describe_state_machine_answers_while_a_jsonata_expression_computes():
    """A JSONata evaluation (up to its 2 s guard) runs outside the service lock in real time."""
    heavy = "{% $sum($map([1..800000], function($v){ $string($v) ~> $length() })) %}"
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Begin",
        "States": {
            "Begin": {"Type": "Task", "Resource": FN, "Output": "{% $states.input %}", "Next": "Compute"},
            "Compute": {"Type": "Pass", "Output": {"total": heavy}, "End": True},
        },
    }
    aws, sfn, begun, busy, other = _busy_world("system", definition)
    try:
        run = sfn.start_execution(stateMachineArn=busy)
        assert begun.wait(30)
        assert sfn.describe_state_machine(stateMachineArn=other)["name"] == "other"
        assert sfn.describe_execution(executionArn=run["executionArn"])["status"] == "RUNNING"
        sfn.stop_execution(executionArn=run["executionArn"])  # while it computes
        history = sfn.get_execution_history(executionArn=run["executionArn"], maxResults=1000)["events"]
        assert history[-1]["type"] == "ExecutionAborted"
        aws.clock.sleep(1.5)  # the evaluation ends meanwhile: it records nothing after the abort
        again = sfn.get_execution_history(executionArn=run["executionArn"], maxResults=1000)["events"]
        assert again == history
    finally:
        aws.close()


def test_on_a_virtual_clock_callers_get_in_but_time_does_not_move_under_the_workflow():
    """Another thread is answered while a workflow computes; its own work runs what is due now
    and the rest is left to the running driver, so the busy workflow's events all stay at the
    instant they happened and the other execution's Wait still ends 10 s after its start."""
    aws, sfn, begun, busy, waits = _busy_world("virtual", BUSY)
    started = aws.clock.now()
    run: dict = {}
    worker = threading.Thread(
        target=lambda: run.update(
            sfn.start_execution(stateMachineArn=busy, input=json.dumps({"items": list(range(5_000))}))
        )
    )
    worker.start()
    assert begun.wait(30)
    assert sfn.describe_state_machine(stateMachineArn=waits)["name"] == "other"
    assert [e["status"] for e in sfn.list_executions(stateMachineArn=busy)["executions"]] == ["RUNNING"]
    other = sfn.start_execution(stateMachineArn=waits)["executionArn"]
    worker.join(60)
    sfn.run_until_idle()
    first = sfn.get_execution_history(executionArn=run["executionArn"], maxResults=1)["events"][0]
    last = sfn.get_execution_history(executionArn=run["executionArn"], maxResults=1, reverseOrder=True)[
        "events"
    ][0]
    assert last["type"] == "ExecutionSucceeded"
    assert first["timestamp"].timestamp() == last["timestamp"].timestamp() == started
    described = sfn.describe_execution(executionArn=other)
    assert described["status"] == "SUCCEEDED"
    assert (described["stopDate"] - described["startDate"]).total_seconds() == 10


def test_a_handoff_lock_lets_every_waiting_thread_in_once_and_comes_back_at_the_same_depth():
    lock = HandoffLock()
    order: list[str] = []
    with lock, lock:  # held twice, as a handler inside Service.call holds it
        waiter = threading.Thread(target=lambda: (lock.acquire(), order.append("waiter"), lock.release()))
        waiter.start()
        while not lock.waiting:
            threading.Event().wait(0.001)
        lock.hand_over()
        order.append("holder")
        assert lock._is_owned()
    waiter.join()
    assert order == ["waiter", "holder"]
    assert lock.acquire(False)  # released fully by the two exits
    lock.release()


def test_a_handoff_lock_with_nobody_waiting_keeps_the_lock():
    lock = HandoffLock()
    with lock:
        lock.hand_over()
        assert lock._is_owned()
