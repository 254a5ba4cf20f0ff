"""The recorded AWS executions (tests/conformance/cases.jsonl) whose outcome is decided by JSONata alone.

Selected: state machines made only of JSONata ``Pass`` states that do not read ``$states.context``.
Each state's ``Assign`` and ``Output`` are evaluated through the adapter exactly as the interpreter
does (entry-time variables, ``$states.input``), and the final output — or the
``States.QueryEvaluationError`` cause without the interpreter's ``An error occurred while executing
the state ...`` prefix — is compared with what AWS recorded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from emulator.stepfunctions.asl import jsonata

CASES_FILE = Path(__file__).parent.parent / "conformance" / "cases.jsonl"
PREFIX = re.compile(
    r"^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. "
)
JSONPATH_FIELDS = {"InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath", "Result"}


def _language(definition: dict, state: dict) -> str:
    return state.get("QueryLanguage", definition.get("QueryLanguage", "JSONPath"))


def _selected() -> list[dict]:
    out = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        definition = case["definition"]
        states = definition.get("States", {})
        if not states or "$states.context" in json.dumps(definition):
            continue
        if all(
            s.get("Type") == "Pass"
            and _language(definition, s) == "JSONata"
            and not (JSONPATH_FIELDS & set(s))
            for s in states.values()
        ):
            out.append(case)
    return out


SELECTED = _selected()


def _run(definition: dict, input_value):
    variables: dict = {}
    name = definition["StartAt"]
    value = input_value
    while True:
        state = definition["States"][name]
        bindings = {**variables, "states": {"input": value}}
        assigned = jsonata.evaluate_template(state.get("Assign", {}), bindings, field="Assign")
        if "Output" in state:
            value = jsonata.evaluate_template(state["Output"], bindings, field="Output")
        variables.update(assigned)
        if state.get("End"):
            return value
        name = state["Next"]


def test_selection_is_not_empty():
    assert len(SELECTED) >= 8


@pytest.mark.parametrize("case", SELECTED, ids=lambda c: c["case_id"].split("::")[-1])
def test_recorded_case(case):
    input_value = json.loads(case["input_json"])
    if case["expected_status"] == "SUCCEEDED":
        output = _run(case["definition"], input_value)
        expected = case["expected_output"]
        if isinstance(expected, str):  # non-object outputs are recorded as their JSON text
            expected = json.loads(expected)
        assert output == expected
        return
    with pytest.raises(jsonata.QueryEvaluationError) as info:
        _run(case["definition"], input_value)
    assert case["expected_error"] == "States.QueryEvaluationError"
    assert info.value.cause == PREFIX.sub("", case["expected_cause"])
    failed = [e for e in case["expected_events"] if e["type"] == "EvaluationFailed"]
    if failed and "location" in failed[0]["evaluationFailedEventDetails"]:
        assert info.value.location == failed[0]["evaluationFailedEventDetails"]["location"]
