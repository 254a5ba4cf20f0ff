"""Step Functions API rules (reference §11): names, ARNs, state machines, executions, history,
tags, validation — request → response, or exact error code + message."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import ROLE, desc

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}})
QUEUE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
CALLBACK = json.dumps(
    {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": QUEUE,
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        },
    }
)


@pytest.fixture(autouse=True)
def _queue(request):
    """A stand-in for SQS: accepts the message; the execution then waits for its task token.

    Not on the remote door, which has no task registration (its callback tests are no_remote);
    ``aws`` is asked for lazily so that the other tests here can run remotely."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("door") == "remote":
        return
    request.getfixturevalue("aws").stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})


def sm_arn(name: str) -> str:
    return f"arn:aws:states:us-east-1:123456789012:stateMachine:{name}"


def create(sfn, name="sm", definition=PASS, **kw):
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, **kw)["stateMachineArn"]


# --- names and ARNs (API-N-01, API-N-02) -----------------------------------------------------------
@pytest.mark.parametrize("name", ["a b", "x<y", "q?", "c:d", "", "a" * 81, "tab\t", "semi;"])
def test_invalid_state_machine_names(sfn, name):
    with pytest.raises(Exception) as exc:
        create(sfn, name=name)
    assert error_of(exc) == ("InvalidName", f"Invalid Name: '{name}'")


def test_non_ascii_names_are_allowed(sfn):
    assert create(sfn, name="état-machine_1").endswith(":stateMachine:état-machine_1")


def test_malformed_arn_is_invalid_arn(sfn):
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine(stateMachineArn="not-an-arn")
    assert error_of(exc) == ("InvalidArn", "Invalid Arn: 'not-an-arn'")


def test_unknown_state_machine(sfn):
    arn = sm_arn("nope")
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert error_of(exc) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")


# --- state machines (API-01..API-05) -------------------------------------------------------------
def test_create_and_describe(sfn):
    arn = create(sfn)
    assert arn == sm_arn("sm")
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["name"] == "sm" and d["status"] == "ACTIVE" and d["type"] == "STANDARD"
    assert d["definition"] == PASS and d["roleArn"] == ROLE
    assert d["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert d["tracingConfiguration"] == {"enabled": False}
    assert d["encryptionConfiguration"] == {"type": "AWS_OWNED_KEY"}


def test_create_is_idempotent_on_same_definition(sfn):
    a = sfn.create_state_machine(name="sm", definition=PASS, roleArn=ROLE)
    b = sfn.create_state_machine(name="sm", definition=PASS, roleArn=ROLE + "-other")
    assert a["stateMachineArn"] == b["stateMachineArn"] and a["creationDate"] == b["creationDate"]


def test_create_with_other_definition_already_exists(sfn):
    create(sfn)
    with pytest.raises(Exception) as exc:
        create(sfn, definition=WAIT)
    assert error_of(exc) == ("StateMachineAlreadyExists", f"State Machine Already Exists: '{sm_arn('sm')}'")


def test_invalid_definition_message(sfn):
    bad = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    with pytest.raises(Exception) as exc:
        create(sfn, definition=bad)
    code, message = error_of(exc)
    assert code == "InvalidDefinition"
    assert message.startswith("Invalid State Machine Definition: '")
    assert "MISSING_TRANSITION_TARGET" in message


def test_version_description_needs_publish(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, versionDescription="v1")
    assert error_of(exc) == (
        "ValidationException",
        "Version description can only be set when publish is true",
    )


def test_update_requires_something(sfn):
    arn = create(sfn)
    with pytest.raises(Exception) as exc:
        sfn.update_state_machine(stateMachineArn=arn)
    assert error_of(exc) == (
        "MissingRequiredParameter",
        "Either the definition, the role ARN, the "
        "LoggingConfiguration, or the TracingConfiguration must be specified",
    )


def test_update_changes_definition_and_revision(sfn):
    arn = create(sfn)
    out = sfn.update_state_machine(stateMachineArn=arn, definition=WAIT)
    assert out["revisionId"]
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["definition"] == WAIT and d["revisionId"] == out["revisionId"]


def test_running_execution_keeps_old_definition(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=CALLBACK)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=PASS)
    assert sfn.describe_state_machine_for_execution(executionArn=ex)["definition"] == CALLBACK


