"""JSONPath-mode data flow (reference §2: JP-03..JP-15), texts from the recorded AWS executions."""

from __future__ import annotations

import pytest

from emulator.stepfunctions.asl.dataflow import (
    apply_input_path,
    apply_output_path,
    apply_result_path,
    error_prefix,
    resolve_dollar_value,
    resolve_template,
)
from emulator.stepfunctions.asl.failures import StatesFailure

CTX = {
    "Execution": {
        "Id": "arn:aws:states:us-east-1:111111111111:execution:sm:run",
        "Input": {"int-literal": 0},
        "Name": "run",
    },
    "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm", "Name": "sm"},
    "State": {"Name": "pass", "EnteredTime": "2024-01-01T00:00:00.000Z"},
}


def failure(fn, *args, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(StatesFailure) as exc:
        fn(*args, **kwargs)
    return exc.value.error, exc.value.cause


def test_error_prefix_is_aws_text():
    assert (
        error_prefix("pass", 2)
        == "An error occurred while executing the state 'pass' (entered at the event id #2). "
    )


# ------------------------------------------------------------------------------------------ InputPath


def test_input_path_default_is_the_raw_input():
    value = {"a": 1}
    assert apply_input_path("S", value, "$", CTX, {}) is value


def test_input_path_null_gives_empty_object():  # JP-03, conformance null_input_output_paths
    assert apply_input_path("S", {"InputValue": 0}, None, CTX, {}) == {}


def test_input_path_selects():
    assert apply_input_path("S", {"a": {"b": 1}}, "$.a", CTX, {}) == {"b": 1}


def test_input_path_on_context_and_variable():  # JP-04, conformance BASE_REFERENCE_IN_INPUTPATH
    assert apply_input_path("S", {}, "$$.Execution.Input", CTX, {}) == {"int-literal": 0}
    assert apply_input_path("S", {}, "$theAnswer", CTX, {"theAnswer": 42}) == 42


def test_input_path_no_match_is_runtime_with_aws_cause():  # JP-03 (LS snapshot text)
    error, cause = failure(apply_input_path, "S", {"a": 1}, "$.NoSuchInputPath", CTX, {}, entered_event_id=2)
    assert error == "States.Runtime"
    assert cause == (
        "An error occurred while executing the state 'S' (entered at the event id #2). "
        "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
    )


def test_input_path_filter_yields_list():
    assert apply_input_path("S", {"jar": [{"a": 1}, {"a": 6}]}, "$.jar[?(@.a >= 5)]", CTX, {}) == [{"a": 6}]


# ----------------------------------------------------------------------------------------- OutputPath


def test_output_path_null_gives_empty_object():  # JP-10
    assert apply_output_path("S", {"a": 1}, None, CTX, {}) == {}


def test_output_path_variable():  # conformance BASE_REFERENCE_IN_OUTPUTPATH
    assert apply_output_path("S", {}, "$theAnswer", CTX, {"theAnswer": 42}) == 42


@pytest.mark.parametrize(
    "path, detail",
    [
        ("$.NoSuchOutputPath", "No results for path: $['NoSuchOutputPath']"),
        ("$.no.such.result.path", "Missing property in path $['no']"),
    ],
)
def test_output_path_no_match_is_runtime_with_aws_cause(path, detail):  # JP-10 (LS snapshot texts)
    error, cause = failure(apply_output_path, "T", {"x": 1}, path, CTX, {}, entered_event_id=5)
    assert error == "States.Runtime"
    assert cause == (
        f"An error occurred while executing the state 'T' (entered at the event id #5). "
        f"Invalid path '{path}' : {detail}"
    )


# ----------------------------------------------------------------------------------------- ResultPath


def test_result_path_default_replaces_input():
    assert apply_result_path("S", {"a": 1}, {"r": 2}, "$") == {"r": 2}


def test_result_path_null_keeps_raw_input():  # JP-09
    raw = {"a": 1}
    assert apply_result_path("S", raw, {"r": 2}, None) is raw


def test_result_path_merges_into_raw_input():  # JP-09, conformance BASE_REFERENCE_IN_PARAMETERS
    raw = {"a": 1}
    assert apply_result_path("S", raw, {"result": "foobar"}, "$.result") == {
        "a": 1,
        "result": {"result": "foobar"},
    }
    assert apply_result_path("S", raw, 5, "$.x.y.z") == {"a": 1, "x": {"y": {"z": 5}}}
    assert raw == {"a": 1}


def test_result_path_overwrites_existing_field():
    assert apply_result_path("S", {"a": 1, "b": 2}, 9, "$.a") == {"a": 9, "b": 2}


def test_result_path_on_non_object_input_is_match_failure():  # JP-09, ERRN-11
    error, cause = failure(apply_result_path, "S", "foo", 1, "$.x", entered_event_id=2)
    assert error == "States.ResultPathMatchFailure"
    assert cause.startswith(error_prefix("S", 2))


# ------------------------------------------------------------------------------------ payload templates


def test_template_dollar_keys_are_renamed_and_evaluated():
    template = {"Arg1": "argument1", "FromInput.$": "$", "nested": {"x.$": "$.v", "lit": "$.v"}}
    assert resolve_template(template, {"v": 7}, CTX, {}, field="Parameters", state_name="S") == {
        "Arg1": "argument1",
        "FromInput": {"v": 7},
        "nested": {"x": 7, "lit": "$.v"},
    }


def test_template_keys_without_suffix_are_literals():  # JP-05, conformance BASE_CONSTANT_LITERALS
    template = {
        "constant_str_path": "$.no.such.path",
        "constant_str_var": "$noSuchVar",
        "constant_str_contextpath": "$$.Execution.Id",
        "constant_str_intrinsic_func": "States.Format('Format Func {}', $varname)",
        "constant_str_jsonata_expr": "{% $varname.varfield %}",
    }
    assert resolve_template(template, {}, CTX, {}, field="Assign", state_name="S") == template


def test_template_strings_inside_arrays_are_not_evaluated_but_objects_are():
    template = {"lst": [None, 0, 0.1, True, "$.no.such.path", "$$", [], {"constant": 0}, {"v.$": "$.v"}]}
    assert resolve_template(template, {"v": 1}, CTX, {}, field="Parameters", state_name="S") == {
        "lst": [None, 0, 0.1, True, "$.no.such.path", "$$", [], {"constant": 0}, {"v": 1}]
    }


def test_template_comment_keys_are_plain_fields():  # conformance COMMENTS_IN_PARAMETERS
    template = {"Comment": "Comment text", "comment": "comment text", "constant": "constant text"}
    assert resolve_template(template, {}, CTX, {}, field="Parameters", state_name="S") == template


def test_template_reads_context_and_variables():
    template = {"id.$": "$$.Execution.Id", "name.$": "$$.State.Name", "r.$": "$result", "ctx.$": "$$"}
    out = resolve_template(template, {}, CTX, {"result": "foobar"}, field="Parameters", state_name="S")
    assert out == {"id": CTX["Execution"]["Id"], "name": "pass", "r": "foobar", "ctx": CTX}


def test_template_map_item_selector_reads_map_context():  # JP-12
    ctx = dict(CTX, Map={"Item": {"Index": 1, "Value": {"prod": "S39"}}})
    template = {
        "original_input.$": "$",
        "iteration_input_value.$": "$$.Map.Item.Value",
        "iteration_index.$": "$$.Map.Item.Index",
        "from_input_constant.$": "$.delivery-partner",
        "constant_value": "HelloWorld",
    }
    effective = {"delivery-partner": "UQS", "shipped": []}
    assert resolve_template(template, effective, ctx, {}, field="ItemSelector", state_name="M") == {
        "original_input": effective,
        "iteration_input_value": {"prod": "S39"},
        "iteration_index": 1,
        "from_input_constant": "UQS",
        "constant_value": "HelloWorld",
    }


def test_template_missing_path_is_runtime_with_aws_cause():  # JP-06, conformance INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH
    error, cause = failure(
        resolve_template,
        {"value.$": "$.no_such_jsonpath"},
        {"int-literal": 0},
        CTX,
        {},
        field="Parameters",
        state_name="pass",
        entered_event_id=2,
    )
    assert error == "States.Runtime"
    assert cause == (
        "An error occurred while executing the state 'pass' (entered at the event id #2). "
        "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found "
        "in the input '{\"int-literal\":0}'"
    )


def test_template_missing_context_path_is_runtime_with_aws_cause():  # conformance ..._CONTEXTPATH
    error, cause = failure(
        resolve_template,
        {"value.$": "$$.Execution.Input.no_such_jsonpath"},
        {"int-literal": 0},
        CTX,
        {},
        field="Parameters",
        state_name="pass",
        entered_event_id=2,
    )
    assert error == "States.Runtime"
    assert cause == (
        "An error occurred while executing the state 'pass' (entered at the event id #2). "
        "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' "
        "could not be found in the input '{\"int-literal\":0}'"
    )


def test_template_nested_missing_path_names_the_nested_key():
    error, cause = failure(
        resolve_template,
        {"outer": {"inner.$": "$.nope"}},
        {},
        CTX,
        {},
        field="Parameters",
        state_name="S",
        entered_event_id=3,
    )
    assert "specified for the field 'inner.$'" in cause


def test_error_path_field_text():  # END-03, conformance INVALID_JSONPATH_IN_ERRORPATH
    error, cause = failure(
        resolve_dollar_value,
        "$.ErrorX",
        {"Error": "error-value"},
        CTX,
        {},
        field="ErrorPath",
        state_name="fail",
        entered_event_id=4,
    )
    assert error == "States.Runtime"
    assert cause == (
        "An error occurred while executing the state 'fail' (entered at the event id #4). "
        "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the "
        'input \'{"Error":"error-value"}\''
    )


def test_error_path_reads_context():  # conformance test_error_cause_path
    assert resolve_dollar_value("$$.State.Name", {}, CTX, {}, field="ErrorPath", state_name="S") == "pass"


def test_template_path_on_null_input_is_runtime():  # AWS observed text for a null state input
    error, cause = failure(
        resolve_template,
        {"Input.$": "$"},
        None,
        CTX,
        {},
        field="Parameters",
        state_name="API Gateway start",
        entered_event_id=9,
    )
    assert error == "States.Runtime"
    assert cause == (
        "An error occurred while executing the state 'API Gateway start' (entered at the event "
        "id #9). Unable to apply Path transformation to null or empty input."
    )


def test_template_intrinsic_value():  # JP-07
    out = resolve_template(
        {"FunctionResult.$": "States.Format('Formatting argument {}.', $.FunctionInput)"},
        {"FunctionInput": 1.1},
        CTX,
        {},
        field="Parameters",
        state_name="S",
    )
    assert out == {"FunctionResult": "Formatting argument 1.1."}


def test_assign_template_with_intrinsic_over_variables():  # conformance BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE
    variables = {"xCurrent": 9, "yCurrent": 44, "zCurrent": 6, "bias": 4.3}
    out = resolve_template(
        {"Sum.$": "States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)"},
        {},
        CTX,
        variables,
        field="Assign",
        state_name="S",
    )
    assert out == {"Sum": 63}


def test_template_intrinsic_failure_gets_state_prefix():
    error, cause = failure(
        resolve_template,
        {"v.$": "States.ArrayGetItem($.a, 5)"},
        {"a": [1]},
        CTX,
        {},
        field="Parameters",
        state_name="S",
        entered_event_id=2,
    )
    assert error == "States.IntrinsicFailure"
    assert cause.startswith(error_prefix("S", 2))


def test_json_merge_with_escaped_literal():  # conformance test_json_merge_escaped_argument
    template = {
        "merged.$": 'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), '
        "$$.Execution.Input.input_field, false)"
    }
    ctx = dict(CTX, Execution={"Input": {"input_field": {"constant_input_field": "constant_value"}}})
    out = resolve_template(template, {}, ctx, {}, field="Parameters", state_name="S")
    assert out == {"merged": {"constant_in_literal": "false", "constant_input_field": "constant_value"}}


# ------------------------------------------------------------------------------------------- fuzz

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=8,
)
_dollar = st.sampled_from(
    [
        "$",
        "$.a",
        "$.a.b",
        "$..a",
        "$.a[0]",
        "$.a[*]",
        "$$.Execution.Id",
        "$v",
        "$v.x",
        "$.a[?(@.b > 1)]",
        "States.Array($.a)",
        "States.Format('{}', $.a)",
        "States.Nope()",
        "$[",
        "not a path",
        "States.ArrayLength($.a)",
    ]
) | st.text(max_size=10)
_template = st.recursive(
    st.dictionaries(st.text(max_size=3).map(lambda k: k + ".$"), _dollar, max_size=3) | _json,
    lambda c: st.dictionaries(st.text(max_size=4), c, max_size=3) | st.lists(c, max_size=3),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(_template, _json, _json)
def test_any_template_gives_a_value_or_a_states_failure(template, data, variable):
    try:
        resolve_template(template, data, CTX, {"v": variable}, field="Parameters", state_name="S")
    except StatesFailure as exc:
        assert exc.error in ("States.Runtime", "States.IntrinsicFailure")
        assert exc.cause.startswith(error_prefix("S", None))


@settings(max_examples=100, deadline=None)
@given(_json, _json, st.sampled_from(["$", "$.a", "$.a.b", "$['x'][0]", "$.a[1]", None]))
def test_result_path_gives_a_value_or_a_match_failure(raw, result, path):
    try:
        apply_result_path("S", raw, result, path)
    except StatesFailure as exc:
        assert exc.error == "States.ResultPathMatchFailure"
