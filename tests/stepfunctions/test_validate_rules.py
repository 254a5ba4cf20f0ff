"""Definition validation: Retry/Catch, Choice rules, Assign/variables, Task resources and EXPRESS
restrictions (ASL-VAL-11/13/17/19/20, §4, §6, §8.1, §10.1)."""

from __future__ import annotations

import json

import pytest

from emulator.stepfunctions.asl import validate_messages as msg
from emulator.stepfunctions.asl.validate import validate

S = "SCHEMA_VALIDATION_FAILED"
LAMBDA = "arn:aws:states:::lambda:invoke"


def diags(definition, **kw):
    return [
        (d.code, d.message, d.location)
        for d in validate(json.dumps(definition), **kw)
        if d.severity == "ERROR"
    ]


def task(**fields):
    return {
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": LAMBDA, "End": True, **fields},
            "Z": {"Type": "Pass", "End": True},
        },
    }


def reach_z(d):
    """Keep Z reachable so the graph checks stay quiet."""
    d["States"]["T"].setdefault("Catch", []).append({"ErrorEquals": ["Z.Error"], "Next": "Z"})
    return d


# --------------------------------------------------------------------------------------- Retry


def test_valid_retriers():
    d = reach_z(
        task(
            Retry=[
                {"ErrorEquals": ["A", "B"], "IntervalSeconds": 0, "MaxAttempts": 0},
                {
                    "ErrorEquals": ["States.ALL"],
                    "BackoffRate": 1,
                    "MaxDelaySeconds": 31622400,
                    "JitterStrategy": "NONE",
                    "Comment": "last",
                },
            ]
        )
    )
    assert diags(d) == []


@pytest.mark.parametrize(
    "retrier,message,field",
    [
        ({"ErrorEquals": []}, "Value cannot be empty", "ErrorEquals"),
        ({"ErrorEquals": "States.ALL"}, "Expected value of type [ARRAY]", "ErrorEquals"),
        ({"ErrorEquals": ["A"], "MaxAttempts": -1}, "Minimum value is 0", "MaxAttempts"),
        ({"ErrorEquals": ["A"], "MaxAttempts": 100000000}, "Maximum value is 99999999", "MaxAttempts"),
        (
            {"ErrorEquals": ["A"], "IntervalSeconds": 100000000},
            "Maximum value is 99999999",
            "IntervalSeconds",
        ),
        ({"ErrorEquals": ["A"], "BackoffRate": 0.5}, "Minimum value is 1.0", "BackoffRate"),
        ({"ErrorEquals": ["A"], "MaxDelaySeconds": 0}, "Minimum value is 1", "MaxDelaySeconds"),
        ({"ErrorEquals": ["A"], "MaxDelaySeconds": 31622401}, "Maximum value is 31622400", "MaxDelaySeconds"),
        (
            {"ErrorEquals": ["A"], "JitterStrategy": "HALF"},
            "Value should be one of the following: [FULL, NONE]",
            "JitterStrategy",
        ),
    ],
)
def test_retrier_fields(retrier, message, field):
    assert diags(reach_z(task(Retry=[retrier]))) == [(S, message, f"/States/T/Retry[0]/{field}")]


def test_retrier_requires_error_equals_and_refuses_unknown_fields():
    assert diags(reach_z(task(Retry=[{"MaxAttempts": 1, "Next": "Z"}]))) == [
        (S, "These fields are required: [ErrorEquals]", "/States/T/Retry[0]"),
        (S, "Field 'Next' is not supported", "/States/T/Retry[0]"),
    ]


def test_states_all_alone_and_last():
    alone = reach_z(task(Retry=[{"ErrorEquals": ["States.ALL", "X"]}]))
    assert diags(alone) == [(S, msg.STATES_ALL_ALONE, "/States/T/Retry[0]/ErrorEquals")]
    last = reach_z(task(Retry=[{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}]))
    assert diags(last) == [(S, msg.STATES_ALL_LAST.format(kind="retrier"), "/States/T/Retry[0]/ErrorEquals")]
    catch = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Z"}, {"ErrorEquals": ["X"], "Next": "Z"}])
    assert diags(catch) == [(S, msg.STATES_ALL_LAST.format(kind="catcher"), "/States/T/Catch[0]/ErrorEquals")]


# --------------------------------------------------------------------------------------- Catch


