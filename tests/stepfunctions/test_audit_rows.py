"""Rules of the reference (§2–§12) that the conformance audit found implemented but not stated by
any test (docs/stepfunctions-conformance.md). Each test names its row."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import FN, ROLE

QUEUE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"


def _start(aws, definition, input_="{}", *, name="sm", type_="STANDARD"):
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE,
                                   type=type_)["stateMachineArn"]
    if type_ == "EXPRESS":
        return sfn.start_sync_execution(stateMachineArn=arn, input=input_)
    return sfn.start_execution(stateMachineArn=arn, input=input_)["executionArn"]


def _events(aws, ex):
    return aws.stepfunctions.get_execution_history(executionArn=ex)["events"]


def _flaky(aws, name, failures=1):
    calls = []

    @aws.stepfunctions.task(FN + name)
    def flaky(event, context):
        calls.append(event)
        if len(calls) <= failures:
            raise ValueError("try again")
        return event

    return calls


RETRY = [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3}]


def test_par_04_parallel_retry_reruns_all_branches_with_a_new_started_event(aws):
    _flaky(aws, "f")
    ok = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    task = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "f", "End": True}}}
    ex = _start(aws, {"StartAt": "Par", "States": {"Par": {
        "Type": "Parallel", "Branches": [ok, task], "Retry": RETRY, "End": True}}})
    types = [e["type"] for e in _events(aws, ex)]
    assert types.count("ParallelStateEntered") == 1
    assert types.count("ParallelStateStarted") == 2 and types.count("PassStateEntered") == 2
    failed = types.index("LambdaFunctionFailed")
    assert types[failed + 1] == "ParallelStateStarted"  # no ParallelStateFailed/Exited in between


def test_map_06_map_retry_reruns_every_iteration(aws):
    calls = _flaky(aws, "f")
    ex = _start(aws, {"StartAt": "M", "States": {"M": {
        "Type": "Map", "Retry": RETRY, "End": True,
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "f",
                                                            "End": True}}}}}}, "[1, 2]")
    evs = _events(aws, ex)
    types = [e["type"] for e in evs]
    assert types.count("MapStateEntered") == 1 and types.count("MapStateStarted") == 2
    assert calls[-2:] == [1, 2]  # the retry runs every item again, not only the failed one
    second = types.index("MapStateStarted", types.index("MapIterationFailed"))
    assert evs[second + 1]["mapIterationStartedEventDetails"]["index"] == 0


def test_ctx_07_sync_express_context_has_no_redrive_count(aws):
    out = _start(aws, {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"c.$": "$$"},
                                                         "End": True}}}, type_="EXPRESS")
    execution = json.loads(out["output"])["c"]["Execution"]
    assert list(execution) == ["Id", "Input", "StartTime", "Name", "RoleArn"]


def test_ctx_10_entered_time_is_kept_across_retries(aws):
    calls = _flaky(aws, "f", failures=2)
    ex = _start(aws, {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": FN + "f", "Retry": RETRY, "End": True,
        "Parameters": {"entered.$": "$$.State.EnteredTime", "n.$": "$$.State.RetryCount"}}}})
    assert [c["n"] for c in calls] == [0, 1, 2]
    assert len({c["entered"] for c in calls}) == 1
    entered = _events(aws, ex)[1]
    assert entered["type"] == "TaskStateEntered"
    assert calls[0]["entered"] == entered["timestamp"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_err_09_failure_without_error_or_cause_gives_null_error_output(aws):
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    ex = _start(aws, {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": QUEUE, "End": True,
              "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}]},
        "P": {"Type": "Pass", "End": True}}})
    aws.stepfunctions.send_task_failure(taskToken=next(iter(aws.stepfunctions._service.tokens)))
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    assert (d["status"], d["output"]) == ("SUCCEEDED", '{"Error":null,"Cause":null}')


def test_err_15_oversize_task_result_is_caught_by_states_all(aws):
    aws.stepfunctions.task(FN + "big")(lambda event, context: {"x": "a" * 300_000})
    ex = _start(aws, {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FN + "big", "End": True,
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}]},
        "P": {"Type": "Pass", "End": True}}})
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == {
        "Error": "States.DataLimitExceeded",
        "Cause": f"The state/task '{FN}big' returned a result with a size exceeding the maximum "
                 "number of bytes service limit."}
    types = [e["type"] for e in _events(aws, ex)]
    assert types[4:6] == ["LambdaFunctionFailed", "TaskStateExited"]


def test_err_16_query_evaluation_error_is_caught_after_an_evaluation_failed_event(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    ex = _start(aws, {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FN + "ok", "Output": "{% $states.result.nope %}", "End": True,
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "P"}]},
        "P": {"Type": "Pass", "End": True}}})
    evs = _events(aws, ex)
    assert [e["type"] for e in evs][4:8] == ["LambdaFunctionSucceeded", "EvaluationFailed",
                                             "TaskStateExited", "PassStateEntered"]
    cause = ("An error occurred while executing the state 'T' (entered at the event id #2). The JSONata "
             "expression '$states.result.nope' specified for the field 'Output' returned nothing "
             "(undefined).")
    assert evs[5]["evaluationFailedEventDetails"] == {
        "error": "States.QueryEvaluationError", "cause": cause, "location": "Output", "state": "T"}
    assert json.loads(evs[6]["stateExitedEventDetails"]["output"]) == {
        "Error": "States.QueryEvaluationError", "Cause": cause}


def test_asl_task_02_timeout_seconds_path_resolves_at_run_time(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "ok",
                                                   "TimeoutSecondsPath": "$.t", "End": True}}}
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="tp", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    prefix = "An error occurred while executing the state 'T' (entered at the event id #2). "
    for input_, cause in [('{"t": 0}', "The TimeoutSecondsPath parameter references an invalid value: $.t == 0"),
                          ('{}', "The TimeoutSecondsPath parameter does not reference an input value: $.t")]:
        ex = sfn.start_execution(stateMachineArn=arn, input=input_)["executionArn"]
        d = sfn.describe_execution(executionArn=ex)
        assert (d["status"], d["error"], d["cause"]) == ("FAILED", "States.Runtime", prefix + cause)
    ex = sfn.start_execution(stateMachineArn=arn, input='{"t": 7}')["executionArn"]
    scheduled = _events(aws, ex)[2]
    assert scheduled["lambdaFunctionScheduledEventDetails"]["timeoutInSeconds"] == 7


def test_api_01_02_create_defaults_and_metadata_only(aws):
    sfn = aws.stepfunctions
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(name="d", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
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


def test_asl_task_03_no_timeouts_in_scheduled_details_unless_configured(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    ex = _start(aws, {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FN + "ok", "End": True}}})
    assert _events(aws, ex)[2]["lambdaFunctionScheduledEventDetails"] == {
        "resource": FN + "ok", "input": "{}", "inputDetails": {"truncated": False}}


def test_var_09_catcher_assign_is_recorded_on_the_task_state_exited_after_the_failure(aws):
    @aws.stepfunctions.task(FN + "boom")
    def boom(event, context):
        raise KeyError("k")

    ex = _start(aws, {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FN + "boom", "End": True, "Assign": {"never": 1},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P",
                         "Assign": {"err.$": "$.Error", "n": 0}}]},
        "P": {"Type": "Pass", "End": True}}})
    exited = [e for e in _events(aws, ex) if e["type"] == "TaskStateExited"]
    assert exited[0]["stateExitedEventDetails"]["assignedVariables"] == {"err": '"KeyError"', "n": "0"}
    assert exited[0]["stateExitedEventDetails"]["assignedVariablesDetails"] == {"truncated": False}
    passed = [e for e in _events(aws, ex) if e["type"] == "PassStateExited"][0]
    assert "assignedVariables" not in passed["stateExitedEventDetails"]


def test_api_12_describe_state_machine_for_execution_is_the_revision_it_ran(aws):
    sfn = aws.stepfunctions
    aws.stepfunctions.task(QUEUE)(lambda event, context: {"MessageId": "m-1"})
    first = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": QUEUE, "End": True,
        "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}}}}
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
    assert error_of(exc) == ("ValidationException", "2 validation errors detected: Value at 'error' failed "
                             "to satisfy constraint: Member must have length less than or equal to 256; "
                             "Value at 'cause' failed to satisfy constraint: Member must have length less "
                             "than or equal to 32768")
    with pytest.raises(Exception) as exc:
        sfn.send_task_success(taskToken="t", output='"' + "x" * 262_143 + '"')
    assert error_of(exc) == ("ValidationException", "1 validation error detected: Value at 'output' failed "
                             "to satisfy constraint: Member must have length less than or equal to 262144")
    with pytest.raises(Exception) as exc:
        sfn.send_task_heartbeat(taskToken="t" * 2049)
    assert error_of(exc) == ("ValidationException", "1 validation error detected: Value '" + "t" * 2049
                             + "' at 'taskToken' failed to satisfy constraint: Member must have length less "
                             "than or equal to 2048")


def test_api_08_stop_execution_limits_are_checked_before_the_lookup(aws):
    with pytest.raises(Exception) as exc:
        aws.stepfunctions.stop_execution(executionArn="arn:aws:states:us-east-1:123456789012:execution:sm:no",
                                         error="e" * 257, cause="c" * 32769)
    assert error_of(exc) == ("ValidationException", "2 validation errors detected: Value at 'error' failed "
                             "to satisfy constraint: Member must have length less than or equal to 256; "
                             "Value at 'cause' failed to satisfy constraint: Member must have length less "
                             "than or equal to 32768")


JSONATA = {"QueryLanguage": "JSONata"}


def test_ja_08_typed_field_causes_quote_the_expression_trimmed(aws):
    ex = _start(aws, {**JSONATA, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": "{% 1.5 %}",
                                                                  "End": True}}})
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    assert (d["error"], d["cause"]) == (
        "States.QueryEvaluationError",
        "An error occurred while executing the state 'W' (entered at the event id #2). The JSONata "
        "expression '1.5' specified for the field 'Seconds' returned an unexpected result type. "
        "Expected 'integer', but was 'number' for value: 1.5")


def test_ja_13_fail_error_must_evaluate_to_a_string(aws):
    ex = _start(aws, {**JSONATA, "StartAt": "F", "States": {"F": {
        "Type": "Fail", "Error": "{% $states.input.code %}", "Cause": "{% $states.input.why %}"}}},
        '{"code": 7, "why": "w"}')
    d = aws.stepfunctions.describe_execution(executionArn=ex)
    cause = ("An error occurred while executing the state 'F' (entered at the event id #2). The JSONata "
             "expression '$states.input.code' specified for the field 'Error' returned an unexpected "
             "result type. Expected 'string', but was 'number' for value: 7")
    assert (d["error"], d["cause"]) == ("States.QueryEvaluationError", cause)
    evs = _events(aws, ex)
    assert [e["type"] for e in evs][-2:] == ["EvaluationFailed", "ExecutionFailed"]
    assert evs[-2]["evaluationFailedEventDetails"]["location"] == "Error"
    ok = _start(aws, {**JSONATA, "StartAt": "F", "States": {"F": {
        "Type": "Fail", "Error": "{% $states.input.code %}", "Cause": "{% $states.input.why %}"}}},
        '{"code": "E7", "why": "w"}', name="ok")
    d = aws.stepfunctions.describe_execution(executionArn=ok)
    assert (d["error"], d["cause"]) == ("E7", "w")


def test_ja_07_task_timeout_expression_of_the_wrong_type_is_a_catchable_evaluation_failure(aws):
    aws.stepfunctions.task(FN + "ok")(lambda event, context: {"a": 1})
    ex = _start(aws, {**JSONATA, "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": FN + "ok", "TimeoutSeconds": "{% $states.input.t %}", "End": True,
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "P"}]},
        "P": {"Type": "Pass", "End": True}}}, '{"t": "soon"}')
    evs = _events(aws, ex)
    assert [e["type"] for e in evs][1:5] == ["TaskStateEntered", "EvaluationFailed", "TaskStateExited",
                                             "PassStateEntered"]
    assert evs[2]["evaluationFailedEventDetails"] == {
        "error": "States.QueryEvaluationError", "location": "TimeoutSeconds", "state": "T",
        "cause": "An error occurred while executing the state 'T' (entered at the event id #2). The "
                 "JSONata expression '$states.input.t' specified for the field 'TimeoutSeconds' returned an "
                 "unexpected result type. Expected 'integer', but was 'string' for value: \"soon\""}
