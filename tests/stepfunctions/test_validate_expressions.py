"""Definition validation of values written in a query language: JSONPath paths, payload templates,
intrinsic functions (ASL-VAL-14/15/18, JP-02/05) and JSONata expressions (ASL-VAL-16, JA-03/06;
AWS measured in floci-io/floci #2670/#2745/#2786)."""

from __future__ import annotations

import json

import pytest

from emulator.stepfunctions.asl import validate_messages as msg
from emulator.stepfunctions.asl.validate import validate

S = "SCHEMA_VALIDATION_FAILED"
LAMBDA = "arn:aws:states:::lambda:invoke"


def diags(definition, *, warnings=False):
    return [
        (d.code, d.message, d.location)
        for d in validate(json.dumps(definition))
        if warnings or d.severity == "ERROR"
    ]


def one(state, **top):
    return {"StartAt": "X", "States": {"X": state}, **top}


# ------------------------------------------------------------------------------------ JSONPath


@pytest.mark.parametrize("field", ["InputPath", "OutputPath"])
@pytest.mark.parametrize(
    "value", ["$", "$.a.b", "$['a b'][0]", "$.a[?(@.b > 1)]", "$.a[*]", "$$.Execution.Input", "$var.x", None]
)
def test_general_paths_accepted(field, value):
    assert diags(one({"Type": "Pass", field: value, "End": True})) == []


@pytest.mark.parametrize("field", ["InputPath", "OutputPath"])
@pytest.mark.parametrize("value", ["a.b", "", 5, "$.a[", "$..["])
def test_general_paths_refused(field, value):
    assert diags(one({"Type": "Pass", field: value, "End": True})) == [
        (S, msg.NOT_PATH.format(field=field), f"/States/X/{field}")
    ]


@pytest.mark.parametrize("value", ["$", "$.a", "$.a[0].b", "$['x']", None])
def test_result_path_accepted(value):
    assert diags(one({"Type": "Pass", "ResultPath": value, "End": True})) == []


@pytest.mark.parametrize("value", ["$$.Execution", "$var", "$.a[*]", "$..a", "$.a[?(@.b)]", "nope", 1])
def test_result_path_must_be_a_data_reference_path(value):
    # ASL-VAL-18: a Reference Path, never $$ or a variable
    assert diags(one({"Type": "Pass", "ResultPath": value, "End": True})) == [
        (S, "Value is not a Reference Path", "/States/X/ResultPath")
    ]


@pytest.mark.parametrize(
    "state,field",
    [
        ({"Type": "Wait", "End": True}, "SecondsPath"),
        ({"Type": "Wait", "End": True}, "TimestampPath"),
        ({"Type": "Task", "Resource": LAMBDA, "End": True}, "TimeoutSecondsPath"),
        ({"Type": "Task", "Resource": LAMBDA, "End": True}, "HeartbeatSecondsPath"),
    ],
)
def test_star_path_fields_need_reference_paths(state, field):
    assert diags(one({**state, field: "$.a"})) == []
    assert diags(one({**state, field: "$.a[*]"})) == [
        (S, "Value is not a Reference Path", f"/States/X/{field}")
    ]


def test_map_number_paths_refuse_the_context_object_but_items_path_accepts_it():
    proc = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    ok = one({"Type": "Map", "ItemProcessor": proc, "ItemsPath": "$$.Execution.Input", "End": True})
    assert diags(ok) == []
    ctx = one(
        {"Type": "Map", "ItemProcessor": proc, "MaxConcurrencyPath": "$$.Execution.Input.n", "End": True}
    )
    assert diags(ctx) == [(S, "Value is not a Reference Path", "/States/X/MaxConcurrencyPath")]
    multi = one({"Type": "Map", "ItemProcessor": proc, "MaxConcurrencyPath": "$.limits[*]", "End": True})
    assert diags(multi) == [(S, "Value is not a Reference Path", "/States/X/MaxConcurrencyPath")]


