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

ROLE = "arn:aws:iam::123456789012:role/sfn"

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
            st_ = {"Type": "Parallel", "ResultPath": None,
                   "Branches": [build(b, f"{names[i]}b{j}_") for j, b in enumerate(arg)]}
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
    arn = sfn.create_state_machine(name="p", definition=json.dumps(build(steps)), roleArn=ROLE)["stateMachineArn"]
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
