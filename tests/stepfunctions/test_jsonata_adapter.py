"""Rules of the JSONata adapter (reference §3 JA-01, JA-03, JA-06, JA-07, JA-08; §4 VAR-06; §1.5 ASL-VAL-16)."""

from __future__ import annotations

import random
import threading

import pytest

from emulator.stepfunctions.asl import jsonata
from emulator.stepfunctions.asl.failures import StatesFailure

QEE = "States.QueryEvaluationError"


def states(input_=None, **more):
    return {
        "states": {"input": {} if input_ is None else input_, "context": {"Execution": {"Id": "e"}}, **more}
    }


# --- JA-01: which strings are expressions ----------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("{% $states.input %}", True),
        ("{%$x%}", True),
        (" {% $states.input %}", False),  # AWS: no surrounding whitespace
        ("{% $states.input %} ", False),
        ("{% x", False),
        ("$states.input", False),
        ("States.Format('{}', 1)", False),
        ("{%", False),
        ("%}", False),
    ],
)
def test_is_expression(text, expected):
    assert jsonata.is_expression(text) is expected


@pytest.mark.parametrize("value", [None, 1, ["{% 1 %}"], {"a": "{% 1 %}"}])
def test_only_strings_are_expressions(value):
    assert jsonata.is_expression(value) is False


def test_inner_text_strips_only_the_delimiters():
    assert jsonata.inner_text("{% $x %}") == " $x "


# --- compile ----------------------------------------------------------------------------------------


def test_compile_is_cached_by_text():
    assert jsonata.compile("$states.input.a + 1") is jsonata.compile("$states.input.a + 1")


@pytest.mark.parametrize(
    "text,code", [("$foo(", "S0203"), ("a b", "S0201"), ('{"a":', "S0203"), ("   ", "S0207")]
)
def test_syntax_error_is_a_value_error_with_code_and_message(text, code):
    with pytest.raises(jsonata.JsonataSyntaxError) as info:
        jsonata.compile(text)
    assert isinstance(info.value, ValueError)
    assert info.value.code == code
    assert str(info.value) == f"{code}: {info.value.message}"
    assert info.value.message


def test_syntax_error_message_text():
    with pytest.raises(jsonata.JsonataSyntaxError) as info:
        jsonata.compile("$foo(")
    assert str(info.value) == 'S0203: Expected ")" before end of expression'


# --- JA-03: $states and variables ---------------------------------------------------------------------


def test_states_input_context_result_error_output_and_variables():
    b = states({"a": [1, 2, 3]}, result={"r": "x"}, errorOutput={"Error": "E", "Cause": "c"})
    b["total"] = 41
    assert jsonata.evaluate("$states.input.a[1]", b) == 2
    assert jsonata.evaluate("$states.context.Execution.Id", b) == "e"
    assert jsonata.evaluate("$states.result.r", b) == "x"
    assert jsonata.evaluate("$states.errorOutput.Error", b) == "E"
    assert jsonata.evaluate("$total + 1", b) == 42


def test_filter_predicates_read_fields_of_the_path():
    items = [{"name": "a", "price": 5}, {"name": "b", "price": 15}, {"name": "c", "price": 25}]
    assert jsonata.evaluate("$states.input.items[price > 10].name", states({"items": items})) == ["b", "c"]


def test_aws_docs_choice_conditions():
    b = states({"type": "Private", "value": 22})
    assert jsonata.evaluate("$not($states.input.type = 'Private')", b) is False
    assert jsonata.evaluate("$states.input.value >= 20 and $states.input.value < 30", b) is True


def test_assignments_inside_an_expression_do_not_change_variables():
    """JA-06: ``:=`` binds inside the expression only."""
    b = {"x": 1, "states": {"input": {}}}
    assert jsonata.evaluate("($x := 5; $x * 2)", b) == 10
    assert b["x"] == 1
    assert jsonata.evaluate("$x", b) == 1


def test_bindings_are_not_mutated():
    b = states({"a": 1})
    before = repr(b)
    jsonata.evaluate("$random() + $states.input.a", b)
    assert repr(b) == before


# --- undefined vs null -----------------------------------------------------------------------------


def test_undefined_is_distinct_from_null():
    b = states({"a": None})
    b["v"] = None
    assert jsonata.evaluate("$nope", b) is jsonata.UNDEFINED
    assert jsonata.evaluate("$states.input.missing", b) is jsonata.UNDEFINED
    assert jsonata.evaluate("$states.input.a", b) is None
    assert jsonata.evaluate("$v", b) is None
    assert jsonata.evaluate("null", b) is None
    assert jsonata.evaluate("$type($v)", b) == "null"
    assert jsonata.evaluate("$exists($states.input.a)", b) is True


