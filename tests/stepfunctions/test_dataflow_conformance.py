"""Replays the recorded single-Pass-state JSONPath executions (tests/conformance/cases.jsonl) through
the pure data-flow pipeline: InputPath → Parameters → ResultPath → OutputPath, with Assign evaluated
on the side. The recorded output is AWS's; values the recording masked (state machine name) are
given the masked text, so nested intrinsics over ``$$.StateMachine.Name`` reproduce it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.stepfunctions.asl.dataflow import (
    apply_input_path,
    apply_output_path,
    apply_result_path,
    resolve_template,
)
from emulator.stepfunctions.asl.jsonpath import compact_json

CASES = Path(__file__).resolve().parents[1] / "conformance" / "cases.jsonl"


def _single_pass_cases() -> list[dict]:
    out = []
    for line in CASES.read_text().splitlines():
        case = json.loads(line)
        states = case["definition"]["States"]
        if len(states) != 1 or case["expected_status"] != "SUCCEEDED" or "input_fill" in case:
            continue
        state = next(iter(states.values()))
        if state["Type"] == "Pass" and "JSONata" not in (
            case["definition"].get("QueryLanguage"),
            state.get("QueryLanguage"),
        ):
            out.append(case)
    return out


CASES_LIST = _single_pass_cases()


def _run(case: dict):
    name, state = next(iter(case["definition"]["States"].items()))
    raw = json.loads(case["input_json"])
    ctx = {
        "Execution": {
            "Id": "arn:aws:states:us-east-1:111111111111:execution:<ArnPart_0idx>:run",
            "Input": raw,
            "Name": "run",
            "RoleArn": "snf_role_arn",
            "RedriveCount": 0,
        },
        "StateMachine": {
            "Id": "arn:aws:states:us-east-1:111111111111:stateMachine:<ArnPart_0idx>",
            "Name": "<ArnPart_0idx>",
        },
        "State": {"Name": name, "EnteredTime": "2024-01-01T00:00:00.000Z"},
    }
    variables: dict = {}
    effective = apply_input_path(name, raw, state.get("InputPath", "$"), ctx, variables, entered_event_id=2)
    if "Parameters" in state:
        effective = resolve_template(
            state["Parameters"],
            effective,
            ctx,
            variables,
            field="Parameters",
            state_name=name,
            entered_event_id=2,
        )
    result = state["Result"] if "Result" in state else effective
    if "Assign" in state:
        resolve_template(
            state["Assign"], result, ctx, variables, field="Assign", state_name=name, entered_event_id=2
        )
    output = apply_result_path(name, raw, result, state.get("ResultPath", "$"), entered_event_id=2)
    return apply_output_path(name, output, state.get("OutputPath", "$"), ctx, variables, entered_event_id=2)


def test_there_are_cases():
    assert len(CASES_LIST) >= 30


@pytest.mark.parametrize("case", CASES_LIST, ids=[c["case_id"].split("::")[-1] for c in CASES_LIST])
def test_recorded_output(case):
    output = _run(case)
    expected = case["expected_output"]
    if isinstance(expected, str):  # the recording keeps arrays and scalars as JSON text
        assert compact_json(output) == expected
    else:
        assert output == expected
