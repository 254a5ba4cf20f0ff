"""The interpreter: a runner (``runner.py``) and one module of handlers per family of state
types, registered by type — Pass/Choice/Succeed/Fail (``pass_choice``), ``wait``, ``task``,
``parallel`` and ``map_state``. Retry/Catch is in ``catching``.

Each handler is written once, against the data flow of its state's query language
(``flow.py``: :class:`~.jsonpath_flow.JsonPathFlow` or :class:`~.jsonata_flow.JsonataFlow`).
Data flow goes through the pure functions of ``asl/`` (``dataflow``, ``choice``, ``retry``,
``jsonata``, ``intrinsics``); a field that is absent costs nothing (no call at all), which keeps
a plain Pass state to two tuple appends and two ``history.dumps``.
"""

from __future__ import annotations

from . import map_state, parallel, pass_choice, task, wait
from .runner import ENTERED, EXITED, FLOWS, HANDLERS, flow_of, handles, run_program

__all__ = [
    "ENTERED",
    "EXITED",
    "FLOWS",
    "HANDLERS",
    "flow_of",
    "handles",
    "map_state",
    "parallel",
    "pass_choice",
    "run_program",
    "task",
    "wait",
]
