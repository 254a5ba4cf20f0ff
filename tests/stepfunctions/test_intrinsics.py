"""Intrinsic functions (reference §5 INT-01..INT-20, ASL-VAL-15, LIM-10).

Expected values marked "AWS" come from the recorded executions in tests/conformance/cases.jsonl or
from the reference's LS (AWS-validated) rows."""

from __future__ import annotations

import random
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.stepfunctions.asl.failures import StatesFailure
from emulator.stepfunctions.asl.intrinsics import (
    FUNCTIONS,
    Call,
    IntrinsicSyntaxError,
    Literal,
    PathArg,
    StringLit,
    evaluate,
    is_intrinsic,
    java_string,
    parse,
)

CTX = {
    "StateMachine": {"Name": "statemachine_create_and_record_execution-abc12345", "Id": "arn:sm"},
    "Execution": {"Input": {"FunctionInput": "Value1,Value2"}},
}


def ev(expr, inp=None, variables=None, **kw):
    return evaluate(expr, {} if inp is None else inp, CTX, variables or {}, **kw)


def fails(expr, inp=None, **kw) -> StatesFailure:
    with pytest.raises(StatesFailure) as exc:
        ev(expr, inp, **kw)
    return exc.value


# ------------------------------------------------------------------------------------------- parsing


def test_registry_has_all_18_functions():
    assert sorted(FUNCTIONS) == sorted(
        f"States.{n}"
        for n in [
            "Format",
            "StringToJson",
            "JsonToString",
            "Array",
            "ArrayPartition",
            "ArrayContains",
            "ArrayRange",
            "ArrayGetItem",
            "ArrayLength",
            "ArrayUnique",
            "Base64Encode",
            "Base64Decode",
            "Hash",
            "JsonMerge",
            "MathRandom",
            "MathAdd",
            "StringSplit",
            "UUID",
        ]
    )


def test_parse_builds_an_ast():
    assert parse("States.Format('a\\{b', $.x, 1, -2.5, null, true, States.Array())") == Call(
        "States.Format",
        (
            StringLit("a{b", "a\\{b"),
            PathArg("$.x"),
            Literal(1),
            Literal(-2.5),
            Literal(None),
            Literal(True),
            Call("States.Array", ()),
        ),
    )


def test_parse_paths_with_filters_brackets_context_and_variables():
    call = parse("States.Array($.a[?(@.b > 1)], $['x,y'], $$.Execution.Id, $var.f[0])")
    assert call.args == (
        PathArg("$.a[?(@.b > 1)]"),
        PathArg("$['x,y']"),
        PathArg("$$.Execution.Id"),
        PathArg("$var.f[0]"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "States.Format('x'",  # unclosed call
        "States.Format('x)",  # unterminated string
        "States.Format('x\\",  # open escape
        "States.Nope(1)",  # unknown function
        "Custom.Fn(1)",  # not a States. function
        "States.ArrayLength()",  # arity
        "States.UUID(1)",  # arity
        "States.Format()",  # arity
        "States.Array(1 2)",  # missing comma
        "States.Array($.a[)",  # bad path
        "States.Array(1) extra",
        "States.Array(" * 11 + ")" * 11,  # LIM-10: more than 10 nested
    ],
)
def test_parse_errors(text):
    with pytest.raises(IntrinsicSyntaxError):
        parse(text)


def test_ten_nested_calls_are_allowed():
    expected: list = []
    for _ in range(9):
        expected = [expected]
    assert ev("States.Array(" * 10 + ")" * 10) == expected


def test_is_intrinsic():
    assert is_intrinsic("States.Format('{}', $.a)")
    assert is_intrinsic("  States.UUID()")
    assert not is_intrinsic("$.a")
    assert not is_intrinsic("States.Format")
    assert not is_intrinsic(3)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("States.FormatArrayUUID()$'\\{},. 0123-nulltrue[]?@")), max_size=40)
)
def test_parser_only_raises_intrinsic_syntax_error(text):
    try:
        parse(text)
    except IntrinsicSyntaxError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_parser_only_raises_intrinsic_syntax_error_on_any_text(text):
    for candidate in (text, "States.Format(" + text, "States.Array(" + text + ")"):
        try:
            parse(candidate)
        except IntrinsicSyntaxError:
            pass


# ----------------------------------------------------------------------------------- States.Format


