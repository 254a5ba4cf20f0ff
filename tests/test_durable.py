"""Emulator(data_dir=...): a world kept in SQLite, restored exactly by the next Emulator on it."""

from __future__ import annotations

import json
import os
import sqlite3
import threading

import pytest

from emulator import Emulator
from emulator.durable import DataDirError
from emulator.durable.store import FILE_NAME
from tests.seeded_world import FN, ROLE, echo, machine_arn, seeded_world, view


def crash(aws: Emulator) -> None:
    """Leave the directory as a killed process would: the log of acknowledged writes after the
    last checkpoint, no final checkpoint, the directory lock free."""
    aws.journal.close(checkpoint=False)


def reopen(path) -> Emulator:
    """The next process on the directory: its task code registered first, then the data."""
    world = Emulator()
    world.stepfunctions.task(FN)(echo)
    world.attach_data_dir(path)
    return world


def test_closed_world_reopens_equal(tmp_path):
    aws = seeded_world(data_dir=tmp_path)
    before = view(aws)
    aws.close()
    again = reopen(tmp_path)
    assert view(again) == before
    again.close()


def test_world_left_without_close_is_replayed_from_the_log(tmp_path):
    """What a crash leaves: no final checkpoint, only the log of acknowledged writes."""
    aws = seeded_world(data_dir=tmp_path)
    aws.dynamodb.update_item(
        TableName="Things",
        Key={"id": {"S": "i3"}},
        UpdateExpression="SET n = :n",
        ExpressionAttributeValues={":n": {"N": "5"}},
    )
    aws.clock.advance(minutes=5)
    before = view(aws)
    crash(aws)
    again = reopen(tmp_path)
    assert view(again) == before
    again.close()


def test_running_execution_resumes_after_restart(tmp_path):
    aws = seeded_world(data_dir=tmp_path, auto_advance=False)
    arn = aws.stepfunctions.list_executions(stateMachineArn=machine_arn(aws))["executions"][0]["executionArn"]
    assert aws.stepfunctions.describe_execution(executionArn=arn)["status"] == "RUNNING"
    crash(aws)
    again = reopen(tmp_path)
    assert again.stepfunctions.describe_execution(executionArn=arn)["status"] == "RUNNING"
    again.clock.advance(hours=1)
    done = again.stepfunctions.describe_execution(executionArn=arn)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"n": 1}
    again.close()


def test_clock_moved_by_run_until_idle_is_kept(tmp_path):
    aws = seeded_world(data_dir=tmp_path, auto_advance=False)
    aws.stepfunctions.run_until_idle()
    before = view(aws)
    assert before["executions"][0]["status"] == "SUCCEEDED"
    crash(aws)
    assert view(reopen(tmp_path)) == before


def test_pending_activity_task_token_answers_after_restart(tmp_path):
    aws = Emulator(seed=3, data_dir=tmp_path)
    sfn = aws.stepfunctions
    activity = sfn.create_activity(name="work")["activityArn"]
    definition = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": activity, "End": True}}}
    machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)
    run = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"x": 1}')
    token = sfn.get_activity_task(activityArn=activity)["taskToken"]
    crash(aws)
    again = reopen(tmp_path)
    again.stepfunctions.send_task_success(taskToken=token, output='{"done": true}')
    described = again.stepfunctions.describe_execution(executionArn=run["executionArn"])
    assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"done": True}
    again.close()


def test_checkpoint_drops_the_log_it_includes(tmp_path):
    aws = seeded_world(data_dir=tmp_path)
    aws.clock.advance(hours=2)  # the execution finishes: the world can be snapshotted
    assert aws.journal.checkpoint()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("SELECT count(*) FROM log").fetchone() == (0,)
    aws.dynamodb.put_item(TableName="Things", Item={"id": {"S": "after"}})
    before = view(aws)
    crash(aws)
    assert view(reopen(tmp_path)) == before


