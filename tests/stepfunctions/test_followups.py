"""Follow-up fixes of the Step Functions service, one section per fix; each test states the AWS
rule it checks (reference: shared/reference/stepfunctions.md)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error_of

ROLE = "arn:aws:iam::123456789012:role/sfn"


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