@pytest.mark.parametrize(
    "value, expected",
    [
        (" ", "Formatting argument  ."),  # AWS
        (1, "Formatting argument 1."),  # AWS
        (1.1, "Formatting argument 1.1."),  # AWS
        ('{"Arg1": 1, "Arg2": []}', 'Formatting argument {"Arg1": 1, "Arg2": []}.'),  # AWS (a string)
        (None, "Formatting argument null."),
        ({"Arg1": 1, "Arg2": []}, "Formatting argument {Arg1=1, Arg2=[]}."),  # INT-01 Java Map style
        (True, "Formatting argument true."),
    ],
)
def test_format_renders_values(value, expected):
    assert (
        ev("States.Format('Formatting argument {}.', $.FunctionInput)", {"FunctionInput": value}) == expected
    )


def test_format_fail_state_example():  # AWS: test_state_fail_intrinsic
    inp = {"Error": "error string", "Cause": "cause string"}
    assert ev("States.Format('{}', $.Error)", inp) == "error string"
    assert (
        ev("States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)", inp)
        == "This is a custom error message for error string, caused by cause string."
    )


def test_format_escaped_braces_are_literal():
    assert ev("States.Format('\\{\\} and {}', 'x')") == "{} and x"
    assert ev("States.Format('it\\'s {}', 1)") == "it's 1"


def test_format_placeholder_count_mismatch_is_intrinsic_failure():
    assert fails("States.Format('{} {}', 1)").error == "States.IntrinsicFailure"
    assert fails("States.Format('{}', 1, 2)").error == "States.IntrinsicFailure"


def test_format_first_argument_must_be_string():
    assert fails("States.Format($.n)", {"n": 1}).error == "States.IntrinsicFailure"


def test_java_number_rendering():
    assert java_string(1.0) == "1.0"
    assert java_string(1e7) == "1.0E7"
    assert java_string(1.5e-5) == "1.5E-5"
    assert java_string(123.456) == "123.456"
    assert java_string([1, "a"]) == "[1, a]"


# --------------------------------------------------------------------------- JSON <-> string functions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", None),
        (" ", None),
        ("null", None),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),  # AWS
        ("-0", 0),
        ("1.1", 1.1),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),  # INT-02
    ],
)
def test_string_to_json(text, expected):
    assert ev("States.StringToJson($.FunctionInput)", {"FunctionInput": text}) == expected


def test_string_to_json_invalid_is_intrinsic_failure():
    assert fails("States.StringToJson('{nope')").error == "States.IntrinsicFailure"


@pytest.mark.parametrize(
    "value, expected",
    [
        (1, "1"),
        (True, "true"),
        ("HelloWorld", '"HelloWorld"'),
        ([1, 2, "HelloWorld"], '[1,2,"HelloWorld"]'),
        ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
        (None, "null"),  # AWS
    ],
)
def test_json_to_string(value, expected):
    assert ev("States.JsonToString($.FunctionInput)", {"FunctionInput": value}) == expected


def test_json_merge_shallow():  # INT-14 (AWS LS example)
    inp = {"a": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "b": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}
    assert ev("States.JsonMerge($.a, $.b, false)", inp) == {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}


def test_json_merge_deep_is_not_supported():
    assert fails("States.JsonMerge($.a, $.a, true)", {"a": {}}).error == "States.IntrinsicFailure"


def test_json_merge_needs_objects():
    assert fails("States.JsonMerge($.a, $.a, false)", {"a": [1]}).error == "States.IntrinsicFailure"


# ------------------------------------------------------------------------------------------ arrays


def test_array():
    assert ev("States.Array()") == []
    assert ev("States.Array('a', 1, null, $.x, States.Array(2))", {"x": {"k": 1}}) == [
        "a",
        1,
        None,
        {"k": 1},
        [2],
    ]


@pytest.mark.parametrize(
    "array, size, expected",
    [
        ([0, 1, 2], 2, [[0, 1], [2]]),
        ([], 3, []),
        ([1, 2, 3, 4], 2, [[1, 2], [3, 4]]),
        ([1], 5, [[1]]),
    ],
)
def test_array_partition(array, size, expected):
    assert ev("States.ArrayPartition($.a, $.n)", {"a": array, "n": size}) == expected


@pytest.mark.parametrize("size", [0, -1, 1.5, "2"])
def test_array_partition_needs_positive_integer(size):
    assert fails("States.ArrayPartition($.a, $.n)", {"a": [1], "n": size}).error == "States.IntrinsicFailure"


