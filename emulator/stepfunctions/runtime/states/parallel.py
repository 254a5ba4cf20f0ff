"""The Parallel state: its branches run as child threads of one group (PAR-01..PAR-07)."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ...asl.model import ParallelState
from ..tape import taped
from ..threads import ABORTABLE, FORK, Group, Thread
from .catching import with_retry
from .glue import Outcome
from .runner import flow_of, handles, run_program

if TYPE_CHECKING:
    from ..execution import Execution


@handles("Parallel")
def run_parallel(
    ex: Execution, thread: Thread, state: ParallelState, raw: Any, scope: dict, eid: int
) -> Generator[Any, Any, Outcome]:
    entered_at = ex.clock.now()
    flow = flow_of(state)

    def attempt(retry_count: int) -> Generator[Any, Any, Outcome]:
        io = flow(ex, thread, state, raw, scope, eid, ex.state_context(state.name, entered_at, retry_count))
        branch_input = io.arguments()
        started = ex.emit(thread, "ParallelStateStarted")
        branches = state.branches

        def make(i: int, th: Thread) -> Generator[Any, Any, Any]:
            return run_program(ex, th, branches[i], branch_input, dict(scope))

        def on_abort(th: Thread, failing: int) -> None:
            # PAR-07: a branch stopped by a sibling's failure records its in-flight state's abort.
            if th.state_type in ABORTABLE:
                ex.emit(th, f"{th.state_type}StateAborted")

        group = taped(
            ex, thread, lambda: Group(ex, len(branches), make, start_last=started, on_abort=on_abort)
        )
        ok, value = yield (FORK, group)
        thread.last = group.last_done
        if not ok:
            value.final_event = "ParallelStateFailed"
            raise value
        ex.emit(thread, "ParallelStateSucceeded")
        thread.last = group.last_done
        return io.result(value)

    return (yield from with_retry(ex, thread, state, raw, scope, eid, attempt))
