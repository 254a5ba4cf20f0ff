"""Snapshots of a world whose workflows are running: a restored world goes on exactly as the
original does, from every point a workflow can wait at.

Each case runs a workflow pause by pause on a virtual clock (``auto_advance=False``): at a pause
the test answers what waits on someone (task tokens, activity workers), then moves the clock to the
next timer. The reference run goes to the end. Then, for every pause ``k``, a second world runs to
pause ``k``, is snapshotted and restored, and the restored world goes on to the end: its history
(every event, id, timestamp and detail), its output, and the task calls it makes must be the
reference run's. A call made before the snapshot is not made again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from emulator import Emulator
from emulator.clock import VirtualClock
from emulator.snapshot import SnapshotError

ROLE = "arn:aws:iam::123456789012:role/r"
START = 1_800_000_000.0  # every world of a case starts at the same time
FN = "arn:aws:lambda:us-east-1:123456789012:function:"

CALLS: list[tuple[str, str]] = []  # (function, event JSON) of every task call, all worlds


def flaky(event: Any, context: Any) -> Any:
    """Fails the first two attempts of each item (by the attempt count the workflow passes)."""
    CALLS.append(("flaky", json.dumps(event, sort_keys=True)))
    if isinstance(event, dict) and event.get("attempt", 0) < 2:
        raise RuntimeError("not yet")
    context.sleep(5)
    return {"done": event}


def slow(event: Any, context: Any) -> Any:
    CALLS.append(("slow", json.dumps(event, sort_keys=True)))
    context.sleep(30)
    return {"slow": event}


def hand_off(event: Any, context: Any) -> Any:
    """A callback task's function: the token goes to whoever answers it (the test)."""
    CALLS.append(("hand_off", json.dumps(event.get("n"), sort_keys=True)))
    return {"queued": True}


FUNCTIONS = {"flaky": flaky, "slow": slow, "hand_off": hand_off}


def _task(fn: str, **extra: Any) -> dict:
    return {"Type": "Task", "Resource": FN + fn, **extra}


def _retry_flaky(next_state: str | None = None) -> dict:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {
            "FunctionName": "flaky",
            "Payload": {"attempt.$": "$$.State.RetryCount", "entered.$": "$$.State.EnteredTime", "v.$": "$"},
        },
        "ResultSelector": {"p.$": "$.Payload"},
        "Retry": [
            {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "BackoffRate": 2, "JitterStrategy": "FULL"}
        ],
    }
    return {**state, "Next": next_state} if next_state else {**state, "End": True}


CASES: dict[str, dict] = {
    "task_wait_retry_catch": {
        "StartAt": "Slow",
        "States": {
            "Slow": {**_task("slow"), "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 100, "Next": "Flaky"},
            "Flaky": _retry_flaky("Fail"),
            "Fail": {
                "Type": "Task",
                "Resource": FN + "missing",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done", "ResultPath": "$.err"}],
                "End": True,
            },
            "Done": {"Type": "Pass", "End": True},
        },
    },
    "callback_with_heartbeat": {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": "hand_off", "Payload": {"n": 1, "token.$": "$$.Task.Token"}},
                "HeartbeatSeconds": 600,
                "TimeoutSeconds": 3600,
                "Next": "After",
            },
            "After": {"Type": "Wait", "Seconds": 5, "End": True},
        },
    },
    "parallel_and_inline_map": {
        "StartAt": "Par",
        "States": {
            "Par": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "W1",
                        "States": {
                            "W1": {"Type": "Wait", "Seconds": 7, "Next": "S1"},
                            "S1": {**_task("slow"), "End": True},
                        },
                    },
                    {"StartAt": "F", "States": {"F": _retry_flaky()}},
                ],
                "Next": "Prep",
            },
            "Prep": {"Type": "Pass", "Parameters": {"items": [1, 2, 3, 4, 5], "par.$": "$"}, "Next": "Map"},
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "MaxConcurrency": 2,
                "ItemSelector": {"i.$": "$$.Map.Item.Index"},
                "ItemProcessor": {
                    "StartAt": "IW",
                    "States": {
                        "IW": {"Type": "Wait", "SecondsPath": "$.i", "Next": "IT"},
                        "IT": {**_task("slow"), "End": True},
                    },
                },
                "End": True,
            },
        },
    },
    "jsonata_random_and_variables": {
        "QueryLanguage": "JSONata",
        "StartAt": "Draw",
        "States": {
            "Draw": {
                "Type": "Pass",
                "Assign": {"r": "{% $random() %}", "u": "{% $uuid() %}"},
                "Next": "Hold",
            },
            "Hold": {"Type": "Wait", "Seconds": 60, "Assign": {"later": "{% $uuid() %}"}, "Next": "Call"},
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {
                    "FunctionName": "slow",
                    "Payload": {"r": "{% $r %}", "u": "{% $u %}", "x": "{% $uuid() %}"},
                },
                "Output": "{% {'r': $r, 'u': $u, 'later': $later, 'p': $states.result.Payload, 'x': $uuid()} %}",
                "End": True,
            },
        },
    },
    "distributed_map": {
        "StartAt": "Items",
        "States": {
            "Items": {"Type": "Pass", "Result": [1, 2, 3], "Next": "DMap"},
            "DMap": {
                "Type": "Map",
                "MaxConcurrency": 2,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "DW",
                    "States": {
                        "DW": {"Type": "Wait", "Seconds": 3, "Next": "DT"},
                        "DT": {**_task("slow"), "End": True},
                    },
                },
                "End": True,
            },
        },
    },
}


