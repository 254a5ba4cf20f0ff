"""Map Runs (MAP-16): a Distributed Map's run, its child executions (one per item or batch, each
with its own history), DescribeMapRun / ListMapRuns / UpdateMapRun / ListExecutions(mapRunArn),
tolerated failures, and the ResultWriter files (MAP-11)."""

from __future__ import annotations

import json

import pytest

from emulator.stepfunctions.runtime.s3objects import s3_store
from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import FN, create, history_of

steered = pytest.mark.emulator(auto_advance=False)


def _machine(processor_states, start="P", **map_fields):
    body = {
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": start,
            "States": processor_states,
        },
        "End": True,
        **map_fields,
    }
    return json.dumps({"StartAt": "M", "States": {"M": body}})


PASS = {"P": {"Type": "Pass", "End": True}}
FAIL_ON_2 = {
    "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}], "Default": "OK"},
    "F": {"Type": "Fail", "Error": "Boom", "Cause": "item 2"},
    "OK": {"Type": "Pass", "End": True},
}


def _run(sfn, definition, input_):
    arn = create(sfn, definition)
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_))["executionArn"]
    return arn, ex


def _code(call):
    """The AWS error code ``call()`` raises, through any door."""
    with pytest.raises(Exception) as excinfo:
        call()
    return error_of(excinfo)[0]


def _map_run(sfn, ex):
    runs = sfn.list_map_runs(executionArn=ex)["mapRuns"]
    assert len(runs) == 1
    return runs[0]["mapRunArn"]


def test_each_item_is_a_child_execution_listed_by_its_map_run(sfn):
    sm, ex = _run(sfn, _machine(PASS, Label="L"), [1, 2, 3])
    assert sfn.describe_execution(executionArn=ex)["output"] == "[1,2,3]"
    runs = sfn.list_map_runs(executionArn=ex)["mapRuns"]
    assert [(r["executionArn"], r["stateMachineArn"]) for r in runs] == [(ex, sm)]
    run = runs[0]["mapRunArn"]
    assert run.startswith(sm.replace(":stateMachine:", ":mapRun:") + "/L:")
    children = sfn.list_executions(mapRunArn=run)["executions"]
    assert len(children) == 3
    child_sm = f"{sm}/L"
    for child in children:
        assert child["stateMachineArn"] == child_sm
        assert child["executionArn"] == f"{sm.replace(':stateMachine:', ':execution:')}/L:{child['name']}"
        assert (child["mapRunArn"], child["itemCount"], child["status"]) == (run, 1, "SUCCEEDED")
    # Newest first, as ListExecutions of a state machine.
    inputs = [sfn.describe_execution(executionArn=c["executionArn"])["input"] for c in children]
    assert inputs == ["3", "2", "1"]


def test_a_child_execution_has_its_own_history_and_description(sfn):
    sm, ex = _run(sfn, _machine(PASS), ["a"])
    child = sfn.list_executions(mapRunArn=_map_run(sfn, ex))["executions"][0]["executionArn"]
    out = sfn.describe_execution(executionArn=child)
    assert (out["status"], out["input"], out["output"]) == ("SUCCEEDED", '"a"', '"a"')
    assert out["mapRunArn"] == _map_run(sfn, ex)
    events = history_of(sfn, child)
    assert [(e["type"], e["id"], e["previousEventId"]) for e in events] == [
        ("ExecutionStarted", 1, 0),
        ("PassStateEntered", 2, 1),
        ("PassStateExited", 3, 2),
        ("ExecutionSucceeded", 4, 3),
    ]
    assert [e["type"] for e in history_of(sfn, ex)] == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]


def test_a_child_execution_sees_its_own_context_object(sfn):
    states = {
        "P": {
            "Type": "Pass",
            "Parameters": {"id.$": "$$.Execution.Id", "sm.$": "$$.StateMachine.Id"},
            "End": True,
        }
    }
    sm, ex = _run(sfn, _machine(states, Label="L"), [0])
    child = sfn.list_executions(mapRunArn=_map_run(sfn, ex))["executions"][0]["executionArn"]
    assert json.loads(sfn.describe_execution(executionArn=child)["output"]) == {"id": child, "sm": f"{sm}/L"}


