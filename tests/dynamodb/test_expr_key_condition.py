"""KeyConditionExpression (docs/rules/dynamodb.md §5.3): text -> hash value + SortCondition, or exact error."""

from __future__ import annotations

import pytest

from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.expressions import ExpressionContext, compile_key_condition
from emulator.dynamodb.keys import SortCondition

V = {":p": {"S": "h"}, ":a": {"N": "1"}, ":b": {"N": "9"}, ":s": {"S": "x"}, ":t": {"S": "S"}}


def kc(text, values=None, names=None, *, hash_name="p", range_name="c", hash_type=None, range_type=None):
    values = values if values is not None else V
    used = {k: v for k, v in values.items() if k in text}
    ctx = ExpressionContext(names, used or None)
    result = compile_key_condition(
        text, ctx, hash_name=hash_name, range_name=range_name, hash_type=hash_type, range_type=range_type
    )
    ctx.check_unused()
    return result


def error(text, values=None, **kw):
    with pytest.raises(ValidationException) as exc:
        kc(text, values, **kw)
    return exc.value.message


def test_hash_only():
    k = kc("p = :p")
    assert k.hash_value == {"S": "h"} and k.sort is None
    assert k.top_level_names == {"p"}


@pytest.mark.parametrize(
    "text,op,values",
    [
        ("p = :p AND c = :a", "=", ("1",)),
        ("p = :p AND c < :a", "<", ("1",)),
        ("p = :p AND c <= :a", "<=", ("1",)),
        ("p = :p AND c > :a", ">", ("1",)),
        ("p = :p AND c >= :a", ">=", ("1",)),
        ("p = :p AND :a < c", ">", ("1",)),  # KC2: reversed operands flip the operator
        ("p = :p AND :a >= c", "<=", ("1",)),
        ("c BETWEEN :a AND :b AND p = :p", "BETWEEN", ("1", "9")),
        ("p = :p AND (c BETWEEN :a AND :b)", "BETWEEN", ("1", "9")),
        ("(p = :p) AND (c > :a)", ">", ("1",)),
    ],
)
def test_sort_conditions(text, op, values):
    k = kc(text)
    assert k.hash_value == {"S": "h"}
    assert k.sort == SortCondition(op, tuple({"N": v} for v in values))


def test_begins_with_and_reversed_hash():
    k = kc(":p = p AND begins_with(c, :s)")
    assert k.hash_value == {"S": "h"}
    assert k.sort == SortCondition("BEGINS_WITH", ({"S": "x"},))


def test_placeholders_and_keywords_case():
    k = kc("#p = :p and #c > :a", names={"#p": "p", "#c": "c"})
    assert k.sort == SortCondition(">", ({"N": "1"},))


@pytest.mark.parametrize(
    "text,message",
    [
        ("p = :p OR c = :a", "Invalid operator used in KeyConditionExpression: OR"),
        ("NOT p = :p", "Invalid operator used in KeyConditionExpression: NOT"),
        ("p IN (:p)", "Invalid operator used in KeyConditionExpression: IN"),
        ("p <> :p", "Invalid operator used in KeyConditionExpression: <>"),
        (
            "p = :p AND attribute_exists(c)",
            "Invalid operator used in KeyConditionExpression: attribute_exists",
        ),
        ("p = :p AND contains(c, :s)", "Invalid operator used in KeyConditionExpression: contains"),
        (
            "p = :p AND attribute_not_exists(c)",
            "Invalid operator used in KeyConditionExpression: attribute_not_exists",
        ),
        (
            "p = :p AND attribute_type(c, :t)",
            "Invalid operator used in KeyConditionExpression: attribute_type",
        ),
        (
            "p = :p AND if_not_exists(c, :s) = :s",
            "Invalid KeyConditionExpression: The function is not allowed in a condition expression; function: if_not_exists",
        ),
        (
            "p = :p AND c" + ".x" * 32 + " = :s",
            "Invalid KeyConditionExpression: The document path has too many nesting levels; nesting levels: 33",
        ),
        ("p = :p AND size(c) > :a", "KeyConditionExpressions cannot contain nested operations"),
        ("p = :p AND p = :p", "KeyConditionExpressions must only contain one condition per key"),
        ("p.x = :p", "KeyConditionExpressions cannot have conditions on nested attributes"),
        (
            "p = c",
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
        ),
        (":p = :a", "Invalid condition in KeyConditionExpression: No key attribute specified"),
        (
            "p = :p AND :a BETWEEN c AND :b",
            "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
        ),
        (
            "p = :p AND begins_with(:s, c)",
            "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first "
            "operand",
        ),
        ("c = :a", "Query condition missed key schema element: p"),
        ("p = :p AND x = :a", "Query condition missed key schema element: c"),
        ("p = :p AND c = :a AND x = :b", "Conditions can be of length 1 or 2 only"),
        ("p > :p", "Query key condition not supported"),
        ("begins_with(p, :s)", "Query key condition not supported"),
    ],
)
def test_errors(text, message):
    assert error(text) == message


def test_hash_only_schema_rejects_other_attributes():
    assert error("p = :p AND c = :a", range_name=None) == "Query key condition not supported"


def test_kc12_type_mismatch():
    msg = "One or more parameter values were invalid: Condition parameter type does not match schema type"
    assert error("p = :a", hash_type="S") == msg
    assert error("p = :p AND c > :s", hash_type="S", range_type="N") == msg
    assert error("p = :p AND begins_with(c, :s)", hash_type="S", range_type="N") == msg
    assert kc("p = :p AND c > :a", hash_type="S", range_type="N").sort is not None


def test_condition_grammar_errors_have_prefix():
    assert error("p = :p AND") == 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "AND"'
    assert error("((p = :p))") == "Invalid KeyConditionExpression: The expression has redundant parentheses;"
    assert error("p = :zz") == (
        "Invalid KeyConditionExpression: An expression attribute value used in "
        "expression is not defined; attribute value: :zz"
    )
    assert error("") == "Invalid KeyConditionExpression: The expression can not be empty;"
    assert error("name = :p", hash_name="name") == (
        "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"
    )


def test_e13_limits_apply_with_the_key_condition_prefix():
    text = "p = :p AND c BETWEEN :a AND :b" + " " * 4070
    assert error(text) == (
        "Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size; "
        f"expression size: {len(text)}"
    )