def test_catcher_requires_next_and_error_equals():
    d = task(Catch=[{"ErrorEquals": ["X"]}, {"Next": "Z"}])
    assert diags(d) == [
        (S, "These fields are required: [Next]", "/States/T/Catch[0]"),
        (S, "These fields are required: [ErrorEquals]", "/States/T/Catch[1]"),
    ]


def test_catcher_fields_follow_the_query_language():
    jsonpath = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Z", "Output": {}}])
    assert diags(jsonpath) == [
        (
            S,
            "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported "
            "for the 'JSONata' QueryLanguage",
            "/States/T/Catch[0]",
        )
    ]
    jsonata = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Z", "ResultPath": "$.e"}])
    jsonata["QueryLanguage"] = "JSONata"
    assert diags(jsonata) == [
        (
            S,
            "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported "
            "for the 'JSONPath' QueryLanguage",
            "/States/T/Catch[0]",
        )
    ]


def test_catcher_result_path_must_be_a_reference_path():
    d = task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Z", "ResultPath": "$$.e"}])
    assert diags(d) == [(S, "Value is not a Reference Path", "/States/T/Catch[0]/ResultPath")]


def test_retry_must_be_an_array_of_objects():
    assert diags(reach_z(task(Retry={"ErrorEquals": ["A"]}))) == [
        (S, "Expected value of type [ARRAY]", "/States/T/Retry")
    ]
    assert diags(reach_z(task(Retry=["A"]))) == [(S, "Expected value of type [OBJECT]", "/States/T/Retry[0]")]


# -------------------------------------------------------------------------------------- Choice


def choice(*rules, language=None):
    d = {
        "StartAt": "C",
        "States": {"C": {"Type": "Choice", "Choices": list(rules), "Default": "D"}, "D": {"Type": "Succeed"}},
    }
    if language:
        d["QueryLanguage"] = language
    return d


def test_valid_choice_rules():
    assert (
        diags(
            choice(
                {"Variable": "$.x", "StringEquals": "a", "Next": "D"},
                {
                    "And": [
                        {"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.m"},
                        {"Not": {"Variable": "$.b", "BooleanEquals": True}},
                    ],
                    "Next": "D",
                    "Assign": {"seen": True},
                },
                {
                    "Or": [
                        {"Variable": "$$.Execution.Name", "StringMatches": "log-*"},
                        {"Variable": "$v", "IsNull": False},
                    ],
                    "Next": "D",
                },
                {"Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00Z", "Next": "D"},
            )
        )
        == []
    )


