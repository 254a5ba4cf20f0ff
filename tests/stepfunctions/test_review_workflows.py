"""Acceptance review of the Step Functions core (issue 4): rules a user prototyping real workflows
hit, each stated as request → response / history, that the earlier suites did not state.

Each test names the reference row (``docs/rules/stepfunctions.md``) or the AWS
documentation sentence it states."""

from __future__ import annotations

import json

from tests.stepfunctions.workflow_helpers import FN, ROLE, desc, history, start, task


def advance_to(aws, ex, seconds):
    """Move the virtual clock to ``seconds`` after the execution's start (a task callable's
    simulated ``sleep`` already moved it while StartExecution ran)."""
    t0 = desc(aws, ex)["startDate"].timestamp()
    aws.clock.advance(seconds=t0 + seconds - aws.clock.now())


def elapsed(events, type_):
    """Seconds from ExecutionStarted to the first event of ``type_``."""
    t0 = events[0]["timestamp"]
    return next((e["timestamp"] - t0).total_seconds() for e in events if e["type"] == type_)


# --- callbacks: the heartbeat clock starts when the invoked call returns (ASL-TASK-04) --------
def test_callback_heartbeat_counts_from_when_the_lambda_returned(aws):
    """DG (connect-lambda): "If you invoke the Lambda function with a callback task, the heartbeat
    timeout doesn't start counting until after the Lambda function has completed executing and
    returned a result." A function that runs 10 s with HeartbeatSeconds 5 is not a missed
    heartbeat; the heartbeat expires 5 s after the function returned (TaskSubmitted)."""
    sfn = aws.stepfunctions

    @sfn.task(FN + "slow")
    def slow(event, context):
        context.sleep(10)
        return {}

    ex = start(aws, task("arn:aws:states:::lambda:invoke.waitForTaskToken", HeartbeatSeconds=5,
                         TimeoutSeconds=100,
                         Parameters={"FunctionName": "slow", "Payload": {"t.$": "$$.Task.Token"}}))
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 14.9)
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 15)
    assert desc(aws, ex)["status"] == "FAILED"
    evs = history(aws, ex)
    assert [e["type"] for e in evs][-4:] == ["TaskStarted", "TaskSubmitted", "TaskTimedOut", "ExecutionFailed"]
    assert elapsed(evs, "TaskSubmitted") == 10.0
    assert elapsed(evs, "TaskTimedOut") == 15.0


def test_callback_timeout_still_counts_from_the_task_start(aws):
    """ASL-TASK-04: TimeoutSeconds counts from the task's start, also across the invoked call."""
    sfn = aws.stepfunctions
    sfn.task(FN + "slow")(lambda event, context: context.sleep(10) or {})
    ex = start(aws, task("arn:aws:states:::lambda:invoke.waitForTaskToken", TimeoutSeconds=25,
                         Parameters={"FunctionName": "slow", "Payload": {"t.$": "$$.Task.Token"}}))
    advance_to(aws, ex, 24.9)
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 25)
    evs = history(aws, ex)
    assert desc(aws, ex)["status"] == "FAILED"
    assert elapsed(evs, "TaskTimedOut") == 25.0


# --- lambda:invoke FunctionName forms (RES-02) ----------------------------------------------
def test_lambda_invoke_function_name_forms_give_the_invoked_arn(aws):
    """Lambda's Invoke accepts a name, a name with a qualifier, a full ARN and a partial ARN
    (``123456789012:function:name``); the callable's ``context.invoked_function_arn`` is the
    function's ARN in each case."""
    sfn = aws.stepfunctions
    seen = []
    sfn.task(FN + "f")(lambda event, context: seen.append(context.invoked_function_arn) or "ok")
    forms = ["f", "f:prod", FN + "f", "123456789012:function:f", "123456789012:function:f:prod"]
    for i, name in enumerate(forms):
        ex = start(aws, task("arn:aws:states:::lambda:invoke", Parameters={"FunctionName": name}),
                   name=f"sm{i}")
        assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert seen == [FN + "f", FN + "f:prod", FN + "f", FN + "f", FN + "f:prod"]