def _failing_first_attempt(mode: str | None = None) -> dict:
    """A Map whose iterations fail on the state's first attempt; its Retry runs it again."""
    processor: dict = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.attempt", "NumericEquals": 0, "Next": "Nope"}],
                "Default": "IW",
            },
            "Nope": {"Type": "Fail", "Error": "First", "Cause": "the first attempt fails"},
            "IW": {"Type": "Wait", "Seconds": 2, "Next": "IT"},
            "IT": {**_task("slow"), "End": True},
        },
    }
    if mode:
        processor["ProcessorConfig"] = {"Mode": mode, "ExecutionType": "STANDARD"}
    return {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"attempt.$": "$$.State.RetryCount", "v.$": "$$.Map.Item.Value"},
                "ItemProcessor": processor,
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 2}],
                "End": True,
            }
        },
    }


CASES["map_retried_after_failing_iterations"] = _failing_first_attempt()
CASES["distributed_map_retried"] = _failing_first_attempt("DISTRIBUTED")
CASES["callback_heartbeat_missed_and_caught"] = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "hand_off", "Payload": {"n": 3, "token.$": "$$.Task.Token"}},
            "HeartbeatSeconds": 50,
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Late"}],
            "End": True,
        },
        "Late": {"Type": "Pass", "End": True},
    },
}

# A branch's failed evaluation, retried, while the other branch enters states: the replay must
# find its EvaluationFailed beside its own state's entry, not after the history's latest one.
CASES["evaluation_failed_retried_beside_a_branch"] = {
    "QueryLanguage": "JSONata",
    "StartAt": "Par",
    "States": {
        "Par": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Bad",
                    "States": {
                        "Bad": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "Arguments": {"FunctionName": "slow", "Payload": "{% $undefinedFn() %}"},
                            "Retry": [
                                {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 1}
                            ],
                            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                            "End": True,
                        },
                        "Caught": {"Type": "Pass", "End": True},
                    },
                },
                {
                    "StartAt": "W1",
                    "States": {
                        "W1": {"Type": "Wait", "Seconds": 5, "Next": "P1"},
                        "P1": {"Type": "Pass", "Next": "W2"},
                        "W2": {"Type": "Wait", "Seconds": 20, "End": True},
                    },
                },
            ],
            "End": True,
        }
    },
}


def _failing_evaluation(catch_to: str) -> dict:
    return {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "slow", "Payload": "{% $undefinedFn() %}"},
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 2}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": catch_to}],
        "End": True,
    }


# Both branches fail the same way at the same times: their EvaluationFailed events share type and
# previousEventId (the Parallel's start), so the replay cannot find its own by searching.
CASES["evaluation_failed_in_both_branches"] = {
    "QueryLanguage": "JSONata",
    "StartAt": "Par",
    "States": {
        "Par": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": f"Bad{i}",
                    "States": {
                        f"Bad{i}": _failing_evaluation(f"Caught{i}"),
                        f"Caught{i}": {"Type": "Pass", "End": True},
                    },
                }
                for i in (1, 2)
            ],
            "End": True,
        }
    },
}


# --- the driver ------------------------------------------------------------------------------------
def _world() -> Emulator:
    aws = Emulator(seed=7, clock=VirtualClock(START, auto_advance=False))
    for name, fn in FUNCTIONS.items():
        aws.stepfunctions.task(FN + name)(fn)
    return aws


def _start(aws: Emulator, definition: dict, extra: Callable[[Emulator], None] | None = None) -> str:
    sfn = aws.stepfunctions
    if extra is not None:
        extra(aws)
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    text = json.dumps({"go": 1, "items": [1, 2, 3]})
    return sfn.start_execution(stateMachineArn=arn, name="run", input=text)["executionArn"]


