"""Retry and Catch around one attempt of a Task, Parallel or Map state (ERR-03..ERR-10)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from ...asl import retry as retry_mod
from ...asl.failures import StatesFailure
from ...asl.model import State
from ..threads import SLEEP, Thread
from .glue import Outcome, with_state_prefix
from .runner import flow_of

if TYPE_CHECKING:
    from ..execution import Execution


def with_retry(
    ex: Execution,
    thread: Thread,
    state: State,
    raw: Any,
    scope: dict,
    eid: int,
    attempt: Callable[[int], Generator[Any, Any, Outcome]],
) -> Generator[Any, Any, Outcome]:
    """Run ``attempt(retry_count)`` under the state's Retry and Catch (ERR-03..ERR-10).

    A failure's ``final_event`` (``MapStateFailed``, ``ParallelStateFailed``, …) is recorded once
    no retrier takes it, before a catcher does."""
    counts: dict[int, int] = {}  # retrier index → retries it made during this visit
    retry_count = 0
    while True:
        try:
            return (yield from attempt(retry_count))
        except StatesFailure as failure:
            failure = with_state_prefix(failure, state, eid)
            final_event = failure.final_event
            if not retry_mod.is_catchable(failure.error):
                if final_event:
                    ex.emit(thread, final_event)
                raise failure from None
            heartbeat = bool(failure.heartbeat)
            if state.retry:
                decision = retry_mod.decide_retry(
                    state.retry, failure.error, counts, ex.rng, heartbeat=heartbeat
                )
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
                    error_output = retry_mod.error_output(failure.error, failure.cause)
                    io = flow_of(state)(
                        ex, thread, state, raw, scope, eid, ex.state_context(state.name, ex.clock.now())
                    )
                    return io.caught(state.catch[k], k, error_output)
            raise failure from None
