"""Step Functions API rules closed after the conformance audit (reference §11: API-04, API-10,
API-18, API-21) — request → response, or exact error code + message.  Texts marked INF in the
emulator are not captured from AWS; the tests pin what the emulator answers."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import ROLE

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
KEY_PATTERN = r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"


def create(sfn, name="sm", definition=PASS, **kw):
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, **kw)["stateMachineArn"]


# --- API-10 ListExecutions ---------------------------------------------------------------------
def test_list_executions_state_machine_and_map_run_together(sfn):
    arn = create(sfn)
    run = "arn:aws:states:us-east-1:123456789012:mapRun:sm/m:1"
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=arn, mapRunArn=run)
    assert error_of(exc) == ("ValidationException",
                             "Must provide either a StateMachine ARN or a MapRun ARN, not both")


def test_list_executions_pending_redrive_needs_a_map_run(sfn):
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=create(sfn), statusFilter="PENDING_REDRIVE")
    assert error_of(exc) == ("ValidationException",
                             "The PENDING_REDRIVE statusFilter can only be used with a MapRun ARN")


# --- API-21 tags -------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["aws:owner", "a#b", "semi;colon", "x<y"])
def test_reserved_or_malformed_tag_key_refused(sfn, key):
    arn = create(sfn)
    with pytest.raises(Exception) as exc:
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "ok", "value": "v"}, {"key": key, "value": "v"}])
    assert error_of(exc) == ("ValidationException", (
        f"1 validation error detected: Value '{key}' at 'tags.2.member.key' failed to satisfy "
        f"constraint: Member must satisfy regular expression pattern: {KEY_PATTERN}"))
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == []  # nothing stored


def test_malformed_tag_value_refused(sfn):
    with pytest.raises(Exception) as exc:
        sfn.tag_resource(resourceArn=create(sfn), tags=[{"key": "k", "value": "a|b"}])
    assert error_of(exc)[0] == "ValidationException"
    assert "at 'tags.1.member.value'" in error_of(exc)[1]


def test_allowed_tag_characters_accepted(sfn):
    arn = create(sfn)
    tags = [{"key": "Équipe _.:/=+-@ 1", "value": "été 2 _.:/=+-@"}, {"key": "AWS-like", "value": ""}]
    sfn.tag_resource(resourceArn=arn, tags=tags)
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == tags


def test_create_with_reserved_tag_creates_nothing(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, tags=[{"key": "aws:x", "value": "v"}])
    assert error_of(exc)[0] == "ValidationException"
    assert sfn.list_state_machines()["stateMachines"] == []
    with pytest.raises(Exception) as exc:
        sfn.create_activity(name="act", tags=[{"key": "aws:x", "value": "v"}])
    assert error_of(exc)[0] == "ValidationException"
    assert sfn.list_activities()["activities"] == []


# --- API-04 DeleteStateMachine is asynchronous ----------------------------------------------------
# On the virtual clock StartExecution runs until idle, so the executions below wait on an activity.
ACT = "arn:aws:states:us-east-1:123456789012:activity:work"
ACT2 = "arn:aws:states:us-east-1:123456789012:activity:slow"
TASK_THEN_PASS = json.dumps({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": ACT, "Next": "P"}, "P": {"Type": "Pass", "End": True}}})
TASK_END = json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ACT, "End": True}}})
DELETING = "State Machine is being deleted: '{}'"


def answer(sfn, activity=ACT):
    token = sfn.get_activity_task(activityArn=activity)["taskToken"]
    sfn.send_task_success(taskToken=token, output="{}")


def test_delete_with_running_execution_is_deleting_until_it_ends(sfn):
    sfn.create_activity(name="work")
    arn = create(sfn, definition=TASK_THEN_PASS, publish=True)
    ex = sfn.start_execution(stateMachineArn=arn, name="e1")["executionArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    assert sfn.describe_state_machine(stateMachineArn=arn)["status"] == "DELETING"
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"  # not aborted at once
    for call in (lambda: sfn.start_execution(stateMachineArn=arn),
                 lambda: sfn.update_state_machine(stateMachineArn=arn, definition=PASS),
                 lambda: sfn.publish_state_machine_version(stateMachineArn=arn)):
        with pytest.raises(Exception) as exc:
            call()
        assert error_of(exc) == ("StateMachineDeleting", DELETING.format(arn))
    sfn.delete_state_machine(stateMachineArn=arn)  # again: still fine
    answer(sfn)
    # Terminated at the next transition: T exits, P is never entered.
    d = sfn.describe_execution(executionArn=ex)
    assert d["status"] == "ABORTED" and "error" not in d and "cause" not in d
    events = sfn.get_execution_history(executionArn=ex)["events"]
    assert [(e["type"], e["previousEventId"]) for e in events] == [
        ("ExecutionStarted", 0), ("TaskStateEntered", 0), ("ActivityScheduled", 2),
        ("ActivityStarted", 3), ("ActivitySucceeded", 4), ("TaskStateExited", 5),
        ("ExecutionAborted", 0)]
    assert events[-1]["executionAbortedEventDetails"] == {}
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert error_of(exc) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
    with pytest.raises(Exception) as exc:  # versions went with it
        sfn.describe_state_machine(stateMachineArn=f"{arn}:1")
    assert error_of(exc)[0] == "StateMachineDoesNotExist"
    assert sfn.list_state_machines()["stateMachines"] == []
    assert create(sfn) == arn  # the name is free again


def test_delete_lets_an_execution_in_its_last_state_finish(sfn):
    sfn.create_activity(name="work")
    arn = create(sfn, definition=TASK_END)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    answer(sfn)
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"  # no transition left
    assert sfn.list_state_machines()["stateMachines"] == []


def test_delete_without_running_executions_is_immediate(sfn):
    arn = create(sfn, publish=True)
    sfn.start_execution(stateMachineArn=arn)
    version = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"][0]
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": version["stateMachineVersionArn"], "weight": 100}])
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert error_of(exc)[0] == "StateMachineDoesNotExist"
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias["stateMachineAliasArn"])
    assert error_of(exc)[0] == "ResourceNotFound"


def test_delete_terminates_parallel_branches_at_their_next_transition(sfn):
    sfn.create_activity(name="work")
    sfn.create_activity(name="slow")
    branch = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ACT, "Next": "P"},
                                         "P": {"Type": "Pass", "End": True}}}
    slow = {"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": ACT2, "End": True}}}
    arn = create(sfn, definition=json.dumps({"StartAt": "Par", "States": {
        "Par": {"Type": "Parallel", "Branches": [branch, slow], "End": True}}}))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    answer(sfn)
    assert sfn.describe_execution(executionArn=ex)["status"] == "ABORTED"
    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    assert "TaskStateExited" in types and "PassStateEntered" not in types
    assert types[-3:] == ["TaskStateAborted", "ParallelStateAborted", "ExecutionAborted"]
    assert sfn.list_state_machines()["stateMachines"] == []


# --- API-18 GetActivityTask long poll -----------------------------------------------------------
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