def _answer_waiting(aws: Emulator) -> None:
    """What a person or worker would do at a pause: answer callback tokens and activity tasks."""
    sfn = aws.stepfunctions
    for token in _tokens(aws):
        sfn.send_task_success(taskToken=token, output=json.dumps({"answered": token[-6:]}))
    for activity in sfn.list_activities()["activities"]:
        task = sfn.get_activity_task(activityArn=activity["activityArn"])
        if task.get("taskToken"):
            sfn.send_task_success(taskToken=task["taskToken"], output=task["input"])


def _tokens(aws: Emulator) -> list[str]:
    """Callback tokens the workflow handed out that are still open (in the order handed out)."""
    service = aws.service("stepfunctions")
    return [t for t, cb in service.tokens.items() if cb.activity is None]


def _pause(aws: Emulator, k: int) -> bool:
    """Act at pause ``k``, then move the clock on. With callback tokens open: a heartbeat and 100
    seconds on even pauses, the answers on odd ones (so some answers come late). Else: the clock
    moves to the next timer. False when nothing is left to wait for."""
    if _tokens(aws):
        if k % 2 == 1:
            _answer_waiting(aws)
        else:
            for token in _tokens(aws):
                aws.stepfunctions.send_task_heartbeat(taskToken=token)
            aws.clock.advance(100)
        return True
    due = aws.clock.scheduler.next_due()
    if due is None:
        return False
    aws.clock.advance(max(due - aws.clock.now(), 0))
    return True


def _outcome(aws: Emulator, arn: str) -> tuple:
    sfn = aws.stepfunctions
    desc = sfn.describe_execution(executionArn=arn)
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    children = []
    for run in sfn.list_map_runs(executionArn=arn)["mapRuns"]:
        for child in sfn.list_executions(mapRunArn=run["mapRunArn"])["executions"]:
            children.append(sfn.get_execution_history(executionArn=child["executionArn"])["events"])
    return desc["status"], desc.get("output"), events, children


def _run(aws: Emulator, arn: str, start: int = 0, stop: int | None = None) -> int:
    k = start
    while (stop is None or k < stop) and aws.stepfunctions.describe_execution(executionArn=arn)[
        "status"
    ] == "RUNNING":
        if not _pause(aws, k):
            break
        k += 1
        assert k < 500, "the workflow does not end"
    return k


def _check_every_pause(
    definition: dict, *, portable: bool = False, extra: Callable[[Emulator], None] | None = None
) -> int:
    CALLS.clear()
    reference = _world()
    arn = _start(reference, definition, extra)
    pauses = _run(reference, arn)
    expected = _outcome(reference, arn)
    assert expected[0] == "SUCCEEDED", expected
    all_calls = list(CALLS)
    for k in range(pauses):
        CALLS.clear()
        aws = _world()
        _start(aws, definition, extra)
        _run(aws, arn, stop=k)
        before = len(CALLS)
        snap = aws.snapshot(portable=portable) if portable else aws.snapshot()
        restored = Emulator.restore(snap)
        _run(restored, arn, start=k)
        assert _outcome(restored, arn) == expected, f"restored at pause {k}"
        assert CALLS[before:] == all_calls[before:], f"task calls after the snapshot at pause {k}"
        # The original goes on unchanged beside its copy.
        _run(aws, arn, start=k)
        assert _outcome(aws, arn) == expected
    return pauses


@pytest.mark.parametrize("case", sorted(CASES))
def test_restored_world_goes_on_as_the_original_from_every_pause(case):
    assert _check_every_pause(CASES[case]) >= 1


def test_portable_snapshot_of_a_running_workflow_goes_on_the_same():
    assert _check_every_pause(CASES["task_wait_retry_catch"], portable=True) >= 2


def _activity_run() -> tuple[Emulator, str, str]:
    """A world whose execution waits on an activity task (then a one-second Wait)."""
    aws = _world()
    sfn = aws.stepfunctions
    activity = sfn.create_activity(name="work")["activityArn"]
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Task", "Resource": activity, "HeartbeatSeconds": 50, "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 1, "End": True},
        },
    }
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    return aws, activity, sfn.start_execution(stateMachineArn=arn, input='{"job": 1}')["executionArn"]


def test_activity_task_waiting_for_a_worker_survives_a_snapshot():
    aws, activity, run = _activity_run()
    copy = Emulator.restore(aws.snapshot())
    outcomes = []
    for world in (aws, copy):
        task = world.stepfunctions.get_activity_task(activityArn=activity, workerName="w")
        assert json.loads(task["input"]) == {"job": 1}
        world.stepfunctions.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')
        world.clock.advance(1)
        outcomes.append(_outcome(world, run))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == "SUCCEEDED"