def test_describe_map_run_counts_items_and_executions(sfn):
    sm, ex = _run(sfn, _machine(FAIL_ON_2, start="C", ToleratedFailureCount=1), [1, 2, 3])
    run = _map_run(sfn, ex)
    out = sfn.describe_map_run(mapRunArn=run)
    assert (out["mapRunArn"], out["executionArn"], out["status"]) == (run, ex, "SUCCEEDED")
    assert (out["maxConcurrency"], out["toleratedFailureCount"], out["toleratedFailurePercentage"]) == (
        0,
        1,
        0.0,
    )
    expected = {
        "pending": 0,
        "running": 0,
        "succeeded": 2,
        "failed": 1,
        "timedOut": 0,
        "aborted": 0,
        "total": 3,
        "resultsWritten": 0,
        "failuresNotRedrivable": 0,
        "pendingRedrive": 0,
    }
    assert out["itemCounts"] == expected
    assert out["executionCounts"] == expected
    assert "stopDate" in out and out["redriveCount"] == 0
    failed = sfn.list_executions(mapRunArn=run, statusFilter="FAILED")["executions"]
    desc = sfn.describe_execution(executionArn=failed[0]["executionArn"])
    assert (desc["input"], desc["error"], desc["cause"]) == ("2", "Boom", "item 2")
    assert history_of(sfn, failed[0]["executionArn"])[-1]["type"] == "ExecutionFailed"


def test_a_failure_beyond_the_tolerance_fails_the_map_run(sfn):
    sm, ex = _run(sfn, _machine(FAIL_ON_2, start="C"), [1, 2, 3])
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    assert sfn.describe_map_run(mapRunArn=_map_run(sfn, ex))["status"] == "FAILED"
    assert "MapRunFailed" in [e["type"] for e in history_of(sfn, ex)]


def test_a_batch_is_one_child_execution_of_several_items(sfn):
    sm, ex = _run(sfn, _machine(PASS, ItemBatcher={"MaxItemsPerBatch": 2}), [1, 2, 3, 4, 5])
    run = _map_run(sfn, ex)
    out = sfn.describe_map_run(mapRunArn=run)
    assert (out["itemCounts"]["total"], out["executionCounts"]["total"]) == (5, 3)
    assert (out["itemCounts"]["succeeded"], out["executionCounts"]["succeeded"]) == (5, 3)
    children = sfn.list_executions(mapRunArn=run)["executions"]
    assert sorted(c["itemCount"] for c in children) == [1, 2, 2]


def test_result_writer_writes_the_manifest_and_result_files(sfn, aws):
    aws.client("s3").create_bucket(Bucket="out")
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "jobs"}}
    sm, ex = _run(
        sfn, _machine(FAIL_ON_2, start="C", ToleratedFailurePercentage=50, ResultWriter=writer), [1, 2]
    )
    output = json.loads(sfn.describe_execution(executionArn=ex)["output"])
    run = _map_run(sfn, ex)
    run_id = run.rsplit(":", 1)[1]
    assert output == {
        "MapRunArn": run,
        "ResultWriterDetails": {"Bucket": "out", "Key": f"jobs/{run_id}/manifest.json"},
    }
    store = s3_store(aws.stepfunctions._service)
    manifest = json.loads(store.get("out", f"jobs/{run_id}/manifest.json"))
    succeeded_key, failed_key = f"jobs/{run_id}/SUCCEEDED_0.json", f"jobs/{run_id}/FAILED_0.json"
    succeeded, failed = store.get("out", succeeded_key), store.get("out", failed_key)
    assert manifest == {
        "DestinationBucket": "out",
        "MapRunArn": run,
        "ResultFiles": {
            "FAILED": [{"Key": failed_key, "Size": len(failed)}],
            "PENDING": [],
            "SUCCEEDED": [{"Key": succeeded_key, "Size": len(succeeded)}],
        },
    }
    [ok] = json.loads(succeeded)
    [bad] = json.loads(failed)
    assert (ok["Input"], ok["Output"], ok["Status"], ok["StateMachineArn"]) == (
        "1",
        "1",
        "SUCCEEDED",
        f"{sm}/{run.split('/')[1].split(':')[0]}",
    )
    assert (bad["Input"], bad["Error"], bad["Cause"], bad["Status"]) == ("2", "Boom", "item 2", "FAILED")
    assert "Output" not in bad
    counts = sfn.describe_map_run(mapRunArn=run)["executionCounts"]
    assert counts["resultsWritten"] == 2


