"""Activities and their workers: GetActivityTask long polls until a task is scheduled, the limit
passes or the activity is deleted (API-18); a task of a deleted activity no longer exists."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import create

ACT = "arn:aws:states:us-east-1:123456789012:activity:work"
TASK_END = json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ACT, "End": True}}})


def _system_world_with_activity():
    import emulator

    world = emulator.Emulator(clock="system")
    sfn = world.stepfunctions
    sfn.create_activity(name="work")
    arn = create(sfn, definition=TASK_END)
    return world, sfn, arn


def test_get_activity_task_long_polls_until_a_task_is_scheduled():
    import threading
    import time

    world, sfn, arn = _system_world_with_activity()
    with world:
        timer = threading.Timer(0.2, lambda: sfn.start_execution(stateMachineArn=arn, input='{"n":1}'))
        timer.start()
        t0 = time.perf_counter()
        polled = sfn.get_activity_task(activityArn=ACT, workerName="w")  # lock released meanwhile
        elapsed = time.perf_counter() - t0
        timer.join()
        assert polled["input"] == '{"n":1}' and polled["taskToken"]
        assert 0.15 <= elapsed < 5  # waited for the task, returned as soon as it came


def test_get_activity_task_long_poll_gives_up_after_the_limit(monkeypatch):
    import time

    from emulator.stepfunctions.operations import activities

    monkeypatch.setattr(activities, "LONG_POLL_SECONDS", 0.3)
    world, sfn, _ = _system_world_with_activity()
    with world:
        t0 = time.perf_counter()
        assert "taskToken" not in sfn.get_activity_task(activityArn=ACT)
        assert 0.25 <= time.perf_counter() - t0 < 3


def test_get_activity_task_long_poll_ends_when_the_activity_is_deleted():
    import threading
    import time

    world, sfn, _ = _system_world_with_activity()
    with world:
        timer = threading.Timer(0.2, lambda: sfn.delete_activity(activityArn=ACT))
        timer.start()
        t0 = time.perf_counter()
        assert "taskToken" not in sfn.get_activity_task(activityArn=ACT)
        timer.join()
        assert time.perf_counter() - t0 < 5


@pytest.mark.no_remote("the virtual clock: a real long poll waits 60 s for nothing")
def test_get_activity_task_on_the_virtual_clock_answers_at_once(sfn):
    sfn.create_activity(name="work")
    assert "taskToken" not in sfn.get_activity_task(activityArn=ACT)  # no wait: nothing could come


def test_get_activity_task_refuses_more_than_the_worker_limit(monkeypatch):
    import threading
    import time

    from emulator.stepfunctions.operations import activities

    monkeypatch.setattr(activities, "MAX_POLLERS", 1)
    monkeypatch.setattr(activities, "LONG_POLL_SECONDS", 1.0)
    world, sfn, _ = _system_world_with_activity()
    with world:
        first = threading.Thread(target=lambda: sfn.get_activity_task(activityArn=ACT))
        first.start()
        time.sleep(0.2)  # the first worker is now waiting
        with pytest.raises(Exception) as e:
            sfn.get_activity_task(activityArn=ACT)
        first.join()
    assert error_of(e) == ("ActivityWorkerLimitExceeded", activities.WORKER_LIMIT)


def test_send_task_success_for_a_deleted_activity_is_task_does_not_exist(sfn):
    sfn.create_activity(name="work")
    arn = create(sfn, definition=TASK_END)
    sfn.start_execution(stateMachineArn=arn, input='{"n":1}')
    token = sfn.get_activity_task(activityArn=ACT)["taskToken"]
    sfn.delete_activity(activityArn=ACT)
    with pytest.raises(Exception) as e:
        sfn.send_task_success(taskToken=token, output="{}")
    assert error_of(e) == ("TaskDoesNotExist", f"Task Does Not Exist: '{token}'")
