"""Definition validation never raises, and never refuses what AWS accepted.

* Property: arbitrary JSON values, arbitrary text, and mutations of valid definitions always give a
  list of diagnostics (never an exception) — the house rule "any other exception escaping the core
  is a bug".
* False-positive guard: every definition in ``tests/conformance/cases.jsonl`` was executed by real
  AWS Step Functions, so it validates with no ERROR diagnostic (STANDARD and EXPRESS both: the
  recordings use no EXPRESS-only-refused resource).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.stepfunctions.asl.validate import Diagnostic, validate, validate_api_result

CASES = Path(__file__).resolve().parents[1] / "conformance" / "cases.jsonl"


def _definitions() -> list[tuple[str, dict]]:
    out = []
    with CASES.open(encoding="utf-8") as fh:
        for line in fh:
            case = json.loads(line)
            out.append((case["case_id"], case["definition"]))
    return out


DEFINITIONS = _definitions()


def test_conformance_corpus_is_present():
    assert len(DEFINITIONS) >= 100


@pytest.mark.parametrize("case_id,definition", DEFINITIONS, ids=[c for c, _ in DEFINITIONS])
def test_aws_accepted_definitions_have_no_errors(case_id, definition):
    text = json.dumps(definition)
    for machine_type in ("STANDARD", "EXPRESS"):
        errors = [d for d in validate(text, type=machine_type) if d.severity == "ERROR"]
        assert errors == [], (case_id, machine_type)


FIELDS = [
    "Type",
    "Next",
    "End",
    "States",
    "StartAt",
    "Resource",
    "Choices",
    "Default",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "Retry",
    "Catch",
    "ErrorEquals",
    "Parameters",
    "ResultPath",
    "InputPath",
    "OutputPath",
    "Output",
    "Arguments",
    "Assign",
    "QueryLanguage",
    "Seconds",
    "Timestamp",
    "Variable",
    "StringEquals",
    "And",
    "Not",
    "Condition",
    "Items",
    "ItemsPath",
    "MaxConcurrency",
    "Error",
    "CausePath",
    "Credentials",
    "Label",
    "TimeoutSeconds",
    "a.$",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "Pass",
            "Task",
            "Map",
            "Choice",
            "Wait",
            "Parallel",
            "Succeed",
            "Fail",
            "JSONata",
            "JSONPath",
            "$",
            "$.a",
            "$$.Execution",
            "$x",
            "{% $states.input %}",
            "{% a[ %}",
            "{% phone %}",
            "States.Format('{}', $.a)",
            "States.Bad(",
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.sync",
            "States.ALL",
            "2016-03-14T01:59:00Z",
            "A",
            "B",
            "",
        ]
    ),
    st.text(max_size=12),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)), children, max_size=5),
    ),
    max_leaves=25,
)

BASE = {
    "StartAt": "A",
    "States": {
        "A": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"p.$": "$.x"},
            "Retry": [{"ErrorEquals": ["States.ALL"]}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
            "Next": "C",
        },
        "C": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "M"}],
            "Default": "P",
        },
        "M": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
            "Next": "P",
        },
        "P": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}}],
            "End": True,
        },
        "F": {"Type": "Fail", "Error": "E"},
    },
}


def _check(result: list) -> None:
    assert isinstance(result, list)
    assert all(isinstance(d, Diagnostic) for d in result)
    validate_api_result(result, severity="WARNING", max_results=1)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_arbitrary_json_never_raises(value):
    _check(validate(json.dumps(value)))
    _check(validate(value))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_raises(text):
    _check(validate(text))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


ALL_PATHS = list(_paths(BASE))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(ALL_PATHS), st.one_of(JSON, st.just("__delete__"))), min_size=1, max_size=4
    )
)
def test_mutated_valid_definition_never_raises(mutations):
    doc = copy.deepcopy(BASE)
    assert [d for d in validate(doc) if d.severity == "ERROR"] == []
    for path, value in mutations:
        if not path:
            doc = value if value != "__delete__" else {}
            continue
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if value == "__delete__":
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    _check(validate(json.dumps(doc)))
