"""Definition validation, document level: JSON parsing, top-level fields, the API shapes.

Rules: ASL-VAL-01/02/03, ASL-TOP-01..07, ASL-VAL-21/22 (docs/rules/stepfunctions.md §1.5).
"""

from __future__ import annotations

import json

import pytest

from emulator.stepfunctions.asl import validate_messages as msg
from emulator.stepfunctions.asl.validate import (
    Diagnostic,
    invalid_definition_message,
    validate,
    validate_api_result,
)
from tests.conftest import error_of
from tests.stepfunctions.workflow_helpers import create

OK_MACHINE = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def diags(definition, **kw):
    text = definition if isinstance(definition, str) else json.dumps(definition)
    return [(d.severity, d.code, d.message, d.location) for d in validate(text, **kw)]


def err(code, message, location):
    return ("ERROR", code, message, location)


S = "SCHEMA_VALIDATION_FAILED"


def test_valid_definition_has_no_diagnostics():
    assert diags(OK_MACHINE) == []
    assert validate(OK_MACHINE) == []  # an already-parsed dict is accepted too


def test_not_json_gives_jackson_message_and_source_location():
    # ASL-VAL-01 (LocalStack snapshot recorded against AWS)
    source = '[Source: (String)"not a definition"; line: 1, column: 4]'
    assert diags("not a definition") == [
        err(
            "INVALID_JSON_DESCRIPTION",
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token "
            f"'null', 'true' or 'false')\n at {source}",
            source,
        )
    ]


def test_truncated_json_reports_unclosed_object():
    [(severity, code, message, location)] = diags('{"StartAt": "A"')
    assert (severity, code) == ("ERROR", "INVALID_JSON_DESCRIPTION")
    assert message.startswith("Unexpected end-of-input: expected close marker for Object")
    assert location == '[Source: (String)"{"StartAt": "A""; line: 1, column: 16]'


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_definition_is_missing_description(text):
    assert [(d.code, d.location) for d in validate(text)] == [("MISSING_DESCRIPTION", None)]


@pytest.mark.parametrize("text", ["[1]", "1", '"x"', "null", "true"])
def test_json_that_is_not_an_object(text):
    # ASL-VAL-02
    assert diags(text) == [err(S, "Definition must be a valid JSON object", None)]


def test_trailing_content_after_the_object_is_ignored_like_jackson():
    assert diags(json.dumps(OK_MACHINE) + " trailing") == []


def test_required_top_level_fields_listed_in_aws_order():
    # ASL-VAL-03: "These fields are required: [States, StartAt] at /"
    assert diags({}) == [err(S, "These fields are required: [States, StartAt]", "/")]
    # only the missing one is listed; without StartAt no state is reported unreachable
    assert diags({"States": OK_MACHINE["States"]}) == [err(S, "These fields are required: [StartAt]", "/")]


def test_unknown_top_level_field():
    assert diags({**OK_MACHINE, "Coment": "typo"}) == [err(S, "Field 'Coment' is not supported", "/")]


def test_top_level_field_types():
    assert diags({**OK_MACHINE, "Comment": 5, "TimeoutSeconds": -1, "Version": "2.0"}) == [
        err(S, "Expected value of type [STRING]", "/Comment"),
        err(S, "Minimum value is 0", "/TimeoutSeconds"),
        err(S, "Value should be one of the following: [1.0]", "/Version"),
    ]


def test_states_must_be_an_object():
    assert diags({"StartAt": "A", "States": []}) == [err(S, "Expected value of type [OBJECT]", "/States")]


def test_top_level_query_language_enum_and_type():
    # AWS measured: reported at /QueryLanguage; a non-string says "Expected value of type [STRING]"
    assert diags({**OK_MACHINE, "QueryLanguage": "jsonata"}) == [
        err(S, "Value should be one of the following: [JSONPath, JSONata]", "/QueryLanguage")
    ]
    assert diags({**OK_MACHINE, "QueryLanguage": 5}) == [
        err(S, "Expected value of type [STRING]", "/QueryLanguage")
    ]


def test_lowercase_top_level_language_resolves_to_jsonata():
    # AWS measured: the enum error comes first, then the state's JSONPath-only field
    d = {
        "QueryLanguage": "jsonpath",
        "StartAt": "X",
        "States": {"X": {"Type": "Pass", "InputPath": "$.a", "End": True}},
    }
    assert diags(d) == [
        err(S, "Value should be one of the following: [JSONPath, JSONata]", "/QueryLanguage"),
        err(
            S,
            "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for "
            "the 'JSONPath' QueryLanguage",
            "/States/X",
        ),
    ]


def test_too_deeply_nested_definition_is_a_diagnostic_not_a_crash():
    deep: dict = {}
    node = deep
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    d = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": deep, "End": True}}}
    codes = [x.code for x in validate(d)]
    assert codes == [] or codes == ["TOO_DEEPLY_NESTED"]