def test_fail_error_path_accepts_reference_paths_and_intrinsics():
    assert diags(one({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('{}', $.c)"})) == []
    assert diags(one({"Type": "Fail", "ErrorPath": "$.e[*]"})) == [
        (S, "Value is not a Reference Path", "/States/X/ErrorPath")
    ]


# ---------------------------------------------------------------------------- payload templates


def test_template_values():
    ok = one(
        {
            "Type": "Pass",
            "End": True,
            "Parameters": {
                "a.$": "$.x",
                "b.$": "$$.Execution.Id",
                "c.$": "$var.y",
                "d.$": "States.Format('{} {}', $.a, $.b)",
                "nested": {"e.$": "States.ArrayLength($.list)", "list": [{"f.$": "$.g"}]},
                "lit": 1,
            },
        }
    )
    assert diags(ok) == []


def test_bad_template_value_is_reported_at_its_key():
    d = one({"Type": "Pass", "End": True, "Parameters": {"nested": {"a.$": "nope"}, "b.$": 5}})
    assert diags(d) == [
        (S, msg.BAD_TEMPLATE_VALUE.format(field="a.$"), "/States/X/Parameters/nested/a.$"),
        (S, msg.BAD_TEMPLATE_VALUE.format(field="b.$"), "/States/X/Parameters/b.$"),
    ]


def test_template_objects_inside_arrays_are_checked():
    d = one({"Type": "Pass", "End": True, "Parameters": {"list": [1, {"a.$": "nope"}]}})
    assert diags(d) == [(S, msg.BAD_TEMPLATE_VALUE.format(field="a.$"), "/States/X/Parameters/list[1]/a.$")]


@pytest.mark.parametrize(
    "expr",
    [
        "States.Format('{}', $.a",
        "States.Format('{}')x",
        "States.Format('unterminated)",
        "States.Format('open escape \\')",
    ],
)
def test_intrinsic_syntax_errors(expr):
    d = one({"Type": "Pass", "End": True, "Parameters": {"v.$": expr}})
    assert diags(d) == [(S, msg.BAD_TEMPLATE_VALUE.format(field="v.$"), "/States/X/Parameters/v.$")]


def test_intrinsic_nesting_limit():
    inner = "$.a"
    for _ in range(10):
        inner = f"States.Array({inner})"
    assert diags(one({"Type": "Pass", "End": True, "Parameters": {"v.$": inner}})) == []
    too_deep = f"States.Array({inner})"
    assert diags(one({"Type": "Pass", "End": True, "Parameters": {"v.$": too_deep}})) == [
        (S, msg.BAD_TEMPLATE_VALUE.format(field="v.$"), "/States/X/Parameters/v.$")
    ]


def test_keys_equal_after_stripping_the_suffix():
    d = one({"Type": "Pass", "End": True, "Parameters": {"a": 1, "a.$": "$.a"}})
    assert diags(d) == [(S, msg.DUPLICATE_TEMPLATE_KEY.format(field="a"), "/States/X/Parameters/a.$")]


# The service accepts any JSON value for Parameters and ResultSelector (the ASL schema "has been
# updated to match the constraints applied in the service", aws/aws-toolkit-vscode#2459, 2022-05-25;
# deployed on AWS: Parameters false, localstack/localstack#6362; ResultSelector "$.Payload",
# sam-goodwin/functionless#307; Parameters [..], nibble-4bits/aws-local-stepfunctions#81).
@pytest.mark.parametrize("value", [[1, 2], ["a", {"x.$": "$"}], "$.a", False, 3, None, []])
@pytest.mark.parametrize("field", ["Parameters", "ResultSelector"])
def test_parameters_and_result_selector_accept_any_json_value(field, value):
    state = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": True}
    assert diags(one({**state, field: value})) == []


def test_templates_inside_an_array_parameters_are_checked():
    d = one({"Type": "Pass", "End": True, "Parameters": [{"v.$": "$$$"}]})
    assert diags(d) == [(S, msg.BAD_TEMPLATE_VALUE.format(field="v.$"), "/States/X/Parameters[0]/v.$")]


def test_warnings_no_dollar_no_path_static_result():
    d = {
        "StartAt": "X",
        "States": {
            "X": {
                "Type": "Pass",
                "Parameters": {"a": "$.x", "b": "States.UUID()", "c": "plain"},
                "Next": "Y",
            },
            "Y": {"Type": "Pass", "Result": {"r.$": "$.x"}, "Next": "F"},
            "F": {"Type": "Fail", "Error": "$.error"},
        },
    }
    assert diags(d, warnings=True) == [
        ("NO_DOLLAR", msg.NO_DOLLAR_TEXT.format(field="a"), "/States/X/Parameters/a"),
        ("NO_DOLLAR", msg.NO_DOLLAR_TEXT.format(field="b"), "/States/X/Parameters/b"),
        ("PASS_RESULT_IS_STATIC", msg.PASS_STATIC_TEXT.format(value="$.x"), "/States/Y/Result/r.$"),
        ("NO_PATH", msg.NO_PATH_TEXT.format(field="Error"), "/States/F/Error"),
    ]


# ------------------------------------------------------------------------------------- JSONata


def output(expr, state_type="Pass", **extra):
    body = {"Type": state_type, "Output": {"v": expr}, "End": True, **extra}
    return {"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": body}}


@pytest.mark.parametrize(
    "expr,message",
    [
        ("a[1,2)", 'Expected "]", got ","'),
        ('"unterminated', "String literal must be terminated by a matching quote"),
        ("1 +", "Unexpected end of expression"),
        ('{"a":}', 'The symbol "}" cannot be used as a unary operator'),
        ("$x :=", "Unexpected end of expression"),
        ('$match("a", /abc', "No terminating / in regular expression"),
        ("phone %.other", 'The symbol "." cannot be used as a unary operator'),
        ("", "Unexpected end of expression"),
    ],
)
def test_unparsable_expression(expr, message):
    # AWS measured: the parser message without its S0xxx code, at the string's location
    assert diags(output("{% " + expr + " %}")) == [
        ("INVALID_JSONATA_EXPRESSION", message, "/States/E/Output/v")
    ]


def test_expression_that_is_the_whole_output_field():
    d = output("{% 1 %}")
    d["States"]["E"]["Output"] = "{% 1 + %}"
    assert diags(d) == [("INVALID_JSONATA_EXPRESSION", "Unexpected end of expression", "/States/E/Output")]


@pytest.mark.parametrize(
    "expr,message",
    [
        ("phone", "Reference to 'phone' at the top level is not supported."),
        ("$$", "Reference to '$$' is not supported."),
        ("$states.errorOutput", "Field '$states.errorOutput' does not exist."),
        ("$states.result", "Field '$states.result' does not exist."),
    ],
)
def test_unsupported_references(expr, message):
    assert diags(output("{% " + expr + " %}")) == [
        ("UNSUPPORTED_JSONATA_EXPRESSION", message, "/States/E/Output/v")
    ]


@pytest.mark.parametrize(
    "expr",
    [
        "$states.input.phone[0]",
        "$states.input.items[price > 10]",
        "$count($states.input)",
        "$states.context.Execution.Id",
        "$uuid()",
        "$myVar.field",
        "$map($states.input, function($v){ $v.a })",
        "'phone'",
    ],
)
def test_anchored_expressions_are_accepted(expr):
    assert diags(output("{% " + expr + " %}")) == []


def test_states_result_allowed_in_task_output_and_error_output_in_catchers():
    t = output("{% $states.result.Payload %}", "Task", Resource=LAMBDA)
    assert diags(t) == []
    args = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": LAMBDA, "Arguments": {"p": "{% $states.result %}"}, "End": True}
        },
    }
    assert diags(args) == [
        ("UNSUPPORTED_JSONATA_EXPRESSION", "Field '$states.result' does not exist.", "/States/T/Arguments/p")
    ]
    catch = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": LAMBDA,
                "End": True,
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Next": "Z",
                        "Output": "{% $states.errorOutput %}",
                        "Assign": {"err": "{% $states.errorOutput.Cause %}"},
                    }
                ],
            },
            "Z": {"Type": "Pass", "End": True},
        },
    }
    assert diags(catch) == []


def test_expressions_are_found_at_any_depth_and_only_in_jsonata_states():
    d = output("{% 1 %}")
    d["States"]["E"]["Output"] = {"a": [1, {"b": "{% phone %}"}]}
    assert diags(d) == [
        (
            "UNSUPPORTED_JSONATA_EXPRESSION",
            "Reference to 'phone' at the top level is not supported.",
            "/States/E/Output/a[1]/b",
        )
    ]
    jsonpath = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": {"v": "{% phone %}"}, "End": True}},
    }
    assert diags(jsonpath) == []


def test_other_jsonata_fields_are_checked():
    d = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "Items": "{% phone %}",
                "MaxConcurrency": "{% 1 + %}",
                "End": True,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            }
        },
    }
    assert diags(d) == [
        (
            "UNSUPPORTED_JSONATA_EXPRESSION",
            "Reference to 'phone' at the top level is not supported.",
            "/States/M/Items",
        ),
        ("INVALID_JSONATA_EXPRESSION", "Unexpected end of expression", "/States/M/MaxConcurrency"),
    ]