def test_result_writer_into_a_missing_bucket_fails_the_map_state(sfn, aws):
    writer = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "absent", "Prefix": "jobs"},
    }
    sm, ex = _run(sfn, _machine(PASS, ResultWriter=writer), [1, 2])
    out = sfn.describe_execution(executionArn=ex)
    cause = "The specified bucket does not exist. (Service: S3, Status Code: 404, Request ID: null)"
    assert (out["status"], out["error"], out["cause"]) == ("FAILED", "States.ResultWriterFailed", cause)
    events = [e["type"] for e in history_of(sfn, ex)]
    assert events[-3:] == ["MapRunFailed", "MapStateFailed", "ExecutionFailed"]
    assert sfn.describe_map_run(mapRunArn=_map_run(sfn, ex))["status"] == "FAILED"
    assert "absent" not in {b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]}


@steered
def test_update_map_run_raises_max_concurrency_of_a_running_run(sfn, aws):
    waiting = {"W": {"Type": "Wait", "Seconds": 10, "End": True}}
    sm, ex = _run(sfn, _machine(waiting, start="W", MaxConcurrency=1), [1, 2, 3])
    run = _map_run(sfn, ex)
    counts = sfn.describe_map_run(mapRunArn=run)["executionCounts"]
    assert (counts["running"], counts["pending"]) == (1, 2)
    assert sfn.update_map_run(mapRunArn=run, maxConcurrency=0, toleratedFailureCount=2) == {}
    out = sfn.describe_map_run(mapRunArn=run)
    assert (out["executionCounts"]["running"], out["maxConcurrency"], out["toleratedFailureCount"]) == (
        3,
        0,
        2,
    )
    aws.clock.advance(seconds=10)
    aws.stepfunctions.run_until_idle()
    assert sfn.describe_map_run(mapRunArn=run)["status"] == "SUCCEEDED"
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
    assert _code(lambda: sfn.update_map_run(mapRunArn=run, maxConcurrency=2)) == "ValidationException"


@steered
def test_stopping_the_parent_aborts_the_map_run_and_its_children(sfn):
    waiting = {"W": {"Type": "Wait", "Seconds": 10, "End": True}}
    sm, ex = _run(sfn, _machine(waiting, start="W"), [1, 2])
    run = _map_run(sfn, ex)
    sfn.stop_execution(executionArn=ex)
    assert sfn.describe_map_run(mapRunArn=run)["status"] == "ABORTED"
    children = sfn.list_executions(mapRunArn=run)["executions"]
    assert [c["status"] for c in children] == ["ABORTED", "ABORTED"]
    assert history_of(sfn, children[0]["executionArn"])[-1]["type"] == "ExecutionAborted"


def test_map_run_errors(sfn):
    sm, ex = _run(sfn, _machine(PASS), [1])
    missing = sm.replace(":stateMachine:", ":mapRun:") + "/x:00000000-0000-4000-8000-000000000000"
    assert _code(lambda: sfn.describe_map_run(mapRunArn=missing)) == "ResourceNotFound"
    assert _code(lambda: sfn.list_executions(mapRunArn=missing)) == "ResourceNotFound"
    assert _code(lambda: sfn.update_map_run(mapRunArn=missing, maxConcurrency=1)) == "ResourceNotFound"
    assert _code(lambda: sfn.describe_map_run(mapRunArn=ex)) == "InvalidArn"
    assert _code(lambda: sfn.list_map_runs(executionArn=ex + "x")) == "ExecutionDoesNotExist"
    assert sfn.list_map_runs(executionArn=ex)["mapRuns"] != []
    run = _map_run(sfn, ex)
    assert _code(lambda: sfn.update_map_run(mapRunArn=run)) == "ValidationException"