# ------------------------------------------------------------------------ InvalidDefinition text


def test_invalid_definition_message_joins_errors_and_prints_null_location():
    ds = [
        Diagnostic("ERROR", "MISSING_TRANSITION_TARGET", "Missing 'Next' target: NOPE", "/States/A/Next"),
        Diagnostic("WARNING", "NO_DOLLAR", "ignored", "/States/A"),
        Diagnostic("ERROR", "MISSING_END_STATE", "Workflow has no terminal state", None),
    ]
    assert invalid_definition_message(ds) == (
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: NOPE "
        "at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'"
    )


def test_invalid_definition_message_for_a_loop_without_terminal_state():
    # AWS measured (floci-io/floci #2786): the exact CreateStateMachine text
    d = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}
    assert invalid_definition_message(validate(d)) == (
        "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'"
    )


def test_invalid_definition_message_for_unsupported_field():
    d = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "TimeoutSeconds": 5,
                "End": True,
                "Branches": [{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 25, "End": True}}}],
            }
        },
    }
    assert invalid_definition_message(validate(d)) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'TimeoutSeconds' is not "
        "supported at /States/P'"
    )


def test_express_token_message_keeps_aws_double_space():
    d = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "End": True,
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            }
        },
    }
    assert invalid_definition_message(validate(d, type="EXPRESS")) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not "
        "support '.waitForTaskToken' service integration  at /States/A/Resource'"
    )


# --------------------------------------------------------------------- ValidateStateMachineDefinition


JSONATA_3 = {
    "QueryLanguage": "JSONata",
    "StartAt": "X",
    "States": {
        "X": {"Type": "Pass", "InputPath": "$.a", "OutputPath": "$.b", "ResultPath": "$.c", "End": True}
    },
}


def test_api_result_ok():
    assert validate_api_result(validate(OK_MACHINE)) == {
        "result": "OK",
        "diagnostics": [],
        "truncated": False,
    }


def test_api_result_fail_omits_missing_location():
    d = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}
    assert validate_api_result(validate(d)) == {
        "result": "FAIL",
        "diagnostics": [
            {"severity": "ERROR", "code": "MISSING_END_STATE", "message": "Workflow has no terminal state"}
        ],
        "truncated": False,
    }


def test_api_result_max_results_truncates_and_zero_means_default():
    ds = validate(JSONATA_3)
    one = validate_api_result(ds, max_results=1)
    assert (one["result"], len(one["diagnostics"]), one["truncated"]) == ("FAIL", 1, True)
    every = validate_api_result(ds, max_results=0)
    assert (len(every["diagnostics"]), every["truncated"]) == (3, False)


def test_api_result_severity_filter_and_warnings_alone_are_ok():
    d = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"a": "$.x"}, "End": True}}}
    ds = validate(d)
    assert [x.code for x in ds] == ["NO_DOLLAR"]
    assert validate_api_result(ds) == {"result": "OK", "diagnostics": [], "truncated": False}
    warned = validate_api_result(ds, severity="WARNING")
    assert warned["result"] == "OK"
    assert warned["diagnostics"] == [
        {
            "severity": "WARNING",
            "code": "NO_DOLLAR",
            "message": msg.NO_DOLLAR_TEXT.format(field="a"),
            "location": "/States/A/Parameters/a",
        }
    ]


# --- Create/UpdateStateMachine validate the text the caller sent (ASL-VAL-01, ASL-VAL-08) --------

NOT_JSON = "not a definition"


NOT_JSON_MESSAGE = (
    "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: Unrecognized token 'not': was "
    "expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: "
    '(String)"not a definition"; line: 1, column: 4] at [Source: (String)"not a definition"; '
    "line: 1, column: 4]'"
)


DUPLICATE = (
    '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, '
    '"B": {"Type": "Pass", "End": true}, "A": {"Type": "Pass", "Next": "B"}}}'
)


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
    assert error_of(exc)[1] == (
        f"Invalid State Machine Definition: '{diag['code']}: {diag['message']} at {diag['location']}'"
    )


def test_state_name_written_twice_in_one_states_object_is_a_duplicate(sfn):
    with pytest.raises(Exception) as exc:
        create(sfn, DUPLICATE)
    assert error_of(exc) == (
        "InvalidDefinition",
        "Invalid State Machine Definition: 'DUPLICATE_STATE_NAME: Duplicate State name: A at /States/A'",
    )


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
        "Invalid State Machine Definition: 'MISSING_DESCRIPTION: "
    )


def test_load_validates_once(monkeypatch):
    from emulator.stepfunctions.asl import model, validate

    calls = []
    real = validate.validate
    monkeypatch.setattr(validate, "validate", lambda d, **kw: calls.append(d) or real(d, **kw))
    model.load(PASS)
    assert len(calls) == 1
