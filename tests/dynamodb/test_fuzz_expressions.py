"""Parser fuzzing: any text fed to any entry point gives a compiled object or our ValidationException.

Two generators: arbitrary text, and a token soup drawn from the expression vocabulary (so the
parsers get deep into the grammar). Compiled objects are also run against a sample item; run-time
failures must be ValidationExceptions too. Never any other exception.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.dynamodb.errors import ValidationException
from emulator.dynamodb.expressions import (
    ExpressionContext,
    compile_condition,
    compile_key_condition,
    compile_projection,
    compile_update,
)

NAMES = {"#a": "a", "#b": "b", "#d": "a.b"}
VALUES = {
    ":s": {"S": "x"},
    ":n": {"N": "1"},
    ":l": {"L": [{"N": "1"}]},
    ":ss": {"SS": ["x"]},
    ":t": {"S": "S"},
    ":m": {"M": {"k": {"S": "v"}}},
    ":b": {"B": b"\x01"},
}
ITEM = {
    "a": {"M": {"b": {"L": [{"N": "1"}, {"S": "x"}]}}},
    "n": {"N": "3"},
    "s": {"S": "xyz"},
    "ss": {"SS": ["x"]},
    "l": {"L": [{"S": "x"}]},
    "k": {"S": "key"},
}

VOCABULARY = [
    "a",
    "b",
    "n",
    "s",
    "ss",
    "l",
    "k",
    "#a",
    "#b",
    "#d",
    "#zz",
    ":s",
    ":n",
    ":l",
    ":ss",
    ":t",
    ":m",
    ":b",
    ":zz",
    "(",
    ")",
    "[",
    "]",
    "[0]",
    "[1]",
    "[99]",
    ",",
    ".",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "and",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "set",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "size",
    "if_not_exists",
    "list_append",
    "foo",
    "name",
    "#",
    ":",
    "_x",
    "1",
    "!",
    " ",
    "\n",
]

soup = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14).map(" ".join)
tight_soup = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14).map("".join)
texts = st.one_of(st.text(max_size=40), soup, tight_soup)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ctx() -> ExpressionContext:
    return ExpressionContext(NAMES, VALUES)


@FUZZ
@given(texts, st.sampled_from(["ConditionExpression", "FilterExpression"]))
def test_condition_never_crashes(text, kind):
    try:
        cond = compile_condition(text, ctx(), kind=kind)
    except ValidationException:
        return
    assert isinstance(cond.evaluate(ITEM), bool)
    assert isinstance(cond.evaluate(None), bool)


@FUZZ
@given(texts)
def test_key_condition_never_crashes(text):
    try:
        compile_key_condition(text, ctx(), hash_name="k", range_name="n", hash_type="S", range_type="N")
    except ValidationException:
        return


@FUZZ
@given(texts)
def test_update_never_crashes(text):
    try:
        upd = compile_update(text, ctx())
    except ValidationException:
        return
    for item, missing in ((ITEM, False), (None, True), ({"k": {"S": "key"}}, True)):
        try:
            out = upd.apply(item, missing=missing)
        except ValidationException:
            continue
        assert isinstance(out, dict)


@FUZZ
@given(texts)
def test_projection_never_crashes(text):
    try:
        proj = compile_projection(text, ctx())
    except ValidationException:
        return
    assert isinstance(proj.apply(ITEM), dict)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["(", "NOT ", "a.", "a["]))
def test_deep_nesting_is_an_error_not_a_crash(depth, unit):
    text = unit * depth + "a = :s"
    for compile_ in (
        lambda t: compile_condition(t, ctx()),
        lambda t: compile_update("SET a = " + t, ctx()),
        lambda t: compile_projection(t, ctx()),
    ):
        try:
            compile_(text)
        except ValidationException:
            pass