def test_array_contains_uses_deep_equality():  # INT-06
    assert ev("States.ArrayContains($.a, $.v)", {"a": [[1, 2, 3], 2], "v": [1, 2, 3]}) is True
    assert ev("States.ArrayContains($.a, $.v)", {"a": [{"x": 1, "y": 2}], "v": {"y": 2, "x": 1}}) is True
    assert ev("States.ArrayContains($.a, 5)", {"a": [1, 2]}) is False
    assert ev("States.ArrayContains($.a, 1)", {"a": [True]}) is False  # JSON true is not 1


@pytest.mark.parametrize(
    "args, expected",
    [
        ("0, 10, 3", [0, 3, 6, 9]),
        ("1, 9, 9", [1]),
        ("0, 10, 2", [0, 2, 4, 6, 8, 10]),
        ("10, 0, -5", [10, 5, 0]),
        ("5, 1, 1", []),
    ],
)
def test_array_range(args, expected):  # INT-07 (AWS examples)
    assert ev(f"States.ArrayRange({args})") == expected


def test_array_range_limits():
    assert len(ev("States.ArrayRange(1, 1000, 1)")) == 1000
    assert fails("States.ArrayRange(0, 1000, 1)").error == "States.IntrinsicFailure"  # 1001 items
    assert fails("States.ArrayRange(0, 10, 0)").error == "States.IntrinsicFailure"
    assert fails("States.ArrayRange(0, 1.5, 1)").error == "States.IntrinsicFailure"


def test_array_get_item():
    assert (
        ev(
            "States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)",
            {"FunctionInput": {"fst": [1, 2, 3, 4, 5, 6, 7, 8, 9], "snd": 5}},
        )
        == 6
    )  # AWS
    assert fails("States.ArrayGetItem($.a, 3)", {"a": [1]}).error == "States.IntrinsicFailure"
    assert fails("States.ArrayGetItem($.a, -1)", {"a": [1]}).error == "States.IntrinsicFailure"


def test_array_length():  # AWS (the recorded "array_unique" case runs ArrayLength)
    arr = [
        None,
        None,
        True,
        True,
        False,
        False,
        1,
        1,
        1.1,
        0,
        0,
        "HelloWorld",
        "HelloWorld",
        [],
        [],
        [None],
        [None],
        {"a": 1, "b": 2},
        {"a": 1, "b": 2},
        {"a": 1, "b": 1},
    ]
    assert ev("States.ArrayLength($.FunctionInput)", {"FunctionInput": arr}) == 20
    assert fails("States.ArrayLength($.x)", {"x": "abc"}).error == "States.IntrinsicFailure"


def test_array_unique_keeps_first_occurrence_with_deep_equality():
    arr = [
        None,
        None,
        True,
        True,
        False,
        1,
        1,
        1.1,
        0,
        "H",
        "H",
        [],
        [],
        [None],
        [None],
        {"a": 1, "b": 2},
        {"b": 2, "a": 1},
        {"a": 1, "b": 1},
    ]
    assert ev("States.ArrayUnique($.a)", {"a": arr}) == [
        None,
        True,
        False,
        1,
        1.1,
        0,
        "H",
        [],
        [None],
        {"a": 1, "b": 2},
        {"a": 1, "b": 1},
    ]


# ------------------------------------------------------------------------------- encoding & hashing


def test_base64():
    assert ev("States.Base64Encode($.FunctionInput)", {"FunctionInput": ""}) == ""  # AWS
    assert (
        ev("States.Base64Encode($.FunctionInput)", {"FunctionInput": "Data to encode"})
        == "RGF0YSB0byBlbmNvZGU="
    )
    assert (
        ev("States.Base64Decode($.FunctionInput)", {"FunctionInput": "RGF0YSB0byBlbmNvZGU="})
        == "Data to encode"
    )
    assert fails("States.Base64Decode('%%%')").error == "States.IntrinsicFailure"
    assert fails("States.Base64Encode($.s)", {"s": "x" * 10_001}).error == "States.IntrinsicFailure"


def test_hash():
    assert ev("States.Hash('input data', 'MD5')") == "812f45842bc6d66ee14572ce20db8e86"  # INT-13
    assert ev(
        "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)",
        {"FunctionInput": {"fst": "input data", "snd": "SHA-512"}},
    ) == (
        "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d3"
        "0d425402d4f91316d871303aac4"
    )  # AWS
    for alg in ("SHA-1", "SHA-256", "SHA-384"):
        assert len(ev(f"States.Hash('x', '{alg}')")) in (40, 64, 96)
    assert fails("States.Hash('x', 'SHA-3')").error == "States.IntrinsicFailure"