def _first_call_fails(aws, name):
    """Register ``FN + name``: fails the first time it sees each item, then echoes it; returns
    the items it was called with."""
    seen = []

    @aws.stepfunctions.task(FN + name)
    def fn(event, context):
        seen.append(event)
        if seen.count(event) == 1:
            raise ValueError("not yet")
        return event

    return seen


def test_a_redrive_redrives_the_same_map_run_and_its_failed_children(sfn, aws):
    calls = _fails_once_for_item(aws, 2)
    task = {"T": {"Type": "Task", "Resource": FN + "item", "End": True}}
    sm, ex = _run(sfn, _machine(task, start="T"), [1, 2, 3])
    run = _map_run(sfn, ex)
    failed = sfn.list_executions(mapRunArn=run, statusFilter="FAILED")["executions"]
    assert len(failed) == 1
    child = failed[0]["executionArn"]
    sfn.redrive_execution(executionArn=ex)
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
    assert [r["mapRunArn"] for r in sfn.list_map_runs(executionArn=ex)["mapRuns"]] == [run]
    events = history_of(sfn, ex)
    after = events[[e["type"] for e in events].index("ExecutionRedriven") :]
    types = [e["type"] for e in after]
    assert "MapRunStarted" not in types
    [redriven] = [e for e in after if e["type"] == "MapRunRedriven"]
    assert redriven["mapRunRedrivenEventDetails"] == {"mapRunArn": run, "redriveCount": 1}
    described = sfn.describe_map_run(mapRunArn=run)
    assert (described["status"], described["redriveCount"]) == ("SUCCEEDED", 1)
    assert "redriveDate" in described
    assert described["executionCounts"]["succeeded"] == 3
    child_events = [e["type"] for e in history_of(sfn, child)]
    assert child_events == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionFailed",
        "ExecutionFailed",
        "ExecutionRedriven",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert sfn.describe_execution(executionArn=child)["redriveCount"] == 1
    redriven_children = sfn.list_executions(mapRunArn=run, redriveFilter="REDRIVEN")["executions"]
    assert [(c["executionArn"], c["redriveCount"]) for c in redriven_children] == [(child, 1)]
    others = sfn.list_executions(mapRunArn=run, redriveFilter="NOT_REDRIVEN")["executions"]
    assert len(others) == 2 and all(c["redriveCount"] == 0 for c in others)
    assert calls.count(1) == 1 and calls.count(3) == 1  # the children that succeeded are kept


def _fails_once_for_item(aws, bad):
    """Register ``FN + "item"``: fails the first time it sees ``bad``, else echoes; returns calls."""
    calls = []

    @aws.stepfunctions.task(FN + "item")
    def fn(event, context):
        calls.append(event)
        if event == bad and calls.count(bad) == 1:
            raise ValueError("not yet")
        return event

    return calls


@steered
def test_children_wait_as_pending_redrive_for_the_run_concurrency(sfn, aws):
    _first_call_fails(aws, "item")
    states = {
        "T": {"Type": "Task", "Resource": FN + "item", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 10, "End": True},
    }
    sm, ex = _run(sfn, _machine(states, start="T", MaxConcurrency=1, ToleratedFailureCount=1), [1, 2])
    aws.stepfunctions.run_until_idle()
    assert sfn.describe_execution(executionArn=ex)["status"] == "FAILED"
    run = _map_run(sfn, ex)
    sfn.redrive_execution(executionArn=ex)
    assert sfn.describe_map_run(mapRunArn=run)["status"] == "RUNNING"
    waiting = sfn.list_executions(mapRunArn=run, statusFilter="PENDING_REDRIVE")["executions"]
    assert len(waiting) == 1
    counts = sfn.describe_map_run(mapRunArn=run)["executionCounts"]
    assert (counts["running"], counts["pendingRedrive"]) == (1, 1)
    for _ in range(2):
        aws.clock.advance(seconds=10)
        aws.stepfunctions.run_until_idle()
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
    assert not sfn.list_executions(mapRunArn=run, statusFilter="PENDING_REDRIVE")["executions"]


