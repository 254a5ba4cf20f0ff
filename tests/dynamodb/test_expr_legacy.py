"""Legacy parameters (docs/rules/dynamodb.md §5.6): Expected, filters, KeyConditions, AttributeUpdates."""

from __future__ import annotations

import pytest

from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.expressions import (
    attribute_updates_to_update,
    expected_to_condition,
    filter_to_condition,
    key_conditions_to_key_condition,
)
from emulator.dynamodb.keys import SortCondition

ITEM = {
    "a": {"S": "abc"},
    "n": {"N": "5"},
    "ss": {"SS": ["x", "y"]},
    "l": {"L": [{"S": "x"}]},
    "dot.name": {"S": "d"},
}
INVALID = "One or more parameter values were invalid: "


def message(fn, *args, **kw):
    with pytest.raises(ValidationException) as exc:
        fn(*args, **kw)
    return exc.value.message


# --- Expected (LG1) ---------------------------------------------------------------------------


def test_expected_value_means_eq_and_exists_false_means_absent():
    assert expected_to_condition({"a": {"Value": {"S": "abc"}}}).evaluate(ITEM) is True
    assert expected_to_condition({"a": {"Value": {"S": "abc"}, "Exists": True}}).evaluate(ITEM) is True
    assert expected_to_condition({"a": {"Exists": False}}).evaluate(ITEM) is False
    assert expected_to_condition({"zz": {"Exists": False}}).evaluate(ITEM) is True
    assert expected_to_condition({"dot.name": {"Value": {"S": "d"}}}).evaluate(ITEM) is True  # literal name
    assert expected_to_condition({"a": {"Value": {"S": "abc"}}}).evaluate(None) is False


def test_expected_empty_is_no_condition():
    assert expected_to_condition({}).evaluate(None) is True


def test_expected_conditional_operator():
    exp = {
        "a": {"Value": {"S": "nope"}},
        "n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]},
    }
    assert expected_to_condition(exp).evaluate(ITEM) is False
    assert expected_to_condition(exp, "AND").evaluate(ITEM) is False
    assert expected_to_condition(exp, "OR").evaluate(ITEM) is True
    assert expected_to_condition(exp).top_level_names == {"a", "n"}


@pytest.mark.parametrize(
    "cond,text",
    [
        ({}, "Value must be provided when Exists is null for Attribute: a"),
        ({"Exists": True}, "Value must be provided when Exists is true for Attribute: a"),
        (
            {"Exists": False, "Value": {"S": "x"}},
            "Value cannot be used when Exists is false for Attribute: a",
        ),
        (
            {"Exists": True, "ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]},
            "Exists and ComparisonOperator cannot be used together for Attribute: a",
        ),
        (
            {"Value": {"S": "x"}, "AttributeValueList": [{"S": "x"}]},
            "Value and AttributeValueList cannot be used together for Attribute: a",
        ),
        (
            {"AttributeValueList": [{"S": "x"}]},
            "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
        ),
        (
            {"ComparisonOperator": "LT"},
            "Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a",
        ),
    ],
)
def test_expected_errors(cond, text):
    assert message(expected_to_condition, {"a": cond}) == INVALID + text


def test_expected_operator_with_value():
    assert (
        expected_to_condition({"n": {"ComparisonOperator": "LT", "Value": {"N": "6"}}}).evaluate(ITEM) is True
    )


# --- ComparisonOperator (LG2) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "op,values,expected",
    [
        ("EQ", [{"S": "abc"}], True),
        ("NE", [{"S": "abc"}], False),
        ("LT", [{"S": "b"}], True),
        ("LE", [{"S": "abc"}], True),
        ("GT", [{"S": "abc"}], False),
        ("GE", [{"S": "abc"}], True),
        ("NOT_NULL", [], True),
        ("NULL", [], False),
        ("CONTAINS", [{"S": "bc"}], True),
        ("NOT_CONTAINS", [{"S": "zz"}], True),
        ("BEGINS_WITH", [{"S": "ab"}], True),
        ("IN", [{"S": "x"}, {"S": "abc"}], True),
        ("BETWEEN", [{"S": "a"}, {"S": "b"}], True),
        ("LT", [{"N": "1"}], False),
    ],
)
def test_operators(op, values, expected):
    cond = filter_to_condition({"a": {"ComparisonOperator": op, "AttributeValueList": values}})
    assert cond.evaluate(ITEM) is expected


