"""Retry and Catch decisions as pure functions (reference §8.1–8.2, ERR-03..ERR-10, ERRN-*).

Matching (ERR-03): an error matches a retrier/catcher if its name is listed in ``ErrorEquals``;
``States.ALL`` matches every error and ``States.TaskFailed`` every error except ``States.Timeout``
— but ``States.Runtime`` is never matched, not even when listed explicitly (ERR-14, AWS observed:
an explicit ``"ErrorEquals": ["States.Runtime"]`` catcher does not catch it). ``States.DataLimitExceeded``
*is* matched by ``States.ALL`` (ERR-15, AWS observed for a Task's result; the interpreter decides
that non-task oversize fails the execution without consulting Catch). ``States.HeartbeatTimeout``
matches a timeout the interpreter flags as heartbeat-caused (the reported error stays
``States.Timeout``; ERR-11 INF).

Retriers/catchers are scanned in order; the first match wins (ERR-03). Each retrier counts its own
attempts during one visit of the state; once its ``MaxAttempts`` is spent, retrying stops even if a
later retrier would match (ERR-06) — :func:`decide_retry` encodes this.

Delays (ERR-05): ``IntervalSeconds × BackoffRate^(k-1)`` for retry k (1-based), capped by
``MaxDelaySeconds``; ``JitterStrategy: FULL`` draws uniformly from [0, delay] with the given seeded
``rng`` (EMU-02). The functions take the model's typed :class:`~.model.Retrier` /
:class:`~.model.Catcher`, whose field defaults are AWS's (ERR-04: IntervalSeconds 1, MaxAttempts 3,
BackoffRate 2.0, no cap, jitter NONE); the raw definition is not read again here.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from .failures import RUNTIME
from .model import Catcher, Retrier

__all__ = [
    "ALL",
    "TASK_FAILED",
    "decide_retry",
    "error_output",
    "find_catcher",
    "find_retrier",
    "is_catchable",
    "matches",
    "retry_delay",
]

ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"

#: Errors that no retrier or catcher ever matches (ERR-14).
UNCATCHABLE = frozenset({RUNTIME})


def is_catchable(error: str | None) -> bool:
    """False for errors Retry/Catch never handle (``States.Runtime``)."""
    return error not in UNCATCHABLE


def matches(error_equals: Sequence[str], error: str | None, *, heartbeat: bool = False) -> bool:
    """Whether ``error`` is matched by an ``ErrorEquals`` list (ERR-03). ``heartbeat`` marks a
    ``States.Timeout`` caused by a missed heartbeat (then ``States.HeartbeatTimeout`` matches too).
    A failure without an error name (``SendTaskFailure`` with no error) is matched only by the
    wildcards."""
    if error in UNCATCHABLE:
        return False
    if error is not None and error in error_equals:
        return True
    if ALL in error_equals:
        return True
    if TASK_FAILED in error_equals and error != TIMEOUT:
        return True
    return heartbeat and error == TIMEOUT and HEARTBEAT_TIMEOUT in error_equals


def _first(handlers: Sequence[Retrier | Catcher], error: str | None, heartbeat: bool) -> int | None:
    for index, handler in enumerate(handlers):
        if matches(handler.error_equals, error, heartbeat=heartbeat):
            return index
    return None


def find_retrier(retriers: Sequence[Retrier], error: str | None, *, heartbeat: bool = False) -> int | None:
    """Index of the first retrier whose ``ErrorEquals`` matches ``error``, or None."""
    return _first(retriers, error, heartbeat)


def find_catcher(catchers: Sequence[Catcher], error: str | None, *, heartbeat: bool = False) -> int | None:
    """Index of the first catcher whose ``ErrorEquals`` matches ``error``, or None (ERR-08)."""
    return _first(catchers, error, heartbeat)


def retry_delay(retrier: Retrier, attempt: int, rng: random.Random | None = None) -> float | None:
    """Seconds to wait before retry number ``attempt`` (1 = first retry) of this retrier, or None
    when the retrier's ``MaxAttempts`` is exhausted (``MaxAttempts: 0`` never retries).

    Example (ERR-05): Interval 3, rate 2 → 3, 6, 12…; with MaxDelaySeconds 4 → 3, 4, 4."""
    if attempt < 1 or attempt > retrier.max_attempts:
        return None
    delay = float(retrier.interval_seconds) * float(retrier.backoff_rate) ** (attempt - 1)
    if retrier.max_delay_seconds is not None:
        delay = min(delay, float(retrier.max_delay_seconds))
    if retrier.jitter_strategy == "FULL":
        delay = (rng if rng is not None else random.Random()).uniform(0.0, delay)
    return delay


def decide_retry(
    retriers: Sequence[Retrier],
    error: str | None,
    attempts: Mapping[int, int],
    rng: random.Random | None = None,
    *,
    heartbeat: bool = False,
) -> tuple[int, float] | None:
    """The retry decision for one failure: ``(retrier index, delay seconds)``, or None to go on
    to Catch. ``attempts`` maps retrier index → retries already made by that retrier during this
    visit of the state; the caller increments the returned index's count."""
    index = find_retrier(retriers, error, heartbeat=heartbeat)
    if index is None:
        return None
    delay = retry_delay(retriers[index], attempts.get(index, 0) + 1, rng)
    if delay is None:
        return None
    return index, delay


def error_output(error: str | None, cause: str | None) -> dict[str, Any]:
    """The Error Output a catcher passes on (ERR-09): ``{"Error": …, "Cause": …}``; a failure
    without error/cause gives ``null`` values (AWS observed for SendTaskFailure)."""
    return {"Error": error, "Cause": cause}