def test_undefined_sentinel_is_a_falsy_singleton():
    assert not jsonata.UNDEFINED
    assert repr(jsonata.UNDEFINED) == "UNDEFINED"
    assert type(jsonata.UNDEFINED)() is jsonata.UNDEFINED


def test_undefined_fields_vanish_from_constructed_objects():
    assert jsonata.evaluate('{"a": $nope, "b": 1}', states()) == {"b": 1}


# --- numbers and JSON fidelity ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr,expected",
    [
        ("$states.input.f", 1),  # 1.0 comes back as 1, like AWS
        ("$sum([1.5, 2.5])", 4),
        ("10 / 4", 2.5),
        ("3 * 1.1", 3.3000000000000003),
        ("$states.input.big", 9007199254740993 - 1),  # doubles, as in JSONata
        ("$string(1e20)", "100000000000000000000"),  # AWS writes whole numbers in full below 1e21
        ("$string(1e21)", "1e+21"),
    ],
)
def test_numbers(expr, expected):
    result = jsonata.evaluate(expr, states({"f": 1.0, "big": 9007199254740993}))
    assert result == expected
    assert type(result) is type(expected)


def test_object_key_order_is_kept():
    assert list(jsonata.evaluate("$states.input", states({"b": 1, "a": 2, "c": 3}))) == ["b", "a", "c"]


def test_sum_plus_variable_as_recorded():
    """Recorded BASE_DIRECT_EXPR: ``$sum($states.input.input_values) + $var_constant_1`` → 7."""
    b = states({"input_values": [1, 2, 3]})
    b["var_constant_1"] = 1
    assert jsonata.evaluate("$sum($states.input.input_values) + $var_constant_1", b) == 7


# --- $now / $millis follow the caller's clock ------------------------------------------------------


def test_now_and_millis_use_the_given_time():
    assert jsonata.evaluate("$now()", {}, now=0) == "1970-01-01T00:00:00.000Z"
    assert jsonata.evaluate("$millis()", {}, now=1700000000.5) == 1700000000500


# --- evaluate_template --------------------------------------------------------------------------------


def test_template_evaluates_every_expression_at_any_depth_and_copies_the_rest():
    template = {
        "a": "{% $states.input.x %}",
        "lit": "plain",
        "n": 1.5,
        "t": True,
        "z": None,
        "nested": {"list": [1, "{% $states.input.x * 2 %}", {"deep": "{% 'q' %}"}]},
        "not_expr": " {% states.input %} ",
        "path": "$states.input",
        "jp": "$",
        "ctx": "$$",
        "intrinsic": "States.Format('Format:{}', 101)",
    }
    out = jsonata.evaluate_template(template, states({"x": 3}))
    assert out == {
        "a": 3,
        "lit": "plain",
        "n": 1.5,
        "t": True,
        "z": None,
        "nested": {"list": [1, 6, {"deep": "q"}]},
        "not_expr": " {% states.input %} ",
        "path": "$states.input",
        "jp": "$",
        "ctx": "$$",
        "intrinsic": "States.Format('Format:{}', 101)",
    }


def test_template_result_shares_nothing_with_the_template():
    template = {"a": [1, {"b": 2}]}
    out = jsonata.evaluate_template(template, states())
    out["a"][1]["b"] = 99
    assert template == {"a": [1, {"b": 2}]}


def test_template_whole_string_expression():
    assert jsonata.evaluate_template("{% $states.input %}", states({"k": "v"}), field="Output") == {"k": "v"}


def test_template_undefined_is_a_query_evaluation_error_with_the_field_path():
    """Recorded BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES / VAR-06."""
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate_template({"result": "{% $doesNotExist %}"}, states(), field="Output")
    err = info.value
    assert isinstance(err, StatesFailure)
    assert err.error == QEE
    assert err.cause == (
        "The JSONata expression '$doesNotExist' specified for the field 'Output/result' "
        "returned nothing (undefined)."
    )
    assert err.location == "Output/result"
    assert err.expression == "$doesNotExist"


def test_template_paths_of_array_items_and_nested_keys():
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate_template({"a": {"b": [1, "{% $nope %}"]}}, states(), field="Arguments")
    assert info.value.location == "Arguments/a/b[1]"
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate_template(["{% 1 %}", "{% $nope %}"], states(), field="Items")
    assert info.value.location == "Items[1]"


def test_template_without_field_names_keys_only():
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate_template({"result": "{% $nope %}"}, states())
    assert info.value.location == "result"


def test_template_expression_text_in_the_cause_is_trimmed():
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate_template("{%   $nope   %}", states(), field="Output")
    assert "'$nope' specified for the field 'Output'" in info.value.cause