PAIR = {
    "P": {"Type": "Pass", "Parameters": {"pair.$": "States.Array($, $)"}, "OutputPath": "$.pair", "End": True}
}


def _output(sfn, ex):
    return json.loads(sfn.describe_execution(executionArn=ex)["output"])


def _run_named(sfn, name, definition, input_):
    arn = create(sfn, definition, name=name)
    return sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_))["executionArn"]


def test_writer_config_alone_shapes_the_map_output_without_exporting(sfn, aws):
    flat = {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}
    ex = _run_named(sfn, "flat", _machine(PAIR, ResultWriter=flat), [1, 2])
    assert _output(sfn, ex) == [1, 1, 2, 2]
    compact = {"WriterConfig": {"Transformation": "COMPACT"}}
    ex = _run_named(sfn, "compact", _machine(PAIR, ResultWriter=compact), [1, 2])
    assert _output(sfn, ex) == [[1, 1], [2, 2]]
    none = {"WriterConfig": {"Transformation": "NONE"}}
    ex = _run_named(sfn, "none", _machine(PAIR, ResultWriter=none), [1])
    [record] = _output(sfn, ex)
    assert (record["Input"], record["Output"], record["Status"]) == ("1", "[1,1]", "SUCCEEDED")


def test_writer_config_transforms_and_formats_the_exported_files(sfn, aws):
    aws.client("s3").create_bucket(Bucket="out")
    writer = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "out", "Prefix": "jobs"},
        "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"},
    }
    states = {
        "C": {
            "Type": "Choice",
            "Choices": [{"Variable": "$", "NumericEquals": 3, "Next": "F"}],
            "Default": "P",
        },
        "F": {"Type": "Fail", "Error": "Boom", "Cause": "item 3"},
        **PAIR,
    }
    sm, ex = _run(
        sfn, _machine(states, start="C", ToleratedFailurePercentage=50, ResultWriter=writer), [1, 2, 3]
    )
    details = _output(sfn, ex)["ResultWriterDetails"]
    store = s3_store(aws.stepfunctions._service)
    manifest = json.loads(store.get("out", details["Key"]))
    [succeeded] = manifest["ResultFiles"]["SUCCEEDED"]
    lines = store.get("out", succeeded["Key"]).decode().splitlines()
    assert sorted(json.loads(line) for line in lines) == [1, 1, 2, 2]
    [failed] = manifest["ResultFiles"]["FAILED"]
    [bad] = [json.loads(line) for line in store.get("out", failed["Key"]).decode().splitlines()]
    assert (bad["Error"], bad["Status"]) == ("Boom", "FAILED")  # a failed child stays as NONE gives it


def test_result_writer_field_combinations_are_validated(sfn):
    cases = [
        ({"Parameters": {"Bucket": "b"}}, "These fields are required: [Resource]"),
        (
            {"WriterConfig": {"Transformation": "SOME"}},
            "Value should be one of the following: [NONE, COMPACT, FLATTEN]",
        ),
        ({"WriterConfig": {"OutputType": "CSV"}}, "Value should be one of the following: [JSON, JSONL]"),
    ]
    for writer, text in cases:
        result = sfn.validate_state_machine_definition(definition=_machine(PASS, ResultWriter=writer))
        assert result["result"] == "FAIL"
        assert text in [d["message"] for d in result["diagnostics"]], (writer, result["diagnostics"])


WAITING = {"W": {"Type": "Wait", "Seconds": 10, "End": True}}


def _children(sfn, run, status=None):
    kw = {"statusFilter": status} if status else {}
    return [c["executionArn"] for c in sfn.list_executions(mapRunArn=run, **kw)["executions"]]