def test_null_tests_absence_and_contains_on_sets():
    assert filter_to_condition({"zz": {"ComparisonOperator": "NULL"}}).evaluate(ITEM) is True
    assert filter_to_condition(
        {"zz": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "x"}]}}
    ).evaluate(ITEM)
    assert (
        filter_to_condition(
            {"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "x"}]}}
        ).evaluate(ITEM)
        is True
    )


@pytest.mark.parametrize(
    "op,values",
    [
        ("EQ", []),
        ("EQ", [{"S": "a"}, {"S": "b"}]),
        ("NULL", [{"S": "a"}]),
        ("BETWEEN", [{"S": "a"}]),
        ("IN", []),
    ],
)
def test_arity(op, values):
    assert message(filter_to_condition, {"a": {"ComparisonOperator": op, "AttributeValueList": values}}) == (
        INVALID + f"Invalid number of argument(s) for the {op} ComparisonOperator"
    )


def test_value_types():
    assert message(
        filter_to_condition,
        {"a": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "a"}, {"N": "1"}]}},
    ) == (INVALID + "AttributeValues inside AttributeValueList must be of same type")
    assert message(
        filter_to_condition, {"a": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["a"]}]}}
    ) == (INVALID + "ComparisonOperator LT is not valid for SS AttributeValue type")
    assert message(
        filter_to_condition, {"a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}}
    ) == (INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type")
    assert message(
        filter_to_condition,
        {"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "5"}, {"N": "1"}]}},
    ) == ("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
    assert message(
        filter_to_condition, {"a": {"ComparisonOperator": "eq", "AttributeValueList": [{"S": "a"}]}}
    ).startswith("1 validation error detected: Value 'eq'")


# --- KeyConditions ------------------------------------------------------------------------------


def test_key_conditions():
    k = key_conditions_to_key_condition(
        {
            "p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "h"}]},
            "c": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "2"}]},
        },
        "p",
        "c",
    )
    assert k.hash_value == {"S": "h"}
    assert k.sort == SortCondition("BETWEEN", ({"N": "1"}, {"N": "2"}))


@pytest.mark.parametrize("op", ["NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN"])
def test_kc11_not_indexable(op):
    values = [] if op in ("NULL", "NOT_NULL") else [{"S": "h"}]
    assert message(
        key_conditions_to_key_condition,
        {"p": {"ComparisonOperator": op, "AttributeValueList": values}},
        "p",
        None,
    ) == ("Attempted conditional constraint is not an indexable operation")


def test_key_conditions_schema_errors():
    assert message(
        key_conditions_to_key_condition,
        {"c": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "h"}]}},
        "p",
        "c",
    ) == ("Query condition missed key schema element: p")


# --- AttributeUpdates (LG3) -----------------------------------------------------------------------


def apply(updates, item=ITEM):
    return attribute_updates_to_update(updates).apply(item)


def test_attribute_updates():
    assert apply({"a": {"Value": {"S": "new"}}})["a"] == {"S": "new"}
    assert "a" not in apply({"a": {"Action": "DELETE"}})
    assert apply({"ss": {"Action": "DELETE", "Value": {"SS": ["x"]}}})["ss"] == {"SS": ["y"]}
    assert "ss" not in apply({"ss": {"Action": "DELETE", "Value": {"SS": ["x", "y"]}}})
    assert apply({"n": {"Action": "ADD", "Value": {"N": "1"}}})["n"] == {"N": "6"}
    assert apply({"c": {"Action": "ADD", "Value": {"N": "1"}}})["c"] == {"N": "1"}
    assert apply({"ss": {"Action": "ADD", "Value": {"SS": ["z"]}}})["ss"] == {"SS": ["x", "y", "z"]}
    assert apply({"l": {"Action": "ADD", "Value": {"L": [{"N": "1"}]}}})["l"] == {
        "L": [{"S": "x"}, {"N": "1"}]
    }
    assert apply({"dot.name": {"Value": {"S": "e"}}})["dot.name"] == {"S": "e"}
    assert apply({}) == ITEM
    upd = attribute_updates_to_update({"a": {"Value": {"S": "x"}}, "b": {"Action": "DELETE"}})
    assert upd.top_level_names == {"a", "b"}
    assert upd.apply(None) == {"a": {"S": "x"}}


def test_attribute_updates_errors():
    assert message(attribute_updates_to_update, {"a": {"Action": "PUT"}}) == (
        INVALID + "Only DELETE action is allowed when no attribute value is specified"
    )
    assert message(attribute_updates_to_update, {"a": {"Action": "DELETE", "Value": {"S": "x"}}}) == (
        INVALID + "DELETE action with value is not supported for the type S"
    )
    assert message(attribute_updates_to_update, {"a": {"Action": "ADD", "Value": {"S": "x"}}}) == (
        INVALID + "ADD action is not supported for the type S"
    )
    assert (
        message(apply, {"a": {"Action": "ADD", "Value": {"N": "1"}}})
        == "Type mismatch for attribute to update"
    )


def test_conditional_operator_without_conditions():
    text = message(filter_to_condition, None, "OR", member="QueryFilter")
    assert text.startswith("One or more parameter values were invalid: ConditionalOperator can only be used")
    assert message(expected_to_condition, None, "AND") == text
    assert filter_to_condition(None, None).evaluate(ITEM) is True
    assert message(
        filter_to_condition,
        {"a": {"ComparisonOperator": "XX", "AttributeValueList": []}},
        member="QueryFilter",
    ).startswith("1 validation error detected: Value 'XX' at 'queryFilter.a.member")