# ------------------------------------------------------------------------------------------- math


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (1.49, 1.5, 3),
        (-1.49, -1.5, -2),
        (-1.5, -1.51, -3),
        (2.5, 0, 3),
        (-2.5, 0, -2),
        (-0.5, 0.5, 1),
        (1, 2, 3),
    ],
)
def test_math_add_rounds_like_java(a, b, expected):  # INT-16 (AWS observed)
    assert ev("States.MathAdd($.a, $.b)", {"a": a, "b": b}) == expected


def test_math_add_needs_numbers():
    assert fails("States.MathAdd('1', 2)").error == "States.IntrinsicFailure"
    assert fails("States.MathAdd(true, 2)").error == "States.IntrinsicFailure"


def test_math_random_in_range_and_seedable():
    values = {ev("States.MathRandom(1, 3)", rng=random.Random(i)) for i in range(60)}
    assert values == {1, 2, 3}
    assert ev("States.MathRandom(1, 999, 7)") == ev("States.MathRandom(1, 999, 7)")  # same seed, same value
    assert ev("States.MathRandom(1, 999)", rng=random.Random(5)) == ev(
        "States.MathRandom(1, 999)", rng=random.Random(5)
    )
    assert fails("States.MathRandom(5, 1)").error == "States.IntrinsicFailure"


# ---------------------------------------------------------------------------------------- strings


@pytest.mark.parametrize(
    "s, delims, expected",
    [
        (" , ", ",", [" ", " "]),
        (",,,,", ",", []),
        ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
        ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),  # AWS
    ],
)
def test_string_split(s, delims, expected):
    assert (
        ev(
            "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)",
            {"FunctionInput": {"fst": s, "snd": delims}},
        )
        == expected
    )


def test_string_split_literal_with_newline():  # AWS test_escape_sequence
    assert ev("States.StringSplit('Hello\nWorld', '\n')") == ["Hello", "World"]


def test_string_split_context_object():  # AWS test_string_split_context_object
    ctx_input = "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"
    out = evaluate(
        "States.StringSplit($$.Execution.Input.FunctionInput, ',')",
        {},
        {"Execution": {"Input": {"FunctionInput": ctx_input}}},
        {},
    )
    assert out == [
        "Value1",
        "Value2",
        "Value3\nValue4",
        "Value5",
        "Value6\n",
        "\ntrue",
        "1",
        "'HelloWorld'\nNull",
        "None",
        "\n   \n",
    ]


def test_nested_calls_on_context():  # AWS test_nested_calls_1 / _2
    assert (
        ev("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)")
        == "statemachine_create_and_record_execution"
    )
    assert (
        ev(
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
            "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))"
        )
        == "abc12345"
    )


def test_uuid_is_v4_and_seedable():
    u = ev("States.UUID()", rng=random.Random(1))
    assert uuid.UUID(u).version == 4
    assert u == ev("States.UUID()", rng=random.Random(1))
    assert u != ev("States.UUID()", rng=random.Random(2))


# --------------------------------------------------------------------------------- paths & failures


def test_variables_as_arguments():
    assert ev("States.Format('{}-{}', $a, $b.c)", variables={"a": 1, "b": {"c": "x"}}) == "1-x"


def test_missing_path_argument_is_runtime():
    f = fails("States.Format('{}', $.nope)", {"a": 1}, field="v.$")
    assert f.error == "States.Runtime"
    assert (
        f.cause
        == "The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '{\"a\":1}'"
    )


def test_argument_type_errors_are_intrinsic_failure():
    for expr, inp in [
        ("States.ArrayLength($.x)", {"x": {}}),
        ("States.StringSplit($.x, ',')", {"x": 1}),
        ("States.Base64Encode($.x)", {"x": None}),
        ("States.StringToJson($.x)", {"x": 1}),
    ]:
        assert fails(expr, inp).error == "States.IntrinsicFailure"


def test_syntax_error_at_run_time_is_intrinsic_failure():
    assert fails("States.Nope()").error == "States.IntrinsicFailure"


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(FUNCTIONS)), st.lists(_json, max_size=4), st.integers(0, 3))
def test_every_function_on_any_values_gives_a_value_or_a_states_failure(name, values, extra_literals):
    spec = FUNCTIONS[name]
    args = [f"$.a[{i}]" for i in range(len(values))] + ["1e300", "-0.5", "'x'", "null"][:extra_literals]
    expr = f"{name}({', '.join(args)})"
    try:
        parse(expr)
    except IntrinsicSyntaxError:
        assert len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args)
        return
    try:
        evaluate(expr, {"a": values}, CTX, {}, rng=random.Random(0))
    except StatesFailure as exc:
        assert exc.error in ("States.IntrinsicFailure", "States.Runtime")
