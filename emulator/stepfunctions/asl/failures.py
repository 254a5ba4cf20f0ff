"""Failures inside an execution: an ASL error name and a cause.

``StatesFailure("States.Runtime", "An error occurred while executing the state ...")`` is what the
pure ASL pieces (dataflow, intrinsics, choice, JSONata) raise; the interpreter catches it, applies
Retry/Catch, and records it in the history. It is deliberately *not* an AWSError: it never leaves
an API call as an exception.

:func:`error_prefix` is that leading sentence, written once for the ASL pieces and the interpreter.
"""

from __future__ import annotations

STATE_ERROR_LEAD = "An error occurred while executing the state"

RUNTIME = "States.Runtime"
"""The error of a state that cannot run (bad path, bad data, bad intrinsic); no retrier or
catcher matches it (ERR-14)."""

QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
"""A JSONata expression that failed to evaluate (JA-07); like ``States.Runtime`` its cause carries
the state prefix."""


def error_prefix(state_name: str, entered_event_id: int | None) -> str:
    """The sentence AWS puts in front of every state-level runtime cause (``ERR-14``).
    ``entered_event_id`` None prints ``#0`` (callers should always pass the real id)."""
    return f"{STATE_ERROR_LEAD} '{state_name}' (entered at the event id #{entered_event_id or 0}). "


class StatesFailure(Exception):
    """An ASL error (``error``: e.g. ``States.Runtime``) with its ``cause`` text (may be None).

    The keyword-only fields are what the interpreter needs besides the error and cause:
    ``final_event`` — the event a Parallel/Map state records when it fails this way
    (``ParallelStateFailed``/``MapStateFailed``); ``heartbeat`` — a ``States.Timeout`` that was a
    missed heartbeat (``States.HeartbeatTimeout`` matches it, ERR-11); ``location`` and
    ``expression`` — the field path and JSONata text of a ``States.QueryEvaluationError``.
    """

    def __init__(
        self,
        error: str,
        cause: str | None = None,
        *,
        final_event: str | None = None,
        heartbeat: bool = False,
        location: str | None = None,
        expression: str | None = None,
    ) -> None:
        super().__init__(error if cause is None else f"{error}: {cause}")
        self.error = error
        self.cause = cause
        self.final_event = final_event
        self.heartbeat = heartbeat
        self.location = location
        self.expression = expression

    def with_cause(self, cause: str | None) -> StatesFailure:
        """The same failure (every field) with another cause text."""
        return StatesFailure(
            self.error,
            cause,
            final_event=self.final_event,
            heartbeat=self.heartbeat,
            location=self.location,
            expression=self.expression,
        )

    def __repr__(self) -> str:
        return f"StatesFailure({self.error!r}, {self.cause!r})"