def test_concurrent_writers_are_all_kept(tmp_path, monkeypatch):
    aws = Emulator(seed=1, data_dir=tmp_path)
    store = aws.journal.store
    append = store.append

    def slow_append(rows):  # a disk that takes its time: writers queue up behind each commit
        threading.Event().wait(0.005)
        append(rows)

    monkeypatch.setattr(store, "append", slow_append)
    aws.dynamodb.create_table(
        TableName="Writes",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )

    def write(thread: int) -> None:
        for i in range(25):
            aws.dynamodb.put_item(TableName="Writes", Item={"id": {"S": f"{thread}-{i}"}})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert aws.journal.store.commits < 200  # writers waiting together shared a commit
    crash(aws)
    again = reopen(tmp_path)
    assert again.dynamodb.scan(TableName="Writes")["Count"] == 200
    again.close()


def test_data_dir_of_another_version_is_refused_naming_it(tmp_path):
    Emulator(data_dir=tmp_path).close()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'emulator'")
    with pytest.raises(DataDirError, match=rf"{tmp_path}.*written by emulator 0\.0\.1"):
        reopen(tmp_path)


def test_a_data_dir_in_use_is_refused(tmp_path):
    aws = Emulator(data_dir=tmp_path)
    with pytest.raises(
        DataDirError, match=rf"{tmp_path} is in use by another emulator \(pid {os.getpid()}\)"
    ):
        Emulator(data_dir=tmp_path)
    aws.close()
    Emulator(data_dir=tmp_path).close()


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"not a database at all" * 100)
    with pytest.raises(DataDirError, match="not an emulator data directory"):
        reopen(tmp_path)


def test_reads_are_not_logged(tmp_path):
    aws = seeded_world(data_dir=tmp_path)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        logged = db.execute("SELECT count(*) FROM log").fetchone()[0]
    for _ in range(5):
        aws.dynamodb.get_item(TableName="Things", Key={"id": {"S": "i1"}})
        aws.dynamodb.scan(TableName="Things")
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("SELECT count(*) FROM log").fetchone()[0] == logged


def test_a_closed_durable_world_refuses_writes(tmp_path):
    aws = Emulator(data_dir=tmp_path)
    aws.close()
    with pytest.raises(RuntimeError, match="is closed"):
        aws.dynamodb.create_table(
            TableName="late",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )


def test_system_clock_world_replays_names_and_dates_and_resumes_waits(tmp_path):
    """On the system clock the replay gives each request the clock readings it first read, so the
    execution keeps its generated name and start date; its Wait then ends in real time."""
    aws = Emulator(clock="system", data_dir=tmp_path)
    sfn = aws.stepfunctions
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}
    arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    started = sfn.start_execution(stateMachineArn=arn)
    crash(aws)
    again = Emulator(data_dir=tmp_path)
    restored = again.stepfunctions.describe_execution(executionArn=started["executionArn"])
    assert restored["startDate"] == started["startDate"]
    for _ in range(100):
        if (
            again.stepfunctions.describe_execution(executionArn=started["executionArn"])["status"]
            != "RUNNING"
        ):
            break
        again.clock.sleep(0.1)
    assert (
        again.stepfunctions.describe_execution(executionArn=started["executionArn"])["status"] == "SUCCEEDED"
    )
    aws.close()
    again.close()