def test_list_state_machines_paginates(sfn):
    for i in range(5):
        create(sfn, name=f"sm{i}")
    first = sfn.list_state_machines(maxResults=2)
    assert [m["name"] for m in first["stateMachines"]] == ["sm0", "sm1"]
    second = sfn.list_state_machines(maxResults=2, nextToken=first["nextToken"])
    assert [m["name"] for m in second["stateMachines"]] == ["sm2", "sm3"]
    third = sfn.list_state_machines(maxResults=2, nextToken=second["nextToken"])
    assert [m["name"] for m in third["stateMachines"]] == ["sm4"] and "nextToken" not in third


def test_max_results_over_1000(sfn):
    with pytest.raises(Exception) as exc:
        sfn.list_state_machines(maxResults=1001)
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value '1001' at "
        "'maxResults' failed to satisfy constraint: Member must have value less "
        "than or equal to 1000",
    )


def test_bad_next_token(sfn):
    with pytest.raises(Exception) as exc:
        sfn.list_state_machines(nextToken="garbage")
    assert error_of(exc) == ("InvalidToken", "Invalid Token: 'garbage'")


def test_delete_state_machine(sfn):
    arn = create(sfn)
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert error_of(exc)[0] == "StateMachineDoesNotExist"
    sfn.delete_state_machine(stateMachineArn=arn)  # deleting again succeeds (API-04)