def test_activity_task_taken_by_a_worker_survives_a_snapshot():
    """GetActivityTask records ActivityStarted while the workflow waits (outside its steps): a
    snapshot taken then is restored with the thread after that event."""
    aws, activity, run = _activity_run()
    task = aws.stepfunctions.get_activity_task(activityArn=activity, workerName="w")
    copy = Emulator.restore(aws.snapshot())
    outcomes = []
    for world in (aws, copy):
        world.stepfunctions.send_task_heartbeat(taskToken=task["taskToken"])
        world.clock.advance(30)
        world.stepfunctions.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')
        world.clock.advance(1)
        outcomes.append(_outcome(world, run))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == "SUCCEEDED"
    assert [e["type"] for e in outcomes[0][2]][3:5] == ["ActivityStarted", "ActivitySucceeded"]


def test_child_execution_run_with_sync_survives_a_snapshot():
    aws = _world()
    sfn = aws.stepfunctions
    child = {
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 10, "Next": "T"}, "T": {**_task("slow"), "End": True}},
    }
    child_arn = sfn.create_state_machine(name="child", definition=json.dumps(child), roleArn=ROLE)[
        "stateMachineArn"
    ]
    parent = {
        "StartAt": "Run",
        "States": {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child_arn, "Input": {"x": 1}, "Name": "kid"},
                "End": True,
            }
        },
    }
    arn = sfn.create_state_machine(name="parent", definition=json.dumps(parent), roleArn=ROLE)[
        "stateMachineArn"
    ]
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    copy = Emulator.restore(aws.snapshot())
    outcomes = []
    for world in (aws, copy):
        _run(world, run)
        outcomes.append(_outcome(world, run))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == "SUCCEEDED"


def test_retried_sync_express_child_survives_a_snapshot():
    """A ``.sync`` Express child that failed is forgotten at the next sweep (retention) while its
    parent waits to retry: the restored parent does not look the child up again."""
    child = {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "Kid", "Cause": "no"}}}

    def create_child(aws: Emulator) -> None:
        aws.stepfunctions.create_state_machine(
            name="kid", definition=json.dumps(child), roleArn=ROLE, type="EXPRESS"
        )

    parent = {
        "StartAt": "Run",
        "States": {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:kid"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gave up"}],
                "End": True,
            },
            "Gave up": {"Type": "Pass", "End": True},
        },
    }
    assert _check_every_pause(parent, extra=create_child) >= 2


def test_a_taped_call_inside_another_is_covered_by_the_outer_result():
    """A taped call made inside another (an evaluation's EvaluationFailed inside an ItemReader's
    read) leaves one entry, the outer call's: a replay takes that one and calls neither."""
    from types import SimpleNamespace

    from emulator.stepfunctions.runtime.tape import VALUE, Rerun, TapedRandom, taped
    from emulator.stepfunctions.runtime.threads import Thread

    ex: Any = SimpleNamespace(rng=TapedRandom(1))
    thread = Thread(0)
    assert taped(ex, thread, lambda: ("outer", taped(ex, thread, lambda: "inner"))) == ("outer", "inner")
    assert thread.tape == [(VALUE, ("outer", "inner"), 0)]
    rerun = thread.rerun = Rerun(thread, 0.0)
    rerun.entries = thread.tape
    assert taped(ex, thread, lambda: 1 / 0) == ("outer", "inner")


def test_snapshot_from_inside_a_task_callable_is_refused():
    aws = Emulator(seed=1, auto_advance=False)
    seen: list[Any] = []

    def grab(event: Any, context: Any) -> Any:
        try:
            aws.snapshot()
        except SnapshotError as exc:
            seen.append(str(exc))
        return {}

    aws.stepfunctions.task(FN + "grab")(grab)
    _start(aws, {"StartAt": "G", "States": {"G": {**_task("grab"), "End": True}}})
    assert seen and "inside a running workflow step" in seen[0]


_REDRIVEN_MAP = {
    "StartAt": "Map",
    "States": {
        "Map": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Pick",
                "States": {
                    "Pick": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Ask"}],
                        "Default": "Slow",
                    },
                    "Slow": {**_task("slow"), "End": True},
                    "Ask": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                        "Parameters": {
                            "FunctionName": "hand_off",
                            "Payload": {"n": 2, "t.$": "$$.Task.Token"},
                        },
                        "End": True,
                    },
                },
            },
            "End": True,
        }
    },
}


