"""The states that do not wait: Pass, Choice, Succeed and Fail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...asl.failures import StatesFailure
from ...asl.failures import error_prefix as prefix
from ...asl.model import MISSING
from ...messages import NO_CHOICE_MATCHED
from ..threads import Thread
from .glue import Outcome
from .runner import FLOWS, flow_of, handles

if TYPE_CHECKING:
    from ..execution import Execution


@handles("Pass")
def run_pass(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    flow = FLOWS[state.query_language]  # flow_of(state), inline: a plain Pass is the hot path
    if flow.passes_through(state):
        return state.next or None, raw, None
    io = flow(ex, thread, state, raw, scope, eid, ex.state_context(state.name, ex.clock.now()))
    value = io.arguments()  # JSONPath evaluates Parameters even beside a Result
    return io.result(value if state.result is MISSING else state.result, bound=False)


@handles("Succeed")
def run_succeed(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    flow = FLOWS[state.query_language]
    if flow.passes_through(state):
        return None, raw, None
    io = flow(ex, thread, state, raw, scope, eid, ex.state_context(state.name, ex.clock.now()))
    return None, io.output(io.input(), state.output), None


@handles("Fail")
def run_fail(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    error, cause = flow_of(state).fail_texts(ex, thread, state, raw, scope, eid)
    raise StatesFailure(
        None if error is MISSING else error,  # type: ignore[arg-type]
        None if cause is MISSING else cause,
    )


@handles("Choice")
def run_choice(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    io = flow_of(state)(ex, thread, state, raw, scope, eid, ex.state_context(state.name, ex.clock.now()))
    v = io.input()
    i = io.choose()
    if i is not None:
        rule = state.choices[i]
        assigned = io.assign(rule.get("Assign", MISSING), v, f"Choices[{i}]/Assign")
        return rule["Next"], io.output(v, rule.get("Output", MISSING), f"Choices[{i}]/Output"), assigned
    if state.default is MISSING:
        raise StatesFailure("States.NoChoiceMatched", prefix(state.name, eid) + NO_CHOICE_MATCHED)
    assigned = io.assign(state.assign, v)
    return state.default, io.output(v, state.output), assigned
