"""The wall-time claims the test suite used to assert, measured here instead (a standalone script).

Usage::

    python benchmarks/timing_claims.py

Tests state behaviour, never how long it took (a shared CI machine makes any bound a race). The
numbers below are performance claims, so they live here: each line prints the measured time next
to the bound the tests once asserted, and the script exits 1 when a bound is missed.

* A one-day Wait, and a retry ladder of three one-hour intervals, finish inside StartExecution on
  the virtual clock (< 50 ms): virtual time costs no wall time. The tests check that nothing
  sleeps or waits for real (``test_runtime.forbid_real_waits``).
* StartSyncExecution on the system clock returns when a 1 s Wait is due (0.9 s to 3 s). The test
  checks that stopDate is at least 1 s after startDate.
* A JSONata evaluation with a 0.3 s limit that loops for ever times out (< 2 s); a non-tail
  recursion is stopped by the depth guard (< 1 s). The tests check the causes.
* GetActivityTask's long poll answers as soon as a task is scheduled 0.2 s later (0.15 s to 5 s),
  gives up after its limit (0.3 s: 0.25 s to 3 s), and ends when the activity is deleted (< 5 s).
  The tests check which event ended each wait.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import emulator  # noqa: E402
from emulator.stepfunctions.asl import jsonata  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/sfn"
FN = "arn:aws:lambda:us-east-1:123456789012:function:"
ACT = "arn:aws:states:us-east-1:123456789012:activity:work"


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(world: emulator.Emulator, definition: dict, name: str) -> str:
    sfn = world.stepfunctions
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    return sfn.start_execution(stateMachineArn=arn)["executionArn"]


def one_day_wait() -> float:
    with emulator.Emulator() as world:
        run(world, {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, "warm")
        wait = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": True}}}
        return timed(lambda: run(world, wait, "day"))


def retry_ladder() -> float:
    with emulator.Emulator() as world:
        calls = []

        @world.stepfunctions.task(FN + "flaky")
        def flaky(event, context):
            calls.append(1)
            if len(calls) % 4:
                raise ValueError("not yet")
            return {"ok": True}

        definition = {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": FN + "flaky",
                    "End": True,
                    "Retry": [
                        {
                            "ErrorEquals": ["ValueError"],
                            "IntervalSeconds": 3600,
                            "BackoffRate": 1.0,
                            "MaxAttempts": 5,
                        }
                    ],
                }
            },
        }
        run(world, definition, "warm")
        return timed(lambda: run(world, definition, "ladder"))


def start_sync_on_the_system_clock() -> float:
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
        return timed(lambda: sfn.start_sync_execution(stateMachineArn=arn, input="{}"))


def jsonata_cause(expr: str, limits: jsonata.Limits = jsonata.DEFAULT_LIMITS) -> None:
    try:
        jsonata.evaluate(expr, {"states": {"input": {}}}, field="Output/r", limits=limits)
    except jsonata.QueryEvaluationError:  # the guard's failure is the expected outcome
        pass


def system_world() -> tuple[emulator.Emulator, object, str]:
    world = emulator.Emulator(clock="system")
    sfn = world.stepfunctions
    sfn.create_activity(name="work")
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ACT, "End": True}}}
    arn = sfn.create_state_machine(name="sm", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    return world, sfn, arn


def long_poll_until_scheduled() -> float:
    world, sfn, arn = system_world()
    with world:
        timer = threading.Timer(0.2, lambda: sfn.start_execution(stateMachineArn=arn))
        timer.start()
        elapsed = timed(lambda: sfn.get_activity_task(activityArn=ACT))
        timer.join()
        return elapsed


def long_poll_limit() -> float:
    from emulator.stepfunctions.operations import activities

    saved, activities.LONG_POLL_SECONDS = activities.LONG_POLL_SECONDS, 0.3
    try:
        world, sfn, _ = system_world()
        with world:
            return timed(lambda: sfn.get_activity_task(activityArn=ACT))
    finally:
        activities.LONG_POLL_SECONDS = saved


def long_poll_deleted() -> float:
    world, sfn, _ = system_world()
    with world:
        timer = threading.Timer(0.2, lambda: sfn.delete_activity(activityArn=ACT))
        timer.start()
        elapsed = timed(lambda: sfn.get_activity_task(activityArn=ACT))
        timer.join()
        return elapsed


def main() -> int:
    fast = jsonata.Limits(timeout_seconds=0.3)
    claims: list[tuple[str, Callable[[], float], float, float]] = [
        ("one-day Wait on the virtual clock", one_day_wait, 0.0, 0.05),
        ("3 one-hour retry intervals on the virtual clock", retry_ladder, 0.0, 0.05),
        ("StartSyncExecution, 1 s Wait, system clock", start_sync_on_the_system_clock, 0.9, 3.0),
        (
            "JSONata infinite loop, 0.3 s limit",
            lambda: timed(lambda: jsonata_cause("($f := function($x){$f($x)}; $f(1))", fast)),
            0.0,
            2.0,
        ),
        (
            "JSONata non-tail recursion (depth guard)",
            lambda: timed(lambda: jsonata_cause("($f := function($x){1 + $f($x)}; $f(1))")),
            0.0,
            1.0,
        ),
        ("GetActivityTask, task scheduled after 0.2 s", long_poll_until_scheduled, 0.15, 5.0),
        ("GetActivityTask, 0.3 s limit, nothing comes", long_poll_limit, 0.25, 3.0),
        ("GetActivityTask, activity deleted after 0.2 s", long_poll_deleted, 0.0, 5.0),
    ]
    missed = 0
    for name, measure, low, high in claims:
        seconds = measure()
        ok = low <= seconds < high
        missed += not ok
        print(f"{'ok  ' if ok else 'MISS'} {name:<50} {seconds * 1000:9.1f} ms   bound [{low}, {high}) s")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