# --- optimized integrations have a fixed action list (DDB-01) ----------------------------------
def test_optimized_dynamodb_has_only_the_four_item_actions(aws):
    """DDB-01: ``arn:aws:states:::dynamodb:`` offers getItem, putItem, updateItem and deleteItem
    only; other actions exist as AWS SDK integrations (``aws-sdk:dynamodb:query``). Such a
    definition is refused when created (it ran, and failed only at run time, as 'not emulated')."""
    from emulator.stepfunctions.asl import validate_messages as msg

    sfn = aws.stepfunctions
    for resource in ("arn:aws:states:::dynamodb:query", "arn:aws:states:::dynamodb:scan",
                     "arn:aws:states:::lambda:invokeAsync", "arn:aws:states:::states:describeExecution"):
        report = sfn.validate_state_machine_definition(definition=json.dumps(task(resource)))
        assert report["result"] == "FAIL"
        assert [(d["code"], d["message"], d["location"]) for d in report["diagnostics"]] == [
            ("SCHEMA_VALIDATION_FAILED", msg.UNKNOWN_RESOURCE.format(arn=resource), "/States/T/Resource")]
    for resource in ("arn:aws:states:::dynamodb:getItem", "arn:aws:states:::dynamodb:deleteItem",
                     "arn:aws:states:::aws-sdk:dynamodb:query", "arn:aws:states:::lambda:invoke",
                     "arn:aws:states:::states:startExecution.sync:2"):
        assert sfn.validate_state_machine_definition(definition=json.dumps(task(resource)))["result"] == "OK"


# --- revisions (API-03, API-16) --------------------------------------------------------------
def test_each_update_is_a_new_revision_even_at_one_instant(aws):
    """API-16: PublishStateMachineVersion's ``revisionId`` guards against publishing a state
    machine that changed since the caller last updated it (ConflictException). Two updates at
    one virtual instant are two revisions: the first one's id no longer matches."""
    sfn = aws.stepfunctions
    d1 = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": True}}})
    d2 = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": True}}})
    d3 = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 3, "End": True}}})
    arn = sfn.create_state_machine(name="rev", definition=d1, roleArn=ROLE)["stateMachineArn"]
    first = sfn.update_state_machine(stateMachineArn=arn, definition=d2)["revisionId"]
    second = sfn.update_state_machine(stateMachineArn=arn, definition=d3)["revisionId"]
    assert first != second
    assert sfn.describe_state_machine(stateMachineArn=arn)["revisionId"] == second
    try:
        sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=first)
        raise AssertionError("expected ConflictException")
    except sfn.exceptions.ConflictException as exc:
        assert exc.response["Error"]["Message"] == (
            f"Failed to publish the State Machine version for revision {first}. "
            f"The current State Machine revision is {second}.")
    version = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=second)["stateMachineVersionArn"]
    ex = sfn.start_execution(stateMachineArn=version)["executionArn"]
    assert desc(aws, ex)["output"] == "3"


# --- a sibling's failure aborts everything nested in the other branches (MAP-05, PAR-03) -------
def _nested_failure_machine(fn_arn):
    inner = {"Type": "Map", "ItemsPath": "$.xs", "End": True, "ItemProcessor": {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 13, "Next": "F"}], "Default": "W"},
        "W": {"Type": "Wait", "Seconds": 2, "Next": "T"},
        "T": {"Type": "Task", "Resource": fn_arn, "End": True},
        "F": {"Type": "Fail", "Error": "Unlucky", "Cause": "13"}}}}
    par = {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "IM", "States": {"IM": inner}},
        {"StartAt": "W2", "States": {"W2": {"Type": "Wait", "Seconds": 10, "Next": "T2"},
                                     "T2": {"Type": "Task", "Resource": fn_arn, "End": True}}}]}
    return {"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.groups", "ItemProcessor": {"StartAt": "Par", "States": {"Par": par}},
              "Catch": [{"ErrorEquals": ["Unlucky"], "ResultPath": "$.err", "Next": "Done"}], "Next": "Done"},
        "Done": {"Type": "Wait", "Seconds": 30, "End": True}}}