# --- executions (API-06..API-12) -----------------------------------------------------------------
def test_start_and_describe_execution(sfn):
    arn = create(sfn)
    run = sfn.start_execution(stateMachineArn=arn, name="run1", input='{"a": 1}')
    assert run["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:sm:run1"
    d = sfn.describe_execution(executionArn=run["executionArn"])
    assert d["status"] == "SUCCEEDED" and d["output"] == '{"a":1}' and d["input"] == '{"a": 1}'
    assert d["stateMachineArn"] == arn and d["name"] == "run1"
    assert d["redriveStatus"] == "NOT_REDRIVABLE"
    assert d["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"


def test_default_input_is_empty_object(sfn):
    run = sfn.start_execution(stateMachineArn=create(sfn))
    assert sfn.describe_execution(executionArn=run["executionArn"])["input"] == "{}"


def test_invalid_execution_input(sfn):
    with pytest.raises(Exception) as exc:
        sfn.start_execution(stateMachineArn=create(sfn), input="not json")
    code, message = error_of(exc)
    assert code == "InvalidExecutionInput"
    assert message.startswith("Invalid State Machine Execution Input: 'Unrecognized token 'not'")


def test_execution_input_limit_is_256_kib_of_utf8(sfn):
    # LIM-01 / botocore SensitiveData max 262144: the input's UTF-8 bytes are counted, not characters.
    arn = create(sfn)
    sfn.start_execution(stateMachineArn=arn, name="fits", input='"' + "é" * 131_071 + '"')  # 262144 bytes
    with pytest.raises(Exception) as exc:
        sfn.start_execution(stateMachineArn=arn, name="over", input='"' + "é" * 131_072 + '"')
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value at 'input' failed to "
        "satisfy constraint: Member must have length less than or equal to 262144",
    )


def test_invalid_execution_name(sfn):
    with pytest.raises(Exception) as exc:
        sfn.start_execution(stateMachineArn=create(sfn), name="a/b")
    assert error_of(exc) == ("InvalidName", "Invalid Name: 'a/b'")


def test_same_name_same_input_while_running_is_idempotent(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=CALLBACK)
    a = sfn.start_execution(stateMachineArn=arn, name="x", input='{"k":1}')
    b = sfn.start_execution(stateMachineArn=arn, name="x", input='{"k":1}')
    assert a == b


def test_same_name_different_input_already_exists(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=CALLBACK)
    run = sfn.start_execution(stateMachineArn=arn, name="x", input='{"k":1}')
    with pytest.raises(Exception) as exc:
        sfn.start_execution(stateMachineArn=arn, name="x", input='{"k":2}')
    assert error_of(exc) == ("ExecutionAlreadyExists", f"Execution Already Exists: '{run['executionArn']}'")


def test_same_name_after_close_already_exists(sfn):
    arn = create(sfn)
    run = sfn.start_execution(stateMachineArn=arn, name="x")
    with pytest.raises(Exception) as exc:
        sfn.start_execution(stateMachineArn=arn, name="x")
    assert error_of(exc) == ("ExecutionAlreadyExists", f"Execution Already Exists: '{run['executionArn']}'")


def test_unknown_execution(sfn):
    arn = "arn:aws:states:us-east-1:123456789012:execution:sm:nope"
    with pytest.raises(Exception) as exc:
        sfn.describe_execution(executionArn=arn)
    assert error_of(exc) == ("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")


def test_stop_execution(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=CALLBACK)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    sfn.stop_execution(executionArn=ex, error="E", cause="C")
    d = sfn.describe_execution(executionArn=ex)
    assert (d["status"], d["error"], d["cause"]) == ("ABORTED", "E", "C")
    last = sfn.get_execution_history(executionArn=ex, reverseOrder=True)["events"][0]
    assert last["type"] == "ExecutionAborted" and last["previousEventId"] == 0
    assert last["executionAbortedEventDetails"] == {"error": "E", "cause": "C"}


def test_stop_without_error_has_empty_details(aws):
    sfn = aws.stepfunctions
    ex = sfn.start_execution(stateMachineArn=create(sfn, definition=CALLBACK))["executionArn"]
    sfn.stop_execution(executionArn=ex)
    last = sfn.get_execution_history(executionArn=ex, reverseOrder=True)["events"][0]
    assert last["executionAbortedEventDetails"] == {}


def test_start_sync_on_standard_is_not_supported(sfn):
    with pytest.raises(Exception) as exc:
        sfn.start_sync_execution(stateMachineArn=create(sfn))
    assert error_of(exc) == (
        "StateMachineTypeNotSupported",
        "This operation is not supported by this type of state machine",
    )


@pytest.mark.no_remote("the virtual clock: the 10 s Wait takes exactly 10 s")
def test_start_sync_express(sfn):
    arn = create(sfn, name="ex", definition=WAIT, type="EXPRESS")
    out = sfn.start_sync_execution(stateMachineArn=arn, input='{"v":1}')
    assert out["status"] == "SUCCEEDED" and out["output"] == '{"v":1}'
    assert ":express:ex:" in out["executionArn"]
    assert (out["stopDate"] - out["startDate"]).total_seconds() == pytest.approx(10)
    assert out["billingDetails"]["billedDurationInMilliseconds"] == 10000


def test_start_sync_failure_is_200(sfn):
    d = json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}})
    out = sfn.start_sync_execution(stateMachineArn=create(sfn, name="ex", definition=d, type="EXPRESS"))
    assert (out["status"], out["error"], out["cause"]) == ("FAILED", "E", "C")
    assert "output" not in out


def test_list_executions_newest_first_status_filter_and_pages(aws):
    sfn = aws.stepfunctions
    arn = create(sfn)
    for i in range(3):
        sfn.start_execution(stateMachineArn=arn, name=f"e{i}")
        aws.clock.advance(1)
    names = [e["name"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]]
    assert names == ["e2", "e1", "e0"]
    page = sfn.list_executions(stateMachineArn=arn, maxResults=2)
    assert len(page["executions"]) == 2
    rest = sfn.list_executions(stateMachineArn=arn, maxResults=2, nextToken=page["nextToken"])
    assert [e["name"] for e in rest["executions"]] == ["e0"]
    assert sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"] == []


def test_list_executions_bad_status_filter(sfn):
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=create(sfn), statusFilter="succeeded")
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value 'succeeded' at "
        "'statusFilter' failed to satisfy constraint: Member must satisfy enum value "
        "set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]",
    )


