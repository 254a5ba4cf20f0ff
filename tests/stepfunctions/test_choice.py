"""JSONPath Choice rules (reference §6 CH-01..CH-12, ST-07)."""

from __future__ import annotations

import itertools
import json

import pytest

from emulator.stepfunctions.asl.choice import (
    OPERATORS,
    evaluate_rule,
    find_match,
    parse_timestamp,
    string_matches,
)
from emulator.stepfunctions.asl.failures import StatesFailure
from tests.stepfunctions.workflow_helpers import desc, history, run_definition

CTX = {"Execution": {"Name": "run-1"}, "State": {"Name": "C"}}
_MACHINES = itertools.count()


def rule_true(rule, inp, variables=None) -> bool:
    return evaluate_rule(rule, inp, CTX, variables or {}, state_name="C", entered_event_id=2)


def find_next(aws, choices, default, inp, variables, *, state_name):
    """The state the interpreter goes to from a Choice state named ``state_name`` (entered at event
    #2, or after a Pass that assigns ``variables``); a failed execution raises its error and cause
    as a :class:`StatesFailure`."""
    states = {rule["Next"]: {"Type": "Succeed"} for rule in choices}
    choice = {"Type": "Choice", "Choices": choices}
    if default is not None:
        states[default] = {"Type": "Succeed"}
        choice["Default"] = default
    states[state_name] = choice
    start_at = state_name
    if variables:
        start_at = "AssignVariables"
        states[start_at] = {"Type": "Pass", "Assign": variables, "Next": state_name}
    definition = {"StartAt": start_at, "States": states}
    ex = run_definition(aws, definition, json.dumps(inp), name=f"choice-{next(_MACHINES)}")
    described = desc(aws, ex)
    if described["status"] == "FAILED":
        raise StatesFailure(described["error"], described["cause"])
    entered = [e for e in history(aws, ex) if e["type"].endswith("StateEntered")]
    return entered[-1]["stateEnteredEventDetails"]["name"]


def test_operator_table_is_complete():  # CH-04
    names = set()
    for kind in ("String", "Numeric", "Timestamp"):
        for rel in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"):
            names |= {f"{kind}{rel}", f"{kind}{rel}Path"}
    names |= {
        "BooleanEquals",
        "BooleanEqualsPath",
        "StringMatches",
        "IsNull",
        "IsPresent",
        "IsNumeric",
        "IsString",
        "IsBoolean",
        "IsTimestamp",
    }
    assert set(OPERATORS) == names


# ------------------------------------------------------------------------------------------- strings


@pytest.mark.parametrize(
    "op, value, operand, expected",
    [
        ("StringEquals", "A", "A", True),
        ("StringEquals", "A", "A ", False),  # CH-06: no whitespace trimming
        ("StringEquals", "A\t\n\r", "A", False),
        ("StringEquals", "a", "A", False),  # no case folding
        ("StringLessThan", "A", "B", True),
        ("StringGreaterThan", "AB", "ABC", False),  # CH-06 (AWS)
        ("StringLessThanEquals", "AB", "AB", True),
        ("StringGreaterThanEquals", "b", "a", True),
        ("StringLessThan", "\uffff", "\U0001f600", False),  # UTF-16 code units: U+FFFF > D83D
    ],
)
def test_string_comparisons(op, value, operand, expected):
    assert rule_true({"Variable": "$.v", op: operand}, {"v": value}) is expected


@pytest.mark.parametrize("value", [None, 1, 1.5, True, [], {}, ["A"]])
def test_string_operators_on_non_strings_are_false(value):  # CH-05 (AWS)
    for op in ("StringEquals", "StringLessThan", "StringGreaterThanEquals", "StringMatches"):
        assert rule_true({"Variable": "$.v", op: "A"}, {"v": value}) is False