def test_sibling_failure_aborts_nested_map_and_parallel_work(aws):
    """MAP-05/PAR-03: a failing iteration stops the other iterations — and what they run: the Map
    inside their Parallel, its iterations' Waits and Tasks, the Parallel's other branch. Nothing of
    them runs on after the Map is caught (their Waits fired later and their Tasks ran, recording
    events after ``MapStateExited``). The inner aborts are recorded innermost first, as for
    StopExecution."""
    calls = []
    aws.stepfunctions.task(FN + "work")(lambda event, context: calls.append(event) or "done")
    ex = start(aws, _nested_failure_machine(FN + "work"), {"groups": [{"xs": [1, 2]}, {"xs": [13]}]})
    assert desc(aws, ex)["status"] == "SUCCEEDED"
    assert calls == []
    evs = history(aws, ex)
    types = [e["type"] for e in evs]
    exited = types.index("MapStateExited")
    assert types[exited:] == ["MapStateExited", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"]
    assert elapsed(evs, "WaitStateExited") == 30.0
    failed = types.index("MapIterationFailed", types.index("ParallelStateFailed"))
    assert types[failed:exited] == ["MapIterationFailed", "MapIterationAborted", "MapIterationAborted",
                                    "MapStateAborted", "ParallelStateAborted", "MapIterationAborted",
                                    "MapStateFailed"]
    aborted = [e["mapIterationAbortedEventDetails"] for e in evs if e["type"] == "MapIterationAborted"]
    assert aborted == [{"index": 0, "name": "IM"}, {"index": 1, "name": "IM"}, {"index": 0, "name": "M"}]
    assert aws.stepfunctions._service.scheduler.pending() == 0


def test_parallel_branch_failure_aborts_a_map_in_the_other_branch(aws):
    """PAR-03: the other branches are stopped, including the iterations of a Map they run."""
    calls = []
    aws.stepfunctions.task(FN + "work")(lambda event, context: calls.append(event) or "done")
    definition = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "ItemProcessor": {"StartAt": "W", "States": {
            "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
            "T": {"Type": "Task", "Resource": FN + "work", "End": True}}}}}},
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Stop", "Cause": "now"}}}]}}}
    ex = start(aws, definition, [1, 2, 3])
    aws.stepfunctions.run_until_idle(include_timeouts=True)
    d = desc(aws, ex)
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Stop", "now")
    assert calls == []
    types = [e["type"] for e in history(aws, ex)]
    assert types[-7:] == ["FailStateEntered", "MapIterationAborted", "MapIterationAborted", "MapIterationAborted",
                          "MapStateAborted", "ParallelStateFailed", "ExecutionFailed"]


# --- what a Python Lambda may return (RES-01/RES-03) -----------------------------------------
def test_decimal_results_are_numbers_as_in_the_lambda_python_runtime(aws):
    """The Lambda Python runtime encodes ``decimal.Decimal`` (what boto3's DynamoDB resource
    returns) as its number text (awslambdaric ``lambda_runtime_marshaller``); it was a
    ``Runtime.MarshalError`` here. Other non-JSON values still are."""
    from decimal import Decimal

    sfn = aws.stepfunctions
    sfn.task(FN + "item")(lambda event, context: {"id": Decimal("123"), "price": Decimal("9.50"),
                                                  "big": Decimal("12345678901234567890"),
                                                  "sci": Decimal("1E+2"), "list": [Decimal("-0.5")]})
    ex = start(aws, task(FN + "item"))
    d = desc(aws, ex)
    assert d["status"] == "SUCCEEDED"
    assert d["output"] == '{"id":123,"price":9.5,"big":12345678901234567890,"sci":100.0,"list":[-0.5]}'
    sfn.task(FN + "set")(lambda event, context: {"tags": {"a"}})
    d = desc(aws, start(aws, task(FN + "set"), name="sm2"))
    assert d["error"] == "Runtime.MarshalError"
    assert json.loads(d["cause"])["errorMessage"] == (
        "Unable to marshal response: Object of type set is not JSON serializable")