def test_list_executions_redrive_filter(sfn):
    arn = create(sfn)
    sfn.start_execution(stateMachineArn=arn, name="e0")
    assert sfn.list_executions(stateMachineArn=arn, redriveFilter="REDRIVEN")["executions"] == []
    assert [
        e["name"]
        for e in sfn.list_executions(stateMachineArn=arn, redriveFilter="NOT_REDRIVEN")["executions"]
    ] == ["e0"]


def test_delete_state_machine_stops_its_running_executions(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=CALLBACK)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    # API-04 is asynchronous: the execution runs on (until its next transition), the machine is
    # DELETING, and it goes once its last execution ends (here: stopped).
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    assert sfn.describe_state_machine(stateMachineArn=arn)["status"] == "DELETING"
    sfn.stop_execution(executionArn=ex)
    assert sfn.describe_execution(executionArn=ex)["status"] == "ABORTED"
    assert sfn.list_state_machines()["stateMachines"] == []


# --- history (API-11, HIS-*) ---------------------------------------------------------------------
def test_history_order_pagination_and_data(sfn):
    arn = create(sfn)
    ex = sfn.start_execution(stateMachineArn=arn, input='{"a":1}')["executionArn"]
    events = sfn.get_execution_history(executionArn=ex)["events"]
    assert [(e["id"], e["previousEventId"], e["type"]) for e in events] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "PassStateEntered"),
        (3, 2, "PassStateExited"),
        (4, 3, "ExecutionSucceeded"),
    ]
    assert events[1]["stateEnteredEventDetails"] == {
        "name": "P",
        "input": '{"a":1}',
        "inputDetails": {"truncated": False},
    }
    rev = sfn.get_execution_history(executionArn=ex, reverseOrder=True)["events"]
    assert [e["id"] for e in rev] == [4, 3, 2, 1]
    p1 = sfn.get_execution_history(executionArn=ex, maxResults=3)
    p2 = sfn.get_execution_history(executionArn=ex, maxResults=3, nextToken=p1["nextToken"])
    assert [e["id"] for e in p1["events"] + p2["events"]] == [1, 2, 3, 4]
    bare = sfn.get_execution_history(executionArn=ex, includeExecutionData=False)["events"]
    assert bare[1]["stateEnteredEventDetails"] == {"name": "P", "inputDetails": {"truncated": False}}
    assert "output" not in bare[3]["executionSucceededEventDetails"]


# --- pagination tokens while the list changes (API-N-03) -------------------------------------------
def test_list_executions_pages_neither_repeat_nor_skip_when_a_new_execution_starts(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=WAIT)
    for i in range(4):
        sfn.start_execution(stateMachineArn=arn, name=f"e{i}")
    first = sfn.list_executions(stateMachineArn=arn, maxResults=2)
    assert [e["name"] for e in first["executions"]] == ["e3", "e2"]
    sfn.start_execution(stateMachineArn=arn, name="late")  # lands on top of the newest-first list
    rest = sfn.list_executions(stateMachineArn=arn, maxResults=2, nextToken=first["nextToken"])
    assert [e["name"] for e in rest["executions"]] == ["e1", "e0"] and "nextToken" not in rest


def test_list_executions_status_filter_page_survives_an_execution_closing(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=CALLBACK)
    for i in range(3):
        sfn.start_execution(stateMachineArn=arn, name=f"e{i}")
    first = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING", maxResults=1)
    assert [e["name"] for e in first["executions"]] == ["e2"]
    e1 = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"][1]["executionArn"]
    sfn.stop_execution(executionArn=e1)  # the first item of the next page leaves the filter
    rest = sfn.list_executions(
        stateMachineArn=arn, statusFilter="RUNNING", maxResults=1, nextToken=first["nextToken"]
    )
    assert [e["name"] for e in rest["executions"]] == ["e0"]


def test_reverse_history_pages_continue_below_new_events(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, definition=CALLBACK)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    ids = [e["id"] for e in sfn.get_execution_history(executionArn=ex, reverseOrder=True)["events"]]
    p1 = sfn.get_execution_history(executionArn=ex, reverseOrder=True, maxResults=2)
    assert [e["id"] for e in p1["events"]] == ids[:2]
    token = next(iter(aws.stepfunctions._service.tokens))
    sfn.send_task_success(taskToken=token, output="{}")  # new events land on top
    p2 = sfn.get_execution_history(executionArn=ex, reverseOrder=True, nextToken=p1["nextToken"])
    assert [e["id"] for e in p2["events"]] == ids[2:] and "nextToken" not in p2


