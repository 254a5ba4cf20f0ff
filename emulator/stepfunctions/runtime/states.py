"""The interpreter: one handler per state type (a registry), and the program runner.

Each handler is ``handler(ex, thread, state, raw_input, scope, entered_id)`` and returns
``(next_state_name | None, output, assigned_variables)``; handlers of states that may wait
(Wait, Task, Parallel, Map) are generators (see ``execution.py`` for the commands they yield).
The runner records ``…StateEntered`` / ``…StateExited`` and commits ``Assign`` after the exit, so
new variable values are visible from the next state on (VAR-03).

Data flow goes through the pure functions of ``asl/`` (``dataflow``, ``choice``, ``retry``,
``jsonata``, ``intrinsics``); a field that is absent costs nothing (no call at all), which keeps
a plain Pass state to two tuple appends and two ``history.dumps``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import Any

from ...handoff import HandoffLock
from ..asl import retry as retry_mod
from ..asl.failures import QUERY_EVALUATION_ERROR, RUNTIME, STATE_ERROR_LEAD, StatesFailure
from ..asl.failures import error_prefix as prefix
from ..asl.model import MISSING, MapState, ParallelState, State, TaskState
from .execution import ABORTABLE, FORK, RUNNING, SLEEP, Execution, Group, Terminated, Thread
from .history import STATE_TYPES, over_payload_limit
from .history import entered as entered_details
from .history import exited as exited_details

_PREFIXED = (RUNTIME, QUERY_EVALUATION_ERROR)

ENTERED = {t: f"{t}StateEntered" for t in STATE_TYPES}
EXITED = {t: f"{t}StateExited" for t in ENTERED}

Outcome = tuple[Any, Any, Any]



# --- errors ------------------------------------------------------------------------------------
def runtime_error(state: State, entered_id: int, text: str) -> StatesFailure:
    return StatesFailure(RUNTIME, prefix(state.name, entered_id) + text)


def _with_state_prefix(failure: StatesFailure, state: State, entered_id: int) -> StatesFailure:
    """Add AWS's ``An error occurred while executing the state …`` prefix where it belongs.

    The pure pieces that do not know the state (:func:`read_reference`, the JSONata adapter) raise
    ``States.Runtime``/``States.QueryEvaluationError`` with the bare sentence; the runner, the
    JSONata glue and the Retry/Catch loop pass every failure through here, and a cause that already
    has the prefix is left alone, so it is added exactly once. The copy keeps the attributes other
    code set on the failure (``location``, ``expression``, ``heartbeat``, ``_final_event``)."""
    cause = failure.cause
    if failure.error not in _PREFIXED or cause is None or cause.startswith(STATE_ERROR_LEAD):
        return failure
    fixed = StatesFailure(failure.error, prefix(state.name, entered_id) + cause)
    fixed.__dict__.update({**failure.__dict__, "cause": fixed.cause})
    return fixed


# --- JSONPath glue -----------------------------------------------------------------------------
def _dataflow():
    from ..asl import dataflow
    return dataflow


def jp_input(state: State, raw: Any, ctx: dict, scope: dict, eid: int) -> Any:
    if state.input_path is MISSING:
        return raw
    return _dataflow().apply_input_path(state.name, raw, state.input_path, ctx, scope,
                                        entered_event_id=eid)


def jp_template(template: Any, value: Any, ctx: dict, scope: dict, field: str, state: State,
                eid: int, rng: Any = None) -> Any:
    return _dataflow().resolve_template(template, value, ctx, scope, field=field, state_name=state.name,
                                        rng=rng, entered_event_id=eid)


def jp_result_path(state: State, raw: Any, result: Any, eid: int, path: Any = MISSING) -> Any:
    if path is MISSING:
        path = state.result_path
    if path is MISSING or path == "$":
        return result
    return _dataflow().apply_result_path(state.name, raw, result, path, entered_event_id=eid)


def jp_output(state: State, value: Any, ctx: dict, scope: dict, eid: int) -> Any:
    if state.output_path is MISSING:
        return value
    return _dataflow().apply_output_path(state.name, value, state.output_path, ctx, scope,
                                         entered_event_id=eid)


def jp_assign(state_name: str, assign: Any, value: Any, ctx: dict, scope: dict, eid: int,
              rng: Any = None) -> dict | None:
    if assign is MISSING or not assign:
        return None
    out = _dataflow().resolve_template(assign, value, ctx, scope, field="Assign", state_name=state_name,
                                       rng=rng, entered_event_id=eid)
    return dict(out) if isinstance(out, dict) else None


def read_reference(path: str, value: Any, ctx: dict, scope: dict) -> Any:
    """A reference path (``$.x``, ``$$.x``, ``$var.x``); a miss raises StatesFailure (text is the
    caller's: each field has its own AWS sentence)."""
    from ..asl import jsonpath
    try:
        return jsonpath.read_path(value, path, context=ctx, variables=scope)
    except (LookupError, ValueError) as exc:
        raise StatesFailure(RUNTIME, str(exc)) from None


# --- JSONata glue ------------------------------------------------------------------------------
def bindings(raw: Any, ctx: dict, scope: dict, **extra: Any) -> dict:
    states: dict[str, Any] = {"input": raw, "context": ctx}
    states.update(extra)
    b = dict(scope)
    b["states"] = states
    return b


def ja_eval(ex: Execution, thread: Thread, state: State, entered_id: int, value: Any,
            b: dict, field: str) -> Any:
    """Evaluate a JSONata field; a failure records ``EvaluationFailed`` first (JA-07)."""
    from ..asl import jsonata
    # An evaluation may compute for up to its 2 s guard: it runs without the service lock, so
    # other callers are answered meanwhile. Safe: nothing else steps this thread while it computes
    # (it has no timer and no callback), other threads of the execution only append their own
    # events, an execution closed meanwhile records nothing more (Terminated below), and no other
    # thread moves a virtual clock meanwhile (Scheduler.pause).
    lock = ex.service.lock
    try:
        if type(lock) is not HandoffLock or not lock._is_owned():
            return jsonata.evaluate_template(value, b, rng=ex.rng, now=ex.clock.now(), field=field)
        scheduler = ex.clock.scheduler
        scheduler.pause()
        saved = lock.release_all()
        try:
            result = jsonata.evaluate_template(value, b, rng=ex.rng, now=ex.clock.now(), field=field)
        finally:
            lock.restore(saved)
            scheduler.resume()
        if ex.status != RUNNING:
            raise Terminated()  # closed meanwhile (StopExecution): nothing more of it is recorded
        return result
    except StatesFailure as f:
        if ex.status != RUNNING:
            raise Terminated() from None
        location = getattr(f, "location", None) or field
        f = _with_state_prefix(f, state, entered_id)
        if f.error == QUERY_EVALUATION_ERROR:
            evaluation_failed(ex, thread, state, f, location)
        raise f from None


def evaluation_failed(ex: Execution, thread: Thread, state: State, f: StatesFailure,
                      field: str | None, *, sibling: bool = True) -> None:
    d: dict[str, Any] = {"error": f.error}
    if f.cause is not None:
        d["cause"] = f.cause
    if field is not None:
        d["location"] = field
    d["state"] = state.name
    # HIS-04: EvaluationFailed is a sibling of the …StateEntered it follows (same previousEventId).
    events = ex.history.events
    for i in range(len(events) - 1, -1, -1) if sibling else ():
        if events[i][0].endswith("StateEntered"):
            thread.last = events[i][1]
            break
    ex.emit(thread, "EvaluationFailed", d)
    f._evaluation_recorded = True  # type: ignore[attr-defined]


def type_failure(ex: Execution, thread: Thread, state: State, entered_id: int, expression: Any,
                 field: str, expected: str, value: Any, *, location: str | None = None) -> StatesFailure:
    """JA-08: a JSONata field whose result has the wrong type — AWS's "returned an unexpected result
    type" cause (quoting the trimmed expression unless ``expression`` is MISSING), recorded as
    ``EvaluationFailed`` at ``location`` (default ``field``) first (JA-07). Returns the failure
    to raise."""
    from ..asl.jsonata import json_type_name
    quoted = "" if expression is MISSING else f" '{_expr(expression)}'"
    f = StatesFailure(QUERY_EVALUATION_ERROR, prefix(state.name, entered_id) +
                      f"The JSONata expression{quoted} specified for the field '{field}' returned an "
                      f"unexpected result type. Expected '{expected}', but was '{json_type_name(value)}' "
                      f"for value: {_dumps(value)}")
    evaluation_failed(ex, thread, state, f, location or field)
    return f


def ja_assign(ex: Execution, thread: Thread, state: State, entered_id: int, assign: Any,
              b: dict, field: str = "Assign") -> dict | None:
    if assign is MISSING or not assign:
        return None
    out = ja_eval(ex, thread, state, entered_id, assign, b, field)
    return dict(out) if isinstance(out, dict) else None


# --- the runner --------------------------------------------------------------------------------
def run_program(ex: Execution, thread: Thread, program: Any, value: Any,
                scope: dict) -> Generator[Any, Any, Any]:
    """Run one ``States`` scope from ``StartAt`` to a terminal state; returns its output."""
    states = program.states
    name = program.start_at
    emit = ex.emit
    dumps = ex.dumps
    while True:
        state = states[name]
        stype = state.type
        thread.state_type = stype
        entered_id = emit(thread, ENTERED[stype], entered_details(name, dumps(value)))
        fn, is_gen = HANDLERS[stype]
        try:
            if is_gen:
                next_name, output, assigned = yield from fn(ex, thread, state, value, scope, entered_id)
            else:
                next_name, output, assigned = fn(ex, thread, state, value, scope, entered_id)
        except StatesFailure as f:
            raise _with_state_prefix(f, state, entered_id) from None
        text = dumps(output)
        if over_payload_limit(text):
            # ERR-15: a state's own oversize output fails the execution (not catchable).
            raise StatesFailure("States.DataLimitExceeded",
                                f"The state/task '{name}' returned a result with a size exceeding the "
                                "maximum number of bytes service limit.")
        if assigned:
            emit(thread, EXITED[stype], exited_details(name, text, {k: dumps(v) for k, v in assigned.items()}))
            scope.update(assigned)
        else:
            emit(thread, EXITED[stype], exited_details(name, text))
        if next_name is None:
            return output
        if ex.terminating:  # API-04: its state machine is being deleted
            raise Terminated
        name = next_name
        value = output


# --- Pass --------------------------------------------------------------------------------------
def run_pass(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    if state.jsonata:
        if state.output is MISSING and state.assign is MISSING:
            return state.next or None, raw, None
        ctx = ex.state_context(state.name, ex.clock.now())
        b = bindings(raw, ctx, scope)
        assigned = ja_assign(ex, thread, state, eid, state.assign, b)
        out = raw if state.output is MISSING else ja_eval(ex, thread, state, eid, state.output, b, "Output")
        return state.next or None, out, assigned
    if (state.input_path is MISSING and state.parameters is MISSING and state.result is MISSING
            and state.result_path is MISSING and state.output_path is MISSING and state.assign is MISSING):
        return state.next or None, raw, None
    ctx = ex.state_context(state.name, ex.clock.now())
    v = jp_input(state, raw, ctx, scope, eid)
    if state.parameters is not MISSING:
        v = jp_template(state.parameters, v, ctx, scope, "Parameters", state, eid, ex.rng)
    result = v if state.result is MISSING else state.result
    assigned = jp_assign(state.name, state.assign, result, ctx, scope, eid, ex.rng)
    out = jp_result_path(state, raw, result, eid)
    out = jp_output(state, out, ctx, scope, eid)
    return state.next or None, out, assigned


# --- Succeed / Fail ----------------------------------------------------------------------------
def run_succeed(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    if state.jsonata:
        if state.output is MISSING:
            return None, raw, None
        ctx = ex.state_context(state.name, ex.clock.now())
        return None, ja_eval(ex, thread, state, eid, state.output, bindings(raw, ctx, scope), "Output"), None
    if state.input_path is MISSING and state.output_path is MISSING:
        return None, raw, None
    ctx = ex.state_context(state.name, ex.clock.now())
    v = jp_input(state, raw, ctx, scope, eid)
    return None, jp_output(state, v, ctx, scope, eid), None


def run_fail(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    error, cause = state.error, state.cause
    if state.jsonata:
        if isinstance(error, str) or isinstance(cause, str):
            ctx = ex.state_context(state.name, ex.clock.now())
            b = bindings(raw, ctx, scope)
            if error is not MISSING:
                error = _fail_text(ex, thread, state, eid, error, b, "Error")
            if cause is not MISSING:
                cause = _fail_text(ex, thread, state, eid, cause, b, "Cause")
    else:
        if state.error_path is not MISSING or state.cause_path is not MISSING:
            ctx = ex.state_context(state.name, ex.clock.now())
            if state.error_path is not MISSING:
                error = _fail_path(state, eid, raw, ctx, scope, state.error_path, "ErrorPath")
            if state.cause_path is not MISSING:
                cause = _fail_path(state, eid, raw, ctx, scope, state.cause_path, "CausePath")
    raise StatesFailure(None if error is MISSING else error,  # type: ignore[arg-type]
                        None if cause is MISSING else cause)


def _fail_path(state: Any, eid: int, raw: Any, ctx: dict, scope: dict, path: str, field: str) -> Any:
    from ..asl import intrinsics
    if intrinsics.is_intrinsic(path):
        return _dataflow().resolve_dollar_value(path, raw, ctx, scope, field=field, state_name=state.name,
                                                entered_event_id=eid)
    try:
        value = read_reference(path, raw, ctx, scope)
    except StatesFailure:
        raise runtime_error(state, eid, f"The JSONPath '{path}' specified for the field '{field}' "
                                        f"could not be found in the input '{_dumps(raw)}'") from None
    return value


def _dumps(v: Any) -> str:
    from .history import dumps
    return dumps(v)


def _fail_text(ex: Execution, thread: Thread, state: Any, eid: int, value: Any, b: dict,
               field: str) -> Any:
    """A JSONata Fail ``Error``/``Cause`` must evaluate to a string (JA-13); anything else is the
    usual "unexpected result type" QueryEvaluationError (text as for the other typed fields)."""
    result = ja_eval(ex, thread, state, eid, value, b, field)
    if not isinstance(result, str):
        raise type_failure(ex, thread, state, eid, value, field, "string", result)
    return result


# --- Choice ------------------------------------------------------------------------------------
def run_choice(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int) -> Outcome:
    ctx = ex.state_context(state.name, ex.clock.now())
    if state.jsonata:
        b = bindings(raw, ctx, scope)
        for i, rule in enumerate(state.choices):
            cond = ja_eval(ex, thread, state, eid, rule.get("Condition"), b, f"Choices[{i}]/Condition")
            if cond is True:
                assigned = ja_assign(ex, thread, state, eid, rule.get("Assign", MISSING), b,
                                     f"Choices[{i}]/Assign")
                out = raw
                if "Output" in rule:
                    out = ja_eval(ex, thread, state, eid, rule["Output"], b, f"Choices[{i}]/Output")
                return rule["Next"], out, assigned
            if not isinstance(cond, bool):
                raise type_failure(ex, thread, state, eid, rule.get("Condition"), "Condition", "boolean",
                                   cond, location=f"Choices[{i}]/Condition")
        if state.default is MISSING:
            raise StatesFailure("States.NoChoiceMatched", prefix(state.name, eid) +
                                "No Choice rule was matched and no Default was specified.")
        assigned = ja_assign(ex, thread, state, eid, state.assign, b)
        out = raw if state.output is MISSING else ja_eval(ex, thread, state, eid, state.output, b, "Output")
        return state.default, out, assigned
    from ..asl import choice as choice_mod
    v = jp_input(state, raw, ctx, scope, eid)
    choices = list(state.choices)
    matched = choice_mod.find_match(choices, v, ctx, scope, state_name=state.name, entered_event_id=eid)
    if matched is not None:
        rule = choices[matched]
        assigned = jp_assign(state.name, rule.get("Assign", MISSING), v, ctx, scope, eid, ex.rng)
        return rule["Next"], jp_output(state, v, ctx, scope, eid), assigned
    if state.default is MISSING:
        choice_mod.find_next(choices, None, v, ctx, scope, state_name=state.name, entered_event_id=eid)
    assigned = jp_assign(state.name, state.assign, v, ctx, scope, eid, ex.rng)
    return state.default, jp_output(state, v, ctx, scope, eid), assigned


def _expr(s: Any) -> str:
    if isinstance(s, str) and s.startswith("{%") and s.endswith("%}"):
        return s[2:-2].strip()  # the cause quotes the expression trimmed, as for every field
    return str(s)


# --- Wait --------------------------------------------------------------------------------------
MAX_WAIT_SECONDS = 2 ** 31  # WAIT-04


def run_wait(ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict,
             eid: int) -> Generator[Any, Any, Outcome]:
    now = ex.clock.now()
    ctx = ex.state_context(state.name, now)
    if state.jsonata:
        b = bindings(raw, ctx, scope)
        if state.seconds is not MISSING:
            secs = state.seconds
            if isinstance(secs, str):
                secs = ja_eval(ex, thread, state, eid, secs, b, "Seconds")
            if not _is_int(secs) or secs < 0:
                raise type_failure(ex, thread, state, eid, state.seconds, "Seconds", "integer", secs)
            due = now + secs
        else:
            ts = state.timestamp
            if isinstance(ts, str) and ts.startswith("{%"):
                ts = ja_eval(ex, thread, state, eid, ts, b, "Timestamp")
            when = timestamp_seconds(ts)
            if when is None:
                f = StatesFailure(QUERY_EVALUATION_ERROR, prefix(state.name, eid) +
                                  "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                                  f"date-time format string: {ts}")
                evaluation_failed(ex, thread, state, f, "Timestamp", sibling=False)
                raise f
            due = when
        assigned = ja_assign(ex, thread, state, eid, state.assign, b)
        out = raw if state.output is MISSING else ja_eval(ex, thread, state, eid, state.output, b, "Output")
    else:
        v = jp_input(state, raw, ctx, scope, eid)
        if state.seconds is not MISSING:
            due = now + state.seconds
        elif state.timestamp is not MISSING:
            when = timestamp_seconds(state.timestamp)
            due = when if when is not None else now
        elif state.seconds_path is not MISSING:
            path = state.seconds_path
            try:
                secs = read_reference(path, v, ctx, scope)
            except StatesFailure:
                raise runtime_error(state, eid, "The SecondsPath parameter does not reference an input "
                                                f"value: {path}") from None
            if not _is_int(secs) and not (isinstance(secs, float) and secs.is_integer()):
                raise runtime_error(state, eid, "The SecondsPath parameter cannot be parsed as a long "
                                                f"value: {path} == {_plain(secs)}")
            if secs < 0:
                raise runtime_error(state, eid, "The SecondsPath parameter references a negative "
                                                f"value: {path} == {_plain(secs)}")
            due = now + int(secs)
        else:
            path = state.timestamp_path
            try:
                ts = read_reference(path, v, ctx, scope)
            except StatesFailure:
                raise runtime_error(state, eid, "The TimestampPath parameter does not reference an input "
                                                f"value: {path}") from None
            when = timestamp_seconds(ts)
            if when is None:
                raise runtime_error(state, eid, "The TimestampPath parameter does not reference a valid "
                                                "ISO-8601 extended offset date-time format string: "
                                                f"{path} == {_plain(ts)}")
            due = when
        assigned = jp_assign(state.name, state.assign, v, ctx, scope, eid, ex.rng)
        out = jp_output(state, v, ctx, scope, eid)
    if due - now >= MAX_WAIT_SECONDS:
        raise runtime_error(state, eid, "Wait state delay is too long.")
    if due > now:
        yield (SLEEP, due)
    return state.next or None, out, assigned


def _plain(v: Any) -> str:
    return v if isinstance(v, str) else _dumps(v)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def timestamp_seconds(text: Any) -> float | None:
    """Epoch seconds of a Wait ``Timestamp``/``TimestampPath`` value, or None if it is not one.

    One rule for every timestamp in ASL: :func:`asl.choice.parse_timestamp` (ASL-ST-07, WAIT-03 —
    ``2016-03-14T01:59:00Z``, fractional seconds of any length, ``+01:00`` offsets; no missing
    ``T``/``Z``/offset, no basic format, no comma fractions), which counts nanoseconds."""
    from ..asl.choice import parse_timestamp

    nanos = parse_timestamp(text)
    return None if nanos is None else nanos / 1e9


# --- retry / catch (Task, Parallel, Map) -------------------------------------------------------
def with_retry(ex: Execution, thread: Thread, state: State, raw: Any, scope: dict, eid: int,
               attempt: Callable[[int], Generator[Any, Any, Outcome]]) -> Generator[Any, Any, Outcome]:
    """Run ``attempt(retry_count)`` under the state's Retry and Catch (ERR-03..ERR-10)."""
    counts: dict[int, int] = {}  # retrier index → retries it made during this visit
    retry_count = 0
    while True:
        try:
            return (yield from attempt(retry_count))
        except StatesFailure as failure:
            failure = _with_state_prefix(failure, state, eid)
            final_event = getattr(failure, "_final_event", None)
            if not retry_mod.is_catchable(failure.error):
                if final_event:
                    ex.emit(thread, final_event)
                raise failure from None
            heartbeat = bool(getattr(failure, "heartbeat", False))
            if state.retry:
                decision = retry_mod.decide_retry(state.retry, failure.error, counts,
                                                  ex.rng, heartbeat=heartbeat)
                if decision is not None:
                    i, delay = decision
                    counts[i] = counts.get(i, 0) + 1
                    retry_count += 1
                    yield (SLEEP, ex.clock.now() + delay)
                    continue
            if final_event:
                ex.emit(thread, final_event)
            if state.catch:
                k = retry_mod.find_catcher(state.catch, failure.error, heartbeat=heartbeat)
                if k is not None:
                    return _caught(ex, thread, state, raw, scope, eid, state.catch[k], k, failure)
            raise failure from None


def _caught(ex: Execution, thread: Thread, state: State, raw: Any, scope: dict, eid: int,
            catcher: Any, index: int, failure: StatesFailure) -> Outcome:
    error_output = retry_mod.error_output(failure.error, failure.cause)
    ctx = ex.state_context(state.name, ex.clock.now())
    if state.jsonata:
        b = bindings(raw, ctx, scope, errorOutput=error_output)
        assigned = ja_assign(ex, thread, state, eid, catcher.assign, b, f"Catch[{index}]/Assign")
        out = error_output if catcher.output is MISSING else \
            ja_eval(ex, thread, state, eid, catcher.output, b, f"Catch[{index}]/Output")
        return catcher.next, out, assigned
    assigned = jp_assign(state.name, catcher.assign, error_output, ctx, scope, eid, ex.rng)
    out = jp_result_path(state, raw, error_output, eid,
                         "$" if catcher.result_path is MISSING else catcher.result_path)
    return catcher.next, out, assigned


def finish_jsonpath(ex: Execution, state: State, raw: Any, result: Any, ctx: dict,
                    scope: dict, eid: int) -> Outcome:
    """Assign (on the raw result, JP-15) → ResultSelector → ResultPath → OutputPath."""
    assigned = jp_assign(state.name, state.assign, result, ctx, scope, eid, ex.rng)
    if state.result_selector is not MISSING:
        result = jp_template(state.result_selector, result, ctx, scope, "ResultSelector", state, eid, ex.rng)
    out = jp_result_path(state, raw, result, eid)
    out = jp_output(state, out, ctx, scope, eid)
    return state.next or None, out, assigned


def finish_jsonata(ex: Execution, thread: Thread, state: State, raw: Any, result: Any, ctx: dict,
                   scope: dict, eid: int) -> Outcome:
    if state.assign is MISSING and state.output is MISSING:
        return state.next or None, result, None
    b = bindings(raw, ctx, scope, result=result)
    assigned = ja_assign(ex, thread, state, eid, state.assign, b)
    out = result if state.output is MISSING else ja_eval(ex, thread, state, eid, state.output, b, "Output")
    return state.next or None, out, assigned


# --- Task --------------------------------------------------------------------------------------
def run_task(ex: Execution, thread: Thread, state: TaskState, raw: Any, scope: dict,
             eid: int) -> Generator[Any, Any, Outcome]:
    from . import tasks
    entered_at = ex.clock.now()

    def attempt(retry_count: int) -> Generator[Any, Any, Outcome]:
        ctx = ex.state_context(state.name, entered_at, retry_count)
        token = None
        if state.resource.endswith(".waitForTaskToken"):
            token = ex.service.new_task_token()
            from .context import with_task_token
            ctx = with_task_token(ctx, token)
        if state.jsonata:
            b = bindings(raw, ctx, scope)
            args = raw if state.arguments is MISSING else \
                ja_eval(ex, thread, state, eid, state.arguments, b, "Arguments")
            timeout = _ja_seconds(ex, thread, state, eid, state.timeout_seconds, b, "TimeoutSeconds")
            heartbeat = _ja_seconds(ex, thread, state, eid, state.heartbeat_seconds, b, "HeartbeatSeconds")
        else:
            v = jp_input(state, raw, ctx, scope, eid)
            args = v if state.parameters is MISSING else \
                jp_template(state.parameters, v, ctx, scope, "Parameters", state, eid, ex.rng)
            timeout = _jp_seconds(state, eid, state.timeout_seconds, state.timeout_seconds_path,
                                  v, ctx, scope, "TimeoutSecondsPath")
            heartbeat = _jp_seconds(state, eid, state.heartbeat_seconds, state.heartbeat_seconds_path,
                                    v, ctx, scope, "HeartbeatSecondsPath")
        credentials = None
        if state.credentials is not MISSING:
            # RES-11: recorded as taskCredentials; the emulator has no IAM to assume the role with.
            if state.jsonata:
                credentials = ja_eval(ex, thread, state, eid, state.credentials, bindings(raw, ctx, scope),
                                      "Credentials")
            else:
                credentials = jp_template(state.credentials, raw, ctx, scope, "Credentials", state, eid,
                                          ex.rng)
        result = yield from tasks.invoke(ex, thread, state, args, ctx, timeout=timeout,
                                         heartbeat=heartbeat, token=token, credentials=credentials)
        if state.jsonata:
            return finish_jsonata(ex, thread, state, raw, result, ctx, scope, eid)
        return finish_jsonpath(ex, state, raw, result, ctx, scope, eid)

    return (yield from with_retry(ex, thread, state, raw, scope, eid, attempt))


def _ja_seconds(ex: Execution, thread: Thread, state: State, eid: int, value: Any, b: dict,
                field: str) -> float | None:
    if value is MISSING:
        return None
    expression = value
    if isinstance(value, str):
        value = ja_eval(ex, thread, state, eid, value, b, field)
    if not _is_int(value) or value <= 0:
        # JA-07/JA-08: the usual typed-field failure, quoting the expression, after EvaluationFailed.
        raise type_failure(ex, thread, state, eid, expression, field, "integer", value)
    return float(value)


def _jp_seconds(state: State, eid: int, value: Any, path: Any, v: Any, ctx: dict, scope: dict,
                field: str) -> float | None:
    if value is not MISSING:
        return float(value)
    if path is MISSING:
        return None
    try:
        secs = read_reference(path, v, ctx, scope)
    except StatesFailure:
        raise runtime_error(state, eid, f"The {field} parameter does not reference an input value: "
                                        f"{path}") from None
    if not _is_int(secs) or secs <= 0:
        raise runtime_error(state, eid, f"The {field} parameter references an invalid value: "
                                        f"{path} == {_plain(secs)}")
    return float(secs)


# --- Parallel ----------------------------------------------------------------------------------
def run_parallel(ex: Execution, thread: Thread, state: ParallelState, raw: Any, scope: dict,
                 eid: int) -> Generator[Any, Any, Outcome]:
    entered_at = ex.clock.now()

    def attempt(retry_count: int) -> Generator[Any, Any, Outcome]:
        ctx = ex.state_context(state.name, entered_at, retry_count)
        if state.jsonata:
            b = bindings(raw, ctx, scope)
            branch_input = raw if state.arguments is MISSING else \
                ja_eval(ex, thread, state, eid, state.arguments, b, "Arguments")
        else:
            branch_input = jp_input(state, raw, ctx, scope, eid)
            if state.parameters is not MISSING:
                branch_input = jp_template(state.parameters, branch_input, ctx, scope, "Parameters", state, eid, ex.rng)
        started = ex.emit(thread, "ParallelStateStarted")
        branches = state.branches

        def make(i: int, th: Thread) -> Generator[Any, Any, Any]:
            return run_program(ex, th, branches[i], branch_input, dict(scope))

        def on_abort(th: Thread, failing: int) -> None:
            # PAR-07: a branch stopped by a sibling's failure records its in-flight state's abort.
            if th.state_type in ABORTABLE:
                ex.emit(th, f"{th.state_type}StateAborted")

        group = Group(ex, len(branches), make, start_last=started, on_abort=on_abort)
        ok, value = yield (FORK, group)
        thread.last = group.last_done
        if not ok:
            value._final_event = "ParallelStateFailed"
            raise value
        ex.emit(thread, "ParallelStateSucceeded")
        thread.last = group.last_done
        if state.jsonata:
            return finish_jsonata(ex, thread, state, raw, value, ctx, scope, eid)
        return finish_jsonpath(ex, state, raw, value, ctx, scope, eid)

    return (yield from with_retry(ex, thread, state, raw, scope, eid, attempt))


# --- Map ---------------------------------------------------------------------------------------
def run_map(ex: Execution, thread: Thread, state: MapState, raw: Any, scope: dict,
            eid: int) -> Generator[Any, Any, Outcome]:
    entered_at = ex.clock.now()
    reader = state.item_reader if isinstance(state.item_reader, dict) else None
    batcher = state.item_batcher if isinstance(state.item_batcher, dict) else None

    def attempt(retry_count: int) -> Generator[Any, Any, Outcome]:
        ctx = ex.state_context(state.name, entered_at, retry_count)
        items: Any = None
        b: dict = {}
        if state.jsonata:
            b = bindings(raw, ctx, scope)
            if reader is None or state.items is not MISSING:
                items = _ja_items(ex, thread, state, raw, b, eid)
            limit = _ja_int(ex, thread, state, eid, state.max_concurrency, b, "MaxConcurrency")
            tol_count = _ja_int(ex, thread, state, eid, state.tolerated_failure_count, b,
                                "ToleratedFailureCount")
            tol_pct = _ja_num(ex, thread, state, eid, state.tolerated_failure_percentage, b,
                              "ToleratedFailurePercentage")
            effective = raw
        else:
            effective = jp_input(state, raw, ctx, scope, eid)
            if reader is None:
                items = _jp_items(state, effective, ctx, scope, eid)
            limit = _jp_int_field(state, eid, state.max_concurrency, state.max_concurrency_path,
                                  effective, ctx, scope, "MaxConcurrencyPath", "integer")
        if reader is not None or batcher is not None:
            # MAP-09/10: items from S3 and/or grouped in batches; configuration is read after
            # MapStateStarted (observed for MaxItemsPath), the data inside the Map Run.
            started = ex.emit(thread, "MapStateStarted", {"length": 0})
            if not state.jsonata:
                tol_count, tol_pct = _jp_tolerated(state, eid, effective, ctx, scope)
            from .map_sources import prepare_source
            source = prepare_source(ex, thread, state, raw, effective, ctx, scope, eid, b, items,
                                    reader, batcher, _select_items)
            if state.distributed:
                return (yield from _distributed(ex, thread, state, raw, ctx, scope, eid, source,
                                                limit, tol_count, tol_pct))
            try:
                inputs = source()
            except StatesFailure as f:
                f._final_event = "MapStateFailed"  # type: ignore[attr-defined]
                raise
            return (yield from _inline(ex, thread, state, raw, ctx, scope, eid, inputs, limit,
                                       tol_count, tol_pct, started))
        inputs = _select_items(ex, thread, state, raw, effective, ctx, scope, eid, items)
        started = ex.emit(thread, "MapStateStarted", {"length": len(inputs)})
        if not state.jsonata:
            # Observed: the tolerated-failure paths are read after MapStateStarted.
            tol_count, tol_pct = _jp_tolerated(state, eid, effective, ctx, scope)
        if state.distributed:
            return (yield from _distributed(ex, thread, state, raw, ctx, scope, eid, inputs, limit,
                                            tol_count, tol_pct))
        return (yield from _inline(ex, thread, state, raw, ctx, scope, eid, inputs, limit,
                                   tol_count, tol_pct, started))

    return (yield from with_retry(ex, thread, state, raw, scope, eid, attempt))


def _ja_items(ex: Execution, thread: Thread, state: MapState, raw: Any, b: dict, eid: int) -> Any:
    items = raw if state.items is MISSING else ja_eval(ex, thread, state, eid, state.items, b, "Items")
    # JA-12: an explicit Items object is iterated (Map.Item.Key = property name); the state
    # input used by default must be an array (observed).
    if not isinstance(items, list) and not (isinstance(items, dict) and state.items is not MISSING):
        f = StatesFailure(QUERY_EVALUATION_ERROR, prefix(state.name, eid) +
                          f"Map state input must be an array but was: {_dumps(items)}")
        evaluation_failed(ex, thread, state, f, None)
        f._final_event = "MapStateFailed"  # type: ignore[attr-defined]
        raise f
    return items


def _jp_items(state: MapState, effective: Any, ctx: dict, scope: dict, eid: int) -> Any:
    if state.items_path is MISSING or state.items_path == "$":
        items = effective
    else:
        try:
            items = read_reference(state.items_path, effective, ctx, scope)
        except StatesFailure:
            raise runtime_error(state, eid, f"Invalid path '{state.items_path}' : No results for "
                                            f"path: {state.items_path}") from None
    if not isinstance(items, list):
        raise runtime_error(state, eid, f"Reference path \"{state.items_path if state.items_path is not MISSING else '$'}\" must point to array.")
    return items


def _jp_tolerated(state: MapState, eid: int, effective: Any, ctx: dict, scope: dict) -> tuple[Any, Any]:
    tol_count = _jp_int_field(state, eid, state.tolerated_failure_count,
                              state.tolerated_failure_count_path, effective, ctx, scope,
                              "ToleratedFailureCountPath", "integer")
    tol_pct = _jp_int_field(state, eid, state.tolerated_failure_percentage,
                            state.tolerated_failure_percentage_path, effective, ctx, scope,
                            "ToleratedFailurePercentagePath", "float")
    return tol_count, tol_pct


def _select_items(ex: Execution, thread: Thread, state: MapState, raw: Any, effective: Any,
                  ctx: dict, scope: dict, eid: int, items: Any) -> list:
    """Per-item input: ItemSelector (or deprecated Parameters) with $$.Map.Item (JP-12)."""
    keys: list[str] | None = None
    if isinstance(items, dict):
        keys = list(items)
        values = [items[k] for k in keys]
    else:
        values = items
    selector = state.item_selector
    if selector is MISSING:
        return list(values)
    from .context import with_map_item
    inputs = []
    for i, item in enumerate(values):
        ictx = with_map_item(ctx, i, item, keys[i] if keys else None)
        if state.jsonata:
            ib = bindings(raw, ictx, scope)
            inputs.append(ja_eval(ex, thread, state, eid, selector, ib, "ItemSelector"))
        else:
            inputs.append(jp_template(selector, effective, ictx, scope, "ItemSelector", state, eid, ex.rng))
    return inputs


def _inline(ex: Execution, thread: Thread, state: MapState, raw: Any, ctx: dict, scope: dict,
            eid: int, inputs: list, limit: Any, tol_count: Any, tol_pct: Any,
            started: int) -> Generator[Any, Any, Outcome]:
    processor = state.processor
    name = state.name

    def make(i: int, th: Thread) -> Generator[Any, Any, Any]:
        return _iteration(ex, th, processor, name, i, inputs[i], scope)

    def on_abort(th: Thread, failing: int) -> None:
        if th.state_type in ABORTABLE:
            ex.emit(th, f"{th.state_type}StateAborted")
        ex.emit(th, "MapIterationAborted", {"index": th.index, "name": name})

    group = Group(ex, len(inputs), make, start_last=started, limit=limit or 0,
                  sequential_chain=(limit == 1), tolerated_count=tol_count,
                  tolerated_pct=tol_pct, on_abort=on_abort, iteration_name=name)
    ok, value = yield (FORK, group)
    thread.last = group.last_done if inputs else started
    if not ok:
        thread.last = group.last_inner
        value._final_event = "MapStateFailed"
        raise value
    prev = thread.last
    ex.emit(thread, "MapStateSucceeded")
    thread.last = prev
    result = list(value)
    if state.jsonata:
        return finish_jsonata(ex, thread, state, raw, result, ctx, scope, eid)
    return finish_jsonpath(ex, state, raw, result, ctx, scope, eid)


def _distributed(ex: Execution, thread: Thread, state: MapState, raw: Any, ctx: dict, scope: dict,
                 eid: int, inputs: list | Callable[[], list], limit: Any, tol_count: Any,
                 tol_pct: Any) -> Generator[Any, Any, Outcome]:
    """Distributed Map (MAP-14): a Map Run whose iterations are child executions; the parent
    history shows only ``MapRunStarted`` → ``MapRunSucceeded|Failed``. Children record into their
    own (private) histories and cannot read the parent's variables (VAR-05)."""
    import copy
    import uuid

    from .history import History

    label = state.label if isinstance(state.label, str) else state.name
    run_id = uuid.UUID(int=ex.rng.getrandbits(128), version=4)
    sm_name = ex.record.name
    map_run_arn = ex.service.arn("states", f"mapRun:{sm_name}/{label}:{run_id}")
    ex.emit(thread, "MapRunStarted", {"mapRunArn": map_run_arn})
    if callable(inputs):  # MAP-09: the ItemReader (and ItemBatcher) run inside the Map Run (INF)
        try:
            inputs = inputs()
        except StatesFailure as f:
            ex.emit(thread, "MapRunFailed", {k: v for k, v in (("error", f.error), ("cause", f.cause))
                                              if v is not None})
            f._final_event = "MapStateFailed"  # type: ignore[attr-defined]
            raise
    items: list = inputs
    processor = state.processor

    def make(i: int, th: Thread) -> Generator[Any, Any, Any]:
        child = copy.copy(ex)
        child.history = History()
        return run_program(child, th, processor, items[i], {})

    group = Group(ex, len(items), make, start_last=thread.last, limit=limit or 0,
                  tolerated_count=tol_count, tolerated_pct=tol_pct, private=True)
    ok, value = yield (FORK, group)
    if not ok:
        ex.emit(thread, "MapRunFailed", {k: v for k, v in (("error", value.error), ("cause", value.cause))
                                          if v is not None})
        value._final_event = "MapStateFailed"
        raise value
    prev = ex.emit(thread, "MapRunSucceeded")
    ex.emit(thread, "MapStateSucceeded")
    thread.last = prev
    result: Any = list(value)
    if isinstance(state.result_writer, dict):
        # MAP-11: results go to S3; the state's result describes where (manifest.json).
        params = state.result_writer.get("Parameters") or state.result_writer.get("Arguments") or {}
        prefix_text = params.get("Prefix", "")
        result = {"MapRunArn": map_run_arn,
                  "ResultWriterDetails": {"Bucket": params.get("Bucket"),
                                          "Key": f"{prefix_text}/{run_id}/manifest.json"}}
    if state.jsonata:
        return finish_jsonata(ex, thread, state, raw, result, ctx, scope, eid)
    return finish_jsonpath(ex, state, raw, result, ctx, scope, eid)


def _iteration(ex: Execution, th: Thread, processor: Any, name: str, index: int, value: Any,
               scope: dict) -> Generator[Any, Any, Any]:
    d = {"index": index, "name": name}
    ex.emit(th, "MapIterationStarted", d)
    try:
        out = yield from run_program(ex, th, processor, value, dict(scope))
    except StatesFailure:
        th.inner_last = th.last
        ex.emit(th, "MapIterationFailed", d)
        raise
    th.inner_last = th.last
    ex.emit(th, "MapIterationSucceeded", d)
    return out


def _jp_int_field(state: State, eid: int, value: Any, path: Any, v: Any, ctx: dict, scope: dict,
                  field: str, kind: str) -> Any:
    if value is not MISSING:
        return value
    if path is MISSING:
        return None
    try:
        n = read_reference(path, v, ctx, scope)
    except StatesFailure:
        raise runtime_error(state, eid, f"Invalid path '{path}' : No results for path: {path}") from None
    ok = _is_int(n) if kind == "integer" else (isinstance(n, (int, float)) and not isinstance(n, bool))
    if not ok:
        raise runtime_error(state, eid, f"The {field} field refers to value \"{_plain(n)}\" which is not "
                                        f"a valid {kind}: {path}")
    if field == "ToleratedFailureCountPath" and n < 0:
        raise runtime_error(state, eid, "ToleratedFailureCount cannot be negative.")
    if field == "ToleratedFailurePercentagePath" and not (0 <= n <= 100):
        raise runtime_error(state, eid, "ToleratedFailurePercentage must be between 0 and 100.")
    if field == "MaxConcurrencyPath" and n < 0:
        raise runtime_error(state, eid, f"The {field} field refers to value \"{_plain(n)}\" which is not "
                                        f"a valid {kind}: {path}")
    return n


def _ja_int(ex: Execution, thread: Thread, state: State, eid: int, value: Any, b: dict, field: str) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, str):
        value = ja_eval(ex, thread, state, eid, value, b, field)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not _is_int(value) or value < 0:
        raise type_failure(ex, thread, state, eid, MISSING, field, "integer", value)
    return value


def _ja_num(ex: Execution, thread: Thread, state: State, eid: int, value: Any, b: dict, field: str) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, str):
        value = ja_eval(ex, thread, state, eid, value, b, field)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise StatesFailure(QUERY_EVALUATION_ERROR, f"The field '{field}' must be a number")
    return value


HANDLERS: dict[str, tuple[Callable[..., Any], bool]] = {
    "Pass": (run_pass, False),
    "Succeed": (run_succeed, False),
    "Fail": (run_fail, False),
    "Choice": (run_choice, False),
    "Wait": (run_wait, True),
    "Task": (run_task, True),
    "Parallel": (run_parallel, True),
    "Map": (run_map, True),
}
