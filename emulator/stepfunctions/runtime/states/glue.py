"""What every state handler and both data flows share: the state's error prefix, a JSONPath
reference read, and the JSONata evaluation with its ``EvaluationFailed`` event (JA-07).

JSONata evaluation (:func:`ja_eval`) is here and not in ``jsonata_flow.py`` because it is more
than a data-flow step: it releases the service lock while it computes and records the failed
evaluation in the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ....handoff import HandoffLock
from ...asl import jsonata, jsonpath
from ...asl.choice import parse_timestamp
from ...asl.failures import QUERY_EVALUATION_ERROR, RUNTIME, STATE_ERROR_LEAD, StatesFailure
from ...asl.failures import error_prefix as prefix
from ...asl.model import MISSING, State
from ...messages import unexpected_result_type
from ..history import dumps
from ..tape import taped
from ..threads import RUNNING, Terminated, Thread

if TYPE_CHECKING:
    from ..execution import Execution

_PREFIXED = (RUNTIME, QUERY_EVALUATION_ERROR)

Outcome = tuple[Any, Any, Any]
"""What a handler returns: ``(next_state_name | None, output, assigned_variables | None)``."""


# --- errors ------------------------------------------------------------------------------------
def runtime_error(state: State, entered_id: int, text: str) -> StatesFailure:
    """``States.Runtime`` with the state's prefix in front of ``text``."""
    return StatesFailure(RUNTIME, prefix(state.name, entered_id) + text)


def with_state_prefix(failure: StatesFailure, state: State, entered_id: int) -> StatesFailure:
    """Add AWS's ``An error occurred while executing the state …`` prefix where it belongs.

    The pure pieces that do not know the state (:func:`read_reference`, the JSONata adapter) raise
    ``States.Runtime``/``States.QueryEvaluationError`` with the bare sentence; the runner, the
    JSONata glue and the Retry/Catch loop pass every failure through here, and a cause that already
    has the prefix is left alone, so it is added exactly once."""
    cause = failure.cause
    if failure.error not in _PREFIXED or cause is None or cause.startswith(STATE_ERROR_LEAD):
        return failure
    return failure.with_cause(prefix(state.name, entered_id) + cause)


# --- values ------------------------------------------------------------------------------------
def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def plain(v: Any) -> str:
    """A value as AWS quotes it in a cause: a string bare, anything else as JSON."""
    return v if isinstance(v, str) else dumps(v)


def trimmed(expression: Any) -> str:
    """A JSONata field as a cause quotes it: the expression inside ``{% %}``, trimmed."""
    s = expression
    if isinstance(s, str) and s.startswith("{%") and s.endswith("%}"):
        return s[2:-2].strip()
    return str(s)


def timestamp_seconds(text: Any) -> float | None:
    """Epoch seconds of a Wait ``Timestamp``/``TimestampPath`` value, or None if it is not one.

    One rule for every timestamp in ASL: :func:`asl.choice.parse_timestamp` (ASL-ST-07, WAIT-03 —
    ``2016-03-14T01:59:00Z``, fractional seconds of any length, ``+01:00`` offsets; no missing
    ``T``/``Z``/offset, no basic format, no comma fractions), which counts nanoseconds."""
    nanos = parse_timestamp(text)
    return None if nanos is None else nanos / 1e9


# --- JSONPath ----------------------------------------------------------------------------------
def read_reference(path: str, value: Any, ctx: dict, scope: dict) -> Any:
    """A reference path (``$.x``, ``$$.x``, ``$var.x``); a miss raises StatesFailure (text is the
    caller's: each field has its own AWS sentence)."""
    try:
        return jsonpath.read_path(value, path, context=ctx, variables=scope)
    except (LookupError, ValueError) as exc:
        raise StatesFailure(RUNTIME, str(exc)) from None


# --- JSONata -----------------------------------------------------------------------------------
def bindings(raw: Any, ctx: dict, scope: dict, **extra: Any) -> dict:
    """The variables of a JSONata evaluation: the state's variables plus ``$states``."""
    states: dict[str, Any] = {"input": raw, "context": ctx}
    states.update(extra)
    b = dict(scope)
    b["states"] = states
    return b


def ja_eval(
    ex: Execution, thread: Thread, state: State, entered_id: int, value: Any, b: dict, field: str
) -> Any:
    """Evaluate a JSONata field; a failure records ``EvaluationFailed`` first (JA-07)."""
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
        location = f.location or field
        f = with_state_prefix(f, state, entered_id)
        if f.error == QUERY_EVALUATION_ERROR:
            evaluation_failed(ex, thread, state, f, location)
        raise f from None


def evaluation_failed(
    ex: Execution, thread: Thread, state: State, f: StatesFailure, field: str | None, *, sibling: bool = True
) -> None:
    """Record ``EvaluationFailed`` for ``f`` (JA-07), at ``field`` (its ``location``)."""
    d: dict[str, Any] = {"error": f.error}
    if f.cause is not None:
        d["cause"] = f.cause
    if field is not None:
        d["location"] = field
    d["state"] = state.name
    # HIS-04: EvaluationFailed is a sibling of the …StateEntered it follows (same previousEventId):
    # the thread's own state's entry, not the history's latest (another branch's, after a wait;
    # and a replay after a snapshot sees a longer history, ../tape.py).
    previous = _entry_previous(ex.history.events, thread.entered) if sibling else None
    if previous is not None:
        thread.last = previous
    # Taped: sibling branches' EvaluationFailed can share a previousEventId and type, so a replay
    # (../tape.py) could not tell its own from the next branch's by searching the history.
    taped(ex, thread, lambda: ex.emit(thread, "EvaluationFailed", d))


def _entry_previous(events: list, entered: int) -> int | None:
    """The previousEventId of the state's entry event: the thread's own (``entered``), or, for a
    state run without an entry of its own in this thread (TestState), the latest entry's."""
    if entered:
        return int(events[entered - 1][1])
    for event in reversed(events):
        if event[0].endswith("StateEntered"):
            return int(event[1])
    return None


def type_failure(
    ex: Execution,
    thread: Thread,
    state: State,
    entered_id: int,
    expression: Any,
    field: str,
    expected: str,
    value: Any,
    *,
    location: str | None = None,
) -> StatesFailure:
    """JA-08: a JSONata field whose result has the wrong type — AWS's "returned an unexpected result
    type" cause (quoting the trimmed expression unless ``expression`` is MISSING), recorded as
    ``EvaluationFailed`` at ``location`` (default ``field``) first (JA-07). Returns the failure
    to raise."""
    quoted = "" if expression is MISSING else f" '{trimmed(expression)}'"
    f = StatesFailure(
        QUERY_EVALUATION_ERROR,
        prefix(state.name, entered_id)
        + unexpected_result_type(quoted, field, expected, jsonata.json_type_name(value), dumps(value)),
    )
    evaluation_failed(ex, thread, state, f, location or field)
    return f