@pytest.mark.no_remote("the virtual clock: the machines are created at one instant")
def test_list_state_machines_pages_hold_when_machines_come_and_go_at_one_instant(sfn):
    for name in ("b", "d", "f"):
        create(sfn, name=name)  # the virtual clock stands still: one creationDate for all
    first = sfn.list_state_machines(maxResults=1)
    assert [m["name"] for m in first["stateMachines"]] == ["b"]
    create(sfn, name="a")  # sorts before the page already read
    sfn.delete_state_machine(stateMachineArn=sm_arn("d"))  # the first item of the next page goes
    rest = sfn.list_state_machines(nextToken=first["nextToken"])
    assert [m["name"] for m in rest["stateMachines"]] == ["f"]


def test_next_token_of_another_listing_or_too_long(sfn):
    a, b = create(sfn, name="a", definition=WAIT), create(sfn, name="b", definition=WAIT)
    for i in range(2):
        sfn.start_execution(stateMachineArn=a, name=f"x{i}")
    token = sfn.list_executions(stateMachineArn=a, maxResults=1)["nextToken"]
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=b, nextToken=token)
    assert error_of(exc) == ("InvalidToken", f"Invalid Token: '{token}'")
    with pytest.raises(Exception) as exc:
        sfn.list_state_machines(nextToken="t" * 1025)
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value '"
        + "t" * 1025
        + "' at 'nextToken' failed to satisfy constraint: Member must have length "
        "less than or equal to 1024",
    )
    with pytest.raises(Exception) as exc:  # both problems in one answer, joined like AWS's validator
        sfn.list_executions(stateMachineArn=a, maxResults=1001, nextToken="t" * 3097)
    assert error_of(exc) == (
        "ValidationException",
        "2 validation errors detected: Value '1001' at "
        "'maxResults' failed to satisfy constraint: Member must have value less than "
        "or equal to 1000; Value '" + "t" * 3097 + "' at 'nextToken' failed to "
        "satisfy constraint: Member must have length less than or equal to 3096",
    )


def test_express_execution_arn_not_valid_for_history(sfn):
    arn = create(sfn, name="ex", type="EXPRESS")
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    with pytest.raises(Exception) as exc:
        sfn.get_execution_history(executionArn=ex)
    assert error_of(exc) == ("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")


# --- tags (API-21) -------------------------------------------------------------------------------
def test_tags(sfn):
    arn = create(sfn, tags=[{"key": "a", "value": "1"}])
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "b", "value": "2"}])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"key": "a", "value": "1"},
        {"key": "b", "value": "2"},
    ]
    sfn.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "b", "value": "2"}]


def test_tag_unknown_resource(sfn):
    arn = sm_arn("nope")
    with pytest.raises(Exception) as exc:
        sfn.list_tags_for_resource(resourceArn=arn)
    assert error_of(exc) == ("ResourceNotFound", f"Resource not found: '{arn}'")


def test_too_many_tags(sfn):
    arn = create(sfn)
    with pytest.raises(Exception) as exc:
        sfn.tag_resource(resourceArn=arn, tags=[{"key": f"k{i}", "value": ""} for i in range(51)])
    assert error_of(exc)[0] == "TooManyTags"


