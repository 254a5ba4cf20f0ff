"""JSONata Map ``Items`` (JA-12): a literal array or object, whose nested expressions are evaluated,
or an expression; anything else is refused by validation."""

from __future__ import annotations

import json

import pytest

from tests.stepfunctions.workflow_helpers import create, history_of


def _jsonata_map(items, selector=None):
    body = {
        "Type": "Map",
        "Items": items,
        "End": True,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    }
    if selector is not None:
        body["ItemSelector"] = selector
    return {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": body}}


@pytest.mark.parametrize(
    "items", [[1, 2], [], {"a": 1}, {}, [{"k": "{% 1 + 1 %}"}], {"k": "{% $states.input %}"}]
)
def test_literal_items_array_or_object_is_valid(sfn, items):
    out = sfn.validate_state_machine_definition(definition=json.dumps(_jsonata_map(items)))
    assert (out["result"], out["diagnostics"]) == ("OK", [])


@pytest.mark.parametrize("items", [5, "plain", True, None])
def test_items_that_is_neither_array_object_nor_expression_is_refused(sfn, items):
    out = sfn.validate_state_machine_definition(definition=json.dumps(_jsonata_map(items)))
    assert out["diagnostics"] == [
        {
            "severity": "ERROR",
            "code": "SCHEMA_VALIDATION_FAILED",
            "message": "Expected value of type [ARRAY]",
            "location": "/States/M/Items",
        }
    ]


def test_expressions_nested_in_literal_items_are_checked(sfn):
    out = sfn.validate_state_machine_definition(definition=json.dumps(_jsonata_map({"a": "{% phone %}"})))
    assert [(d["code"], d["location"]) for d in out["diagnostics"]] == [
        ("UNSUPPORTED_JSONATA_EXPRESSION", "/States/M/Items/a")
    ]


def test_literal_items_array_runs_with_nested_expressions(aws):
    sfn = aws.stepfunctions
    arn = create(sfn, json.dumps(_jsonata_map([1, "{% $states.input.x %}", {"k": "{% 1 + 1 %}"}])))
    ex = sfn.start_execution(stateMachineArn=arn, input='{"x": 7}')["executionArn"]
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["output"]) == ("SUCCEEDED", '[1,7,{"k":2}]')
    started = [e for e in history_of(sfn, ex) if e["type"] == "MapStateStarted"][0]
    assert started["mapStateStartedEventDetails"] == {"length": 3}


def test_literal_items_object_iterates_its_properties(aws):
    sfn = aws.stepfunctions
    selector = {
        "v": "{% $states.context.Map.Item.Value %}",
        "k": "{% $states.context.Map.Item.Key %}",
        "i": "{% $states.context.Map.Item.Index %}",
    }
    arn = create(sfn, json.dumps(_jsonata_map({"a": 1, "b": "{% $states.input.x %}"}, selector)))
    ex = sfn.start_execution(stateMachineArn=arn, input='{"x": 7}')["executionArn"]
    out = sfn.describe_execution(executionArn=ex)
    assert (out["status"], out["output"]) == ("SUCCEEDED", '[{"v":1,"k":"a","i":0},{"v":7,"k":"b","i":1}]')