def test_choice_rule_operator_count():
    assert diags(choice({"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "D"})) == [
        (S, "Each Choice Rule can only have one comparison operator.", "/States/C/Choices[0]")
    ]
    assert diags(choice({"Variable": "$.x", "Next": "D"})) == [(S, msg.NO_OPERATOR, "/States/C/Choices[0]")]


def test_choice_rule_kind():
    assert diags(choice({"Next": "D"})) == [(S, msg.RULE_KIND, "/States/C/Choices[0]")]
    assert diags(
        choice({"And": [{"Variable": "$.a", "IsNull": True}], "Variable": "$.x", "IsNull": True, "Next": "D"})
    ) == [(S, msg.RULE_KIND, "/States/C/Choices[0]")]


def test_next_only_on_top_level_rules():
    assert diags(choice({"Variable": "$.x", "IsPresent": True})) == [
        (S, "These fields are required: [Next]", "/States/C/Choices[0]")
    ]
    assert diags(choice({"And": [{"Variable": "$.x", "IsPresent": True, "Next": "D"}], "Next": "D"})) == [
        (S, "Field 'Next' is not supported", "/States/C/Choices[0]/And[0]")
    ]
    assert diags(choice({"Not": {"Variable": "$.x", "IsPresent": True, "Next": "D"}, "Next": "D"})) == [
        (S, "Field 'Next' is not supported", "/States/C/Choices[0]/Not")
    ]


@pytest.mark.parametrize(
    "operator,value,message",
    [
        ("StringEquals", 1, "Expected value of type [STRING]"),
        ("NumericEquals", "1", "Expected value of type [NUMBER]"),
        ("BooleanEquals", "true", "Expected value of type [BOOLEAN]"),
        ("IsPresent", 1, "Expected value of type [BOOLEAN]"),
        ("TimestampEquals", "2016-03-14 01:59:00Z", "String does not match RFC3339 timestamp"),
        ("StringEqualsPath", "nope", "The value for the field 'StringEqualsPath' must be a valid JSONPath"),
    ],
)
def test_operator_value_types(operator, value, message):
    assert diags(choice({"Variable": "$.x", operator: value, "Next": "D"})) == [
        (S, message, f"/States/C/Choices[0]/{operator}")
    ]


def test_empty_and_or():
    assert diags(choice({"And": [], "Next": "D"})) == [
        (S, "Value cannot be empty", "/States/C/Choices[0]/And")
    ]


def test_jsonata_choice_rules():
    ok = choice(
        {
            "Condition": "{% $states.input.n > 1 %}",
            "Next": "D",
            "Output": {"v": "{% 1 %}"},
            "Assign": {"x": 1},
        },
        {"Condition": True, "Next": "D"},
        language="JSONata",
    )
    assert diags(ok) == []
    bad = choice({"Variable": "$.x", "IsPresent": True, "Next": "D"}, language="JSONata")
    assert diags(bad) == [
        (S, "These fields are required: [Condition]", "/States/C/Choices[0]"),
        (S, "Field 'Variable' is not supported", "/States/C/Choices[0]"),
        (S, "Field 'IsPresent' is not supported", "/States/C/Choices[0]"),
    ]
    not_bool = choice({"Condition": "yes", "Next": "D"}, language="JSONata")
    assert diags(not_bool) == [(S, "Expected value of type [BOOLEAN]", "/States/C/Choices[0]/Condition")]


# ------------------------------------------------------------------------------------ variables


def pass_assign(assign, language=None):
    d = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Assign": assign, "End": True}}}
    if language:
        d["QueryLanguage"] = language
    return d


def test_variable_names():
    assert diags(pass_assign({"ok": 1, "_x": 2, "émoji_ünï": 3, "a" * 80: 4})) == []
    assert diags(pass_assign({"states": 1})) == [(S, msg.RESERVED_VARIABLE, "/States/P/Assign/states")]
    assert diags(pass_assign({"x.y": 1, "x[2]": 1, "1x": 1, "a" * 81: 1})) == [
        (S, msg.BAD_VARIABLE_NAME.format(name=n), f"/States/P/Assign/{n}")
        for n in ("x.y", "x[2]", "1x", "a" * 81)
    ]


def test_jsonpath_assign_is_a_payload_template():
    assert diags(pass_assign({"v.$": "$.a", "w.$": "States.ArrayLength($.list)", "c": "$.literal"})) == []
    assert diags(pass_assign({"v.$": "not a path"})) == [
        (S, msg.BAD_TEMPLATE_VALUE.format(field="v.$"), "/States/P/Assign/v.$")
    ]
    assert diags(pass_assign({"states.$": "$.a"})) == [
        (S, msg.RESERVED_VARIABLE, "/States/P/Assign/states.$")
    ]


def test_jsonata_assign_values_are_checked():
    assert diags(pass_assign({"v": "{% phone %}"}, language="JSONata")) == [
        (
            "UNSUPPORTED_JSONATA_EXPRESSION",
            "Reference to 'phone' at the top level is not supported.",
            "/States/P/Assign/v",
        )
    ]
    assert diags(pass_assign("{% 1 %}", language="JSONata")) == [
        (S, "Expected value of type [OBJECT]", "/States/P/Assign")
    ]


# ------------------------------------------------------------------------------------ resources


@pytest.mark.parametrize(
    "resource",
    [
        LAMBDA,
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::dynamodb:putItem",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::aws-sdk:dynamodb:query",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::batch:submitJob.sync",
        "arn:aws:lambda:us-east-1:123456789012:function:Fn",
        "arn:aws:lambda:us-east-1:123456789012:function:Fn:prod",
        "arn:aws:states:us-east-1:123456789012:activity:Act",
        "arn:aws-cn:states:::lambda:invoke",
    ],
)
def test_accepted_resources(resource):
    assert diags(task(Resource=resource)) == [
        (("MISSING_TRANSITION_TARGET"), 'State "Z" is not reachable.', "/States/Z")
    ]


@pytest.mark.parametrize(
    "resource,code,message",
    [
        ("lambda", S, msg.NOT_AN_ARN),
        (
            "arn:aws:states:::lambda:invoke.sync",
            S,
            msg.UNKNOWN_RESOURCE.format(arn="arn:aws:states:::lambda:invoke.sync"),
        ),
        (
            "arn:aws:states:::dynamodb:getItem.waitForTaskToken",
            S,
            msg.UNKNOWN_RESOURCE.format(arn="arn:aws:states:::dynamodb:getItem.waitForTaskToken"),
        ),
        (
            "arn:aws:states:::ecs:runTask.sync:2",
            S,
            msg.UNKNOWN_RESOURCE.format(arn="arn:aws:states:::ecs:runTask.sync:2"),
        ),
        (
            "arn:aws:states:::aws-sdk:s3:getObject.sync",
            S,
            msg.UNKNOWN_RESOURCE.format(arn="arn:aws:states:::aws-sdk:s3:getObject.sync"),
        ),
        ("arn:aws:s3:::bucket", "INVALID_RESOURCE", msg.UNKNOWN_RESOURCE.format(arn="arn:aws:s3:::bucket")),
        (5, S, "Expected value of type [STRING]"),
    ],
)
def test_refused_resources(resource, code, message):
    assert diags(reach_z(task(Resource=resource))) == [(code, message, "/States/T/Resource")]


# Service-integration ARNs that carry a region and/or an account are accepted (issue 11: an
# AWS-checked external suite; AWS's ARN grammar arn:<partition>:states:<region>:<account>:<service>:
# <api>; no public capture found, INF). The patterns and action lists still apply.
@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:us-east-1:123456789012:lambda:invoke",
        "arn:aws:states:us-east-1:123456789012:dynamodb:putItem",
        "arn:aws:states:us-east-1::lambda:invoke.waitForTaskToken",
        "arn:aws:states::123456789012:states:startExecution.sync:2",
        "arn:aws:states:us-west-2:123456789012:aws-sdk:s3:listBuckets",
    ],
)
def test_integration_arns_with_region_and_account_are_accepted(resource):
    assert diags(reach_z(task(Resource=resource))) == []


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:us-east-1:123456789012:lambda:invoke.sync",
        "arn:aws:states:us-east-1:123456789012:dynamodb:query",
    ],
)
def test_integration_arns_with_region_and_account_keep_the_pattern_rules(resource):
    assert diags(reach_z(task(Resource=resource))) == [
        (S, msg.UNKNOWN_RESOURCE.format(arn=resource), "/States/T/Resource")
    ]