# --- validation (API-13) -------------------------------------------------------------------------
def test_validate_ok_and_fail(sfn):
    assert sfn.validate_state_machine_definition(definition=PASS) == {
        "result": "OK",
        "diagnostics": [],
        "truncated": False,
    }
    bad = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    out = sfn.validate_state_machine_definition(definition=bad)
    assert out["result"] == "FAIL"
    assert out["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"


def test_unknown_operation_is_aws_error(aws):
    svc = aws.service("stepfunctions")
    with pytest.raises(Exception) as exc:
        svc.call("NoSuchThing", {})
    assert error_of(exc) == ("UnknownOperationException", "Unknown operation NoSuchThing")


# --- versions (API-16) ---------------------------------------------------------------------------
def test_publish_versions_and_run_one(sfn):
    out = sfn.create_state_machine(
        name="v", definition=PASS, roleArn=ROLE, publish=True, versionDescription="first"
    )
    v1 = out["stateMachineVersionArn"]
    assert v1 == sm_arn("v") + ":1"
    upd = sfn.update_state_machine(stateMachineArn=sm_arn("v"), definition=WAIT, publish=True)
    assert upd["stateMachineVersionArn"] == sm_arn("v") + ":2"
    # publishing an unchanged revision is idempotent
    again = sfn.publish_state_machine_version(stateMachineArn=sm_arn("v"))
    assert again["stateMachineVersionArn"] == sm_arn("v") + ":2"
    d = sfn.describe_state_machine(stateMachineArn=v1)
    assert d["stateMachineArn"] == v1 and d["definition"] == PASS and d["description"] == "first"
    listed = sfn.list_state_machine_versions(stateMachineArn=sm_arn("v"))["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in listed] == [sm_arn("v") + ":2", v1]
    run = sfn.start_execution(stateMachineArn=v1, name="on-v1")
    d = sfn.describe_execution(executionArn=run["executionArn"])
    assert d["status"] == "SUCCEEDED" and d["stateMachineVersionArn"] == v1
    assert run["executionArn"].endswith(":execution:v:on-v1")
    started = sfn.get_execution_history(executionArn=run["executionArn"])["events"][0]
    assert started["executionStartedEventDetails"]["stateMachineVersionArn"] == v1
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=v1)["executions"]] == ["on-v1"]
    sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine(stateMachineArn=v1)
    assert error_of(exc) == ("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{v1}'")


def test_publish_with_stale_revision_conflicts(sfn):
    arn = create(sfn, name="r")
    with pytest.raises(Exception) as exc:
        sfn.publish_state_machine_version(stateMachineArn=arn, revisionId="nope")
    assert error_of(exc)[0] == "ConflictException"


# --- aliases (API-17) ----------------------------------------------------------------------------
def test_alias_routes_to_versions(sfn):
    v1 = sfn.create_state_machine(name="al", definition=PASS, roleArn=ROLE, publish=True)[
        "stateMachineVersionArn"
    ]
    v2 = sfn.update_state_machine(stateMachineArn=sm_arn("al"), definition=WAIT, publish=True)[
        "stateMachineVersionArn"
    ]
    alias = sfn.create_state_machine_alias(
        name="prod", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}]
    )["stateMachineAliasArn"]
    assert alias == sm_arn("al") + ":prod"
    d = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert d["name"] == "prod" and d["routingConfiguration"] == [
        {"stateMachineVersionArn": v1, "weight": 100}
    ]
    run = sfn.start_execution(stateMachineArn=alias)
    e = sfn.describe_execution(executionArn=run["executionArn"])
    assert e["stateMachineAliasArn"] == alias and e["stateMachineVersionArn"] == v1
    sfn.update_state_machine_alias(
        stateMachineAliasArn=alias,
        routingConfiguration=[
            {"stateMachineVersionArn": v1, "weight": 0},
            {"stateMachineVersionArn": v2, "weight": 100},
        ],
    )
    run = sfn.start_execution(stateMachineArn=alias)
    assert sfn.describe_execution(executionArn=run["executionArn"])["stateMachineVersionArn"] == v2
    assert len(sfn.list_executions(stateMachineArn=alias)["executions"]) == 2
    listed = sfn.list_state_machine_aliases(stateMachineArn=sm_arn("al"))["stateMachineAliases"]
    assert [a["stateMachineAliasArn"] for a in listed] == [alias]
    with pytest.raises(Exception) as exc:
        sfn.delete_state_machine_version(stateMachineVersionArn=v2)
    assert error_of(exc)[0] == "ConflictException"
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(Exception) as exc:
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert error_of(exc) == ("ResourceNotFound", f"Resource not found: '{alias}'")


