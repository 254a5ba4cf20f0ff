"""TestState: one state run on its own, with what each data-flow step made (API-TS rules in
docs/stepfunctions-conformance.md).

The state is run by the interpreter's own pieces: the handlers of ``states/`` for Pass, Choice,
Succeed, Fail and Wait, and the data flow of the state's query language for Task, Map and
Parallel, whose single attempt is judged here (AWS's TestState does not retry or catch: it says
whether the error is ``RETRIABLE`` or ``CAUGHT_ERROR`` and where it would go). Each data-flow
step is recorded by an *inspecting* flow (a subclass of the language's flow, registered in
``FLOWS`` under its own key), so the inspection data is what the steps computed, not a second
implementation of them.

The run belongs to a private Express :class:`~.execution.Execution` that no listing sees (no
execution is created, as on AWS); a Wait does not wait and a task's simulated time is not spent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import Any

from .. import payloads
from ..asl import retry as retry_mod
from ..asl.failures import RUNTIME, StatesFailure
from ..asl.model import JSONATA, JSONPATH, MISSING, State
from . import tasks
from .context import with_task_token
from .execution import SLEEP, Execution, Thread
from .states import HANDLERS
from .states.glue import Outcome, with_state_prefix
from .states.jsonata_flow import JsonataFlow
from .states.jsonpath_flow import JsonPathFlow
from .states.runner import FLOWS

INSPECT = {JSONPATH: JSONPATH + "/inspect", JSONATA: JSONATA + "/inspect"}
"""Query language → the ``FLOWS`` key of its inspecting flow."""

STATE_NAME = "StateName"
"""The state's name in the context object when the definition is a single state (observed:
AWS's recorded TestState responses show ``$$.State.Name`` as ``StateName``)."""

NEEDS_MOCK = "TestState needs a mock to run this state"


class InspectingJsonPath(JsonPathFlow):
    """JSONPath flow that records ``afterInputPath``, ``afterParameters``, ``result``,
    ``afterResultSelector`` and ``afterResultPath`` in ``ex.inspection``."""

    __slots__ = ()

    @staticmethod
    def passes_through(state: State) -> bool:
        return False  # every step is shown, even of a plain Pass

    def input(self) -> Any:
        value = super().input()
        self.ex.inspection["afterInputPath"] = value  # type: ignore[attr-defined]
        return value

    def arguments(self) -> Any:
        value = super().arguments()
        self.ex.inspection["afterParameters"] = value  # type: ignore[attr-defined]
        return value

    def result(self, result: Any, *, bound: bool = True) -> Outcome:
        rec = self.ex.inspection  # type: ignore[attr-defined]
        state = self.state
        if bound or getattr(state, "result", MISSING) is not MISSING:
            rec["result"] = result
        assigned = self.assign(state.assign, result)
        if state.result_selector is not MISSING:
            result = self.template(state.result_selector, "ResultSelector", result)
        rec["afterResultSelector"] = result
        placed = self._place(result, state.result_path)
        rec["afterResultPath"] = placed
        return state.next or None, self.output(placed), assigned


class InspectingJsonata(JsonataFlow):
    """JSONata flow that records ``afterArguments`` and ``result`` in ``ex.inspection``."""

    __slots__ = ()

    @staticmethod
    def passes_through(state: State) -> bool:
        return False

    def arguments(self) -> Any:
        value = super().arguments()
        if self.state.arguments is not MISSING:
            self.ex.inspection["afterArguments"] = value  # type: ignore[attr-defined]
        return value

    def result(self, result: Any, *, bound: bool = True) -> Outcome:
        if bound:
            self.ex.inspection["result"] = result  # type: ignore[attr-defined]
        return super().result(result, bound=bound)


FLOWS[INSPECT[JSONPATH]] = InspectingJsonPath
FLOWS[INSPECT[JSONATA]] = InspectingJsonata


@dataclasses.dataclass
class Probe:
    """One TestState request, parsed: the state, its input and variables, and the options."""

    state: State
    input_value: Any
    variables: dict
    mock: dict | None = None
    config: dict = dataclasses.field(default_factory=dict)
    context: dict | None = None