@pytest.mark.parametrize(
    "resource,message",
    [
        ("arn:aws:states:::states:startExecution.sync", msg.EXPRESS_SYNC),
        ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", msg.EXPRESS_TOKEN),
        ("arn:aws:states:us-east-1:123456789012:activity:Act", msg.EXPRESS_ACTIVITY),
    ],
)
def test_express_restrictions(resource, message):
    assert diags(reach_z(task(Resource=resource)), type="EXPRESS") == [(S, message, "/States/T/Resource")]
    assert diags(reach_z(task(Resource=resource)), type="STANDARD") == []


def test_inner_scope_cannot_assign_an_outer_variable():
    inner = {
        "StartAt": "I",
        "States": {"I": {"Type": "Pass", "Assign": {"total": 1, "local": 2}, "End": True}},
    }
    d = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"total": 0}, "Next": "M"},
            "M": {"Type": "Map", "ItemProcessor": inner, "Assign": {"after": 1}, "End": True},
        },
    }
    assert diags(d) == [
        (S, msg.OUTER_VARIABLE.format(name="total"), "/States/M/ItemProcessor/States/I/Assign/total")
    ]
    # the Map's own Assign is in the outer scope too; sibling branches may reuse a name
    p = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Assign": {"x": 1},
                "End": True,
                "Branches": [
                    {
                        "StartAt": "B",
                        "States": {"B": {"Type": "Pass", "Assign": {"x.$": "$.x", "y": 1}, "End": True}},
                    },
                    {"StartAt": "C", "States": {"C": {"Type": "Pass", "Assign": {"y": 2}, "End": True}}},
                ],
            }
        },
    }
    assert diags(p) == [(S, msg.OUTER_VARIABLE.format(name="x"), "/States/P/Branches[0]/States/B/Assign/x.$")]