def test_alias_weights_must_sum_to_100(sfn):
    v1 = sfn.create_state_machine(name="w", definition=PASS, roleArn=ROLE, publish=True)[
        "stateMachineVersionArn"
    ]
    with pytest.raises(Exception) as exc:
        sfn.create_state_machine_alias(
            name="a", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50}]
        )
    assert error_of(exc) == (
        "ValidationException",
        "Sum of routing configuration weights must be equal to 100",
    )


# --- revisions (API-03, API-16) ------------------------------------------------------------------


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
            f"The current State Machine revision is {second}."
        )
    version = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=second)[
        "stateMachineVersionArn"
    ]
    ex = sfn.start_execution(stateMachineArn=version)["executionArn"]
    assert desc(aws, ex)["output"] == "3"


# --- CreateStateMachine defaults, DescribeStateMachineForExecution, SendTask* limits (API-01/02/12/19)


def test_api_01_02_create_defaults_and_metadata_only(aws):
    sfn = aws.stepfunctions
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(name="d", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert (d["status"], d["type"]) == ("ACTIVE", "STANDARD")
    assert d["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert d["tracingConfiguration"] == {"enabled": False}
    assert d["encryptionConfiguration"] == {"type": "AWS_OWNED_KEY"}
    meta = sfn.describe_state_machine(stateMachineArn=arn, includedData="METADATA_ONLY")
    assert meta["definition"] == "{}"
    # idempotent on the definition: another roleArn is ignored, same ARN and creation date
    again = sfn.create_state_machine(name="d", definition=json.dumps(definition), roleArn=ROLE + "2")
    assert (again["stateMachineArn"], again["creationDate"]) == (arn, d["creationDate"])


def test_api_12_describe_state_machine_for_execution_is_the_revision_it_ran(aws):
    sfn = aws.stepfunctions
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    first = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": QUEUE,
                "End": True,
                "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
            }
        },
    }
    arn = sfn.create_state_machine(name="r", definition=json.dumps(first), roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    second = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(second), roleArn=ROLE + "2")
    d = sfn.describe_state_machine_for_execution(executionArn=ex)
    assert (d["stateMachineArn"], d["name"]) == (arn, "r")
    assert json.loads(d["definition"]) == first and d["roleArn"] == ROLE
    assert d["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert d["tracingConfiguration"] == {"enabled": False} and "updateDate" in d


def test_api_19_send_task_request_limits_are_validation_errors(aws):
    sfn = aws.stepfunctions
    with pytest.raises(Exception) as exc:
        sfn.send_task_failure(taskToken="t", error="e" * 257, cause="c" * 32769)
    assert error_of(exc) == (
        "ValidationException",
        "2 validation errors detected: Value at 'error' failed "
        "to satisfy constraint: Member must have length less than or equal to 256; "
        "Value at 'cause' failed to satisfy constraint: Member must have length less "
        "than or equal to 32768",
    )
    with pytest.raises(Exception) as exc:
        sfn.send_task_success(taskToken="t", output='"' + "x" * 262_143 + '"')
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value at 'output' failed "
        "to satisfy constraint: Member must have length less than or equal to 262144",
    )
    with pytest.raises(Exception) as exc:
        sfn.send_task_heartbeat(taskToken="t" * 2049)
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value '"
        + "t" * 2049
        + "' at 'taskToken' failed to satisfy constraint: Member must have length less "
        "than or equal to 2048",
    )


# A token Step Functions never issued answers InvalidToken "Invalid token" (the text of an external
# suite checked against AWS, issue 11; the API reference: "The provided token is not valid.").
MALFORMED_TOKENS = ["bogus", "AQB8AAAAKgAAAAMAAAAAAAAAAdrhQ3gh", "eyJhbGciOiJIUzI1NiJ9.e30.x", "t" * 2048]


@pytest.mark.parametrize("token", MALFORMED_TOKENS)
@pytest.mark.parametrize("call", ["send_task_success", "send_task_failure", "send_task_heartbeat"])
def test_send_task_with_a_malformed_token_is_invalid_token(sfn, call, token):
    args = {"output": "{}"} if call == "send_task_success" else {}
    with pytest.raises(Exception) as exc:
        getattr(sfn, call)(taskToken=token, **args)
    assert error_of(exc) == ("InvalidToken", "Invalid token")


