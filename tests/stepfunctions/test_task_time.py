"""What time a task callable sees: ``context.now()`` always; with ``patch_time`` (the Emulator's
option, or ``task(arn, patch_time=True)``) also ``time.time()`` and ``datetime.now()``, through
time-machine, and ``context.sleep`` moves them on."""

from __future__ import annotations

import datetime as dt
import time

import pytest

import emulator
from tests.stepfunctions.workflow_helpers import FN, desc, start

pytest.importorskip("time_machine")

LATER = 300 * 86400  # far from real time, under the one-year execution limit


def looking(seen: dict):
    def look(event, context):
        seen["context"] = context.now()
        seen["time"] = time.time()
        seen["datetime"] = dt.datetime.now(dt.timezone.utc).timestamp()
        seen["naive"] = dt.datetime.now().timestamp()  # local time, read back as epoch seconds
        context.sleep(90)
        seen["time_after_sleep"] = time.time()
        seen["context_after_sleep"] = context.now()
        return {}

    return look


def waited_task(name: str) -> dict:
    return {
        "StartAt": "W",
        "States": {
            "W": {"Type": "Wait", "Seconds": LATER, "Next": "T"},
            "T": {"Type": "Task", "Resource": FN + name, "End": True},
        },
    }


def test_patch_time_makes_the_standard_library_read_the_world_clock():
    with emulator.Emulator(patch_time=True) as aws:
        seen: dict = {}
        aws.stepfunctions.task(FN + "look")(looking(seen))
        t0 = aws.clock.now()
        ex = start(aws, waited_task("look"))
        assert desc(aws, ex)["status"] == "SUCCEEDED"
        assert seen["context"] == t0 + LATER
        for key in ("time", "datetime", "naive"):
            assert seen[key] == pytest.approx(t0 + LATER, abs=1e-3), key
        assert seen["time_after_sleep"] == pytest.approx(seen["context_after_sleep"], abs=1e-3)
        assert seen["context_after_sleep"] == t0 + LATER + 90
    assert abs(time.time() - (t0 + LATER)) > LATER / 2  # outside the callable: real time again


def test_patch_time_per_task_leaves_other_callables_on_real_time(aws):
    patched: dict = {}
    plain: dict = {}
    aws.stepfunctions.task(FN + "patched", patch_time=True)(looking(patched))
    aws.stepfunctions.task(FN + "plain")(looking(plain))
    start(aws, waited_task("patched"), name="a")
    start(aws, waited_task("plain"), name="b")
    assert patched["time"] == pytest.approx(patched["context"], abs=1e-3)
    assert abs(plain["time"] - plain["context"]) > LATER / 2


def test_patch_time_follows_a_steered_clock():
    with emulator.Emulator(auto_advance=False, patch_time=True) as aws:
        seen: dict = {}
        aws.stepfunctions.task(FN + "look")(looking(seen))
        t0 = aws.clock.now()
        start(aws, waited_task("look"))
        aws.clock.advance(days=400)
        assert seen["time"] == pytest.approx(t0 + LATER, abs=1e-3)  # the task ran at its due time


def test_a_failing_patched_task_reports_the_callers_frames_only():
    with emulator.Emulator(patch_time=True) as aws:

        @aws.stepfunctions.task(FN + "boom")
        def boom(event, context):
            raise ValueError(f"at {time.time():.0f}")

        t0 = aws.clock.now()
        ex = start(aws, waited_task("boom"))
        d = desc(aws, ex)
        assert d["status"] == "FAILED" and d["error"] == "ValueError"
        assert f"at {t0 + LATER:.0f}" in d["cause"]
        assert "timetravel" not in d["cause"] and "tasks.py" not in d["cause"]
