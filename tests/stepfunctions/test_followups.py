"""Follow-up fixes of the Step Functions service, one section per fix; each test states the AWS
rule it checks (docs/rules/stepfunctions.md)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import ROLE


def create(sfn, definition, name="sm", **kw):
    return sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, **kw)["stateMachineArn"]


# --- 1. Create/UpdateStateMachine validate the text the caller sent (ASL-VAL-01, ASL-VAL-08) -----
NOT_JSON = "not a definition"
NOT_JSON_MESSAGE = (
    "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Unrecognized token 'not': was "
    "expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: "
    "(String)\"not a definition\"; line: 1, column: 4] at [Source: (String)\"not a definition\"; "
    "line: 1, column: 4]'")
DUPLICATE = ('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, '
             '"B": {"Type": "Pass", "End": true}, "A": {"Type": "Pass", "Next": "B"}}}')
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_create_with_text_that_is_not_json_gets_jacksons_words(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, NOT_JSON)
    assert error_of(exc) == ("InvalidDefinition", NOT_JSON_MESSAGE)


def test_update_with_text_that_is_not_json_gets_jacksons_words(sfn):
    arn = create(sfn, PASS)
    with pytest.raises(Exception) as exc:
        sfn.update_state_machine(stateMachineArn=arn, definition=NOT_JSON)
    assert error_of(exc) == ("InvalidDefinition", NOT_JSON_MESSAGE)


def test_create_and_validate_agree_on_text_that_is_not_json(sfn):
    diag = sfn.validate_state_machine_definition(definition=NOT_JSON)["diagnostics"][0]
    with pytest.raises(Exception) as exc:
        create(sfn, NOT_JSON)
    assert error_of(exc)[1] == (f"Invalid State Machine Definition: '{diag['code']}: {diag['message']} "
                                f"at {diag['location']}'")


def test_state_name_written_twice_in_one_states_object_is_a_duplicate(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, DUPLICATE)
    assert error_of(exc) == ("InvalidDefinition", "Invalid State Machine Definition: "
                             "'DUPLICATE_STATE_NAME: Duplicate State name: A at /States/A'")


def test_update_with_duplicate_state_name_is_refused(sfn):
    arn = create(sfn, PASS)
    with pytest.raises(Exception) as exc:
        sfn.update_state_machine(stateMachineArn=arn, definition=DUPLICATE)
    assert error_of(exc)[0] == "InvalidDefinition"
    assert "DUPLICATE_STATE_NAME: Duplicate State name: A" in error_of(exc)[1]


def test_blank_definition_is_missing_description(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, "   ")
    code, message = error_of(exc)
    assert code == "InvalidDefinition" and message.startswith(
        "Invalid State Machine Definition: 'MISSING_DESCRIPTION: ")


def test_load_validates_once(monkeypatch):
    from emulator.stepfunctions.asl import model, validate

    calls = []
    real = validate.validate
    monkeypatch.setattr(validate, "validate", lambda d, **kw: calls.append(d) or real(d, **kw))
    model.load(PASS)
    assert len(calls) == 1


# --- 2. Wait Timestamp / TimestampPath: one timestamp rule (ASL-ST-07, WAIT-03) ----------------------
def _wait_path_machine(aws, name="w"):
    d = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}}
    return create(aws.stepfunctions, json.dumps(d), name=name)


def _history(sfn, ex):
    return sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]


def _iso(epoch: float) -> str:
    import datetime as dt
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.mark.parametrize("suffix", ["Z", ".000000Z", ".5Z", ".243167252Z", "+00:00", "-00:00"])
def test_timestamp_path_accepted_forms_wait_until_that_instant(aws, suffix):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    due = int(aws.clock.now()) + 3600
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": _iso(due) + suffix}))["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "SUCCEEDED"
    exited = [e for e in _history(sfn, ex) if e["type"] == "WaitStateExited"][0]
    frac = float("0" + suffix[:-1]) if suffix.startswith(".") else 0.0
    assert abs(exited["timestamp"].timestamp() - (due + frac)) < 0.002


def test_timestamp_path_numeric_offset_is_an_instant(aws):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    due = int(aws.clock.now()) + 7200
    ex = sfn.start_execution(stateMachineArn=arn,
                             input=json.dumps({"t": _iso(due + 3600) + "+01:00"}))["executionArn"]
    exited = [e for e in _history(sfn, ex) if e["type"] == "WaitStateExited"][0]
    assert abs(exited["timestamp"].timestamp() - due) < 0.002


@pytest.mark.parametrize("value", [
    "2016-12-05T21:29:29",          # no Z / offset (recorded on AWS)
    "2016-12-05T25:29:29Z",         # hour 25 (recorded on AWS)
    "05-12-2016T21:29:29Z",         # not ISO (recorded on AWS)
    "2016-12-05 21:29:29Z",         # space instead of T
    "20161205T212929Z",             # ISO basic format
    "2016-12-05T21:29:29,5Z",       # comma fraction
    "2016-W49-1T21:29:29Z",         # week date
    "2016-12-05t21:29:29z",         # lowercase t / z
    "2016-12-05T21:29:29+0100",     # offset without colon
])
def test_timestamp_path_rejected_forms_fail_with_aws_words(aws, value):
    sfn = aws.stepfunctions
    arn = _wait_path_machine(aws)
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": value}))["executionArn"]
    d = sfn.describe_execution(executionArn=ex)
    assert (d["status"], d["error"]) == ("FAILED", "States.Runtime")
    assert d["cause"] == ("An error occurred while executing the state 'W' (entered at the event id #2). "
                          "The TimestampPath parameter does not reference a valid ISO-8601 extended "
                          f"offset date-time format string: $.t == {value}")
    assert [e["type"] for e in _history(sfn, ex)] == ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]


@pytest.mark.parametrize("value", ["20161205T212929Z", "2016-12-05T21:29:29,5Z", "2016-12-05T21:29:29"])
def test_jsonata_timestamp_rejected_forms_are_query_evaluation_errors(aws, value):
    sfn = aws.stepfunctions
    d = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {
        "Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}}}
    arn = create(sfn, json.dumps(d))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"t": value}))["executionArn"]
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["error"]) == ("FAILED", "States.QueryEvaluationError")
    assert out["cause"] == ("An error occurred while executing the state 'W' (entered at the event id #2). "
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                            f"format string: {value}")
    assert [e["type"] for e in _history(sfn, ex)][-2:] == ["EvaluationFailed", "ExecutionFailed"]


def test_jsonata_timestamp_with_nanoseconds_waits(aws):
    sfn = aws.stepfunctions
    d = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {"W": {
        "Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}}}
    arn = create(sfn, json.dumps(d))
    due = int(aws.clock.now()) + 60
    ex = sfn.start_execution(stateMachineArn=arn,
                             input=json.dumps({"t": _iso(due) + ".243167252Z"}))["executionArn"]
    exited = [e for e in _history(sfn, ex) if e["type"] == "WaitStateExited"][0]
    assert abs(exited["timestamp"].timestamp() - (due + 0.243)) < 0.002


def test_runtime_has_no_timestamp_parser_of_its_own():
    from emulator.stepfunctions.runtime import states
    assert not hasattr(states, "parse_timestamp")


# --- 3. StopExecution aborts what is in flight and leaves nothing running (API-08, §12.2/§12.3) -----
QUEUE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
CALLBACK_TASK = {"Type": "Task", "Resource": QUEUE,
                 "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": True}
CLOSED = ("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")


@pytest.fixture
def held():
    """A world whose clock only the test moves: nothing due later fires by itself, so an execution
    can be stopped inside a Wait or a retry interval."""
    import emulator
    world = emulator.Emulator(auto_advance=False)
    world.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    yield world
    world.close()


def _tokens(aws):
    return list(aws.stepfunctions._service.tokens)


def _run(aws, definition, input="{}"):
    sfn = aws.stepfunctions
    arn = create(sfn, json.dumps(definition))
    ex = sfn.start_execution(stateMachineArn=arn, input=input)["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    return ex


def _events(aws, ex):
    return [(e["type"], e["id"], e["previousEventId"]) for e in _history(aws.stepfunctions, ex)]


def test_stop_in_a_callback_task_records_task_state_aborted(aws):
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(aws, {"StartAt": "T", "States": {"T": CALLBACK_TASK}})
    token = _tokens(aws)[0]
    aws.stepfunctions.stop_execution(executionArn=ex, error="E", cause="C")
    assert _events(aws, ex)[-3:] == [("TaskSubmitted", 5, 4), ("TaskStateAborted", 6, 5),
                                     ("ExecutionAborted", 7, 0)]
    last = _history(aws.stepfunctions, ex)[-1]
    assert last["executionAbortedEventDetails"] == {"error": "E", "cause": "C"}
    assert "taskStateAbortedEventDetails" not in _history(aws.stepfunctions, ex)[-2]
    assert aws.stepfunctions._service.scheduler.pending() == 0
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.send_task_success(taskToken=token, output="{}")
    assert error_of(exc) == CLOSED
    assert aws.stepfunctions.describe_execution(executionArn=ex)["status"] == "ABORTED"


def test_stop_in_a_top_level_wait_records_only_execution_aborted(held):
    ex = _run(held, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "End": True}}})
    held.stepfunctions.stop_execution(executionArn=ex)
    assert _events(held, ex) == [("ExecutionStarted", 1, 0), ("WaitStateEntered", 2, 0),
                                 ("ExecutionAborted", 3, 0)]
    assert _history(held.stepfunctions, ex)[-1]["executionAbortedEventDetails"] == {}
    assert held.stepfunctions._service.scheduler.pending() == 0


def test_stop_during_a_retry_interval_cancels_the_retry(held):
    calls = []
    arn_fn = "arn:aws:lambda:us-east-1:123456789012:function:boom"

    @held.stepfunctions.task(arn_fn)
    def boom(event, context):
        calls.append(1)
        raise ValueError("no")

    ex = _run(held, {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": arn_fn, "End": True,
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 100, "MaxAttempts": 5}]}}})
    held.stepfunctions.stop_execution(executionArn=ex)
    types = [t for t, _, _ in _events(held, ex)]
    assert types[-3:] == ["LambdaFunctionFailed", "TaskStateAborted", "ExecutionAborted"]
    assert held.stepfunctions._service.scheduler.pending() == 0
    assert calls == [1]


def test_stop_in_a_map_aborts_every_running_iteration_then_the_map(aws):
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(aws, {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True,
        "ItemProcessor": {"StartAt": "T", "States": {"T": CALLBACK_TASK}}}}}, input="[1, 2]")
    tokens = _tokens(aws)
    assert len(tokens) == 2
    aws.stepfunctions.stop_execution(executionArn=ex)
    events = _events(aws, ex)
    tail = [t for t, _, _ in events[-6:]]
    assert tail == ["TaskStateAborted", "MapIterationAborted", "TaskStateAborted", "MapIterationAborted",
                    "MapStateAborted", "ExecutionAborted"]
    h = _history(aws.stepfunctions, ex)
    aborted = [e for e in h if e["type"] == "MapIterationAborted"]
    assert [e["mapIterationAbortedEventDetails"] for e in aborted] == [{"index": 0, "name": "M"},
                                                                       {"index": 1, "name": "M"}]
    # each iteration's abort chains on its own last event; the Map's on the last iteration's
    by_id = {e["id"]: e for e in h}
    for e in aborted:
        assert by_id[e["previousEventId"]]["type"] == "TaskStateAborted"
    assert by_id[events[-2][2]]["type"] == "MapIterationAborted"
    assert aws.stepfunctions._service.scheduler.pending() == 0
    for token in tokens:
        with pytest.raises(Exception) as exc:
            aws.stepfunctions.send_task_failure(taskToken=token)
        assert error_of(exc) == CLOSED


def test_stop_in_a_parallel_aborts_tasks_not_waits_then_the_parallel(held):
    ex = _run(held, {"StartAt": "P", "States": {"P": {
        "Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "T", "States": {"T": CALLBACK_TASK}},
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 50, "End": True}}}]}}})
    held.stepfunctions.stop_execution(executionArn=ex)
    types = [t for t, _, _ in _events(held, ex)]
    assert types[-3:] == ["TaskStateAborted", "ParallelStateAborted", "ExecutionAborted"]
    assert "WaitStateAborted" not in types and "WaitStateExited" not in types
    assert held.stepfunctions._service.scheduler.pending() == 0


def test_nested_map_in_parallel_aborts_innermost_first(held):
    ex = _run(held, {"StartAt": "P", "States": {"P": {
        "Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "M", "States": {"M": {
                "Type": "Map", "ItemsPath": "$.xs", "End": True,
                "ItemProcessor": {"StartAt": "W", "States": {
                    "W": {"Type": "Wait", "Seconds": 5, "End": True}}}}}}]}}},
        input='{"xs": [1]}')
    held.stepfunctions.stop_execution(executionArn=ex)
    types = [t for t, _, _ in _events(held, ex)]
    assert types[-4:] == ["MapIterationAborted", "MapStateAborted", "ParallelStateAborted", "ExecutionAborted"]
    assert held.stepfunctions._service.scheduler.pending() == 0


def test_stopping_a_sync_parent_stops_the_child(aws):
    sfn = aws.stepfunctions
    sfn.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    child_arn = create(sfn, json.dumps({"StartAt": "T", "States": {"T": CALLBACK_TASK}}), name="child")
    ex = _run(aws, {"StartAt": "S", "States": {"S": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": child_arn}, "End": True}}})
    children = sfn.list_executions(stateMachineArn=child_arn)["executions"]
    assert [c["status"] for c in children] == ["RUNNING"]
    sfn.stop_execution(executionArn=ex)
    child = sfn.describe_execution(executionArn=children[0]["executionArn"])
    assert child["status"] == "ABORTED"
    assert sfn._service.scheduler.pending() == 0


# --- 4. One serializer: payloads print the way AWS (Java/Jackson) does (EMU-03, JP-16) ---------------
FLOATS = '{"big": 1e20, "half": 1.5, "n": 1, "two": 2.0, "m": 12345678.0, "tiny": 0.0001, "s": "1e20"}'
FLOATS_AWS = '{"big":1.0E20,"half":1.5,"n":1,"two":2.0,"m":1.2345678E7,"tiny":1.0E-4,"s":"1e20"}'


def _floats_run(sfn):
    lam = "arn:aws:lambda:us-east-1:123456789012:function:echo"
    sfn.task(lam)(lambda event, context: event)
    d = ('{"StartAt": "P", "States": {'
         '"P": {"Type": "Pass", "Result": ' + FLOATS + ', "Assign": {"v.$": "$.big"}, "Next": "T"},'
         '"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",'
         ' "Parameters": {"FunctionName": "' + lam + '", "Payload.$": "$"}, "End": true}}}')
    arn = create(sfn, d)
    return sfn.start_execution(stateMachineArn=arn, input='{"in": 3e30}')["executionArn"]


def test_history_and_output_print_doubles_like_java(aws):
    sfn = aws.stepfunctions
    ex = _floats_run(sfn)
    out = sfn.describe_execution(executionArn=ex)
    assert out["status"] == "SUCCEEDED"
    assert out["output"] == FLOATS_AWS
    assert out["input"] == '{"in": 3e30}'  # the caller's text, verbatim
    h = {e["type"]: e for e in _history(sfn, ex)}
    assert h["PassStateEntered"]["stateEnteredEventDetails"]["input"] == '{"in":3.0E30}'
    assert h["PassStateExited"]["stateExitedEventDetails"]["output"] == FLOATS_AWS
    assert h["PassStateExited"]["stateExitedEventDetails"]["assignedVariables"] == {"v": "1.0E20"}
    params = json.loads(h["TaskScheduled"]["taskScheduledEventDetails"]["parameters"])
    assert params["FunctionName"].endswith(":echo")
    assert '"Payload":' + FLOATS_AWS in h["TaskScheduled"]["taskScheduledEventDetails"]["parameters"]
    assert h["TaskStateExited"]["stateExitedEventDetails"]["output"] == FLOATS_AWS
    assert h["ExecutionSucceeded"]["executionSucceededEventDetails"]["output"] == FLOATS_AWS


def test_history_without_floats_is_plain_compact_json(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, json.dumps({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Result": {"a": [1, "x: 1.5", {"b": None, "c": True}], "é": "ü"}, "End": True}}}))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["output"] == \
        '{"a":[1,"x: 1.5",{"b":null,"c":true}],"é":"ü"}'


def test_runtime_dumps_is_the_jsonpath_compact_json():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from emulator.stepfunctions.asl.jsonpath import compact_json
    from emulator.stepfunctions.runtime.history import dumps

    scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | \
        st.floats(allow_nan=False, allow_infinity=False)
    values = st.recursive(scalars, lambda c: st.lists(c, max_size=4) |
                          st.dictionaries(st.text(max_size=4), c, max_size=4), max_leaves=12)

    @settings(max_examples=300, deadline=None)
    @given(values)
    def same(v):
        assert dumps(v) == compact_json(v)

    same()


# --- 5. JSONata Map Items: a literal array or object (JA-12) ------------------------------------------
def _jsonata_map(items, selector=None):
    body = {"Type": "Map", "Items": items, "End": True,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}
    if selector is not None:
        body["ItemSelector"] = selector
    return {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": body}}


@pytest.mark.parametrize("items", [[1, 2], [], {"a": 1}, {}, [{"k": "{% 1 + 1 %}"}], {"k": "{% $states.input %}"}])
def test_literal_items_array_or_object_is_valid(sfn, items):
    out = sfn.validate_state_machine_definition(definition=json.dumps(_jsonata_map(items)))
    assert (out["result"], out["diagnostics"]) == ("OK", [])


@pytest.mark.parametrize("items", [5, "plain", True, None])
def test_items_that_is_neither_array_object_nor_expression_is_refused(sfn, items):
    out = sfn.validate_state_machine_definition(definition=json.dumps(_jsonata_map(items)))
    assert out["diagnostics"] == [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                                   "message": "Expected value of type [ARRAY]", "location": "/States/M/Items"}]


def test_expressions_nested_in_literal_items_are_checked(sfn):
    out = sfn.validate_state_machine_definition(definition=json.dumps(_jsonata_map({"a": "{% phone %}"})))
    assert [(d["code"], d["location"]) for d in out["diagnostics"]] == [
        ("UNSUPPORTED_JSONATA_EXPRESSION", "/States/M/Items/a")]


def test_literal_items_array_runs_with_nested_expressions(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, json.dumps(_jsonata_map([1, "{% $states.input.x %}", {"k": "{% 1 + 1 %}"}])))
    ex = sfn.start_execution(stateMachineArn=arn, input='{"x": 7}')["executionArn"]
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["output"]) == ("SUCCEEDED", '[1,7,{"k":2}]')
    started = [e for e in _history(sfn, ex) if e["type"] == "MapStateStarted"][0]
    assert started["mapStateStartedEventDetails"] == {"length": 3}


def test_literal_items_object_iterates_its_properties(aws):
    sfn = aws.stepfunctions
    selector = {"v": "{% $states.context.Map.Item.Value %}", "k": "{% $states.context.Map.Item.Key %}",
                "i": "{% $states.context.Map.Item.Index %}"}
    arn = create(sfn, json.dumps(_jsonata_map({"a": 1, "b": "{% $states.input.x %}"}, selector)))
    ex = sfn.start_execution(stateMachineArn=arn, input='{"x": 7}')["executionArn"]
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["output"]) == ("SUCCEEDED", '[{"v":1,"k":"a","i":0},{"v":7,"k":"b","i":1}]')


# --- 3 (continued): activities and distributed Map ------------------------------------------------------
def test_stop_with_activity_tasks_withdraws_them(aws):
    sfn = aws.stepfunctions
    act = sfn.create_activity(name="a")["activityArn"]
    arn = create(sfn, json.dumps({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": act, "HeartbeatSeconds": 10, "TimeoutSeconds": 100, "End": True}}}))
    taken = sfn.start_execution(stateMachineArn=arn, name="taken")["executionArn"]
    queued = sfn.start_execution(stateMachineArn=arn, name="queued")["executionArn"]
    task = sfn.get_activity_task(activityArn=act, workerName="w")
    sfn.stop_execution(executionArn=taken)
    sfn.stop_execution(executionArn=queued)
    assert [t for t, _, _ in _events(aws, taken)][-3:] == ["ActivityStarted", "TaskStateAborted", "ExecutionAborted"]
    assert [t for t, _, _ in _events(aws, queued)][-3:] == ["ActivityScheduled", "TaskStateAborted", "ExecutionAborted"]
    assert sfn._service.scheduler.pending() == 0
    assert "taskToken" not in sfn.get_activity_task(activityArn=act)
    with pytest.raises(Exception) as exc:
        sfn.send_task_heartbeat(taskToken=task["taskToken"])
    assert error_of(exc) == CLOSED


def test_stop_in_a_distributed_map_aborts_the_map_run(aws):
    sfn = aws.stepfunctions
    sfn.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(aws, {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "T", "States": {"T": CALLBACK_TASK}}}}}, input="[1, 2]")
    sfn.stop_execution(executionArn=ex)
    assert [t for t, _, _ in _events(aws, ex)][-4:] == ["MapRunStarted", "MapRunAborted", "MapStateAborted",
                                                        "ExecutionAborted"]
    assert sfn._service.scheduler.pending() == 0
    assert sfn._service.tokens == {}


def test_stop_at_the_history_limit_still_closes_the_execution(aws, monkeypatch):
    sfn = aws.stepfunctions
    sfn.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _run(aws, {"StartAt": "T", "States": {"T": CALLBACK_TASK}})
    execution = sfn._service.executions[ex]
    execution.max_events = len(execution.history.events)
    sfn.stop_execution(executionArn=ex)
    assert sfn.describe_execution(executionArn=ex)["status"] == "ABORTED"
    assert [t for t, _, _ in _events(aws, ex)][-2:] == ["TaskSubmitted", "ExecutionAborted"]


@pytest.mark.parametrize("stamp, ok", [
    ("2016-03-14T01:59:00Z", True), ("2016-03-14T01:59:00.5+01:00", True),
    ("2016-03-14T01:59:60Z", False), ("2016-03-14T01:59:00Z\n", False), ("2016-03-14t01:59:00z", False),
])
def test_wait_timestamp_validation_agrees_with_the_runtime_parser(stamp, ok):
    """What ValidateStateMachineDefinition accepts as a Wait Timestamp is what the runtime can run."""
    from emulator.stepfunctions.asl.choice import parse_timestamp
    from emulator.stepfunctions.asl.validate import validate

    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": stamp, "End": True}}}
    errors = [d for d in validate(definition) if d.severity == "ERROR"]
    assert (not errors) is ok
    assert (parse_timestamp(stamp) is not None) is ok