def test_send_task_with_an_empty_or_over_long_token_is_a_validation_error(sfn):
    # botocore's TaskToken shape: length 1..2048; the Coral text of a length constraint (INF).
    for token, bound in (("", "greater than or equal to 1"), ("t" * 2049, "less than or equal to 2048")):
        with pytest.raises(Exception) as exc:
            sfn.send_task_heartbeat(taskToken=token)
        assert error_of(exc) == (
            "ValidationException",
            f"1 validation error detected: Value '{token}' at 'taskToken' failed to satisfy constraint: "
            f"Member must have length {bound}",
        )


# --- ListExecutions: a state machine or a Map Run (API-10) ---------------------------------------


def test_list_executions_state_machine_and_map_run_together(sfn):
    arn = create(sfn)
    run = "arn:aws:states:us-east-1:123456789012:mapRun:sm/m:1"
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=arn, mapRunArn=run)
    assert error_of(exc) == (
        "ValidationException",
        "Must provide either a StateMachine ARN or a MapRun ARN, not both",
    )


def test_list_executions_pending_redrive_needs_a_map_run(sfn):
    with pytest.raises(Exception) as exc:
        sfn.list_executions(stateMachineArn=create(sfn), statusFilter="PENDING_REDRIVE")
    assert error_of(exc) == (
        "ValidationException",
        "The PENDING_REDRIVE statusFilter can only be used with a MapRun ARN",
    )


# --- tag keys and values: pattern and reserved prefix (API-21) ------------------------------------

KEY_PATTERN = r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"


@pytest.mark.parametrize("key", ["aws:owner", "a#b", "semi;colon", "x<y"])
def test_reserved_or_malformed_tag_key_refused(sfn, key):
    arn = create(sfn)
    with pytest.raises(Exception) as exc:
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "ok", "value": "v"}, {"key": key, "value": "v"}])
    assert error_of(exc) == (
        "ValidationException",
        (
            f"1 validation error detected: Value '{key}' at 'tags.2.member.key' failed to satisfy "
            f"constraint: Member must satisfy regular expression pattern: {KEY_PATTERN}"
        ),
    )
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


# --- DeleteStateMachine is asynchronous (API-04) ---------------------------------------------------

# On the virtual clock StartExecution runs until idle, so the executions below wait on an activity.
ACT = "arn:aws:states:us-east-1:123456789012:activity:work"
ACT2 = "arn:aws:states:us-east-1:123456789012:activity:slow"
TASK_THEN_PASS = json.dumps(
    {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ACT, "Next": "P"}, "P": {"Type": "Pass", "End": True}},
    }
)
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
    for call in (
        lambda: sfn.start_execution(stateMachineArn=arn),
        lambda: sfn.update_state_machine(stateMachineArn=arn, definition=PASS),
        lambda: sfn.publish_state_machine_version(stateMachineArn=arn),
    ):
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
        ("ExecutionStarted", 0),
        ("TaskStateEntered", 0),
        ("ActivityScheduled", 2),
        ("ActivityStarted", 3),
        ("ActivitySucceeded", 4),
        ("TaskStateExited", 5),
        ("ExecutionAborted", 0),
    ]
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
    alias = sfn.create_state_machine_alias(
        name="live",
        routingConfiguration=[{"stateMachineVersionArn": version["stateMachineVersionArn"], "weight": 100}],
    )
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
    branch = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": ACT, "Next": "P"}, "P": {"Type": "Pass", "End": True}},
    }
    slow = {"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": ACT2, "End": True}}}
    arn = create(
        sfn,
        definition=json.dumps(
            {
                "StartAt": "Par",
                "States": {"Par": {"Type": "Parallel", "Branches": [branch, slow], "End": True}},
            }
        ),
    )
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    answer(sfn)
    assert sfn.describe_execution(executionArn=ex)["status"] == "ABORTED"
    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    assert "TaskStateExited" in types and "PassStateEntered" not in types
    assert types[-3:] == ["TaskStateAborted", "ParallelStateAborted", "ExecutionAborted"]
    assert sfn.list_state_machines()["stateMachines"] == []
