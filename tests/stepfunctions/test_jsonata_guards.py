"""Every evaluation is bounded: time, depth, memory; nothing escapes as a Python error (JA-10, EMU).

AWS's own bounds, measured on the real service (floci-io/floci #2737/#2783): an evaluation at
depth 100 passes and at 101 fails (a chain of 100 additions passes, 101 fails; a non-tail
recursive ``$f(n)`` nests 3n+5 deep); ``[1..873782]`` is accepted and one item more is refused, as
is ``[1..900000] ~> $count()``; a string of 2**22 characters is accepted, 2**23 refused.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.stepfunctions.asl import jsonata

FAST = jsonata.Limits(timeout_seconds=0.3)
STACK = "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
MEMORY = "Expression evaluation memory limit exceeded: Check for excessive memory usage"
TIMEOUT = "Expression evaluation timeout: Check for infinite loop"


def cause_of(expr: str, limits: jsonata.Limits = jsonata.DEFAULT_LIMITS) -> str:
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate(expr, {"states": {"input": {}}}, field="Output/r", limits=limits)
    assert info.value.error == "States.QueryEvaluationError"
    return info.value.cause


def uncoded(expr: str, text: str) -> str:
    # AWS: the limit failures have no JSONata code and follow ": " rather than ". ".
    return f"The JSONata expression '{expr}' specified for the field 'Output/r' threw an error during evaluation: {text}"


def test_default_limits_are_awss():
    assert jsonata.DEFAULT_LIMITS == jsonata.Limits(
        timeout_seconds=2.0, max_depth=100, max_array_length=873_782, max_string_length=6_990_256
    )


def test_infinite_tail_recursion_times_out_quickly():
    expr = "($f := function($x){$f($x)}; $f(1))"
    assert cause_of(expr, FAST) == uncoded(expr, TIMEOUT)  # how quickly: benchmarks/timing_claims.py


def test_infinite_loop_with_growth_times_out():
    expr = "($f := function($x){ $f($x + 1) }; $f(1))"
    assert cause_of(expr, FAST) == uncoded(expr, TIMEOUT)


def test_infinite_non_tail_recursion_is_a_stack_overflow():
    expr = "($f := function($x){1 + $f($x)}; $f(1))"
    assert cause_of(expr) == uncoded(expr, STACK)  # the depth guard, not the timeout (timing_claims.py)


def test_depth_100_passes_and_101_fails_like_aws():
    assert jsonata.evaluate("+".join(["1"] * 100), {}) == 100
    expr = "+".join(["1"] * 101)
    assert cause_of(expr) == uncoded(expr, STACK)
    expr200 = "+".join(["1"] * 200)  # AWS: stack overflow
    assert cause_of(expr200) == uncoded(expr200, STACK)


def test_non_tail_recursion_depth_like_aws():
    f = "($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(%d))"
    assert jsonata.evaluate(f % 31, {}) == 31  # 3*31+5 = 98
    assert cause_of(f % 32) == uncoded(f % 32, STACK)  # 101


def test_factorial_99_overflows_on_aws_depth():
    expr = "($factorial := function($n){$n = 0 ? 1 : $n * $factorial($n - 1)}; $factorial(99))"
    assert cause_of(expr) == uncoded(expr, STACK)


def test_tail_recursion_runs_deep():
    expr = (
        "($even := function($n) { $n = 0 ? true : $odd($n-1) }; "
        "$odd := function($n) { $n = 0 ? false : $even($n-1) }; $odd(6555))"
    )
    assert jsonata.evaluate(expr, {}) is True


def test_array_memory_limit_like_aws():
    assert jsonata.evaluate("[1..873782] ~> $count()", {}) == 873782
    for expr in ("[1..873783] ~> $count()", "[1..900000] ~> $count()", "$sum([1..900000])"):
        assert cause_of(expr) == uncoded(expr, MEMORY)


def test_string_memory_limit_like_aws():
    assert jsonata.evaluate('$length($pad("", 4194304, "x"))', {}) == 4194304  # 2**22
    expr = '$length($pad("", 8388608, "x"))'  # 2**23
    assert cause_of(expr) == uncoded(expr, MEMORY)


def test_aws_range_function_is_bounded_too():
    expr = "$range(0, 1e12, 1)"
    assert cause_of(expr) == uncoded(expr, MEMORY)


def test_deeply_nested_expression_text_is_an_error_not_a_crash():
    text = "(" * 5000 + "1" + ")" * 5000
    with pytest.raises(jsonata.JsonataSyntaxError):
        jsonata.compile(text)
    with pytest.raises(jsonata.QueryEvaluationError):
        jsonata.evaluate(text, {})


def test_deeply_nested_binding_is_an_error_not_a_crash():
    value: list = []
    for _ in range(5000):
        value = [value]
    with pytest.raises(jsonata.QueryEvaluationError):
        jsonata.evaluate("$count($v)", {"v": value})


def test_deeply_nested_parse_input_is_an_error_not_a_crash():
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        jsonata.evaluate("$parse($states.input.s)", {"states": {"input": {"s": text}}})
    assert "D3137: Invalid JSON" in info.value.cause or "evaluation:" in info.value.cause


def test_unserialisable_binding_is_an_error_not_a_crash():
    with pytest.raises(jsonata.QueryEvaluationError):
        jsonata.evaluate("$v", {"v": object()})


ATOMS = st.sampled_from(
    [
        "$states.input",
        "$x",
        "1",
        "'s'",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        ":",
        ",",
        ".",
        "+",
        "*",
        "/",
        "&",
        "=",
        "?",
        ";",
        ":=",
        "$f",
        "function($a){",
        "$sum(",
        "$parse(",
        "$range(",
        "$partition(",
        "$hash(",
        "$random(",
        "$uuid(",
        "$eval(",
        "[1..10]",
        "~>",
        "$count(",
        " and ",
        " or ",
        "null",
        "true",
        "%",
        "^(",
        "#",
        "@",
        "$$",
        "$",
        "**",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ATOMS, max_size=14).map("".join) | st.text(max_size=30))
def test_fuzz_any_text_gives_a_value_or_our_errors(text):
    bindings = {"states": {"input": {"a": [1, 2, {"b": None}], "s": "x"}}, "x": 3}
    try:
        jsonata.compile(text)
    except jsonata.JsonataSyntaxError:
        pass
    try:
        result = jsonata.evaluate(text, bindings, limits=FAST)
    except jsonata.QueryEvaluationError as exc:
        assert exc.cause and exc.error == "States.QueryEvaluationError"
        return
    if result is not jsonata.UNDEFINED:
        json.dumps(result)  # always plain JSON values


def test_a_result_built_of_arrays_within_bounds_is_bounded_in_total():
    """``$map([1..800000], function($v){[1..40]})`` builds no array over the bound, but 32 million
    numbers in all: the whole result is bounded too (AWS's memory-limit text), before it is parsed."""
    expr = "$map([1..2000], function($v){ [100000..100020] })"
    small = jsonata.Limits(max_result_bytes=100_000)
    assert cause_of(expr, small) == uncoded(expr, MEMORY)
    assert len(jsonata.evaluate(expr, {"states": {"input": {}}})) == 2000  # within the default bound
    big = "$map([1..200000], function($v){ [100000..100020] })"  # 8.4 MB of JSON: over the default bound
    assert cause_of(big, jsonata.Limits(timeout_seconds=60.0)) == uncoded(big, MEMORY)
