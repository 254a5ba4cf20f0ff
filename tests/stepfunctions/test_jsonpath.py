"""JSONPath reading/writing rules (reference §2 JP-01/02/09, §4 JP-14, §9 CTX-01)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.stepfunctions.asl.jsonpath import (
    InvalidPath,
    PathNotFound,
    PathWriteError,
    compact_json,
    compile_path,
    is_reference_path,
    is_result_path,
    is_valid_path,
    read_path,
    write_path,
)

DOC = {
    "a": {"b": [10, 20, {"c": 3}]},
    "store.book": 1,
    "jar": [{"a": 1}, {"a": 6}, {"a": 9}],
    "nil": None,
    "delivery-partner": "UQS",
}


@pytest.mark.parametrize(
    "path, expected",
    [
        ("$", DOC),
        ("$.a.b[0]", 10),
        ("$.a.b[-1]", {"c": 3}),
        ("$['a']['b'][2]['c']", 3),
        ('$["a"]["b"][1]', 20),
        ("$['store.book']", 1),
        ("$.nil", None),
        ("$.delivery-partner", "UQS"),  # Jayway reads dot-names up to '.', '[', ' ', '('
    ],
)
def test_definite_paths_select_one_node(path, expected):
    assert read_path(DOC, path) == expected


@pytest.mark.parametrize(
    "path, expected",
    [
        ("$.jar[?(@.a >= 5)]", [{"a": 6}, {"a": 9}]),  # DG23 filter example
        ("$.jar[*].a", [1, 6, 9]),
        ("$.jar[0:2]", [{"a": 1}, {"a": 6}]),
        ("$.jar[0,2]", [{"a": 1}, {"a": 9}]),
        ("$..c", [3]),
        ("$.jar[?(@.a > 100)]", []),  # an indefinite path with no match is an empty list, not an error
    ],
)
def test_indefinite_paths_yield_a_list_of_matches(path, expected):
    assert read_path(DOC, path) == expected


MIXED = {
    "a": {"x": 1, "y": 2},
    "l": [1, 2, 3, 4],
    "n": [{"k": {"a": 5}}, {"a": 6}],
    "p": [{"v": 1, "w": "x"}, {"v": 2}, {"v": 3}],
}


@pytest.mark.parametrize(
    "path, expected",
    [
        ("$.a[*]", [1, 2]),  # Jayway: [*] and .* alike, on objects too
        ("$.a.*", [1, 2]),
        ("$.l.*", [1, 2, 3, 4]),
        ("$..a", [{"x": 1, "y": 2}, 5, 6]),  # deep scan, pre-order
        ("$.l[-2:]", [3, 4]),
        ("$.l[::2]", [1, 3]),
        ("$['a','l']", [{"x": 1, "y": 2}, [1, 2, 3, 4]]),
        ("$.p[*].w", ["x"]),  # members missing on some elements are skipped
        ("$.p[?(@.w)]", [{"v": 1, "w": "x"}]),
        ("$.p[?(@.v > 1 && @.v < 3)]", [{"v": 2}]),
        ("$.p[?(@.v == 1 || @.v == 3)]", [{"v": 1, "w": "x"}, {"v": 3}]),
        ("$.p[?(@.w == 'x')].v", [1]),
        ("$.l[?(@ > 2)]", [3, 4]),
        ("$.a[?(@.x == 1)]", [{"x": 1, "y": 2}]),  # a filter on an object tests the object itself
    ],
)
def test_indefinite_paths_follow_jayway(path, expected):
    assert read_path(MIXED, path) == expected


def test_context_root_strips_first_dollar():
    ctx = {"Execution": {"Id": "arn:x", "Input": {"k": 1}}}
    assert read_path({}, "$$.Execution.Id", context=ctx) == "arn:x"
    assert read_path({}, "$$", context=ctx) == ctx
    assert read_path({}, "$$.Execution.Input.k", context=ctx) == 1


def test_variable_root():
    variables = {"theAnswer": 42, "obj": {"f": [1, 2]}}
    assert read_path({}, "$theAnswer", variables=variables) == 42
    assert read_path({}, "$obj.f[1]", variables=variables) == 2
    with pytest.raises(PathNotFound):
        read_path({}, "$missing", variables=variables)


def test_escaped_quotes_in_bracket_names_follow_aws():
    # conformance ESCAPE_SEQUENCES_JSONPATH: $['Test\""Name"'] selects the key Test\""Name"
    doc = {'Test\\""Name"': 'Value"\\'}
    assert read_path(doc, '$[\'Test\\""Name"\']') == 'Value"\\'
    assert read_path({"it's": 1}, "$['it\\'s']") == 1


@pytest.mark.parametrize(
    "path, message",
    [
        ("$.NoSuchInputPath", "No results for path: $['NoSuchInputPath']"),  # JP-03 (AWS text)
        ("$.no.such.result.path", "Missing property in path $['no']"),  # JP-10 (AWS text)
        ("$.a.nope", "No results for path: $['a']['nope']"),
        ("$.a.b[7]", "No results for path: $['a']['b'][7]"),
    ],
)
def test_missing_paths_raise_with_jayway_text(path, message):
    with pytest.raises(PathNotFound) as exc:
        read_path(DOC, path)
    assert exc.value.message == message
    assert exc.value.path == path


def test_property_on_non_object_is_not_found():
    with pytest.raises(PathNotFound) as exc:
        read_path(DOC, "$.a.b.c")
    assert exc.value.message.startswith("Expected to find an object with property ['c'] in path $['a']['b']")


def test_index_on_non_array_is_not_found():
    with pytest.raises(PathNotFound) as exc:
        read_path(DOC, "$.a[0]")
    assert exc.value.message.startswith("Filter: [0] can only be applied to arrays.")


@pytest.mark.parametrize(
    "path",
    [
        "$",
        "$.a",
        "$.a.b[0]",
        "$['x'][0]['y']",
        "$.ledgers[0][22][315].foo",
        "$$.Execution.Input",
        "$var",
        "$var.x[1]",
    ],
)
def test_reference_paths(path):
    assert is_reference_path(path)
    assert is_valid_path(path)


@pytest.mark.parametrize("path", ["$.a[*]", "$..a", "$.a[0:1]", "$.a[0,1]", "$.a[?(@.x)]", "$.*"])
def test_valid_but_not_reference_paths(path):
    assert is_valid_path(path)
    assert not is_reference_path(path)


@pytest.mark.parametrize("path", ["", "a.b", "$.", "$[", "$['a'", "$.a[?(", "$a-b", 5, None])
def test_invalid_paths(path):
    assert not is_valid_path(path)
    assert not is_reference_path(path)


_WORKERS = {
    "approaches": [{"workerId": 1, "a": "x"}, {"workerId": 2, "a": "y", "b": 3}],
    "agent_id": 2,
    "lim": 2,
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # aws-samples early-stopping-sf-bedrock, deployed by its template (issue 11 rule 20)
        ("$.approaches[?(@.workerId == $.agent_id)].a", ["y"]),
        ("$.approaches[?(@.workerId != $.agent_id)].a", ["x"]),
        ("$.approaches[?(@.workerId < $.lim && @.a == 'x')].a", ["x"]),
        ("$.approaches[?(@.b >= @.workerId)].a", ["y"]),
        ("$.approaches[?(@.workerId == $.nothing)].a", []),  # a missing path compares false
        ("$.approaches[?(@.a == $.agent_id || @.workerId == $.lim)].a", ["y"]),
    ],
)
def test_filters_compare_with_another_path_as_jayway_does(path, expected):
    assert is_valid_path(path)
    assert read_path(_WORKERS, path) == expected


def test_filter_numbers_are_read_as_java_bigdecimal_reads_them():
    # aws-samples/aws-stepfunctions-examples document-text-analysis: "$.result.Entities[?(@.Score > .85)]"
    doc = {"E": [{"Score": 0.9}, {"Score": 0.5}, {"Score": 1}]}
    assert is_valid_path("$.E[?(@.Score > .85)]")
    assert read_path(doc, "$.E[?(@.Score > .85)]") == [{"Score": 0.9}, {"Score": 1}]
    assert read_path(doc, "$.E[?(@.Score <= .5)]") == [{"Score": 0.5}]


def test_trailing_whitespace_of_a_path_is_trimmed_as_jayway_does():
    # aws-samples app-decompose-for-parallelism, deployed by its template: "$$.Execution.Name "
    assert is_valid_path("$$.Execution.Name ")
    assert read_path({}, "$$.Execution.Name ", context={"Execution": {"Name": "n"}}) == "n"
    assert read_path({"a": {"b": 1}}, "$.a.b  ") == 1


def test_result_path_must_be_a_data_reference_path():  # ASL-VAL-18
    assert is_result_path("$.a.b")
    assert is_result_path("$")
    assert not is_result_path("$$.Execution")
    assert not is_result_path("$var.x")
    assert not is_result_path("$.a[*]")


def test_compile_is_cached():
    assert compile_path("$.a.b") is compile_path("$.a.b")
    with pytest.raises(InvalidPath):
        compile_path("nope")


def test_write_root_replaces_everything():
    assert write_path({"a": 1}, "$", [1]) == [1]


def test_write_creates_intermediate_objects_without_mutating_input():
    data = {"a": {"keep": 1}, "other": [1]}
    out = write_path(data, "$.a.new.deep", 5)
    assert out == {"a": {"keep": 1, "new": {"deep": 5}}, "other": [1]}
    assert data == {"a": {"keep": 1}, "other": [1]}
    assert out["other"] is data["other"]  # untouched branches are shared


def test_write_overwrites_existing_field_and_array_element():
    assert write_path({"a": 1}, "$.a", 2) == {"a": 2}
    assert write_path({"a": [1, 2]}, "$.a[1]", 9) == {"a": [1, 9]}


@pytest.mark.parametrize(
    "data, path",
    [
        ("foo", "$.x"),
        ({"a": 5}, "$.a.b"),
        ({"a": None}, "$.a.b"),
        ({"a": [1]}, "$.a[3]"),
        ({"a": {}}, "$.a[0]"),
    ],
)
def test_write_through_a_non_container_fails(data, path):
    with pytest.raises(PathWriteError):
        write_path(data, path, 1)


def test_compact_json_matches_aws_rendering():
    assert compact_json({"Arg1": 1, "Arg2": []}) == '{"Arg1":1,"Arg2":[]}'
    assert compact_json("é") == '"é"'


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30), _json)
def test_arbitrary_path_text_gives_a_value_or_our_errors(text, doc):
    try:
        read_path(doc, "$" + text)
    except (InvalidPath, PathNotFound):
        pass


def test_compact_json_prints_floats_like_java():  # Jackson/Double.toString, EMU-03
    assert (
        compact_json({"a": 1e20, "b": [1.5e-5, "1e5", 1.0, 12345678.9]})
        == '{"a":1.0E20,"b":[1.5E-5,"1e5",1.0,1.23456789E7]}'
    )
    assert compact_json(0.001) == "0.001"
    assert compact_json(-2.5e-7) == "-2.5E-7"
    assert compact_json([12345678.9]) == "[1.23456789E7]"
    assert compact_json({"x": 1e16}) == '{"x":1.0E16}'