@pytest.mark.parametrize("sync", ["normal", "full", None])
def test_each_data_sync_mode_keeps_the_world_and_other_modes_are_refused(tmp_path, sync):
    """``normal`` (the default) and ``full`` both keep what was acknowledged across a crash;
    SQLite's ``synchronous`` is set as the mode says."""
    options = {} if sync is None else {"data_sync": sync}
    aws = Emulator(data_dir=tmp_path / "kept", **options)
    assert aws.journal.store.db.execute("PRAGMA synchronous").fetchone()[0] == (2 if sync == "full" else 1)
    aws.dynamodb.create_table(
        TableName="fast",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    crash(aws)
    assert Emulator(data_dir=tmp_path / "kept").dynamodb.list_tables()["TableNames"] == ["fast"]
    with pytest.raises(ValueError, match="data_sync must be one of full, normal, not 'off'"):
        Emulator(data_dir=tmp_path / "off", data_sync="off")


def test_a_reset_is_what_the_next_start_finds(tmp_path):
    """Emulator.reset() on a durable world checkpoints the emptied world (a reset is no request
    the log could replay), even with an execution running before it: the reset stops it."""
    aws = seeded_world(data_dir=tmp_path, auto_advance=False)
    assert aws.dynamodb.list_tables()["TableNames"]
    aws.reset()
    aws.dynamodb.create_table(
        TableName="after",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    crash(aws)
    again = reopen(tmp_path)
    assert again.dynamodb.list_tables()["TableNames"] == ["after"]
    assert again.stepfunctions.list_state_machines()["stateMachines"] == []
    again.close()


def test_a_reset_while_an_execution_runs_leaves_the_workflow_running(tmp_path):
    """A reset of one service while a workflow runs: the next start finds the emptied service
    and the workflow still waiting, and it finishes."""
    aws = seeded_world(data_dir=tmp_path, auto_advance=False)
    arn = aws.stepfunctions.list_executions(stateMachineArn=machine_arn(aws))["executions"][0]["executionArn"]
    assert aws.stepfunctions.describe_execution(executionArn=arn)["status"] == "RUNNING"
    assert aws.reset("dynamodb") == ["dynamodb", "dynamodbstreams"]
    crash(aws)
    again = reopen(tmp_path)
    assert again.dynamodb.list_tables()["TableNames"] == []
    assert again.stepfunctions.describe_execution(executionArn=arn)["status"] == "RUNNING"
    again.clock.advance(hours=1)
    assert again.stepfunctions.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
    again.close()


CALLED: list[dict] = []


def counted(event, context):
    """A task callable that counts its calls (importable by name, so it survives a checkpoint)."""
    CALLED.append(event)
    return {"seen": len(CALLED)}


def test_checkpoint_while_a_workflow_runs_does_not_call_its_tasks_again(tmp_path):
    """A checkpoint taken while an execution waits holds the execution itself (its threads are
    rebuilt from their tapes), so a restart neither replays StartExecution nor calls the task
    that already ran."""
    CALLED.clear()
    fn = "arn:aws:lambda:us-east-1:123456789012:function:counted"
    aws = Emulator(seed=5, data_dir=tmp_path, auto_advance=False)
    aws.stepfunctions.task(fn)(counted)
    definition = {
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": fn, "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 60, "End": True},
        },
    }
    machine = aws.stepfunctions.create_state_machine(
        name="m", definition=json.dumps(definition), roleArn=ROLE
    )
    run = aws.stepfunctions.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"x": 1}')
    assert len(CALLED) == 1
    assert aws.journal.checkpoint() is True
    crash(aws)
    again = reopen(tmp_path)
    assert len(CALLED) == 1  # not called again by the restart
    again.clock.advance(60)
    described = again.stepfunctions.describe_execution(executionArn=run["executionArn"])
    assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"seen": 1}
    assert len(CALLED) == 1
    again.close()


def _things(path, **options) -> Emulator:
    """A durable world (seed 4) with one on-demand table, ``things``."""
    aws = Emulator(seed=4, data_dir=path, **options)
    aws.dynamodb.create_table(
        TableName="things",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return aws


def test_refused_write_that_used_up_a_fault_stays_used_up_after_restart(tmp_path):
    """A refused request is logged (marked) and refused again on replay: the fault it used up
    (times=1) does not come back after a crash."""
    aws = _things(tmp_path)
    aws.faults.inject(operation="PutItem", error="InternalServerError", times=1)
    assert aws.journal.checkpoint() is True  # the fault is in the checkpoint, not yet used
    with pytest.raises(Exception, match="InternalServerError"):
        aws.dynamodb.put_item(TableName="things", Item={"id": {"S": "refused"}})
    aws.dynamodb.put_item(TableName="things", Item={"id": {"S": "kept"}})
    crash(aws)
    again = reopen(tmp_path)
    again.dynamodb.put_item(TableName="things", Item={"id": {"S": "after"}})  # no fault left to fire
    ids = sorted(i["id"]["S"] for i in again.dynamodb.scan(TableName="things")["Items"])
    assert ids == ["after", "kept"]
    again.close()


def test_a_fault_a_read_used_up_stays_used_up_after_restart(tmp_path):
    """Reads are not logged, but a fault counts the calls it matches, reads included: while one
    is injected, reads are logged too, so the GetItem that used it up is replayed."""
    aws = _things(tmp_path)
    aws.faults.inject(operation="GetItem", error="InternalServerError", times=2)
    with pytest.raises(Exception, match="InternalServerError"):
        aws.dynamodb.get_item(TableName="things", Key={"id": {"S": "a"}})
    crash(aws)
    again = reopen(tmp_path)
    assert [f.fired for f in again.faults] == [1]
    with pytest.raises(Exception, match="InternalServerError"):  # its second and last time
        again.dynamodb.get_item(TableName="things", Key={"id": {"S": "a"}})
    assert "Item" not in again.dynamodb.get_item(TableName="things", Key={"id": {"S": "a"}})
    again.close()


def test_refused_conditional_write_keeps_its_consumed_capacity_after_restart(tmp_path):
    """A conditional write that fails still consumes write capacity (rule C15): the usage a
    restart finds counts it."""
    aws = _things(tmp_path, capacity="track")
    aws.dynamodb.put_item(TableName="things", Item={"id": {"S": "a"}})
    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        aws.dynamodb.put_item(
            TableName="things", Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)"
        )
    before = aws.dynamodb.usage().to_dict()
    crash(aws)
    again = reopen(tmp_path)
    assert again.dynamodb.usage().to_dict() == before
    assert before["resources"][0]["consumed_wcu"] == 2  # the refused write counted
    again.close()