# --- JA-07/08: evaluation errors ----------------------------------------------------------------------


def test_coded_error_cause_as_recorded():
    """Recorded test_math_random_seeded: an unknown function is T1006, after ". "."""
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate_template(
            {"FunctionResult": "{% $randomSeeded($states.input.FunctionInput.fst) %}"},
            states({"FunctionInput": "fst"}),
            field="Output",
        )
    assert info.value.cause == (
        "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field "
        "'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function"
    )
    assert info.value.location == "Output/FunctionResult"


@pytest.mark.parametrize(
    "expr,tail",
    [
        ("$states.input.s + 1", 'T2001: The left side of the "+" operator must evaluate to a number'),
        ('$sum("a")', 'T0412: Argument 1 of function "sum" must be an array of "numbers"'),
        ("$uppercase(1)", 'T0410: Argument 1 of function "uppercase" does not match function signature'),
        ('$error("boom")', "D3137: boom"),
        ("1/0", "D1001: Number out of range: null"),
    ],
)
def test_jsonata_errors_carry_code_and_message(expr, tail):
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate(expr, states({"s": "str"}), field="Output/v")
    assert info.value.cause == (
        f"The JSONata expression '{expr}' specified for the field 'Output/v' threw an "
        f"error during evaluation. {tail}"
    )


def test_syntax_error_at_run_time_is_a_query_evaluation_error():
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate("$foo(", {}, field="Output")
    assert info.value.cause.endswith(
        'threw an error during evaluation. S0203: Expected ")" before end of expression'
    )


def test_function_value_is_an_unsupported_result_type():
    for expr in ("function($x){$x}", "$sum"):
        with pytest.raises(jsonata.QueryEvaluationError) as info:
            jsonata.evaluate_template("{% " + expr + " %}", states(), field="Output")
        assert info.value.cause == (
            f"The JSONata expression '{expr}' specified for the field 'Output' "
            "returned an unsupported result type."
        )


def test_unexpected_type_text():
    err = jsonata.unexpected_type(" $states.input.items ", "Items", "array", 1)
    assert isinstance(err, jsonata.QueryEvaluationError)
    assert err.error == QEE
    assert err.cause == (
        "The JSONata expression '$states.input.items' specified for the field 'Items' returned "
        "an unexpected result type. Expected 'array', but was 'number' for value: 1"
    )
    assert err.location == "Items"
    rendered = jsonata.unexpected_type("$x", "Items", "array", {"foo": "bar"}).cause
    assert rendered.endswith('but was \'object\' for value: {"foo":"bar"}')


@pytest.mark.parametrize(
    "value,name",
    [
        (None, "null"),
        (True, "boolean"),
        (1, "number"),
        (1.5, "number"),
        ("s", "string"),
        ([], "array"),
        ({}, "object"),
    ],
)
def test_json_type_names(value, name):
    assert jsonata.json_type_name(value) == name


# --- ASL-VAL-16 support: references ----------------------------------------------------------------


def test_references_top_level_field_names():
    refs = jsonata.references("'Hi ' & phone")
    assert refs.input_fields == ("phone",)
    assert not refs.whole_input and not refs.dollar_dollar


def test_references_inside_predicates_are_not_top_level():
    refs = jsonata.references("$states.input.items[price > 10].name")
    assert refs.input_fields == () and not refs.whole_input
    assert refs.states_fields == frozenset({"input"})


def test_references_dollar_and_dollar_dollar():
    assert jsonata.references("$").whole_input is True
    assert jsonata.references("$").dollar_dollar is False
    assert jsonata.references("$$").dollar_dollar is True
    assert jsonata.references("'$$' & $states.input.a").dollar_dollar is False
    assert jsonata.references("/* $$ */ 1").dollar_dollar is False


def test_references_states_fields():
    assert jsonata.references("$states.result.x & $states.errorOutput.Error").states_fields == frozenset(
        {"result", "errorOutput"}
    )
    assert jsonata.references("$states").states_fields is None
    assert jsonata.references("$partition($states.input.a, 2)").whole_input is False


def test_references_syntax_error():
    with pytest.raises(jsonata.JsonataSyntaxError):
        jsonata.references("$foo(")


# --- threads (server mode evaluates from several threads) -------------------------------------------


def test_concurrent_evaluations_are_independent():
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                b = states({"n": n, "i": i})
                assert jsonata.evaluate("$states.input.n * 1000 + $states.input.i", b) == n * 1000 + i
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_rng_argument_is_used():
    a = jsonata.evaluate("[$random(), $uuid()]", {}, rng=random.Random(7))
    b = jsonata.evaluate("[$random(), $uuid()]", {}, rng=random.Random(7))
    assert a == b