@pytest.mark.parametrize(
    "value, pattern, expected",
    [
        ("foo23.log", "foo*.log", True),
        ("zebra.log", "*.log", True),
        ("foobar.zebra", "foo*.*", True),  # CH-09
        ("foo.txt", "*.log", False),
        ("a*b", "a\\*b", True),
        ("axb", "a\\*b", False),
        ("a\\b", "a\\\\b", True),
        ("", "*", True),
        ("line1\nline2", "line1*", True),
        ("abc", "abc", True),
        ("abcd", "abc", False),
        ("a.c", "a.c", True),
        ("abc", "a.c", False),  # no regex metacharacters
    ],
)
def test_string_matches(value, pattern, expected):
    assert string_matches(value, pattern) is expected
    assert rule_true({"Variable": "$.v", "StringMatches": pattern}, {"v": value}) is expected


def test_string_matches_open_escape_is_runtime_error():
    with pytest.raises(StatesFailure) as exc:
        rule_true({"Variable": "$.v", "StringMatches": "abc\\"}, {"v": "abc"})
    assert exc.value.error == "States.Runtime"


# ------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "op, value, operand, expected",
    [
        ("NumericEquals", 0, 0.0, True),
        ("NumericEquals", 1, 1.0, True),  # CH-07
        ("NumericEquals", 1, 2, False),
        ("NumericLessThan", 1, 1.5, True),
        ("NumericGreaterThan", -1, -2, True),
        ("NumericLessThanEquals", 3, 3, True),
        ("NumericGreaterThanEquals", 2.9, 3, False),
    ],
)
def test_numeric_comparisons(op, value, operand, expected):
    assert rule_true({"Variable": "$.v", op: operand}, {"v": value}) is expected


@pytest.mark.parametrize("value", [None, "1", True, False, [1], {}])
def test_numeric_operators_on_non_numbers_are_false(value):  # CH-05 (AWS: NumericEquals with null)
    assert rule_true({"Variable": "$.v", "NumericEquals": 1}, {"v": value}) is False
    assert rule_true({"Variable": "$.v", "NumericLessThan": 100}, {"v": value}) is False


# ------------------------------------------------------------------------------------------ booleans


def test_boolean_equals(aws):  # AWS CHOICE_STATE_UNSORTED_CHOICE_PARAMETERS
    choices = [
        {"BooleanEquals": True, "Next": "FinishTrue", "Variable": "$.result.done"},
        {"BooleanEquals": False, "Next": "FinishFalse", "Variable": "$.result.done"},
    ]
    assert (
        find_next(aws, choices, None, {"result": {"done": True}}, {}, state_name="CheckResult")
        == "FinishTrue"
    )
    assert (
        find_next(aws, choices, None, {"result": {"done": False}}, {}, state_name="CheckResult")
        == "FinishFalse"
    )


@pytest.mark.parametrize("value", [0, 1, None, "true"])
def test_boolean_equals_on_non_booleans_is_false(value):  # CH-05 (AWS)
    assert rule_true({"Variable": "$.v", "BooleanEquals": True}, {"v": value}) is False
    assert rule_true({"Variable": "$.v", "BooleanEquals": False}, {"v": value}) is False


# ---------------------------------------------------------------------------------------- timestamps


@pytest.mark.parametrize(
    "text",
    [
        "2016-03-14T01:59:00Z",
        "2016-03-14T01:59:00.000000Z",
        "2016-03-14T01:59:00.00Z",
        "2016-03-14T01:59:00+01:00",
        "2016-03-14T01:59:00.123456789-05:30",
    ],
)
def test_valid_timestamps(text):  # ST-07
    assert parse_timestamp(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "2016-03-14 01:59:00Z",
        "2016-03-14T01:59:00",
        "2016-03-14t01:59:00Z",
        "2016-03-14T01:59:00z",
        "2016-13-14T01:59:00Z",
        "2016-12-05T25:29:29Z",
        "05-12-2016T21:29:29Z",
        "2023-02-24 12:15:56.832957",
        "",
        "2016-02-30T00:00:00Z",
    ],
)
def test_invalid_timestamps(text):  # ST-07, WAIT-03 (AWS rejected texts)
    assert parse_timestamp(text) is None