def test_faults_injected_and_removed_are_kept_without_a_checkpoint(tmp_path):
    """aws.faults changes the world outside the services' operations: each change is logged, so a
    crash right after it (no checkpoint) finds the same faults, with the same ids."""
    aws = _things(tmp_path)
    kept = aws.faults.inject(operation="PutItem", error="InternalServerError", times=2)
    gone = aws.faults.inject(operation="GetItem", error="InternalServerError")
    gone.remove()
    with pytest.raises(Exception, match="InternalServerError"):
        aws.dynamodb.put_item(TableName="things", Item={"id": {"S": "refused"}})
    crash(aws)
    again = reopen(tmp_path)
    (fault,) = list(again.faults)
    assert (fault.id, fault.operation, fault.fired) == (kept.id, "PutItem", 1)
    with pytest.raises(Exception, match="InternalServerError"):  # its second and last time
        again.dynamodb.put_item(TableName="things", Item={"id": {"S": "refused too"}})
    again.dynamodb.put_item(TableName="things", Item={"id": {"S": "written"}})
    again.faults.clear()
    crash(again)
    third = reopen(tmp_path)
    assert list(third.faults) == []
    assert [i["id"]["S"] for i in third.dynamodb.scan(TableName="things")["Items"]] == ["written"]
    third.close()


def test_http_endpoints_registered_before_the_directory_opens_answer_after_a_restart(tmp_path):
    """HTTP task endpoints are code, like task callables: the ones registered before the
    directory is opened answer the restored workflows (the checkpoint's are stand-ins)."""
    url = "https://api.example.com/orders"
    definition = {
        "StartAt": "Wait",
        "States": {
            "Wait": {"Type": "Wait", "Seconds": 60, "Next": "Call"},
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {
                    "ApiEndpoint": url,
                    "Method": "GET",
                    "Authentication": {
                        "ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"
                    },
                },
                "ResultSelector": {"body.$": "$.ResponseBody"},
                "End": True,
            },
        },
    }
    aws = Emulator(seed=6, data_dir=tmp_path, auto_advance=False)
    aws.stepfunctions.http_endpoint(url)(lambda request: {"from": "first"})
    machine = aws.stepfunctions.create_state_machine(
        name="m", definition=json.dumps(definition), roleArn=ROLE
    )
    run = aws.stepfunctions.start_execution(stateMachineArn=machine["stateMachineArn"])["executionArn"]
    assert aws.journal.checkpoint() is True
    crash(aws)
    again = Emulator()
    again.stepfunctions.http_endpoint(url)(lambda request: {"from": "second"})
    again.attach_data_dir(tmp_path)
    again.clock.advance(60)
    described = again.stepfunctions.describe_execution(executionArn=run)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"body": {"from": "second"}}
    again.close()