def test_lambda_error_stack_trace_is_formatted_as_the_runtime_does(aws):
    """RES-03/ERR-09: the cause is the runtime's error JSON; its ``stackTrace`` lines are
    ``traceback.format_list`` of (file, line, function, text) tuples (awslambdaric), which carry
    no Python 3.11+ ``^^^^`` position markers."""
    class Oops(Exception):
        pass

    def handler(event, context):
        return {"v": 1 + int(event["n"]) if event["n"] else _raise(Oops("bad " + str(event["n"])))}

    def _raise(exc):
        raise exc

    aws.stepfunctions.task(FN + "f")(handler)
    d = desc(aws, start(aws, task(FN + "f"), {"n": 0}))
    cause = json.loads(d["cause"])
    assert (d["error"], cause["errorType"], cause["errorMessage"]) == ("Oops", "Oops", "bad 0")
    assert list(cause) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert len(cause["stackTrace"]) == 2
    for line in cause["stackTrace"]:
        assert line.startswith('  File "') and line.endswith("\n") and "^" not in line
        assert line.count("\n") == 2  # the 'File ...' line and the source line


def test_lambda_invoke_event_and_dry_run_invocation_types(aws):
    """Lambda Invoke API (StatusCode): "For the RequestResponse invocation type, this status code
    is 200. For the Event invocation type, this status code is 202. For the DryRun invocation
    type, the status code is 204." An Event invocation runs the function but discards its
    result — and its error (the task was failed by it); a DryRun does not run it."""
    sfn = aws.stepfunctions
    calls = []

    @sfn.task(FN + "async")
    def handler(event, context):
        calls.append(event)
        raise RuntimeError("async failure is not the task's")

    for i, (kind, status) in enumerate((("Event", 202), ("DryRun", 204))):
        ex = start(aws, task("arn:aws:states:::lambda:invoke",
                             Parameters={"FunctionName": "async", "InvocationType": kind, "Payload": {"i": i}}),
                   name=f"sm{i}")
        d = desc(aws, ex)
        assert d["status"] == "SUCCEEDED"
        out = json.loads(d["output"])
        assert (out["StatusCode"], out["SdkHttpMetadata"]["HttpStatusCode"], out["Payload"]) == (status, status, "")
    assert calls == [{"i": 0}]


def test_event_invocation_starts_the_callback_heartbeat_at_once(aws):
    """ASL-TASK-04: for a callback task "the heartbeat clock starts when the invoked call returns
    (Lambda: after the function returns; async InvocationType: Event: immediately)"."""
    sfn = aws.stepfunctions
    sfn.task(FN + "slow")(lambda event, context: context.sleep(10) or {})
    ex = start(aws, task("arn:aws:states:::lambda:invoke.waitForTaskToken", HeartbeatSeconds=5,
                         Parameters={"FunctionName": "slow", "InvocationType": "Event",
                                     "Payload": {"t.$": "$$.Task.Token"}}))
    advance_to(aws, ex, 4.9)
    assert desc(aws, ex)["status"] == "RUNNING"
    advance_to(aws, ex, 5)
    evs = history(aws, ex)
    assert desc(aws, ex)["status"] == "FAILED"
    assert (elapsed(evs, "TaskSubmitted"), elapsed(evs, "TaskTimedOut")) == (0.0, 5.0)
