"""Failures inside an execution: an ASL error name and a cause.

``StatesFailure("States.Runtime", "An error occurred while executing the state ...")`` is what the
pure ASL pieces (dataflow, intrinsics, choice, JSONata) raise; the interpreter catches it, applies
Retry/Catch, and records it in the history. It is deliberately *not* an AWSError: it never leaves
an API call as an exception.
"""

from __future__ import annotations


class StatesFailure(Exception):
    """An ASL error (``error``: e.g. ``States.Runtime``) with its ``cause`` text (may be None)."""

    def __init__(self, error: str, cause: str | None = None) -> None:
        super().__init__(error if cause is None else f"{error}: {cause}")
        self.error = error
        self.cause = cause

    def __repr__(self) -> str:
        return f"StatesFailure({self.error!r}, {self.cause!r})"