def test_redriven_execution_running_again_survives_a_snapshot():
    """A redriven execution (its Map re-running only the failed iterations) is restored where it
    waits, and ends as the original does."""
    aws = _world()
    sfn = aws.stepfunctions
    definition = _REDRIVEN_MAP
    machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)
    run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="[1, 2, 3]")["executionArn"]
    aws.clock.advance(30)
    (token,) = _tokens(aws)
    sfn.send_task_failure(taskToken=token, error="No", cause="not yet")
    assert sfn.describe_execution(executionArn=run)["status"] == "FAILED"
    sfn.redrive_execution(executionArn=run)
    assert sfn.describe_execution(executionArn=run)["status"] == "RUNNING"
    copy = Emulator.restore(aws.snapshot())
    outcomes = []
    for world in (aws, copy):
        (token,) = _tokens(world)
        world.stepfunctions.send_task_success(taskToken=token, output='"yes"')
        outcomes.append(_outcome(world, run))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == "SUCCEEDED"
    assert json.loads(outcomes[0][1])[1] == "yes"


def test_map_restored_while_running_redrives_only_its_failed_iteration():
    """A world restored while a Map runs keeps what a later redrive needs: the Map's group is
    still the one its thread forked, so the redrive runs only the iteration that failed."""
    definition = json.loads(json.dumps(_REDRIVEN_MAP))
    outcomes = []
    for restored in (False, True):
        CALLS.clear()
        aws = _world()
        sfn = aws.stepfunctions
        machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)
        run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="[1,2,3]")["executionArn"]
        if restored:
            aws = Emulator.restore(aws.snapshot())
            sfn = aws.stepfunctions
        aws.clock.advance(30)
        (token,) = _tokens(aws)
        sfn.send_task_failure(taskToken=token, error="No", cause="not yet")
        sfn.redrive_execution(executionArn=run)
        (token,) = _tokens(aws)
        sfn.send_task_success(taskToken=token, output='"yes"')
        outcomes.append((_outcome(aws, run), [c for c in CALLS if c[0] == "slow"]))
    assert outcomes[1] == outcomes[0]
    assert outcomes[0][0][0] == "SUCCEEDED"
    assert len(outcomes[0][1]) == 2  # the two slow iterations ran once, before the redrive


def test_restored_execution_keeps_its_input_text_as_written():
    """An array input passes on as the caller wrote it (spaces and all); the execution finds it
    by the list's identity, which a restored world's list does not share with the original's."""
    definition = {
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "P"}, "P": {"Type": "Pass", "End": True}},
    }
    outcomes = []
    for restored in (False, True):
        aws = _world()
        sfn = aws.stepfunctions
        machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)
        run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="[1,  2]")["executionArn"]
        if restored:
            aws = Emulator.restore(aws.snapshot())
        aws.clock.advance(5)
        outcomes.append(_outcome(aws, run))
    assert outcomes[1] == outcomes[0]
    assert outcomes[0][1] == "[1,  2]"


def _poll(ready: Callable[[], Any], tries: int = 1000) -> None:
    """Wait for the system clock's background thread to get somewhere (a bounded number of short
    sleeps; the assertions that follow say whether it did)."""
    import time

    for _ in range(tries):
        if ready():
            return
        time.sleep(0.01)


def test_running_workflow_on_the_system_clock_survives_a_snapshot():
    """On the system clock StartExecution returns before the workflow's first step (a timer):
    a snapshot then holds a thread that never ran, and one taken later a parked one."""
    aws = Emulator(seed=3, clock="system")
    aws.stepfunctions.task(FN + "hand_off")(hand_off)
    ask = {**CASES["callback_with_heartbeat"]["States"]["Ask"], "End": True}
    del ask["Next"]
    definition = {"StartAt": "Ask", "States": {"Ask": ask}}
    machine = aws.stepfunctions.create_state_machine(
        name="m", definition=json.dumps(definition), roleArn=ROLE
    )
    run = aws.stepfunctions.start_execution(stateMachineArn=machine["stateMachineArn"])["executionArn"]
    early = aws.snapshot()
    _poll(lambda: _tokens(aws))
    parked = aws.snapshot()
    for snap in (early, parked):
        copy = Emulator.restore(snap)
        _poll(lambda w=copy: _tokens(w))
        (token,) = _tokens(copy)
        copy.stepfunctions.send_task_success(taskToken=token, output='{"fine": 1}')
        _poll(lambda w=copy: w.stepfunctions.describe_execution(executionArn=run)["status"] != "RUNNING")
        described = copy.stepfunctions.describe_execution(executionArn=run)
        assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"fine": 1}
        copy.close()
    aws.close()
