"""The program runner and the registry of state handlers.

A handler is ``handler(ex, thread, state, raw_input, scope, entered_id)`` and returns
``(next_state_name | None, output, assigned_variables)``; handlers of states that may wait
(Wait, Task, Parallel, Map) are generators (see ``execution.py`` for the commands they yield).
Each family module registers its handlers with :func:`handles`. The runner records
``…StateEntered`` / ``…StateExited`` and commits ``Assign`` after the exit, so new variable values
are visible from the next state on (VAR-03).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from ...asl.failures import StatesFailure
from ...asl.model import JSONATA, JSONPATH, State
from ...messages import data_limit
from ..history import STATE_TYPES, over_payload_limit
from ..history import entered as entered_details
from ..history import exited as exited_details
from ..threads import Terminated, Thread
from .flow import Flow
from .glue import with_state_prefix
from .jsonata_flow import JsonataFlow
from .jsonpath_flow import JsonPathFlow

if TYPE_CHECKING:
    from ..execution import Execution

ENTERED = {t: f"{t}StateEntered" for t in STATE_TYPES}
EXITED = {t: f"{t}StateExited" for t in ENTERED}

HANDLERS: dict[str, tuple[Callable[..., Any], bool]] = {}
"""State type → ``(handler, is_generator)``."""

FLOWS: dict[str, type[Flow]] = {JSONPATH: JsonPathFlow, JSONATA: JsonataFlow}
"""Query language → its data flow."""


def handles(state_type: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the handler of ``state_type``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        HANDLERS[state_type] = (fn, inspect.isgeneratorfunction(fn))
        return fn

    return register


def flow_of(state: State) -> type[Flow]:
    """The data flow of ``state``'s query language."""
    return FLOWS[state.query_language]


def run_program(
    ex: Execution, thread: Thread, program: Any, value: Any, scope: dict
) -> Generator[Any, Any, Any]:
    """Run one ``States`` scope from ``StartAt`` to a terminal state; returns its output."""
    states = program.states
    name = program.start_at
    plan = thread.redrive
    if plan is not None:  # a redriven thread re-enters the state it failed in (../redrive.py)
        thread.redrive = None
        name, value, scope = plan.name, plan.value, plan.scope
    rerun = thread.rerun
    if rerun is not None:  # a thread rebuilt after a snapshot re-enters its state (../tape.py)
        name, value, scope = thread.resume  # type: ignore[misc]
    dumps = ex.dumps
    while True:
        state = states[name]
        stype = state.type
        thread.state_type = stype
        if rerun is None:  # a new visit: its tape starts here (what came before is the prologue's)
            thread.resume = at = (name, value, scope)
            if thread.prologue is None:
                thread.prologue = thread.tape or ()
            thread.tape = []
        else:  # the restored tuple stays: a forked group's owner is it (redrive's plan_of)
            at = thread.resume  # type: ignore[assignment]  # set: the replay started from it
            rerun.enter(ex)
            rerun = None
        # ``ex.emit`` is looked up at each call, not held: a rebuilt thread's replay swaps it.
        thread.entered = entered_id = ex.emit(thread, ENTERED[stype], entered_details(name, dumps(value)))
        if plan is not None:  # its Map/Parallel runs again only what did not succeed
            thread.replay = (at, plan.group, plan.map_run)
            plan = None
        fn, is_gen = HANDLERS[stype]
        try:
            if is_gen:
                next_name, output, assigned = yield from fn(ex, thread, state, value, scope, entered_id)
            else:
                next_name, output, assigned = fn(ex, thread, state, value, scope, entered_id)
        except StatesFailure as f:
            raise with_state_prefix(f, state, entered_id) from None
        text = dumps(output)
        if over_payload_limit(text):
            # ERR-15: a state's own oversize output fails the execution (not catchable).
            raise StatesFailure("States.DataLimitExceeded", data_limit(name))
        if assigned:
            ex.emit(
                thread, EXITED[stype], exited_details(name, text, {k: dumps(v) for k, v in assigned.items()})
            )
            scope.update(assigned)
        else:
            ex.emit(thread, EXITED[stype], exited_details(name, text))
        if next_name is None:
            return output
        if ex.terminating:  # API-04: its state machine is being deleted
            raise Terminated
        name = next_name
        value = output