def test_timestamps_compare_as_instants():  # CH-08
    assert rule_true(
        {"Variable": "$.t", "TimestampEquals": "2016-03-14T02:59:00+01:00"}, {"t": "2016-03-14T01:59:00Z"}
    )
    assert rule_true(
        {"Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00.000000001Z"},
        {"t": "2016-03-14T01:59:00Z"},
    )
    assert rule_true(
        {"Variable": "$.t", "TimestampGreaterThanEquals": "2016-03-14T01:59:00Z"},
        {"t": "2016-03-14T01:59:00.000Z"},
    )
    assert not rule_true(
        {"Variable": "$.t", "TimestampGreaterThan": "2020-01-01T00:00:00Z"}, {"t": "2016-03-14T01:59:00Z"}
    )


@pytest.mark.parametrize("value", ["2023-02-24 12:15:56.832957", "", 5, None])
def test_timestamp_operators_on_non_timestamps_are_false(value):  # CH-05 (AWS)
    assert rule_true({"Variable": "$.t", "TimestampEquals": "2016-03-14T01:59:00Z"}, {"t": value}) is False


# ------------------------------------------------------------------------------------- type tests


@pytest.mark.parametrize(
    "op, value, expected",
    [
        ("IsNull", None, True),
        ("IsNull", 0, False),
        ("IsNumeric", 1.5, True),
        ("IsNumeric", True, False),
        ("IsNumeric", "1", False),
        ("IsString", "", True),
        ("IsString", [], False),
        ("IsBoolean", False, True),
        ("IsBoolean", 0, False),
        ("IsTimestamp", "2016-03-14T01:59:00Z", True),
        ("IsTimestamp", "2016-03-14", False),
        ("IsTimestamp", 0, False),
    ],
)
def test_type_tests(op, value, expected):  # CH-11
    assert rule_true({"Variable": "$.v", op: True}, {"v": value}) is expected
    assert rule_true({"Variable": "$.v", op: False}, {"v": value}) is (not expected)


def test_type_tests_false_form_examples():  # CH-11 (AWS examples)
    assert rule_true({"Variable": "$.v", "IsNumeric": False}, {"v": None})
    assert rule_true({"Variable": "$.v", "IsString": False}, {"v": []})
    assert rule_true({"Variable": "$.v", "IsNull": False}, {"v": 0})


def test_is_present():  # CH-10
    assert rule_true({"Variable": "$.v", "IsPresent": True}, {"v": None})  # a null field is present
    assert not rule_true({"Variable": "$.nope", "IsPresent": True}, {"v": 1})
    assert rule_true({"Variable": "$.nope", "IsPresent": False}, {"v": 1})
    assert not rule_true({"Variable": "$.a.b.c", "IsPresent": True}, {"a": 1})
    assert rule_true({"Variable": "$undefinedVar", "IsPresent": False}, {})


# ------------------------------------------------------------------------------ paths & composition


def test_variable_and_path_operands_read_variables_and_context(aws):  # AWS BASE_REFERENCE_IN_CHOICE
    choices = [{"Variable": "$guess", "StringEqualsPath": "$answer", "Next": "CorrectAnswer"}]
    assert (
        find_next(
            aws,
            choices,
            "WrongAnswer",
            {},
            {"guess": "the_guess", "answer": "the_answer"},
            state_name="CheckAnswer",
        )
        == "WrongAnswer"
    )
    assert (
        find_next(
            aws,
            choices,
            "WrongAnswer",
            {},
            {"guess": "the_answer", "answer": "the_answer"},
            state_name="CheckAnswer",
        )
        == "CorrectAnswer"
    )
    assert rule_true({"Variable": "$$.Execution.Name", "StringEquals": "run-1"}, {})
    assert rule_true({"Variable": "$.a", "NumericLessThanPath": "$.b"}, {"a": 1, "b": 2})
    assert rule_true(
        {"Variable": "$.a", "TimestampEqualsPath": "$.b"},
        {"a": "2016-03-14T01:59:00Z", "b": "2016-03-14T01:59:00.0Z"},
    )
    assert rule_true({"Variable": "$.a", "BooleanEqualsPath": "$.b"}, {"a": False, "b": False})


