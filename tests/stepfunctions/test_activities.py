"""Activities and their workers: GetActivityTask long polls until a task is scheduled, the limit
passes or the activity is deleted (API-18); a task of a deleted activity no longer exists."""

from __future__ import annotations

import json
import threading

import pytest

import emulator
from emulator.clock import SystemClock, wall_time
from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import create

ACT = "arn:aws:states:us-east-1:123456789012:activity:work"
TASK_END = json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ACT, "End": True}}})


def _system_world_with_activity():
    world = emulator.Emulator(clock="system")
    sfn = world.stepfunctions
    sfn.create_activity(name="work")
    arn = create(sfn, definition=TASK_END)
    return world, sfn, arn


class ManualClock(SystemClock):
    """A real-time (not virtual) clock that stands still until a wait moves it: a long poll that
    times out then takes no wall time, and its deadline is exact."""

    def __init__(self) -> None:
        super().__init__()
        self.t = wall_time()

    def now(self) -> float:
        return self.t


def watch_long_polls(monkeypatch, sfn):
    """Record each long poll's wait on the service's condition: ``began`` is set as a poller starts
    waiting (it holds the service lock until the wait releases it, so a call made after ``began``
    runs while the poller waits), and ``woken`` gets each wait's result (True: notified; False:
    its time ran out)."""
    condition = sfn._service.activity_ready
    real_wait = condition.wait
    began, woken = threading.Event(), []

    def wait(timeout=None):
        began.set()
        result = real_wait(timeout)
        woken.append(result)
        return result

    monkeypatch.setattr(condition, "wait", wait)
    return began, woken


def test_get_activity_task_long_polls_until_a_task_is_scheduled(monkeypatch):
    world, sfn, arn = _system_world_with_activity()
    with world:
        began, woken = watch_long_polls(monkeypatch, sfn)
        polled = {}
        poller = threading.Thread(
            target=lambda: polled.update(sfn.get_activity_task(activityArn=ACT, workerName="w"))
        )  # lock released meanwhile
        poller.start()
        assert began.wait(60)
        sfn.start_execution(stateMachineArn=arn, input='{"n":1}')
        poller.join()
        assert polled["input"] == '{"n":1}' and polled["taskToken"]
        assert woken == [True]  # waited for the task, woken as it came (not by the limit)


def test_get_activity_task_long_poll_gives_up_after_the_limit(monkeypatch):
    from emulator.stepfunctions.operations import activities

    monkeypatch.setattr(activities, "LONG_POLL_SECONDS", 0.3)
    clock = ManualClock()
    world = emulator.Emulator(clock=clock)
    sfn = world.stepfunctions
    sfn.create_activity(name="work")
    waits = []

    def wait(timeout=None):  # nothing comes: the whole timeout passes on the clock
        waits.append(timeout)
        clock.t += timeout
        return False

    monkeypatch.setattr(sfn._service.activity_ready, "wait", wait)
    with world:
        assert "taskToken" not in sfn.get_activity_task(activityArn=ACT)
        assert waits == [pytest.approx(0.3)]  # one wait, for the whole limit, then no task


def test_get_activity_task_long_poll_ends_when_the_activity_is_deleted(monkeypatch):
    world, sfn, _ = _system_world_with_activity()
    with world:
        began, woken = watch_long_polls(monkeypatch, sfn)
        polled = {}
        poller = threading.Thread(target=lambda: polled.update(sfn.get_activity_task(activityArn=ACT)))
        poller.start()
        assert began.wait(60)
        sfn.delete_activity(activityArn=ACT)
        poller.join()
        assert "taskToken" not in polled
        assert woken == [True]  # the deletion ended the poll, not the limit


@pytest.mark.no_remote("the virtual clock: a real long poll waits 60 s for nothing")
def test_get_activity_task_on_the_virtual_clock_answers_at_once(sfn):
    sfn.create_activity(name="work")
    assert "taskToken" not in sfn.get_activity_task(activityArn=ACT)  # no wait: nothing could come


def test_get_activity_task_refuses_more_than_the_worker_limit(monkeypatch):
    from emulator.stepfunctions.operations import activities

    monkeypatch.setattr(activities, "MAX_POLLERS", 1)
    monkeypatch.setattr(activities, "LONG_POLL_SECONDS", 1.0)
    world, sfn, _ = _system_world_with_activity()
    with world:
        began, _ = watch_long_polls(monkeypatch, sfn)
        first = threading.Thread(target=lambda: sfn.get_activity_task(activityArn=ACT))
        first.start()
        assert began.wait(60)  # the first worker is now waiting
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