@dataclasses.dataclass
class Verdict:
    """What TestState answers: ``status`` and, where they exist, output, next state, error and
    cause; ``inspection`` holds the values of ``inspectionData`` (not yet serialised)."""

    status: str
    output: Any = MISSING
    next_state: str | None = None
    error: str | None = None
    cause: str | None = None
    inspection: dict = dataclasses.field(default_factory=dict)


def run(ex: Execution, probe: Probe) -> Verdict:
    """Run ``probe.state`` once in the private execution ``ex``."""
    state = dataclasses.replace(probe.state, query_language=INSPECT[probe.state.query_language])
    ex.inspection = rec = {"input": probe.input_value}  # type: ignore[attr-defined]
    if probe.context:
        _with_context(ex, probe.context)
    thread = Thread(0)
    scope = dict(probe.variables)
    eid = ex.emit(thread, f"{state.type}StateEntered")
    prober = PROBES.get(state.type)
    try:
        if prober is not None:
            verdict = prober(ex, thread, state, probe, scope, eid)
        else:
            verdict = _handled(ex, thread, state, probe, scope, eid)
    except StatesFailure as f:
        f = with_state_prefix(f, state, eid)
        verdict = Verdict("FAILED", error=f.error, cause=f.cause)
    if probe.state.type == "Fail" and not probe.state.jsonata:
        rec.setdefault("afterInputPath", probe.input_value)
    verdict.inspection = rec
    return verdict


def _handled(ex: Execution, thread: Thread, state: Any, probe: Probe, scope: dict, eid: int) -> Verdict:
    """Pass, Choice, Succeed, Fail, Wait: the interpreter's handler, run once."""
    fn, is_gen = HANDLERS[state.type]
    outcome = fn(ex, thread, state, probe.input_value, scope, eid)
    if is_gen:
        outcome = drive(outcome)
    if state.type == "Pass" and state.result is not MISSING:
        # AWS shows no InputPath/Parameters step beside a Result (observed).
        for key in ("afterInputPath", "afterParameters"):
            ex.inspection.pop(key, None)  # type: ignore[attr-defined]
    return _succeeded(ex, outcome, scope)


def _succeeded(ex: Execution, outcome: Outcome, scope: dict, status: str = "SUCCEEDED") -> Verdict:
    next_name, output, assigned = outcome
    variables = {**scope, **(assigned or {})}
    if variables:
        ex.inspection["variables"] = variables  # type: ignore[attr-defined]
    return Verdict(status, output=output, next_state=next_name)


def drive(gen: Generator[Any, Any, Any]) -> Any:
    """Run a handler's generator to its end: a sleep (Wait, a retry or a task's simulated time)
    takes no time; waiting for something outside (a task token, an activity, branches) needs a
    mock."""
    value = None
    while True:
        try:
            cmd = gen.send(value)
        except StopIteration as stop:
            return stop.value
        if cmd[0] != SLEEP:
            gen.close()
            raise StatesFailure(RUNTIME, NEEDS_MOCK)
        value = None


# --- Task, Map and Parallel: one attempt, then AWS's judgement of an error ------------------------
def _task(ex: Execution, thread: Thread, state: Any, probe: Probe, scope: dict, eid: int) -> Verdict:
    ctx = _context(ex, state, probe)
    token = None
    if state.resource.endswith(".waitForTaskToken"):
        token = ex.service.new_task_token()
        ctx = with_task_token(ctx, token)
    io = FLOWS[state.query_language](ex, thread, state, probe.input_value, scope, eid, ctx)
    args = io.arguments()
    try:
        if probe.mock is not None:
            result = mocked(probe.mock)
        else:
            result = drive(
                tasks.invoke(ex, thread, state, args, ctx, timeout=None, heartbeat=None, token=token)
            )
    except StatesFailure as f:
        return judge(ex, thread, state, probe, scope, eid, with_state_prefix(f, state, eid))
    return _succeeded(ex, io.result(result), scope)