@steered
def test_stopping_a_child_aborts_it_and_fails_its_map_run(sfn, aws):
    sm, ex = _run(sfn, _machine(WAITING, start="W"), [1, 2])
    run = _map_run(sfn, ex)
    first, second = sorted(_children(sfn, run))
    stopped = sfn.stop_execution(executionArn=first, error="Manual", cause="stopped by hand")
    assert "stopDate" in stopped
    child = sfn.describe_execution(executionArn=first)
    assert (child["status"], child["error"], child["cause"]) == ("ABORTED", "Manual", "stopped by hand")
    events = history_of(sfn, first)
    assert [e["type"] for e in events] == ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]
    assert events[-1]["executionAbortedEventDetails"] == {"error": "Manual", "cause": "stopped by hand"}
    parent = sfn.describe_execution(executionArn=ex)
    assert (parent["status"], parent["error"]) == ("FAILED", "Manual")
    assert sfn.describe_map_run(mapRunArn=run)["status"] == "FAILED"
    assert sfn.describe_execution(executionArn=second)["status"] == "ABORTED"


@steered
def test_a_stopped_child_within_the_tolerance_lets_the_run_go_on(sfn, aws):
    sm, ex = _run(sfn, _machine(WAITING, start="W", ToleratedFailureCount=1), [1, 2])
    run = _map_run(sfn, ex)
    first, second = sorted(_children(sfn, run))
    sfn.stop_execution(executionArn=first)
    assert sfn.describe_map_run(mapRunArn=run)["status"] == "RUNNING"
    aws.clock.advance(seconds=10)
    aws.stepfunctions.run_until_idle()
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
    counts = sfn.describe_map_run(mapRunArn=run)["executionCounts"]
    assert (counts["aborted"], counts["succeeded"]) == (1, 1)
    assert _children(sfn, run, "ABORTED") == [first]


def test_map_runs_and_children_go_when_their_parent_s_retention_ends(sfn, aws):
    sm, ex = _run(sfn, _machine(PASS, Label="L"), [1, 2, 3])
    run = _map_run(sfn, ex)
    [child, *_] = _children(sfn, run)
    service = aws.stepfunctions._service
    assert run in service.map_runs and child in service.map_run_children
    aws.clock.advance(days=91)
    assert _code(lambda: sfn.describe_execution(executionArn=ex)) == "ExecutionDoesNotExist"
    assert (service.map_runs, service.map_run_children, service.map_runs_of) == ({}, {}, {})
    assert _code(lambda: sfn.describe_map_run(mapRunArn=run)) == "ResourceNotFound"
    assert _code(lambda: sfn.describe_execution(executionArn=child)) == "ExecutionDoesNotExist"


def test_result_writer_into_a_bucket_of_another_region_or_account_fails(sfn, aws):
    aws.client("s3", region_name="eu-west-1").create_bucket(
        Bucket="elsewhere", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    aws.client("s3", account_id="210987654321").create_bucket(Bucket="theirs")
    for bucket, status in (("elsewhere", "301"), ("theirs", "403")):
        writer = {
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": bucket, "Prefix": "p"},
        }
        ex = _run_named(sfn, f"to-{bucket}", _machine(PASS, ResultWriter=writer), [1])
        out = sfn.describe_execution(executionArn=ex)
        assert (out["status"], out["error"]) == ("FAILED", "States.ResultWriterFailed")
        assert f"Status Code: {status}" in out["cause"]


def test_put_s3_object_creates_its_bucket_in_the_caller_s_partition(aws):
    aws.client("stepfunctions", region_name="eu-west-1").put_s3_object(Bucket="eu-data", Key="k", Body="x")
    assert s3_store(aws.stepfunctions._service).bucket("eu-data").region == "eu-west-1"


def test_a_map_run_redriven_1000_times_fails_with_states_runtime(sfn, aws):
    _fails_once_for_item(aws, 2)
    task = {"T": {"Type": "Task", "Resource": FN + "item", "End": True}}
    sm, ex = _run(sfn, _machine(task, start="T"), [1, 2])
    run = _map_run(sfn, ex)
    aws.stepfunctions._service.map_runs[run].redrive_count = 1000
    sfn.redrive_execution(executionArn=ex)
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["error"]) == ("FAILED", "States.Runtime")
    assert "maximum number of times (1000)" in out["cause"]
