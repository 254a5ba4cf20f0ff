"""Property tests of the interpreter against a tiny reference model (hypothesis, bounded).

Random programs of Pass and Wait states, with Parallel blocks of Wait chains, run on the virtual
clock. The model predicts the output, the virtual duration (sums along a chain, max across
branches) and the event types; the history must also keep its invariants (ids 1..n, previous ids
earlier, timestamps non-decreasing)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import emulator
from tests.stepfunctions.workflow_helpers import ROLE

wait = st.integers(min_value=0, max_value=200_000).map(lambda s: ("wait", s))
pas = st.integers(min_value=0, max_value=5).map(lambda v: ("pass", v))
simple = st.one_of(wait, pas)
parallel = st.lists(st.lists(wait, min_size=1, max_size=3), min_size=1, max_size=3).map(lambda b: ("par", b))
step = st.one_of(simple, simple, parallel)


def build(steps: list, prefix: str = "S") -> dict:
    states: dict = {}
    names = [f"{prefix}{i}" for i in range(len(steps))]
    for i, (kind, arg) in enumerate(steps):
        if kind == "wait":
            st_ = {"Type": "Wait", "Seconds": arg}
        elif kind == "pass":
            st_ = {"Type": "Pass", "Result": arg}
        else:
            st_ = {
                "Type": "Parallel",
                "ResultPath": None,
                "Branches": [build(b, f"{names[i]}b{j}_") for j, b in enumerate(arg)],
            }
        if i + 1 < len(steps):
            st_["Next"] = names[i + 1]
        else:
            st_["End"] = True
        states[names[i]] = st_
    return {"StartAt": names[0], "States": states}


def model(steps: list, value: object) -> tuple[object, int, int]:
    """(output, duration, number of events) of a chain, per the rules it states."""
    duration, events = 0, 0
    for kind, arg in steps:
        events += 2  # Entered + Exited
        if kind == "wait":
            duration += arg
        elif kind == "pass":
            value = arg
        else:
            branch_durations = []
            events += 2  # ParallelStateStarted + ParallelStateSucceeded
            for b in arg:
                _, d, n = model(b, value)
                branch_durations.append(d)
                events += n
            duration += max(branch_durations)
    return value, duration, events


@settings(max_examples=60, deadline=None)
@given(st.lists(step, min_size=1, max_size=6))
def test_random_programs_follow_the_model(steps):
    aws = emulator.Emulator(seed=1)
    sfn = aws.stepfunctions
    arn = sfn.create_state_machine(name="p", definition=json.dumps(build(steps)), roleArn=ROLE)[
        "stateMachineArn"
    ]
    ex = sfn.start_execution(stateMachineArn=arn, input='{"start": true}')["executionArn"]
    d = sfn.describe_execution(executionArn=ex)
    out, duration, n = model(steps, {"start": True})
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == out
    assert round((d["stopDate"] - d["startDate"]).total_seconds()) == duration
    events = sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]
    assert len(events) == n + 2
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert all(0 <= e["previousEventId"] < e["id"] for e in events)
    times = [e["timestamp"] for e in events]
    assert times == sorted(times)
    entered = sum(e["type"].endswith("StateEntered") for e in events)
    exited = sum(e["type"].endswith("StateExited") for e in events)
    assert entered == exited


# --- robustness: random structured programs never hit an emulator bug -------------------------------
leaf = st.one_of(
    st.integers(0, 5000).map(lambda s: {"Type": "Wait", "Seconds": s}),
    st.sampled_from(
        [
            {"Type": "Pass"},
            {"Type": "Pass", "ResultPath": "$.r", "Result": [1, 2]},
            {"Type": "Pass", "Parameters": {"v.$": "$"}},
            {"Type": "Pass", "InputPath": "$.missing"},
            {"Type": "Pass", "Assign": {"x.$": "$"}},
            {"Type": "Fail", "Error": "E", "Cause": "c"},
            {"Type": "Succeed"},
        ]
    ),
)


def _seq(items: list, prefix: str) -> dict:
    states: dict = {}
    for i, body in enumerate(items):
        body = dict(body)
        name = f"{prefix}{i}"
        if body["Type"] not in ("Fail", "Succeed"):
            if i + 1 < len(items):
                body["Next"] = f"{prefix}{i + 1}"
            else:
                body["End"] = True
        states[name] = body
        if body["Type"] in ("Fail", "Succeed"):
            break
    return {"StartAt": f"{prefix}0", "States": states}


def _nest(draw, depth: int, prefix: str) -> list:
    items = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["leaf", "leaf", "map", "par"] if depth < 2 else ["leaf"]))
        p = f"{prefix}{i}_"
        if kind == "leaf":
            body = draw(leaf)
            if "Assign" in body:  # variable names must be unique across scopes
                body = {**body, "Assign": {f"x{p}.$": "$"}}
            items.append(body)
        elif kind == "map":
            m = {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "ResultPath": "$.m",
                "MaxConcurrency": draw(st.integers(0, 2)),
                "ItemProcessor": _seq(_nest(draw, depth + 1, p + "m"), p + "m"),
                "Retry": [{"ErrorEquals": ["E"], "MaxAttempts": 1}],
            }
            if depth == 0:  # a Catch may only target a state of its own scope
                m["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Recover"}]
            items.append(m)
        else:
            items.append(
                {
                    "Type": "Parallel",
                    "ResultPath": None,
                    "Branches": [
                        _seq(_nest(draw, depth + 1, f"{p}b{j}_"), f"{p}b{j}_")
                        for j in range(draw(st.integers(1, 2)))
                    ],
                }
            )
    return items


@st.composite
def machines(draw) -> dict:
    top = _seq(_nest(draw, 0, "S"), "S")
    if any("Catch" in s for s in top["States"].values()):
        top["States"]["Recover"] = {"Type": "Pass", "End": True}
    return top


@settings(max_examples=60, deadline=None)
@given(machines(), st.lists(st.integers(0, 3), max_size=4))
def test_random_structured_programs_end_cleanly(definition, xs):
    aws = emulator.Emulator(seed=2)
    sfn = aws.stepfunctions
    service = aws.service("stepfunctions")
    arn = sfn.create_state_machine(name="r", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"xs": xs}))["executionArn"]
    d = sfn.describe_execution(executionArn=ex)
    assert d["status"] in ("SUCCEEDED", "FAILED"), d
    assert "Internal emulator error" not in (d.get("cause") or "")
    assert service.scheduler.errors == []
    events = sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert all(0 <= e["previousEventId"] < e["id"] for e in events)
    assert events[-1]["type"] in ("ExecutionSucceeded", "ExecutionFailed")