def test_path_operand_of_wrong_type_is_false():
    assert not rule_true({"Variable": "$.a", "NumericEqualsPath": "$.b"}, {"a": 1, "b": "1"})


def test_and_or_not():  # CH-02
    inp = {"type": "Private", "value": 22}
    in_twenties = {
        "And": [
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30},
        ]
    }
    assert rule_true(in_twenties, inp)
    assert rule_true({"Not": {"Variable": "$.type", "StringEquals": "Public"}}, inp)
    assert rule_true({"Or": [{"Variable": "$.value", "NumericEquals": 0}, in_twenties]}, inp)
    assert not rule_true({"And": [in_twenties, {"Variable": "$.type", "StringEquals": "Public"}]}, inp)


def test_singleton_composite(aws):  # AWS CHOICE_STATE_SINGLETON_COMPOSITE
    choices = [{"And": [{"Variable": "$.type", "StringEquals": "Public"}], "Next": "Public"}]
    assert (
        find_next(
            aws, choices, "DefaultState", {"type": "Public", "value": 22}, {}, state_name="ChoiceStateX"
        )
        == "Public"
    )


def test_boolean_operators_short_circuit():
    # the second rule would raise (missing Variable), but And stops at the first false
    assert not rule_true(
        {"And": [{"Variable": "$.v", "NumericEquals": 2}, {"Variable": "$.missing", "NumericEquals": 1}]},
        {"v": 1},
    )
    assert rule_true(
        {"Or": [{"Variable": "$.v", "NumericEquals": 1}, {"Variable": "$.missing", "NumericEquals": 1}]},
        {"v": 1},
    )


def test_missing_variable_is_runtime_error():  # CH-12
    with pytest.raises(StatesFailure) as exc:
        rule_true({"Variable": "$.nope", "StringEquals": "x"}, {"v": 1})
    assert exc.value.error == "States.Runtime"
    assert exc.value.cause == (
        "An error occurred while executing the state 'C' (entered at the event id #2). "
        "Invalid path '$.nope' : No results for path: $['nope']"
    )


def test_first_matching_rule_wins_and_default(aws):  # CH-01
    choices = [
        {"Variable": "$.v", "NumericGreaterThan": 0, "Next": "Pos"},
        {"Variable": "$.v", "NumericGreaterThan": 10, "Next": "Big"},
    ]
    assert find_match(choices, {"v": 20}, CTX, {}) == 0
    assert find_next(aws, choices, "Other", {"v": 20}, {}, state_name="C") == "Pos"
    assert find_next(aws, choices, "Other", {"v": -1}, {}, state_name="C") == "Other"
    assert find_match(choices, {"v": -1}, CTX, {}) is None


def test_no_match_without_default_is_no_choice_matched(aws):  # CH-01, ERRN-08
    with pytest.raises(StatesFailure) as exc:
        find_next(
            aws,
            [{"Variable": "$.v", "NumericEquals": 1, "Next": "X"}],
            None,
            {"v": 2},
            {},
            state_name="C",
        )
    assert exc.value.error == "States.NoChoiceMatched"
    assert exc.value.cause.startswith(
        "An error occurred while executing the state 'C' (entered at the event id #2)."
    )


def test_missing_variable_without_state_name_gives_bare_cause():
    with pytest.raises(StatesFailure) as exc:
        evaluate_rule({"Variable": "$.nope", "StringEquals": "x"}, {}, CTX, {})
    assert exc.value.cause == "Invalid path '$.nope' : No results for path: $['nope']"


# ------------------------------------------------------------------------------------------- fuzz

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(OPERATORS)), _json, _json, st.sampled_from(["$.v", "$.w", "$v", "$$.x", "$.v[0]"])
)
def test_any_rule_gives_a_boolean_or_a_states_failure(op, value, operand, variable):
    rule = {"Variable": variable, op: "$.o" if op.endswith("Path") else operand}
    try:
        result = evaluate_rule(rule, {"v": value, "o": operand}, CTX, {"v": value}, state_name="C")
    except StatesFailure as exc:
        assert exc.error == "States.Runtime"
    else:
        assert isinstance(result, bool)