def _branches(ex: Execution, thread: Thread, state: Any, probe: Probe, scope: dict, eid: int) -> Verdict:
    """Map and Parallel: AWS runs them in TestState only with a mock of their result."""
    ctx = _context(ex, state, probe)
    io = FLOWS[state.query_language](ex, thread, state, probe.input_value, scope, eid, ctx)
    if state.type == "Map":
        _map_inspection(ex, io, state)
    else:
        io.arguments()
    if probe.mock is None:
        raise StatesFailure(RUNTIME, NEEDS_MOCK)
    try:
        result = mocked(probe.mock)
    except StatesFailure as f:
        return judge(ex, thread, state, probe, scope, eid, f)
    verdict = _succeeded(ex, io.result(result), scope)
    if state.type == "Map":  # AWS shows a Map's input and limits, not its result steps (observed)
        for key in ("result", "afterResultSelector", "afterResultPath"):
            ex.inspection.pop(key, None)  # type: ignore[attr-defined]
    return verdict


def _map_inspection(ex: Execution, io: Any, state: Any) -> None:
    rec = ex.inspection  # type: ignore[attr-defined]
    if not state.jsonata:
        io.input()
        rec.pop("afterInputPath", None)
    rec["maxConcurrency"] = io.max_concurrency() or 0
    count, percentage = io.tolerance()
    if count is not None:
        rec["toleratedFailureCount"] = count
    if percentage is not None:
        rec["toleratedFailurePercentage"] = float(percentage)


def mocked(mock: dict) -> Any:
    """A mock's result, or its ``errorOutput`` raised as the task's failure."""
    error_output = mock.get("errorOutput")
    if error_output is not None:
        raise StatesFailure(error_output.get("error"), error_output.get("cause"))
    return payloads.loads(mock["result"])


def judge(
    ex: Execution, thread: Thread, state: Any, probe: Probe, scope: dict, eid: int, f: StatesFailure
) -> Verdict:
    """An attempt's error as TestState reports it: RETRIABLE while a retrier has attempts left
    (``stateConfiguration.retrierRetryCount`` retries made so far), else CAUGHT_ERROR with the
    catcher's next state and output, else FAILED."""
    rec = ex.inspection  # type: ignore[attr-defined]
    if retry_mod.is_catchable(f.error):
        i = retry_mod.find_retrier(state.retry, f.error) if state.retry else None
        if i is not None:
            made = int(probe.config.get("retrierRetryCount", 0) or 0)
            delay = retry_mod.retry_delay(state.retry[i], made + 1)
            if delay is not None:
                rec["errorDetails"] = {"retryIndex": i, "retryBackoffIntervalSeconds": int(delay)}
                return Verdict("RETRIABLE", error=f.error, cause=f.cause)
        k = retry_mod.find_catcher(state.catch, f.error) if state.catch else None
        if k is not None:
            rec["errorDetails"] = {"catchIndex": k}
            io = FLOWS[state.query_language](
                ex, thread, state, probe.input_value, scope, eid, _context(ex, state, probe)
            )
            verdict = _succeeded(
                ex, io.caught(state.catch[k], k, retry_mod.error_output(f.error, f.cause)), scope
            )
            verdict.status, verdict.error, verdict.cause = "CAUGHT_ERROR", f.error, f.cause
            return verdict
    return Verdict("FAILED", error=f.error, cause=f.cause)


def _context(ex: Execution, state: Any, probe: Probe) -> dict:
    return ex.state_context(state.name, ex.clock.now(), 0)


def _with_context(ex: Execution, given: dict) -> None:
    """Lay the request's ``context`` over the context object of every step of the run (each
    top-level part merged key by key: ``Execution``, ``StateMachine``, ``State``, ``Task``)."""
    made = ex.state_context

    def state_context(name: str, entered: float, retry_count: int | None = None) -> dict:
        ctx = made(name, entered, retry_count)
        for key, value in given.items():
            part = ctx.get(key)
            ctx[key] = {**part, **value} if isinstance(part, dict) and isinstance(value, dict) else value
        return ctx

    ex.state_context = state_context  # type: ignore[method-assign]


PROBES = {"Task": _task, "Map": _branches, "Parallel": _branches}
"""State type → how TestState runs it (the others: :func:`_handled`)."""
