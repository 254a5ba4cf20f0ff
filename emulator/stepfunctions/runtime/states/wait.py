"""The Wait state (WAIT-01..WAIT-06): the thread sleeps on the scheduler until the state is due."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ...messages import WAIT_TOO_LONG
from ..threads import SLEEP, Thread
from .glue import Outcome, runtime_error
from .runner import flow_of, handles

if TYPE_CHECKING:
    from ..execution import Execution

MAX_WAIT_SECONDS = 2**31  # WAIT-04


@handles("Wait")
def run_wait(
    ex: Execution, thread: Thread, state: Any, raw: Any, scope: dict, eid: int
) -> Generator[Any, Any, Outcome]:
    now = ex.clock.now()
    io = flow_of(state)(ex, thread, state, raw, scope, eid, ex.state_context(state.name, now))
    v = io.input()
    due = io.wait_until(now)
    assigned = io.assign(state.assign, v)
    out = io.output(v, state.output)
    if due - now >= MAX_WAIT_SECONDS:
        raise runtime_error(state, eid, WAIT_TOO_LONG)
    if due > now:
        yield (SLEEP, due)
    return state.next or None, out, assigned
